//! Occupations: the ESCO/ISCO-08 taxonomy with its Finnish, Swedish and English labels, and
//! the classifier that reads occupations from a text (a posting's title and description, or a
//! client's wish in any of the three languages).
//!
//! The classifier matches the text's words, analysed as the index analyses them (Voikko base
//! forms and compound heads, or Snowball stems), against the labels of every ESCO occupation
//! and ISCO-08 unit group. A label names its occupation by its head, the last word before any
//! specification ("ammatillinen **opettaja**, hotelli- ja ravintola-ala", "varasto**työntekijä**"),
//! so a word that is a label's head counts most, a compound head of it ("kuljettaja" in
//! "kuorma-autonkuljettaja") less, and the label's other words least; words that head many
//! labels ("työntekijä", "asiantuntija") count less than rare ones. Scores are gathered per ISCO
//! unit group, and each group is named by its best-fitting ESCO occupation.
//!
//! Nothing here is tuned on the labelled test ads (`tests/fixtures/occupation-labels.json`).

use std::collections::HashMap;

use tantivy::tokenizer::TextAnalyzer;

use crate::search::analysis::{analyzers, terms, voikko_query_terms, Analyser, Lang};
use crate::store::OccupationRow;

pub use crate::domain::OccupationGuess;
use crate::domain::{TaskDraft, VacancyDraft};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// The word that names the occupation.
    Head,
    /// A compound head of it ("kuljettaja" of "kuorma-autonkuljettaja").
    HeadPart,
    /// A word of the same family as the head ("hitsata" for "hitsaaja"), by Voikko's roots.
    HeadRoot,
    /// Any other word of the label.
    Other,
}

impl Role {
    fn weight(self) -> f64 {
        match self {
            Role::Head => 3.0,
            Role::HeadPart => 1.5,
            Role::HeadRoot => 1.2,
            Role::Other => 0.6,
        }
    }
}

#[derive(Debug, Clone)]
struct Entry {
    code: String,
    group: String,
    label_fi: String,
    label_sv: String,
    label_en: String,
}

/// Words of descriptions beyond this many characters are not read.
const TEXT_CHARS: usize = 800;
/// Weight of a description word against a title word.
const TEXT_WEIGHT: f64 = 0.15;

/// The taxonomy and its classifier. Built once from the `occupations` table.
pub struct Occupations {
    entries: Vec<Entry>,
    /// Term -> (entry, label number, role).
    postings: HashMap<String, Vec<(u32, u8, Role)>>,
    /// In how many labels each term stands (for its weight).
    spread: HashMap<String, usize>,
    by_code: HashMap<String, u32>,
    analyser: Analyser,
}

impl std::fmt::Debug for Occupations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Occupations")
            .field("entries", &self.entries.len())
            .finish()
    }
}

/// The analysed forms of one word: what it is (base forms or stem) and its compound heads.
struct Forms {
    bases: Vec<String>,
    tails: Vec<String>,
    modifiers: Vec<String>,
    /// Word-family roots (Voikko only).
    roots: Vec<String>,
}

thread_local! {
    /// One set of analyzers per thread: building them costs far more than classifying a title.
    static ANALYSIS: std::cell::RefCell<Option<Analysis>> = const { std::cell::RefCell::new(None) };
}

struct Analysis {
    analyser: Analyser,
    words: HashMap<Lang, TextAnalyzer>,
}

impl Analysis {
    fn new(analyser: Analyser) -> Self {
        let words = Lang::ALL
            .iter()
            .map(|&l| {
                let [w, _, _] = analyzers(l, analyser);
                (l, w)
            })
            .collect();
        Self { analyser, words }
    }

    /// Lower-cased words of `text` with their forms in `lang`; stop words dropped.
    fn words(&mut self, lang: Lang, text: &str) -> Vec<Forms> {
        self.aligned(lang, text).into_iter().flatten().collect()
    }

    /// [`Analysis::words`] with `None` for each stop word, so that every language's list has
    /// one item per word of the text.
    fn aligned(&mut self, lang: Lang, text: &str) -> Vec<Option<Forms>> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| {
                let w = w.to_lowercase();
                if lang == Lang::Fi && self.analyser == Analyser::Voikko {
                    if let Some(q) = voikko_query_terms(&w) {
                        return (!q.bases.is_empty()).then_some(Forms {
                            bases: q.bases,
                            tails: q.tails,
                            modifiers: q.modifiers,
                            roots: q.roots,
                        });
                    }
                }
                let analyzer = self.words.get_mut(&lang).expect("every language");
                let bases = terms(analyzer, &w);
                (!bases.is_empty()).then_some(Forms {
                    bases,
                    tails: Vec::new(),
                    modifiers: Vec::new(),
                    roots: Vec::new(),
                })
            })
            .collect()
    }
}

/// The forms of word `i` in every language's analysis, merged; `None` when it is a stop word
/// in any of them ("ja", "och", "the").
fn merged(per_lang: &[Vec<Option<Forms>>], i: usize) -> Option<Forms> {
    let mut out = Forms {
        bases: Vec::new(),
        tails: Vec::new(),
        modifiers: Vec::new(),
        roots: Vec::new(),
    };
    for forms in per_lang.iter() {
        let forms = forms.get(i)?.as_ref()?;
        for b in &forms.bases {
            if !out.bases.contains(b) {
                out.bases.push(b.clone());
            }
        }
        for t in &forms.tails {
            if !out.tails.contains(t) {
                out.tails.push(t.clone());
            }
        }
        for m in &forms.modifiers {
            if !out.modifiers.contains(m) {
                out.modifiers.push(m.clone());
            }
        }
        for r in &forms.roots {
            if !out.roots.contains(r) {
                out.roots.push(r.clone());
            }
        }
    }
    Some(out)
}

/// The part of a label that names the occupation: before any comma or parenthesis.
fn label_core(label: &str) -> &str {
    label.split([',', '(']).next().unwrap_or(label)
}

impl Occupations {
    /// The taxonomy of `rows` (ESCO occupations and ISCO-08 unit groups), analysed with
    /// `analyser`. Empty rows give an empty taxonomy that reads nothing.
    pub fn new(rows: &[OccupationRow], analyser: Analyser) -> Self {
        let mut a = Analysis::new(analyser);
        let entries: Vec<Entry> = rows
            .iter()
            .filter(|r| r.concept_type == "occupation" || r.code.len() == 4)
            .map(|r| Entry {
                code: r.code.clone(),
                group: r.isco_group.clone(),
                label_fi: r.label_fi.clone(),
                label_sv: r.label_sv.clone(),
                label_en: r.label_en.clone(),
            })
            .collect();
        let mut postings: HashMap<String, Vec<(u32, u8, Role)>> = HashMap::new();
        let mut spread: HashMap<String, usize> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            for (n, (lang, label)) in [
                (Lang::Fi, &e.label_fi),
                (Lang::Sv, &e.label_sv),
                (Lang::En, &e.label_en),
            ]
            .into_iter()
            .enumerate()
            {
                let words = a.words(lang, label_core(label));
                let Some(head) = words.last() else {
                    continue;
                };
                // Every other word of the label, its specification included ("myyjä,
                // puhelin- ja asiakaspalvelukeskus").
                let mut others = a.words(lang, label);
                if let Some(at) = others.iter().position(|w| w.bases == head.bases) {
                    others.remove(at);
                }
                let mut add = |term: &String, role: Role| {
                    let list = postings.entry(term.clone()).or_default();
                    if !list.iter().any(|p| p.0 == i as u32 && p.1 == n as u8) {
                        list.push((i as u32, n as u8, role));
                        *spread.entry(term.clone()).or_default() += 1;
                    }
                };
                for b in &head.bases {
                    add(b, Role::Head);
                }
                for t in &head.tails {
                    add(t, Role::HeadPart);
                }
                for r in &head.roots {
                    add(r, Role::HeadRoot);
                }
                for w in &others {
                    for b in &w.bases {
                        add(b, Role::Other);
                    }
                }
            }
        }
        let by_code = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.code.clone(), i as u32))
            .collect();
        Self {
            entries,
            postings,
            spread,
            by_code,
            analyser,
        }
    }

    /// An empty taxonomy: reads no occupation.
    pub fn empty() -> Self {
        Self::new(&[], Analyser::Snowball)
    }

    /// Whether the taxonomy is empty (not imported).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Number of occupations and unit groups.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The label of an ESCO occupation or ISCO-08 group in `lang` (`fi`, `sv`, `en`).
    pub fn label(&self, code: &str, lang: &str) -> Option<&str> {
        let e = &self.entries[*self.by_code.get(code)? as usize];
        Some(match lang {
            "sv" => &e.label_sv,
            "en" => &e.label_en,
            _ => &e.label_fi,
        })
    }

    /// The occupations of a posting: the given code with confidence 1, or up to three read
    /// from its title (mostly) and description.
    pub fn of_posting(
        &self,
        given: Option<&str>,
        title: &str,
        description: &str,
    ) -> Vec<OccupationGuess> {
        if let Some(code) = given.filter(|c| !c.trim().is_empty()) {
            let label = self
                .label(code, "fi")
                .or_else(|| self.label(code.split('.').next().unwrap_or(code), "fi"))
                .unwrap_or(code);
            return vec![OccupationGuess {
                code: code.to_string(),
                label: label.to_string(),
                confidence: 1.0,
            }];
        }
        let end = description
            .char_indices()
            .nth(TEXT_CHARS)
            .map_or(description.len(), |(at, _)| at);
        self.classify(&[(title, 1.0), (&description[..end], TEXT_WEIGHT)], 3)
    }

    /// Fills a vacancy's occupations.
    pub fn fill_vacancy(&self, d: &mut VacancyDraft) {
        d.occupations = self.of_posting(
            d.occupation_code.as_ref().map(|c| c.as_str()),
            &d.title,
            &d.description,
        );
    }

    /// Fills a task's occupations.
    pub fn fill_task(&self, d: &mut TaskDraft) {
        d.occupations = self.of_posting(None, &d.title, &d.description);
    }

    /// The occupations a client's words name, in whichever of fi / sv / en they are written.
    pub fn of_wish(&self, words: &str) -> Vec<OccupationGuess> {
        self.classify(&[(words, 1.0)], 3)
    }

    /// Up to `k` ISCO groups that `texts` (each with its weight) name, best first, each as its
    /// best-fitting occupation.
    pub fn classify(&self, texts: &[(&str, f64)], k: usize) -> Vec<OccupationGuess> {
        if self.entries.is_empty() {
            return Vec::new();
        }
        ANALYSIS.with(|cell| {
            let mut cell = cell.borrow_mut();
            if cell.as_ref().is_none_or(|a| a.analyser != self.analyser) {
                *cell = Some(Analysis::new(self.analyser));
            }
            self.classify_with(cell.as_mut().expect("just set"), texts, k)
        })
    }

    fn classify_with(
        &self,
        a: &mut Analysis,
        texts: &[(&str, f64)],
        k: usize,
    ) -> Vec<OccupationGuess> {
        // (entry, label) -> (score, label words matched, whether the label's head was met)
        let mut scores: HashMap<(u32, u8), (f64, u32, bool)> = HashMap::new();
        for (i, (text, weight)) in texts.iter().enumerate() {
            // Beyond the first text (a title, a wish) only a label's head counts: a long
            // description shares its other words with too many labels.
            let heads_only = i > 0;
            // Each word in every language's analysis at once, so that a word counts once.
            let per_lang: Vec<Vec<Option<Forms>>> =
                Lang::ALL.iter().map(|&l| a.aligned(l, text)).collect();
            let n_words = per_lang.iter().map(Vec::len).max().unwrap_or(0);
            {
                for word in (0..n_words).filter_map(|i| merged(&per_lang, i)) {
                    // The best role this word plays in each label.
                    let mut best: HashMap<(u32, u8), (f64, bool)> = HashMap::new();
                    // `part`: 0 the word itself, 1 a compound tail of it, 2 a modifier of it, 3
                    // its word-family root.
                    let mut look = |term: &String, part: u8| {
                        for &(e, n, role) in self.postings.get(term).into_iter().flatten() {
                            let role = match (role, part) {
                                (_, 2) => Role::Other,
                                (Role::Head, 1) => Role::HeadPart,
                                (Role::Head | Role::HeadRoot, 3) => Role::HeadRoot,
                                (_, 3) => continue,
                                (r, _) => r,
                            };
                            if heads_only && role == Role::Other {
                                continue;
                            }
                            let spread = self.spread.get(term).copied().unwrap_or(1) as f64;
                            let w = role.weight() / (1.0 + spread.ln_1p());
                            let slot = best.entry((e, n)).or_default();
                            slot.0 = slot.0.max(w);
                            slot.1 |= role != Role::Other;
                        }
                    };
                    for b in &word.bases {
                        look(b, 0);
                    }
                    for t in &word.tails {
                        look(t, 1);
                    }
                    for m in &word.modifiers {
                        look(m, 2);
                    }
                    for r in &word.roots {
                        look(r, 3);
                    }
                    for (key, (w, head)) in best {
                        let s = scores.entry(key).or_default();
                        s.0 += w * weight;
                        // Coverage of the label counts the first text's words only.
                        s.1 += u32::from(i == 0);
                        s.2 |= head;
                    }
                }
            }
        }
        // Per entry: its best label, scaled by how much of the label the text covers.
        // A group is as good as its best occupation, with some support from the others that
        // fit (a word that heads several occupations of one group names that group).
        let mut by_group: HashMap<&str, (f64, u32, f64)> = HashMap::new();
        for ((e, n), (score, matched, head)) in scores {
            // A label whose head the text never names is not what the text is about.
            if !head {
                continue;
            }
            let words = self.postings_len(e, n).max(1);
            let coverage = (matched as f64 / words as f64).min(1.0);
            let s = score * (0.5 + 0.5 * coverage);
            let group = self.entries[e as usize].group.as_str();
            let slot = by_group.entry(group).or_insert((0.0, e, 0.0));
            slot.2 += s;
            if s > slot.0
                || (s == slot.0
                    && self.entries[e as usize].code < self.entries[slot.1 as usize].code)
            {
                slot.0 = s;
                slot.1 = e;
            }
        }
        let mut groups: Vec<(f64, u32)> = by_group
            .into_values()
            .filter(|g| g.0 > 0.0)
            .map(|(best, e, sum)| (best + 0.25 * (sum - best).min(best), e))
            .collect();
        groups.sort_by(|a, b| {
            b.0.total_cmp(&a.0).then_with(|| {
                self.entries[a.1 as usize]
                    .code
                    .cmp(&self.entries[b.1 as usize].code)
            })
        });
        let top: f64 = groups.iter().take(5).map(|g| g.0).sum();
        let strength = groups.first().map_or(0.0, |g| (g.0 / 1.0).min(1.0));
        groups
            .into_iter()
            .take(k)
            .map(|(s, e)| {
                let entry = &self.entries[e as usize];
                OccupationGuess {
                    code: entry.code.clone(),
                    label: entry.label_fi.clone(),
                    confidence: ((s / top) * strength * 1000.0).round() / 1000.0,
                }
            })
            .filter(|g| g.confidence > 0.0)
            .collect()
    }

    /// Words in label `n` of entry `e`.
    fn postings_len(&self, e: u32, n: u8) -> u32 {
        // Stored with every posting of the label; any one tells.
        let entry = &self.entries[e as usize];
        let label = match n {
            0 => &entry.label_fi,
            1 => &entry.label_sv,
            _ => &entry.label_en,
        };
        label_core(label)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() > 2)
            .count() as u32
    }
}
