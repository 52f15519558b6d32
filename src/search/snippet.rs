//! Snippets: the passage of a hit's description where the query's words are, with those words
//! marked.
//!
//! [`Cutter`] finds the passage the way tantivy's `SnippetGenerator` does (the same passage, the
//! same words marked, the same HTML; unit tests hold them to it) over the words analyzer of the
//! hit's language, without the generator's per-word costs: the generator lower-cases and
//! allocates a copy of every word of the text and looks each up in an ordered map, and clones
//! its analyzer for every hit; built with [`tantivy::snippet::SnippetGenerator::create`] it
//! also analyses through the index writer's analyzer, which works out every word's compound
//! parts and word family as well. Here the analyzer is the words analyzer alone
//! ([`super::analysis::snippet_words`] under Voikko, the language's stemmer otherwise), a word
//! the analyzer passed on blank (it holds no key of the query's terms) is not looked up at all,
//! the analyzer is reused, and only the best passage so far is kept.

use std::collections::HashMap;
use std::ops::Range;

use tantivy::tokenizer::TextAnalyzer;

/// A snippet: the passage as text, and as HTML with the matched words in `<b>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cut {
    pub text: String,
    pub html: String,
}

/// What cuts the snippets of one language of a search (see the module's note).
pub struct Cutter {
    analyzer: TextAnalyzer,
    scores: HashMap<String, f32>,
    max_chars: usize,
}

/// A candidate passage: from the first word's start to the last word's end.
struct Fragment {
    score: f32,
    start: usize,
    stop: usize,
    marks: Vec<Range<usize>>,
}

impl Fragment {
    fn at(start: usize) -> Self {
        Fragment {
            score: 0.0,
            start,
            stop: start,
            marks: Vec::new(),
        }
    }
}

impl Cutter {
    /// `scores`: each term's weight in a passage (tantivy's: 1 / (1 + document frequency));
    /// `max_chars`: the longest passage, in bytes from its first word's start to its last
    /// word's end (as tantivy counts).
    pub fn new(
        scores: impl IntoIterator<Item = (String, f32)>,
        analyzer: TextAnalyzer,
        max_chars: usize,
    ) -> Self {
        Cutter {
            analyzer,
            scores: scores.into_iter().collect(),
            max_chars,
        }
    }

    /// The passage with the highest sum of its words' scores (the first of equals), cut where
    /// the next word would end more than `max_chars` after the passage's start; `None` when no
    /// word of the query is in `text`.
    pub fn cut(&mut self, text: &str) -> Option<Cut> {
        let mut best: Option<Fragment> = None;
        let mut keep = |fragment: Fragment| {
            if fragment.score > 0.0 && best.as_ref().is_none_or(|b| fragment.score > b.score) {
                best = Some(fragment);
            }
        };
        let mut fragment = Fragment::at(0);
        let mut stream = self.analyzer.token_stream(text);
        while let Some(token) = stream.next() {
            if token.offset_to - fragment.start > self.max_chars {
                keep(std::mem::replace(
                    &mut fragment,
                    Fragment::at(token.offset_from),
                ));
            }
            fragment.stop = token.offset_to;
            if token.text.is_empty() {
                continue;
            }
            let score = if token.text.chars().any(char::is_uppercase) {
                self.scores.get(&token.text.to_lowercase())
            } else {
                self.scores.get(&token.text)
            };
            if let Some(&score) = score {
                fragment.score += score;
                fragment.marks.push(token.offset_from..token.offset_to);
            }
        }
        keep(fragment);
        let best = best?;
        let passage = &text[best.start..best.stop];
        // In the order of the text; a word with several matching base forms is marked once
        // for each, and the marks are merged.
        let marks: Vec<Range<usize>> = best
            .marks
            .iter()
            .map(|m| m.start - best.start..m.end - best.start)
            .collect();
        let mut html = String::with_capacity(passage.len() + 16 * marks.len());
        let mut from = 0;
        for mark in merged(&marks) {
            escape_into(&passage[from..mark.start], &mut html);
            html.push_str("<b>");
            escape_into(&passage[mark.clone()], &mut html);
            html.push_str("</b>");
            from = mark.end;
        }
        escape_into(&passage[from..], &mut html);
        Some(Cut {
            text: passage.to_string(),
            html,
        })
    }
}

/// Ranges in order of their start with the overlapping (and equal) ones merged; touching ones
/// stay apart.
fn merged(ranges: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if last.end > r.start => last.end = last.end.max(r.end),
            _ => out.push(r.clone()),
        }
    }
    out
}

/// Appends `s` with `& < > " '` as entities, as tantivy's snippets write them.
fn escape_into(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::io::BufRead;

    use tantivy::schema::Field;
    use tantivy::snippet::SnippetGenerator;
    use tantivy::tokenizer::TextAnalyzer;

    use super::{Cut, Cutter};
    use crate::search::analysis::tests::SNIPPET_TEXTS;
    use crate::search::analysis::{
        analyzers, detect_language, snippet_words, terms, words, Analyser, Lang,
    };

    /// The descriptions of the 1,000 real ads of `../shared/data`, and the coaches' queries of
    /// the shared performance set; in CI both must be there.
    fn ads_and_queries() -> Option<(Vec<String>, Vec<String>)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let ads = root.join("shared/data/job_ads/duunitori_2022_1000.jsonl.gz");
        let queries = root.join("shared/perf/queries.txt");
        if !ads.exists() || !queries.exists() {
            assert!(
                std::env::var_os("CI").is_none(),
                "{} and {} must be there in CI",
                ads.display(),
                queries.display()
            );
            eprintln!("NOTICE: no ../shared data here; snippets checked on the inline texts only");
            return None;
        }
        let gz = flate2::read::GzDecoder::new(std::fs::File::open(&ads).expect("ads"));
        let texts = std::io::BufReader::new(gz)
            .lines()
            .map(|l| l.expect("ads line"))
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(&l).ok())
            .filter_map(|v| v.get("descr")?.as_str().map(str::to_string))
            .collect();
        let queries = std::fs::read_to_string(&queries)
            .expect("queries")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect();
        Some((texts, queries))
    }

    fn tantivy_cut(g: &SnippetGenerator, text: &str) -> Option<Cut> {
        let s = g.snippet(text);
        (!s.fragment().is_empty()).then(|| Cut {
            text: s.fragment().to_string(),
            html: s.to_html(),
        })
    }

    /// Asserts that the cutter over `analyzer` gives what tantivy's generator over it gives
    /// for the query `words` on each of `texts`: the same passage, the same HTML, or none;
    /// with weighted terms and with equal ones (the first of equal passages wins). Returns the
    /// passages cut and the words marked in them.
    fn same_cuts(
        analyzer: &TextAnalyzer,
        words: &[String],
        texts: &[String],
        query: &str,
    ) -> (usize, usize) {
        let (mut cut, mut marked) = (0, 0);
        for equal in [false, true] {
            let scores: BTreeMap<String, f32> = words
                .iter()
                .enumerate()
                .map(|(i, t)| (t.clone(), if equal { 1.0 } else { 1.0 / (2.0 + i as f32) }))
                .collect();
            let g = SnippetGenerator::new(
                scores.clone(),
                analyzer.clone(),
                Field::from_field_id(0),
                150,
            );
            let mut c = Cutter::new(scores, analyzer.clone(), 150);
            for text in texts {
                let (want, got) = (tantivy_cut(&g, text), c.cut(text));
                assert_eq!(got, want, "{query:?} in {text:?}");
                if let Some(c) = got {
                    cut += 1;
                    marked += c.html.matches("<b>").count();
                }
            }
        }
        (cut, marked)
    }

    /// The query's distinct terms under `analyzer`.
    fn query_terms(analyzer: &mut TextAnalyzer, q: &str) -> Vec<String> {
        let mut t = terms(analyzer, q);
        t.sort_unstable();
        t.dedup();
        t
    }

    /// Finnish under Voikko: the cutter over [`snippet_words`]' analyzer gives what tantivy's
    /// generator gives over it, on real ads and the coaches' queries.
    #[test]
    fn voikko_cuts_what_tantivys_generator_cuts() {
        if crate::search::voikko::Voikko::for_tests().is_none() {
            return;
        }
        let mut texts: Vec<String> = SNIPPET_TEXTS.iter().map(|t| t.to_string()).collect();
        texts.push("Myyjä <b>heti</b> & \"kassa\" 'tuki': Kaupan alan myyjä Espoossa.".into());
        texts.push("Siivooja".into());
        let mut queries: Vec<String> = [
            "keittiöapulainen keittiö",
            "myyjä kauppa tuki",
            "siivooja",
            "espoo kassa helsinki",
        ]
        .iter()
        .map(|q| q.to_string())
        .collect();
        if let Some((ads, more)) = ads_and_queries() {
            texts.extend(ads.into_iter().take(150));
            queries.extend(more.into_iter().step_by(5));
        }
        let [mut full, _, _] = analyzers(Lang::Fi, Analyser::Voikko);
        let (mut cut, mut marked) = (0, 0);
        for q in &queries {
            let words = query_terms(&mut full, q);
            let Some(analyzer) = snippet_words(Lang::Fi, Analyser::Voikko, &words) else {
                panic!("Voikko is here: the cheap analyzer must be too");
            };
            let (c, m) = same_cuts(&analyzer, &words, &texts, q);
            (cut, marked) = (cut + c, marked + m);
        }
        // The words are found at all: the test compares marked passages, not only empty ones.
        assert!(cut >= 8 && marked >= 8, "{cut} passages, {marked} marks");
    }

    /// Swedish, English, and Finnish without Voikko: the cutter over the language's stemmed
    /// words analyzer (the index's words terms) gives what tantivy's generator gives over it,
    /// on the real ads of that language and the coaches' queries.
    #[test]
    fn stemmed_cuts_what_tantivys_generator_cuts() {
        let mut texts: Vec<String> = vec![
            "Cleaner wanted: cleaning of offices & warehouses in Helsinki, \"flexible\" hours."
                .into(),
            "Vi söker en barnskötare och lärare till vår förskola i Vasa.".into(),
            "Siivooja siivoamaan toimistoja Helsingissä.".into(),
        ];
        let mut queries: Vec<String> = [
            "cleaner",
            "warehouse worker",
            "barnskötare lärare",
            "siivooja",
        ]
        .iter()
        .map(|q| q.to_string())
        .collect();
        if let Some((ads, more)) = ads_and_queries() {
            // Every Swedish and English ad, and a few Finnish ones.
            let mut finnish = 0;
            for ad in ads {
                if detect_language(&ad) != Lang::Fi {
                    texts.push(ad);
                } else if finnish < 20 {
                    finnish += 1;
                    texts.push(ad);
                }
            }
            queries.extend(more.into_iter().step_by(10));
        }
        for lang in [Lang::Sv, Lang::En, Lang::Fi] {
            let mut analyzer = words(lang);
            let (mut cut, mut marked) = (0, 0);
            for q in &queries {
                let terms = query_terms(&mut analyzer, q);
                let (c, m) = same_cuts(&analyzer, &terms, &texts, q);
                (cut, marked) = (cut + c, marked + m);
            }
            assert!(
                cut >= 8 && marked >= 8,
                "{lang:?}: {cut} passages, {marked} marks"
            );
        }
    }
}
