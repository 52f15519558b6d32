//! Text analysis for Finnish, Swedish and English job ads, the same at index and query time.
//!
//! Finnish has two analysers; which one built an index is recorded with it, and a change
//! rebuilds the index:
//! - **Voikko** (when libvoikko and voikko-fi are installed, see [`super::voikko`]): base forms
//!   ("hitsaajia" -> "hitsaaja", "päälliköitä" -> "päällikkö"), compound parts from Voikko's
//!   structure as indexed terms ("rakennusmiehiä" -> "rakennus", "mies"), and derivation roots
//!   ("hitsaus", "hitsata", "hitsaaja" -> "hitsata"). Words Voikko does not know (names,
//!   typos) fall back to the Snowball stem.
//! - **Snowball** (the fallback): stems, and every tail of a long stem in the `parts` field,
//!   searched by prefix so that a part matches a compound ("varasto" finds
//!   "varastotyöntekijä"; "trukki", as its genitive "trukin", finds
//!   "vastapainotrukinkuljettaja", see [`compound_forms`]).
//!
//! Swedish and English are Snowball-stemmed. Each language has three analysers: `words`
//! (stems or base forms), `parts` (compound pieces) and `roots` (word families).
//!
//! User text never goes through a query parser: queries are built from analysed terms.
use tantivy::tokenizer::{
    Language, Stemmer, StopWordFilter, TextAnalyzer, TextAnalyzerBuilder, Token, TokenFilter,
    TokenStream, Tokenizer,
};
use tantivy::Index;

use super::voikko::Voikko;

/// The Finnish analyser of an index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Analyser {
    /// Voikko's morphology (base forms, compound parts, derivation roots).
    Voikko,
    /// Snowball stems with compound tails searched by prefix.
    Snowball,
}

impl Analyser {
    /// The name shown in `/health` and recorded with the index.
    pub fn name(self) -> &'static str {
        match self {
            Analyser::Voikko => "voikko",
            Analyser::Snowball => "snowball",
        }
    }

    /// The analyser for a setting: `voikko` (an error when Voikko cannot be loaded),
    /// `snowball`, or `auto` / none (Voikko when it is installed). Without a setting,
    /// `KOHTAAMO_ANALYSER` is read.
    pub fn choose(setting: Option<&str>) -> Result<Analyser, String> {
        let env = std::env::var("KOHTAAMO_ANALYSER").ok();
        let setting = setting.or(env.as_deref()).unwrap_or("auto").trim();
        match setting {
            "snowball" => Ok(Analyser::Snowball),
            "voikko" => Voikko::get().map(|_| Analyser::Voikko),
            "" | "auto" => match Voikko::get() {
                Ok(_) => Ok(Analyser::Voikko),
                Err(why) => {
                    tracing::info!(%why, "Voikko is not available; Finnish is Snowball-stemmed");
                    Ok(Analyser::Snowball)
                }
            },
            other => Err(format!(
                "unknown analyser {other:?}: use auto, voikko or snowball"
            )),
        }
    }
}

/// The languages the index analyses; anything else is analysed as Finnish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Finnish.
    Fi,
    /// Swedish.
    Sv,
    /// English.
    En,
}

impl Lang {
    /// Every analysed language.
    pub const ALL: [Lang; 3] = [Lang::Fi, Lang::Sv, Lang::En];

    /// ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fi => "fi",
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }

    /// From an ISO 639-1 code; `None` for languages the index does not analyse separately.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "fi" => Some(Lang::Fi),
            "sv" => Some(Lang::Sv),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    fn tantivy(self) -> Language {
        match self {
            Lang::Fi => Language::Finnish,
            Lang::Sv => Language::Swedish,
            Lang::En => Language::English,
        }
    }

    /// Name of the word analyzer.
    pub fn words_analyzer(self) -> &'static str {
        match self {
            Lang::Fi => "kohtaamo_words_fi",
            Lang::Sv => "kohtaamo_words_sv",
            Lang::En => "kohtaamo_words_en",
        }
    }

    /// Name of the compound-parts analyzer.
    pub fn parts_analyzer(self) -> &'static str {
        match self {
            Lang::Fi => "kohtaamo_parts_fi",
            Lang::Sv => "kohtaamo_parts_sv",
            Lang::En => "kohtaamo_parts_en",
        }
    }

    /// Name of the index writer's analyzer of a field kind ([`IndexAnalyzer`]).
    pub fn index_analyzer(self, kind: FieldKind) -> &'static str {
        match (self, kind) {
            (Lang::Fi, FieldKind::Words) => "kohtaamo_index_words_fi",
            (Lang::Sv, FieldKind::Words) => "kohtaamo_index_words_sv",
            (Lang::En, FieldKind::Words) => "kohtaamo_index_words_en",
            (Lang::Fi, FieldKind::Parts) => "kohtaamo_index_parts_fi",
            (Lang::Sv, FieldKind::Parts) => "kohtaamo_index_parts_sv",
            (Lang::En, FieldKind::Parts) => "kohtaamo_index_parts_en",
            (Lang::Fi, FieldKind::Roots) => "kohtaamo_index_roots_fi",
            (Lang::Sv, FieldKind::Roots) => "kohtaamo_index_roots_sv",
            (Lang::En, FieldKind::Roots) => "kohtaamo_index_roots_en",
        }
    }

    /// Name of the word-family analyzer.
    pub fn roots_analyzer(self) -> &'static str {
        match self {
            Lang::Fi => "kohtaamo_roots_fi",
            Lang::Sv => "kohtaamo_roots_sv",
            Lang::En => "kohtaamo_roots_en",
        }
    }
}

/// Analyzer for names (employers): lower-cased tokens, nothing else.
pub const NAME_ANALYZER: &str = "kohtaamo_name";

/// Shortest piece of a compound that is indexed or looked for.
const MIN_PART: usize = 4;
/// Shortest stem that is cut into tails.
const MIN_COMPOUND: usize = 8;
/// A tail starts at least this far into the word: no first part of a compound is shorter.
const MIN_HEAD: usize = 3;

/// The stop-word filter of `lang`, made once: its word set is shared by every analyzer built
/// from it (a search builds one for its snippets; making the set cost a few hundred small
/// allocations each time).
fn stop_words(lang: Lang) -> StopWordFilter {
    static FILTERS: std::sync::OnceLock<Vec<(Lang, StopWordFilter)>> = std::sync::OnceLock::new();
    let filters = FILTERS.get_or_init(|| {
        Lang::ALL
            .into_iter()
            .map(|l| {
                let f = StopWordFilter::new(l.tantivy())
                    .expect("tantivy has stop words for fi, sv, en");
                (l, f)
            })
            .collect()
    });
    filters
        .iter()
        .find(|(l, _)| *l == lang)
        .map(|(_, f)| f.clone())
        .expect("every language has its filter")
}

/// Tokens, lower-cased, stop words out: what every analyzer starts from.
fn tokens(lang: Lang) -> TextAnalyzerBuilder<impl Tokenizer> {
    TextAnalyzer::builder(LowerWords).filter(stop_words(lang))
}

/// Words no longer than this many bytes are kept (tantivy's `RemoveLongFilter` limit).
const LONGEST_WORD: usize = 47;

/// tantivy's `SimpleTokenizer` (runs of alphanumeric characters), `RemoveLongFilter` (at
/// [`LONGEST_WORD`]) and `LowerCaser` in one pass: the same tokens (a property test holds them
/// to it), read a byte at a time through ASCII and lower-cased into one buffer. Through three
/// stages, a word's characters were decoded twice and a word with a letter such as "ä" was
/// lower-cased into a second buffer and swapped; snippets tokenise twenty descriptions per
/// search.
#[derive(Clone, Copy, Default)]
pub(crate) struct LowerWords;

impl Tokenizer for LowerWords {
    type TokenStream<'a> = LowerWordsStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> LowerWordsStream<'a> {
        LowerWordsStream {
            text,
            at: 0,
            token: Token::default(),
        }
    }
}

/// See [`LowerWords`].
pub(crate) struct LowerWordsStream<'a> {
    text: &'a str,
    at: usize,
    token: Token,
}

impl LowerWordsStream<'_> {
    /// The length in bytes of the character that starts at byte `i`, not ASCII, and whether
    /// it belongs to a word (is alphanumeric); `None` at the end.
    fn wide_at(&self, i: usize) -> Option<(usize, bool)> {
        let bytes = self.text.as_bytes();
        // U+00C0..=U+00FF ("ä", "ö", "å", "é" and their capitals): all letters but "×" and
        // "÷", known from the lead byte without a look-up in Unicode's tables.
        if bytes.get(i) == Some(&0xC3) {
            let second = *bytes.get(i + 1)?;
            return Some((2, second != 0x97 && second != 0xB7));
        }
        let c = self.text.get(i..)?.chars().next()?;
        Some((c.len_utf8(), c.is_alphanumeric()))
    }
}

/// Appends `word` lower-cased character by character, as tantivy's `LowerCaser` does: a word
/// of characters below U+0100 (Finnish and Swedish text) as bytes, without Unicode's tables.
fn push_lower(word: &str, out: &mut String) {
    // Only characters below U+0100 (no byte above 0xC3): lower-cased in place as bytes. Of
    // those, only "A"-"Z" and U+00C0..=U+00DE but "×" (0xC3 0x80..=0x9E but 0x97) have a
    // lower case, 32 above, the second byte's +0x20 in UTF-8.
    if word.len() <= LONGEST_WORD && word.bytes().all(|b| b <= 0xC3) {
        let mut buf = [0u8; LONGEST_WORD];
        let bytes = &mut buf[..word.len()];
        bytes.copy_from_slice(word.as_bytes());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'A'..=b'Z' => bytes[i] += 32,
                0xC3 => {
                    i += 1;
                    if let Some(b) = bytes.get_mut(i).filter(|b| (0x80..=0x9E).contains(*b)) {
                        if *b != 0x97 {
                            *b += 0x20;
                        }
                    }
                }
                _ => {}
            }
            i += 1;
        }
        if let Ok(lower) = std::str::from_utf8(bytes) {
            out.push_str(lower);
            return;
        }
    }
    out.extend(word.chars().flat_map(char::to_lowercase));
}

impl TokenStream for LowerWordsStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            let bytes = self.text.as_bytes();
            // The next word's start: ASCII a byte at a time, any other character whole.
            let start = loop {
                match bytes.get(self.at) {
                    None => return false,
                    Some(b) if b.is_ascii_alphanumeric() => break self.at,
                    Some(b) if b.is_ascii() => self.at += 1,
                    Some(_) => match self.wide_at(self.at) {
                        Some((_, true)) => break self.at,
                        Some((len, false)) => self.at += len,
                        None => return false,
                    },
                }
            };
            let mut end = start;
            let mut ascii = true;
            loop {
                while bytes.get(end).is_some_and(u8::is_ascii_alphanumeric) {
                    end += 1;
                }
                if bytes.get(end).is_none_or(u8::is_ascii) {
                    break;
                }
                match self.wide_at(end) {
                    Some((len, true)) => {
                        end += len;
                        ascii = false;
                    }
                    _ => break,
                }
            }
            self.at = end;
            // Every word takes a position, a removed long one too.
            self.token.position = self.token.position.wrapping_add(1);
            if end - start > LONGEST_WORD {
                continue;
            }
            let word = &self.text[start..end];
            self.token.offset_from = start;
            self.token.offset_to = end;
            self.token.text.clear();
            if ascii {
                self.token.text.push_str(word);
                self.token.text.make_ascii_lowercase();
            } else {
                push_lower(word, &mut self.token.text);
            }
            return true;
        }
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// Tokens, lower-cased, stop words out, stemmed.
fn stemmed(lang: Lang) -> TextAnalyzerBuilder<impl Tokenizer> {
    tokens(lang).filter(Stemmer::new(lang.tantivy()))
}

/// The Snowball word analyzer of `lang`.
pub fn words(lang: Lang) -> TextAnalyzer {
    stemmed(lang).build()
}

/// The Snowball compound-parts analyzer of `lang`.
pub fn parts(lang: Lang) -> TextAnalyzer {
    stemmed(lang).filter(CompoundParts).build()
}

/// The analyzers of `lang` under `analyser`: words, parts, roots.
pub fn analyzers(lang: Lang, analyser: Analyser) -> [TextAnalyzer; 3] {
    if lang == Lang::Fi && analyser == Analyser::Voikko {
        if let Ok(v) = Voikko::get() {
            let f = |what| tokens(lang).filter(VoikkoTerms { voikko: v, what }).build();
            return [f(Terms::Bases), f(Terms::Parts), f(Terms::Roots)];
        }
    }
    [
        words(lang),
        parts(lang),
        stemmed(lang).filter(StemRoots).build(),
    ]
}

/// The words analyzer of `lang` for snippets, given the query's `terms` in that field: under
/// Voikko a word is analysed only when it holds the start of one of the terms (an inflected
/// form or a compound keeps it: "kau" of "kauppa" in "kaupan", "tu" of "tuki" in "tuen",
/// "apula" of "apulainen" in "keittiöapulaisen"); any other word stands for itself and cannot
/// match. Analysing every word of twenty descriptions for each search cost more than the
/// search. `None` when the words analyzer is not Voikko's: then it is the language's stemmer
/// ([`words`]), cheap enough for every word.
pub fn snippet_words(lang: Lang, analyser: Analyser, terms: &[String]) -> Option<TextAnalyzer> {
    if lang != Lang::Fi || analyser != Analyser::Voikko {
        return None;
    }
    let voikko = Voikko::get().ok()?;
    let keys = terms
        .iter()
        .map(|t| {
            let n = t.chars().count();
            // Inflection and gradation change at most the last three letters
            // ("tuki" -> "tuen", "kauppa" -> "kaupan", "nainen" -> "naisen").
            t.chars().take(n.saturating_sub(3).max(2)).collect()
        })
        .collect();
    Some(
        tokens(lang)
            .filter(Prefiltered {
                inner: VoikkoTerms {
                    voikko,
                    what: Terms::Bases,
                },
                keys: std::sync::Arc::new(keys),
            })
            .build(),
    )
}

/// See [`snippet_words`].
#[derive(Clone)]
struct Prefiltered<M> {
    inner: M,
    keys: std::sync::Arc<Vec<String>>,
}

impl<M: TermMap> TermMap for Prefiltered<M> {
    fn map(&self, word: &str) -> Vec<String> {
        self.inner.map(word)
    }

    fn maps(&self, word: &str) -> bool {
        // Most words hold no key: a first-byte test turns them away without a string search
        // (a searcher per key and word cost more than the rest of a snippet).
        let word = word.as_bytes();
        self.keys.iter().any(|k| {
            let k = k.as_bytes();
            match k.first() {
                None => true,
                Some(&first) => word.windows(k.len()).any(|w| w[0] == first && w == k),
            }
        })
    }

    /// A word that holds no key cannot be one of the terms: its text is left out, so that
    /// the snippet's look-up of it is of an empty word (no lower-casing, no allocation).
    fn blanks_unmapped(&self) -> bool {
        true
    }
}

impl<M: TermMap> TokenFilter for Prefiltered<M> {
    type Tokenizer<T: Tokenizer> = MapFilter<T, Prefiltered<M>>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> Self::Tokenizer<T> {
        MapFilter {
            inner: tokenizer,
            map: self,
        }
    }
}

/// The rows of a small shipped CSV (no quoting; `#` comments; the header skipped).
pub fn data_rows(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .skip(1)
        .map(|l| l.split(',').map(str::trim).collect())
}

/// (colloquial, standard words) from `data/colloquial.csv`.
fn colloquial_table() -> &'static [(String, Vec<String>)] {
    static TABLE: std::sync::OnceLock<Vec<(String, Vec<String>)>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        data_rows(include_str!("data/colloquial.csv"))
            .filter_map(|cols| {
                let (word, standard) = (cols.first()?, cols.get(1)?);
                Some((
                    word.to_string(),
                    standard.split_whitespace().map(str::to_string).collect(),
                ))
            })
            .collect()
    })
}

/// The standard words ads use for a colloquial job word ("raksa" -> "rakennus"): the word
/// begins with it ("kuskiksi") or, in a compound, ends with it ("rekkakuski"). Search and
/// matching widen the same way.
pub fn colloquial(word: &str) -> Vec<String> {
    let lower = word.to_lowercase();
    colloquial_table()
        .iter()
        .filter(|(c, _)| lower.starts_with(c.as_str()) || lower.ends_with(c.as_str()))
        .flat_map(|(_, s)| s.iter().cloned())
        .collect()
}

/// The Snowball Finnish stem of a word Voikko does not know, with one analyzer per thread
/// (building one costs far more than stemming a word).
fn snowball_fi(word: &str) -> Vec<String> {
    thread_local! {
        static FI: std::cell::RefCell<TextAnalyzer> = std::cell::RefCell::new(words(Lang::Fi));
    }
    FI.with(|a| terms(&mut a.borrow_mut(), word))
}

/// Registers every analyzer on `index`.
pub fn register(index: &Index, analyser: Analyser) {
    let tokenizers = index.tokenizers();
    for lang in Lang::ALL {
        let [w, p, r] = analyzers(lang, analyser);
        tokenizers.register(lang.words_analyzer(), w);
        tokenizers.register(lang.parts_analyzer(), p);
        tokenizers.register(lang.roots_analyzer(), r);
        for kind in [FieldKind::Words, FieldKind::Parts, FieldKind::Roots] {
            tokenizers.register(
                lang.index_analyzer(kind),
                TextAnalyzer::from(IndexAnalyzer {
                    lang,
                    analyser,
                    kind,
                }),
            );
        }
    }
    tokenizers.register(NAME_ANALYZER, TextAnalyzer::from(LowerWords));
}

/// The terms a query word looks for in Finnish under Voikko: its base forms (in the words
/// fields), itself as a part of a compound (its base forms in the parts field), its compound
/// tails ("varastotyöntekijä" also finds "työntekijä"), and its family (roots field).
#[derive(Debug, Clone, Default)]
pub struct QueryTerms {
    /// Base forms, or the Snowball stem of an unknown word.
    pub bases: Vec<String>,
    /// Head-ward tails of a compound query word.
    pub tails: Vec<String>,
    /// Modifiers of a compound query word ("puhelin" of "puhelinmyyjä").
    pub modifiers: Vec<String>,
    /// Word-family terms.
    pub roots: Vec<String>,
}

/// [`QueryTerms`] of one lower-cased Finnish word under Voikko; `None` when Voikko is not
/// loaded.
pub fn voikko_query_terms(word: &str) -> Option<QueryTerms> {
    let v = Voikko::get().ok()?;
    let a = v.analyse(word);
    if !a.known() {
        return Some(QueryTerms {
            bases: snowball_fi(word),
            ..QueryTerms::default()
        });
    }
    let mut roots = a.roots.clone();
    for b in &a.bases {
        if !roots.contains(b) {
            roots.push(b.clone());
        }
    }
    Some(QueryTerms {
        bases: a.bases.clone(),
        tails: a.tails.clone(),
        modifiers: a.modifiers.clone(),
        roots,
    })
}

#[derive(Clone, Copy)]
enum Terms {
    Bases,
    Parts,
    Roots,
}

/// Token filter that replaces each word by what Voikko makes of it (see [`Terms`]); every
/// term keeps the word's position and offsets.
#[derive(Clone)]
struct VoikkoTerms {
    voikko: &'static Voikko,
    what: Terms,
}

impl VoikkoTerms {
    fn of(&self, word: &str) -> Vec<String> {
        voikko_terms(&self.voikko.analyse(word), word, self.what)
    }
}

/// What Voikko's analysis `a` of `word` gives as terms of one kind.
fn voikko_terms(a: &super::voikko::WordAnalysis, word: &str, what: Terms) -> Vec<String> {
    match what {
        Terms::Bases if a.known() => a.bases.clone(),
        Terms::Bases => snowball_fi(word),
        Terms::Parts => a.modifiers.iter().chain(&a.tails).cloned().collect(),
        Terms::Roots => {
            // A verb is its own root ("hitsata" meets "hitsaaja" -> "hitsata").
            let mut out = a.roots.clone();
            if a.classes.iter().any(|c| c == "teonsana") {
                out.extend(a.bases.iter().cloned());
            }
            out
        }
    }
}

/// One word of a text, where it stands, and its terms for the three analysed fields of its
/// language.
struct WordAt {
    offset_from: usize,
    offset_to: usize,
    position: usize,
    position_length: usize,
    terms: std::rc::Rc<WordTerms>,
}

/// The words of one text with their terms for the three analysed fields of its language, from
/// one pass over it: exactly what the fields' registered analyzers ([`analyzers`]) make of the
/// text, token for token, but each word is tokenised, lower-cased and looked up once instead
/// of three times. A word's terms are shared with every other occurrence of the word form on
/// the thread (Voikko) instead of copied per token.
fn analyse_once(lang: Lang, analyser: Analyser, text: &str) -> Vec<WordAt> {
    let voikko = (lang == Lang::Fi && analyser == Analyser::Voikko)
        .then(|| Voikko::get().ok())
        .flatten();
    let mut out = Vec::new();
    // Under Voikko the base stream is the plain tokens; under Snowball it is the stems, which
    // the parts and roots analyzers cut further.
    with_base_analyzer(lang, voikko.is_some(), |analyzer| {
        let mut stream = analyzer.token_stream(text);
        while let Some(token) = stream.next() {
            let terms = match voikko {
                Some(v) => word_terms(v, &token.text),
                None => std::rc::Rc::new(WordTerms {
                    words: vec![token.text.clone()],
                    parts: CompoundParts.map(&token.text),
                    roots: stem_root(&token.text).into_iter().collect(),
                }),
            };
            out.push(WordAt {
                offset_from: token.offset_from,
                offset_to: token.offset_to,
                position: token.position,
                position_length: token.position_length,
                terms,
            });
        }
    });
    out
}

/// Which of a language's three analysed fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Title and body: words.
    Words,
    /// Compound parts.
    Parts,
    /// Word families.
    Roots,
}

/// The analyzer the index writer uses for one field kind: the same terms as the registered
/// analyzer of that kind, but a text is analysed once for all three kinds. The writer analyses
/// a document's title and text for the words field, then again for the parts and roots
/// fields; this analyzer keeps each text's words ([`analyse_once`]) on the thread until every
/// kind has taken its terms, so the second and third pass cost nothing. Queries use the plain
/// analyzers, which compute only what they are asked for.
#[derive(Clone)]
pub struct IndexAnalyzer {
    lang: Lang,
    analyser: Analyser,
    kind: FieldKind,
}

/// Texts a thread keeps analysed while their other kinds are still to be taken.
const ANALYSED_TEXTS_KEPT: usize = 6;

struct AnalysedText {
    lang: Lang,
    analyser: Analyser,
    text: String,
    words: std::rc::Rc<Vec<WordAt>>,
    /// Words, parts, roots: whether that kind has taken the terms.
    taken: [bool; 3],
}

impl IndexAnalyzer {
    fn take(&self, text: &str) -> std::rc::Rc<Vec<WordAt>> {
        thread_local! {
            static KEPT: std::cell::RefCell<Vec<AnalysedText>> =
                const { std::cell::RefCell::new(Vec::new()) };
        }
        let slot = self.kind as usize;
        KEPT.with(|cell| {
            let mut kept = cell.borrow_mut();
            let found = kept.iter().position(|a| {
                !a.taken[slot]
                    && a.lang == self.lang
                    && a.analyser == self.analyser
                    && a.text == text
            });
            if let Some(i) = found {
                kept[i].taken[slot] = true;
                let words = kept[i].words.clone();
                if kept[i].taken.iter().all(|t| *t) {
                    kept.remove(i);
                }
                return words;
            }
            let words = std::rc::Rc::new(analyse_once(self.lang, self.analyser, text));
            if kept.len() >= ANALYSED_TEXTS_KEPT {
                kept.remove(0);
            }
            let mut taken = [false; 3];
            taken[slot] = true;
            kept.push(AnalysedText {
                lang: self.lang,
                analyser: self.analyser,
                text: text.to_string(),
                words: words.clone(),
                taken,
            });
            words
        })
    }
}

impl Tokenizer for IndexAnalyzer {
    type TokenStream<'a> = TokensOf;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> TokensOf {
        TokensOf::new(self.take(text), self.kind)
    }
}

/// A token stream over the terms of one kind of words already analysed: each term is written
/// into one reused token (no allocation per term).
pub struct TokensOf {
    words: std::rc::Rc<Vec<WordAt>>,
    kind: FieldKind,
    /// The word being read, and its next term.
    word: usize,
    term: usize,
    current: Token,
}

impl TokensOf {
    fn new(words: std::rc::Rc<Vec<WordAt>>, kind: FieldKind) -> TokensOf {
        TokensOf {
            words,
            kind,
            word: 0,
            term: 0,
            current: Token::default(),
        }
    }
}

impl TokenStream for TokensOf {
    fn advance(&mut self) -> bool {
        while let Some(w) = self.words.get(self.word) {
            let terms = match self.kind {
                FieldKind::Words => &w.terms.words,
                FieldKind::Parts => &w.terms.parts,
                FieldKind::Roots => &w.terms.roots,
            };
            if let Some(term) = terms.get(self.term) {
                self.term += 1;
                let t = &mut self.current;
                t.text.clear();
                t.text.push_str(term);
                t.offset_from = w.offset_from;
                t.offset_to = w.offset_to;
                t.position = w.position;
                t.position_length = w.position_length;
                return true;
            }
            self.word += 1;
            self.term = 0;
        }
        false
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

/// The three kinds of Voikko terms of one word form.
struct WordTerms {
    words: Vec<String>,
    parts: Vec<String>,
    roots: Vec<String>,
}

/// Distinct word forms whose terms a thread keeps before it empties its memo.
const WORD_MEMO_LIMIT: usize = 200_000;

/// [`WordTerms`] of a lower-cased word, from this thread's memo when it was seen before: a
/// posting's words repeat across postings, and the memo spares the shared cache's lock and
/// building the three lists again.
fn word_terms(voikko: &Voikko, word: &str) -> std::rc::Rc<WordTerms> {
    type Memo =
        std::collections::HashMap<Box<str>, std::rc::Rc<WordTerms>, rustc_hash::FxBuildHasher>;
    thread_local! {
        static MEMO: std::cell::RefCell<Memo> = std::cell::RefCell::new(Memo::default());
    }
    MEMO.with(|cell| {
        if let Some(t) = cell.borrow().get(word) {
            return t.clone();
        }
        let a = voikko.analyse(word);
        let terms = std::rc::Rc::new(WordTerms {
            words: voikko_terms(&a, word, Terms::Bases),
            parts: voikko_terms(&a, word, Terms::Parts),
            roots: voikko_terms(&a, word, Terms::Roots),
        });
        let mut memo = cell.borrow_mut();
        if memo.len() >= WORD_MEMO_LIMIT {
            memo.clear();
        }
        memo.insert(word.into(), terms.clone());
        terms
    })
}

/// Runs `f` with this thread's base analyzer of `lang`: plain tokens (`voikko`) or stems.
fn with_base_analyzer<R>(lang: Lang, voikko: bool, f: impl FnOnce(&mut TextAnalyzer) -> R) -> R {
    thread_local! {
        static BASE: std::cell::RefCell<Vec<((Lang, bool), TextAnalyzer)>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }
    BASE.with(|cell| {
        let mut all = cell.borrow_mut();
        let i = match all.iter().position(|(k, _)| *k == (lang, voikko)) {
            Some(i) => i,
            None => {
                let analyzer = if voikko {
                    tokens(lang).build()
                } else {
                    stemmed(lang).build()
                };
                all.push(((lang, voikko), analyzer));
                all.len() - 1
            }
        };
        f(&mut all[i].1)
    })
}

/// Snowball's word family: a stem less its last letters (at least five kept), so that
/// "siivous", "siivooja" and "siivota" meet ("siivo").
#[derive(Clone)]
struct StemRoots;

/// The family key of a Snowball stem; `None` for short stems.
pub fn stem_root(stem: &str) -> Option<String> {
    let n = stem.chars().count();
    (n >= 5).then(|| stem.chars().take((n.saturating_sub(2)).max(5)).collect())
}

impl TokenFilter for VoikkoTerms {
    type Tokenizer<T: Tokenizer> = MapFilter<T, VoikkoTerms>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> Self::Tokenizer<T> {
        MapFilter {
            inner: tokenizer,
            map: self,
        }
    }
}

impl TokenFilter for StemRoots {
    type Tokenizer<T: Tokenizer> = MapFilter<T, StemRoots>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> Self::Tokenizer<T> {
        MapFilter {
            inner: tokenizer,
            map: self,
        }
    }
}

/// What a [`MapFilter`] makes of one token.
trait TermMap: Clone + Send + Sync + 'static {
    fn map(&self, word: &str) -> Vec<String>;

    /// `false` when the token is kept as it is, unmapped (cheaper than mapping it to itself).
    fn maps(&self, _word: &str) -> bool {
        true
    }

    /// `true` when an unmapped token keeps its place and offsets but not its text (for a
    /// reader that only asks whether a token is one of a few terms, never an empty one).
    fn blanks_unmapped(&self) -> bool {
        false
    }
}

impl TermMap for VoikkoTerms {
    fn map(&self, word: &str) -> Vec<String> {
        self.of(word)
    }
}

impl TermMap for StemRoots {
    fn map(&self, word: &str) -> Vec<String> {
        stem_root(word).into_iter().collect()
    }
}

/// A token filter that replaces each token by zero or more terms at its position.
#[derive(Clone)]
pub struct MapFilter<T, M> {
    inner: T,
    map: M,
}

impl<T: Tokenizer, M: TermMap> Tokenizer for MapFilter<T, M> {
    type TokenStream<'a> = MapStream<'a, T::TokenStream<'a>, M>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MapStream {
            tail: self.inner.token_stream(text),
            map: &self.map,
            pending: Vec::new(),
            current: Token::default(),
        }
    }
}

/// See [`MapFilter`].
pub struct MapStream<'a, S, M> {
    tail: S,
    map: &'a M,
    pending: Vec<Token>,
    current: Token,
}

impl<S: TokenStream, M: TermMap> TokenStream for MapStream<'_, S, M> {
    fn advance(&mut self) -> bool {
        loop {
            if let Some(t) = self.pending.pop() {
                self.current = t;
                return true;
            }
            if !self.tail.advance() {
                return false;
            }
            if !self.map.maps(&self.tail.token().text) {
                let token = self.tail.token();
                if self.map.blanks_unmapped() {
                    self.current.text.clear();
                    self.current.offset_from = token.offset_from;
                    self.current.offset_to = token.offset_to;
                    self.current.position = token.position;
                    self.current.position_length = token.position_length;
                } else {
                    // Reuses the current token's buffer: no allocation.
                    self.current.clone_from(token);
                }
                return true;
            }
            let token = self.tail.token();
            for term in self.map.map(&token.text).into_iter().rev() {
                let mut t = token.clone();
                t.text = term;
                self.pending.push(t);
            }
        }
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

/// Runs `analyzer` over `text` and returns the terms.
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

/// Appends `text` lower-cased as [`str::to_lowercase`] does, a run of ASCII at a time: an
/// ad's text is mostly ASCII with a letter such as "ä" every few words, which sends the
/// standard library's fast path to its per-character path for the rest of the text.
pub(crate) fn lowercase_into(text: &str, out: &mut String) {
    if text.contains('Σ') {
        // A final sigma lower-cases by its place in the word.
        out.push_str(&text.to_lowercase());
        return;
    }
    let mut rest = text;
    while !rest.is_empty() {
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        let start = out.len();
        out.push_str(&rest[..ascii]);
        out[start..].make_ascii_lowercase();
        rest = &rest[ascii..];
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            out.extend(c.to_lowercase());
            rest = chars.as_str();
        }
    }
}

/// Common short words of Finnish ads ([`detect_language`]).
const COMMON_FI: &[&str] = &[
    "ja",
    "on",
    "että",
    "tai",
    "sekä",
    "olet",
    "meillä",
    "sinulla",
    "kanssa",
    "voit",
    "haemme",
    "työ",
    "tehtävä",
    "jos",
    "ei",
    "myös",
    "työhön",
    "sinä",
    "olla",
    "hakemus",
];
/// Common short words of Swedish ads.
const COMMON_SV: &[&str] = &[
    "och", "att", "är", "som", "för", "med", "vi", "du", "till", "på", "av", "har", "söker",
    "eller", "inom", "arbete", "dig", "vår",
];
/// Common short words of English ads.
const COMMON_EN: &[&str] = &[
    "and", "the", "to", "of", "you", "we", "for", "with", "are", "our", "is", "your", "will", "in",
    "work", "as", "have", "be",
];

/// Guesses the language of an ad from its commonest short words. Ads without a stated language
/// are mostly Finnish, so Finnish wins ties.
pub fn detect_language(text: &str) -> Lang {
    let [fi, sv, en] = common_word_counts(text);
    if sv > fi && sv >= en {
        Lang::Sv
    } else if en > fi && en > sv {
        Lang::En
    } else {
        Lang::Fi
    }
}

/// How many of the first 600 words of `text` are common Finnish, Swedish and English words.
fn common_word_counts(text: &str) -> [usize; 3] {
    // Each listed word with a bit per list it is in (one look-up per word of the text).
    static LISTED: std::sync::OnceLock<std::collections::HashMap<&str, u8>> =
        std::sync::OnceLock::new();
    let listed = LISTED.get_or_init(|| {
        let mut listed = std::collections::HashMap::new();
        for (bit, list) in [COMMON_FI, COMMON_SV, COMMON_EN].into_iter().enumerate() {
            for w in list {
                *listed.entry(*w).or_insert(0u8) |= 1 << bit;
            }
        }
        listed
    });
    let (mut fi, mut sv, mut en) = (0usize, 0usize, 0usize);
    let mut lower = String::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(600)
    {
        lower.clear();
        lowercase_into(word, &mut lower);
        let bits = listed.get(lower.as_str()).copied().unwrap_or(0);
        fi += usize::from(bits & 1 != 0);
        sv += usize::from(bits & 2 != 0);
        en += usize::from(bits & 4 != 0);
    }
    [fi, sv, en]
}

/// The forms a query stem takes as the piece of a compound: itself, and for Finnish its weak
/// consonant grade, since a first part is often genitive ("trukki" -> "trukin|kuljettaja",
/// "katu" -> "kadun|varsi"). Forms shorter than the shortest indexed piece are dropped.
pub fn compound_forms(stem: &str, lang: Lang) -> Vec<String> {
    let mut forms = Vec::new();
    let chars: Vec<char> = stem.chars().collect();
    if chars.len() >= MIN_PART {
        forms.push(stem.to_string());
    }
    if lang == Lang::Fi {
        for weak in weak_grades(&chars) {
            if weak.chars().count() >= MIN_PART && !forms.contains(&weak) {
                forms.push(weak);
            }
        }
    }
    forms
}

/// Finnish consonant gradation, strong to weak, applied to the last consonant cluster before
/// the final vowel: kk->k, pp->p, tt->t, nk->ng, mp->mm, nt->nn, lt->ll, rt->rr, t->d, p->v.
fn weak_grades(chars: &[char]) -> Vec<String> {
    const RULES: &[(&str, &str)] = &[
        ("kk", "k"),
        ("pp", "p"),
        ("tt", "t"),
        ("nk", "ng"),
        ("mp", "mm"),
        ("nt", "nn"),
        ("lt", "ll"),
        ("rt", "rr"),
        ("t", "d"),
        ("p", "v"),
    ];
    // Look in the last syllable only: the part after the last vowel-consonant boundary.
    let is_vowel = |c: char| "aeiouyäö".contains(c);
    let Some(last_vowel_run_start) = chars.iter().rposition(|&c| !is_vowel(c)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (strong, weak) in RULES {
        let n = strong.chars().count();
        if last_vowel_run_start + 1 < n {
            continue;
        }
        let start = last_vowel_run_start + 1 - n;
        let cluster: String = chars[start..=last_vowel_run_start].iter().collect();
        if cluster == *strong && (start == 0 || !strong.starts_with(chars[start - 1])) {
            let prefix: String = chars[..start].iter().collect();
            let suffix: String = chars[last_vowel_run_start + 1..].iter().collect();
            out.push(format!("{prefix}{weak}{suffix}"));
            break;
        }
    }
    out
}

/// Token filter that replaces each long stem by the stem and its tails.
#[derive(Clone)]
pub struct CompoundParts;

impl TokenFilter for CompoundParts {
    type Tokenizer<T: Tokenizer> = MapFilter<T, CompoundParts>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> Self::Tokenizer<T> {
        MapFilter {
            inner: tokenizer,
            map: self,
        }
    }
}

impl TermMap for CompoundParts {
    fn map(&self, word: &str) -> Vec<String> {
        let bounds: Vec<usize> = word.char_indices().map(|(i, _)| i).collect();
        let n = bounds.len();
        if n < MIN_COMPOUND {
            return Vec::new();
        }
        std::iter::once(word.to_string())
            .chain(
                bounds[MIN_HEAD..=n - MIN_PART]
                    .iter()
                    .map(|&start| word[start..].to_string()),
            )
            .collect()
    }
}

#[cfg(test)]
mod lower_words_tests {
    use proptest::prelude::*;
    use tantivy::tokenizer::{LowerCaser, RemoveLongFilter, SimpleTokenizer};

    use super::*;

    /// Every token of `text`: text, offsets, position.
    fn all(mut analyzer: TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut out = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while let Some(t) = stream.next() {
            out.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
        }
        out
    }

    fn tantivys(text: &str) -> Vec<(String, usize, usize, usize)> {
        all(
            TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(LONGEST_WORD + 1))
                .filter(LowerCaser)
                .build(),
            text,
        )
    }

    fn ours(text: &str) -> Vec<(String, usize, usize, usize)> {
        all(TextAnalyzer::from(LowerWords), text)
    }

    #[test]
    fn lower_words_are_tantivys_tokens_on_known_texts() {
        let long = "a".repeat(LONGEST_WORD);
        let texts = [
            String::new(),
            "Työ alkaa HETI! Hae: keittiöapulainen/siivooja, 30–37,5 h/vko.".to_string(),
            format!("{long} {long}b {long}ä ÄÖÅ ΣΑΣ İstanbul ǅ ß ẞ 12€ a_b x-y"),
            "\u{0}\t\n   \u{200b}٣٤ ⅷ ＡＢＣ 😀ok".to_string(),
            "ÀÁÂ×ØÞß àÞþ÷ÿ µª²¼ HÄMEENLINNA Åland ÉTÉ Œuvre".to_string(),
        ];
        for text in texts {
            assert_eq!(ours(&text), tantivys(&text), "{text:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// The same tokens as tantivy's three stages, on any text: ASCII, Finnish letters,
        /// letters that lower-case to several characters, and anything else Unicode holds.
        #[test]
        fn lower_words_are_tantivys_tokens(
            text in prop_oneof![
                "[a-zA-Z0-9äöåÄÖÅ .,:;/()\\-]{0,200}",
                "[a-zÄİΣẞǅ]{40,60}( [A-Zäö]{40,52}){0,3}",
                "\\PC{0,120}",
                any::<String>(),
            ]
        ) {
            prop_assert_eq!(ours(&text), tantivys(&text));
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn stem(word: &str) -> String {
        terms(&mut words(Lang::Fi), word).join(" ")
    }

    /// Descriptions the snippet tests cut: matches in inflected and compound forms, none, and
    /// an empty text.
    pub(crate) const SNIPPET_TEXTS: [&str; 4] = [
        "Haemme keittiöapulaista ravintolaamme Helsingin keskustaan. Työ on osa-aikaista, \
         ja siihen kuuluu astioiden pesua, siivousta ja avustamista keittiössä. Kokemus \
         keittiötyöstä on eduksi, mutta ei välttämätöntä. Keittiöapulaisen tehtäviin \
         perehdytetään. Tarjoamme mukavan työyhteisön ja joustavat työajat.",
        "Kaupan alan myyjä asiakaspalveluun. Myyjän työ sisältää kassatyötä, hyllytystä \
         ja asiakkaiden palvelua. Tukea saat kokeneelta tiimiltä, ja tuen tarve \
         huomioidaan perehdytyksessä. Myymälä sijaitsee Espoossa.",
        "",
        "Ei yhtään osumaa tässä tekstissä, vain muita sanoja ja numeroita 123 456.",
    ];

    /// The snippets cut with [`snippet_words`] (words holding no key of the query's terms
    /// analysed not at all, and passed on without their text) are those the full Voikko word
    /// analyzer cuts: the same passage, the same words marked.
    #[test]
    fn snippet_words_cut_what_the_full_analyzer_cuts() {
        use tantivy::schema::Field;
        use tantivy::snippet::SnippetGenerator;
        if super::Voikko::for_tests().is_none() {
            return;
        }
        let texts = SNIPPET_TEXTS;
        let queries: [&[&str]; 4] = [
            &["keittiöapulainen", "keittiö"],
            &["myyjä", "kauppa", "tuki"],
            &["siivous", "työaika"],
            &["espoo", "asiakaspalvelu", "kassa"],
        ];
        let [full, _, _] = analyzers(Lang::Fi, Analyser::Voikko);
        let mut marked = 0;
        for terms in queries {
            let terms: Vec<String> = terms.iter().map(|t| t.to_string()).collect();
            let scores: std::collections::BTreeMap<String, f32> = terms
                .iter()
                .enumerate()
                .map(|(i, t)| (t.clone(), 1.0 / (2.0 + i as f32)))
                .collect();
            let cheap = snippet_words(Lang::Fi, Analyser::Voikko, &terms).expect("Voikko");
            let field = Field::from_field_id(0);
            let a = SnippetGenerator::new(scores.clone(), full.clone(), field, 150);
            let b = SnippetGenerator::new(scores, cheap, field, 150);
            for text in texts {
                let (x, y) = (a.snippet(text), b.snippet(text));
                assert_eq!(x.fragment(), y.fragment(), "{terms:?} in {text:?}");
                assert_eq!(x.highlighted(), y.highlighted(), "{terms:?} in {text:?}");
                marked += x.highlighted().len();
            }
        }
        // The words are found at all: the test compares marked passages, not empty ones.
        assert!(marked >= 8, "only {marked} words marked");
    }

    #[test]
    fn finnish_inflections_meet() {
        assert_eq!(stem("siivoojaa"), stem("siivooja"));
        assert_eq!(stem("siivoojan"), stem("siivooja"));
        assert_eq!(stem("varastossa"), stem("varasto"));
    }

    /// Whether a prefix query for one of the forms of `query` finds `word` in the parts field.
    fn part_matches(query: &str, word: &str) -> bool {
        let tails = terms(&mut parts(Lang::Fi), word);
        let forms = compound_forms(&stem(query), Lang::Fi);
        forms
            .iter()
            .any(|f| tails.iter().any(|t| t.starts_with(f.as_str())))
    }

    #[test]
    fn every_part_of_a_compound_is_reachable() {
        assert!(part_matches("varasto", "varastotyöntekijälle"));
        assert!(part_matches("työntekijä", "varastotyöntekijälle"));
        assert!(part_matches("kuljettaja", "trukinkuljettaja"));
    }

    #[test]
    fn genitive_first_part_is_reached_through_gradation() {
        assert!(part_matches("trukki", "trukinkuljettaja"));
        assert!(part_matches("trukki", "vastapainotrukinkuljettaja"));
    }

    #[test]
    fn unrelated_words_do_not_match() {
        assert!(!part_matches("siivooja", "varastotyöntekijä"));
    }

    #[test]
    fn short_words_are_not_cut() {
        assert!(terms(&mut parts(Lang::Fi), "työ kone").is_empty());
    }

    /// (text, position, offsets) of every token, to compare two analyses token for token.
    fn tokens_of(tokens: &[Token]) -> Vec<(String, usize, usize, usize)> {
        tokens
            .iter()
            .map(|t| (t.text.clone(), t.position, t.offset_from, t.offset_to))
            .collect()
    }

    fn analysed(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut out = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while let Some(t) = stream.next() {
            out.push((t.text.clone(), t.position, t.offset_from, t.offset_to));
        }
        out
    }

    /// One pass gives what the three registered analyzers give, for every language and both
    /// Finnish analysers (Voikko where it is installed).
    #[test]
    fn one_pass_equals_the_three_analyzers() {
        let texts = [
            (
                Lang::Fi,
                "Haemme varastotyöntekijöitä ja trukinkuljettajaa Tampereelle; \
              hitsaus, siivoojan työt, CE-kortti, 3-vuorotyö ja asiakaspalvelutehtävät.",
            ),
            (
                Lang::Sv,
                "Vi söker lagerarbetare och truckförare till vårt team i Vasa.",
            ),
            (
                Lang::En,
                "We are looking for warehouse workers and forklift drivers in Espoo.",
            ),
        ];
        let mut analysers = vec![Analyser::Snowball];
        if Voikko::for_tests().is_some() {
            analysers.push(Analyser::Voikko);
        }
        for analyser in analysers {
            for (lang, text) in texts {
                let [mut w, mut p, mut r] = analyzers(lang, analyser);
                let once = std::rc::Rc::new(analyse_once(lang, analyser, text));
                assert!(!once.is_empty());
                for (kind, plain) in [
                    (FieldKind::Words, &mut w),
                    (FieldKind::Parts, &mut p),
                    (FieldKind::Roots, &mut r),
                ] {
                    let mut stream = TokensOf::new(once.clone(), kind);
                    let mut tokens = Vec::new();
                    while let Some(t) = stream.next() {
                        tokens.push(t.clone());
                    }
                    assert_eq!(tokens_of(&tokens), analysed(plain, text));
                }
                // The writer's analyzers, in the writer's order (every text for words, then
                // for parts, then for roots) and again: each gives its kind's terms.
                let mut index =
                    [FieldKind::Words, FieldKind::Parts, FieldKind::Roots].map(|kind| {
                        TextAnalyzer::from(IndexAnalyzer {
                            lang,
                            analyser,
                            kind,
                        })
                    });
                for _ in 0..2 {
                    for (analyzer, plain) in index.iter_mut().zip([&mut w, &mut p, &mut r]) {
                        for text in [text, "Toinen teksti: siivooja ja kokki."] {
                            assert_eq!(analysed(analyzer, text), analysed(plain, text));
                        }
                    }
                }
            }
        }
    }

    /// [`common_word_counts`] computed the plain way: every word lower-cased on its own and
    /// looked for in each list.
    fn common_word_counts_plainly(text: &str) -> [usize; 3] {
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .take(600)
            .map(str::to_lowercase)
            .collect();
        [COMMON_FI, COMMON_SV, COMMON_EN]
            .map(|list| words.iter().filter(|w| list.contains(&w.as_str())).count())
    }

    #[test]
    fn language_detection_counts_as_the_plain_way() {
        let texts = [
            "JA ON Och ATT and THE Työ TYÖHÖN söker SÖKER",
            "Vi söker och du är för oss, and the work is ours to do",
            "ΣΟΦΊΑ och ΣΟΦΊΑΣ på av, İstanbul and the to of",
            "We are looking for you and we will be in work as you have",
            "",
            "ja ja ja och och och and and and",
        ];
        for text in texts {
            assert_eq!(
                common_word_counts(text),
                common_word_counts_plainly(text),
                "{text}"
            );
        }
        // Beyond the 600th word nothing counts.
        let long = format!("{} {}", "sana ".repeat(600), "och att är som för med");
        assert_eq!(common_word_counts(&long), [0, 0, 0]);
        assert_eq!(detect_language(&long), Lang::Fi);
    }

    #[test]
    fn text_is_lower_cased_as_the_standard_library_does() {
        for text in [
            "",
            "YÖTYÖ ja VUOROTYÖ, Ärrä-Östen",
            "Ä",
            "plain ascii ONLY",
            "İstanbul ǅemal ΣΟΦΙΑΣ Σ",
            "Åbo Akademi ÉTÉ straße STRASSE ﬁ",
        ] {
            let mut lower = String::from("kept ");
            lowercase_into(text, &mut lower);
            assert_eq!(lower, format!("kept {}", text.to_lowercase()), "{text}");
        }
    }

    #[test]
    fn language_is_detected_from_common_words() {
        assert_eq!(
            detect_language("Vi söker en lagerarbetare till vårt team och du är"),
            Lang::Sv
        );
        assert_eq!(
            detect_language("We are looking for a warehouse worker to join our team"),
            Lang::En
        );
        assert_eq!(
            detect_language("Haemme varastotyöntekijää ja sinulla on kokemusta"),
            Lang::Fi
        );
    }
}
