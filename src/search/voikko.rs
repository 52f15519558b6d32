//! Finnish morphology by Voikko (libvoikko + the voikko-fi dictionary), loaded at run time so
//! that the service still starts where Voikko is not installed.
//!
//! For each word form Voikko gives, per reading, the base form, the word class, the compound
//! structure of the surface form and the word's bases with their derivation roots
//! (`+hitsa(hitsata)+a+ja(+ja)`). [`analyse`] turns that into what the index needs: base
//! forms, compound parts (the base forms of the modifiers and every head-ward tail, so that
//! "rakennusmiehiä" is found by "rakennus" and by "mies"), and derivation roots (so that
//! "hitsaus", "hitsata" and "hitsaaja" meet). Analyses are cached per distinct word form:
//! ads repeat their words, and Voikko is far slower than a stemmer.
//!
//! libvoikko handles are not thread-safe; a small pool hands one handle to one caller at a
//! time.

use std::collections::HashMap;
use std::ffi::{c_char, c_void, CStr, CString};
use std::sync::{Arc, Mutex, OnceLock, RwLock};

/// What Voikko says of one word form, reduced to what the index needs. Every string is
/// lower-cased.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WordAnalysis {
    /// Base forms of the readings ("hitsaajia" -> "hitsaaja"). Empty when Voikko does not
    /// know the word.
    pub bases: Vec<String>,
    /// Compound parts: modifiers' base forms and the head-ward tails of the base form
    /// ("varastotyöntekijä" -> "varasto", "työ", "työntekijä", "tekijä").
    pub modifiers: Vec<String>,
    /// Head-ward tails of compound base forms ("työntekijä", "tekijä").
    pub tails: Vec<String>,
    /// Derivation roots of the word (or of its head): "hitsaaja" -> "hitsata".
    pub roots: Vec<String>,
    /// Word classes of the readings (`nimisana`, `teonsana`, `laatusana`, `kieltosana`, …).
    pub classes: Vec<String>,
}

impl WordAnalysis {
    /// Whether Voikko recognised the word.
    pub fn known(&self) -> bool {
        !self.bases.is_empty()
    }
}

type InitFn = unsafe extern "C" fn(*mut *const c_char, *const c_char, *const c_char) -> *mut c_void;
type TerminateFn = unsafe extern "C" fn(*mut c_void);
type AnalyzeFn = unsafe extern "C" fn(*mut c_void, *const c_char) -> *mut *mut c_void;
type ValueFn = unsafe extern "C" fn(*const c_void, *const c_char) -> *mut c_char;
type FreeValueFn = unsafe extern "C" fn(*mut c_char);
type FreeAnalysisFn = unsafe extern "C" fn(*mut *mut c_void);

struct Api {
    // Keeps the library loaded for as long as the function pointers below live.
    _lib: libloading::Library,
    init: InitFn,
    terminate: TerminateFn,
    analyze: AnalyzeFn,
    value: ValueFn,
    free_value: FreeValueFn,
    free_analysis: FreeAnalysisFn,
}

/// A libvoikko handle. Used by one thread at a time (the pool guarantees it).
struct Handle(*mut c_void);

// SAFETY: a libvoikko handle may move between threads; it must not be used by two at once,
// which the pool's mutex ensures.
unsafe impl Send for Handle {}

/// The loaded library and its handles.
pub struct Voikko {
    api: Api,
    pool: Mutex<Vec<Handle>>,
    cache: RwLock<HashMap<Box<str>, Arc<WordAnalysis>>>,
}

/// Distinct word forms kept in the cache before it is emptied (bounds memory on huge imports).
const CACHE_LIMIT: usize = 1_000_000;
/// Longest word given to Voikko (it refuses longer ones anyway).
const MAX_WORD_BYTES: usize = 200;

impl Voikko {
    /// Voikko for a unit test: `None`, with a notice, where it is not installed; a failure
    /// where `KOHTAAMO_REQUIRE_VOIKKO=1` (as in CI) says it must be.
    #[cfg(test)]
    pub(crate) fn for_tests() -> Option<&'static Voikko> {
        match Voikko::get() {
            Ok(v) => Some(v),
            Err(why) if std::env::var("KOHTAAMO_REQUIRE_VOIKKO").is_ok_and(|v| v == "1") => {
                panic!("Voikko must be installed here: {why}")
            }
            Err(why) => {
                eprintln!("NOTICE: Voikko is not installed ({why}); testing without it");
                None
            }
        }
    }

    /// The process-wide Voikko, or `None` (with the reason) when libvoikko or its Finnish
    /// dictionary cannot be loaded.
    pub fn get() -> Result<&'static Voikko, String> {
        static VOIKKO: OnceLock<Result<Voikko, String>> = OnceLock::new();
        VOIKKO
            .get_or_init(Voikko::load)
            .as_ref()
            .map_err(Clone::clone)
    }

    fn load() -> Result<Voikko, String> {
        // SAFETY: loading libvoikko runs its initialisers, which have no preconditions.
        let lib = ["libvoikko.so.1", "libvoikko.so", "libvoikko.1.dylib"]
            .iter()
            .find_map(|name| unsafe { libloading::Library::new(*name) }.ok())
            .ok_or_else(|| {
                "libvoikko is not installed (Debian: libvoikko1 voikko-fi)".to_string()
            })?;
        // SAFETY: the symbols are libvoikko's C API with exactly these signatures
        // (voikko.h, libvoikko 4).
        let api = unsafe {
            let sym = |name: &[u8]| -> Result<*const c_void, String> {
                lib.get::<*const c_void>(name)
                    .map(|s| *s)
                    .map_err(|e| format!("libvoikko lacks {}: {e}", String::from_utf8_lossy(name)))
            };
            Api {
                init: std::mem::transmute::<*const c_void, InitFn>(sym(b"voikkoInit\0")?),
                terminate: std::mem::transmute::<*const c_void, TerminateFn>(sym(
                    b"voikkoTerminate\0",
                )?),
                analyze: std::mem::transmute::<*const c_void, AnalyzeFn>(sym(
                    b"voikkoAnalyzeWordCstr\0",
                )?),
                value: std::mem::transmute::<*const c_void, ValueFn>(sym(
                    b"voikko_mor_analysis_value_cstr\0",
                )?),
                free_value: std::mem::transmute::<*const c_void, FreeValueFn>(sym(
                    b"voikko_free_mor_analysis_value_cstr\0",
                )?),
                free_analysis: std::mem::transmute::<*const c_void, FreeAnalysisFn>(sym(
                    b"voikko_free_mor_analysis\0",
                )?),
                _lib: lib,
            }
        };
        let voikko = Voikko {
            api,
            pool: Mutex::new(Vec::new()),
            cache: RwLock::new(HashMap::new()),
        };
        // One handle now: a missing Finnish dictionary shows here, not on the first word.
        let handle = voikko.new_handle()?;
        voikko.pool.lock().expect("voikko pool").push(handle);
        Ok(voikko)
    }

    fn new_handle(&self) -> Result<Handle, String> {
        let mut error: *const c_char = std::ptr::null();
        let lang = CString::new("fi").expect("no NUL");
        // SAFETY: voikkoInit takes an out-pointer for the error, a language code and an
        // optional dictionary path (null: the default search path).
        let h = unsafe { (self.api.init)(&mut error, lang.as_ptr(), std::ptr::null()) };
        if h.is_null() {
            let why = if error.is_null() {
                "unknown error".to_string()
            } else {
                // SAFETY: on failure voikkoInit points `error` at a static C string.
                unsafe { CStr::from_ptr(error) }
                    .to_string_lossy()
                    .into_owned()
            };
            return Err(format!(
                "Voikko has no Finnish dictionary (Debian: voikko-fi): {why}"
            ));
        }
        Ok(Handle(h))
    }

    /// The analysis of one lower-cased word form, from the cache when it was seen before.
    pub fn analyse(&self, word: &str) -> Arc<WordAnalysis> {
        if let Some(a) = self.cache.read().expect("voikko cache").get(word) {
            return a.clone();
        }
        let analysis = Arc::new(self.analyse_uncached(word));
        let mut cache = self.cache.write().expect("voikko cache");
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(word.into(), analysis.clone());
        analysis
    }

    /// The readings of `word`: (base form, class, structure, word bases).
    fn readings(&self, word: &str) -> Vec<Reading> {
        if word.is_empty() || word.len() > MAX_WORD_BYTES {
            return Vec::new();
        }
        let Ok(cword) = CString::new(word) else {
            return Vec::new();
        };
        let handle = match self.pool.lock().expect("voikko pool").pop() {
            Some(h) => h,
            None => match self.new_handle() {
                Ok(h) => h,
                Err(e) => {
                    tracing::error!(error = %e, "could not open another Voikko handle");
                    return Vec::new();
                }
            },
        };
        let mut out = Vec::new();
        // SAFETY: the handle is ours alone until it goes back to the pool; the analysis list
        // is NULL-terminated and freed with voikko_free_mor_analysis; each value is freed with
        // voikko_free_mor_analysis_value_cstr.
        unsafe {
            let list = (self.api.analyze)(handle.0, cword.as_ptr());
            if !list.is_null() {
                let mut i = 0;
                loop {
                    let a = *list.add(i);
                    if a.is_null() {
                        break;
                    }
                    let get = |key: &CStr| -> String {
                        let v = (self.api.value)(a, key.as_ptr());
                        if v.is_null() {
                            return String::new();
                        }
                        let s = CStr::from_ptr(v).to_string_lossy().into_owned();
                        (self.api.free_value)(v);
                        s
                    };
                    out.push(Reading {
                        base: get(c"BASEFORM").to_lowercase(),
                        class: get(c"CLASS"),
                        structure: get(c"STRUCTURE"),
                        wordbases: get(c"WORDBASES").to_lowercase(),
                    });
                    i += 1;
                }
                (self.api.free_analysis)(list);
            }
        }
        self.pool.lock().expect("voikko pool").push(handle);
        out
    }

    fn analyse_uncached(&self, word: &str) -> WordAnalysis {
        let mut a = WordAnalysis::default();
        // Readings beyond the third are rare and mostly noise.
        for r in self.readings(word).into_iter().take(3) {
            if r.base.is_empty() {
                continue;
            }
            push_unique(&mut a.bases, &r.base);
            push_unique(&mut a.classes, &r.class);
            let components = components(word, &r.base, &r.structure);
            if components.len() >= 2 {
                for (i, c) in components.iter().enumerate() {
                    if i + 1 < components.len() {
                        // A modifier is often genitive ("työn", "trukin"): its own base form.
                        let base = self
                            .readings(c)
                            .into_iter()
                            .map(|r| r.base)
                            .find(|b| !b.is_empty())
                            .unwrap_or_else(|| c.clone());
                        if base.chars().count() >= 3 {
                            push_unique(&mut a.modifiers, &base);
                        }
                    }
                    if i > 0 {
                        let tail: String = components[i..].concat();
                        if tail.chars().count() >= 4 {
                            push_unique(&mut a.tails, &tail);
                        }
                    }
                }
            } else if let Some(root) = derivation_root(&r.wordbases) {
                if root != r.base {
                    push_unique(&mut a.roots, &root);
                }
            }
        }
        // The head of a compound carries the meaning: its roots are the word's roots
        // ("lähihoitaja" -> "hoitaja" -> "hoitaa").
        for tail in a.tails.clone() {
            let t = self.analyse(&tail);
            for r in &t.roots {
                push_unique(&mut a.roots, r);
            }
        }
        a
    }
}

impl Drop for Voikko {
    fn drop(&mut self) {
        for h in self.pool.get_mut().expect("voikko pool").drain(..) {
            // SAFETY: each handle came from voikkoInit and is terminated once.
            unsafe { (self.api.terminate)(h.0) };
        }
    }
}

struct Reading {
    base: String,
    class: String,
    structure: String,
    wordbases: String,
}

fn push_unique(v: &mut Vec<String>, s: &str) {
    if !s.is_empty() && !v.iter().any(|x| x == s) {
        v.push(s.to_string());
    }
}

/// The components of a compound's base form, cut where Voikko's STRUCTURE of the surface form
/// has a boundary (`=ppppppp=pppp=ppppppppp`). Modifiers are not inflected in Finnish
/// compounds, so the surface and the base form agree up to the last boundary; when they do not,
/// the word is taken as one component.
fn components(surface: &str, base: &str, structure: &str) -> Vec<String> {
    let mut bounds = Vec::new();
    let mut pos = 0usize;
    for c in structure.chars() {
        if c == '=' {
            if pos > 0 {
                bounds.push(pos);
            }
        } else {
            pos += 1;
        }
    }
    let s: Vec<char> = surface.chars().collect();
    let b: Vec<char> = base.chars().collect();
    let Some(&last) = bounds.last() else {
        return vec![base.to_string()];
    };
    if pos != s.len() || last >= b.len() || s[..last] != b[..last] {
        return vec![base.to_string()];
    }
    let mut out = Vec::new();
    let mut start = 0;
    for &end in &bounds {
        out.push(b[start..end].iter().collect::<String>());
        start = end;
    }
    out.push(b[start..].iter().collect());
    out.retain(|c| c.chars().any(char::is_alphanumeric));
    out
}

/// The derivation root of a word from Voikko's WORDBASES: the base of the last morpheme that
/// has one, when a derivational suffix follows it (`+hitsa(hitsata)+a+ja(+ja)` -> "hitsata").
fn derivation_root(wordbases: &str) -> Option<String> {
    let morphemes = parse_wordbases(wordbases);
    let (i, root) = morphemes
        .iter()
        .enumerate()
        .rev()
        .find_map(|(i, (_, base))| match base {
            Some(b) if !b.starts_with('+') => Some((i, b.clone())),
            _ => None,
        })?;
    let derived = morphemes[i + 1..].iter().any(|(_, b)| b.is_some());
    (derived && root.chars().count() >= 3).then_some(root)
}

/// `+hitsa(hitsata)+a+ja(+ja)` -> [("hitsa", Some("hitsata")), ("a", None), ("ja", Some("+ja"))].
fn parse_wordbases(s: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '+' {
            continue;
        }
        let mut surface = String::new();
        let mut base = None;
        while let Some(&n) = chars.peek() {
            if n == '+' {
                break;
            }
            chars.next();
            if n == '(' {
                let mut b = String::new();
                for m in chars.by_ref() {
                    if m == ')' {
                        break;
                    }
                    b.push(m);
                }
                base = Some(b);
            } else {
                surface.push(n);
            }
        }
        out.push((surface, base));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wordbases_are_parsed_with_derivations() {
        assert_eq!(
            derivation_root("+hitsa(hitsata)+a+ja(+ja)").as_deref(),
            Some("hitsata")
        );
        assert_eq!(
            derivation_root("+opet(opettaa)+us(+us)").as_deref(),
            Some("opettaa")
        );
        assert_eq!(derivation_root("+maalari(maalari)"), None);
    }

    #[test]
    fn compound_components_follow_the_structure() {
        assert_eq!(
            components(
                "varastotyöntekijöitä",
                "varastotyöntekijä",
                "=ppppppp=pppp=ppppppppp"
            ),
            vec!["varasto", "työn", "tekijä"]
        );
        assert_eq!(components("kokkina", "kokki", "=ppppppp"), vec!["kokki"]);
    }

    /// Runs only where Voikko is installed; CI installs it and `voikko_is_required_in_ci`
    /// (tests/api) fails there when it is missing.
    #[test]
    fn voikko_reads_inflections_compounds_and_derivations() {
        let Some(v) = Voikko::for_tests() else {
            return;
        };
        let a = v.analyse("rakennusmiehiä");
        assert_eq!(a.bases, vec!["rakennusmies"]);
        assert!(a.modifiers.contains(&"rakennus".to_string()), "{a:?}");
        assert!(a.tails.contains(&"mies".to_string()), "{a:?}");
        let a = v.analyse("varastotyöntekijöitä");
        assert!(a.modifiers.contains(&"varasto".to_string()), "{a:?}");
        assert!(a.tails.contains(&"työntekijä".to_string()), "{a:?}");
        assert_eq!(v.analyse("päälliköitä").bases, vec!["päällikkö"]);
        for w in ["hitsaus", "hitsaaja", "hitsaajia"] {
            assert!(
                v.analyse(w).roots.contains(&"hitsata".to_string()),
                "{w}: {:?}",
                v.analyse(w)
            );
        }
        assert!(v.analyse("lähihoitaja").roots.contains(&"hoitaa".into()));
        assert!(!v.analyse("qwxzvbnm").known());
    }
}
