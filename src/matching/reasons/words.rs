//! A client's text as the words they wrote, each with its analysed terms, so that a reason
//! can name "puutarhassa" rather than the stem "puutarh" that met the posting.

use crate::search::SearchIndex;

/// Terms shorter than this are too common inside other words to count as a mention.
const MIN_TERM_CHARS: usize = 3;

/// The words of a client's text, as written, with their analysed terms.
#[derive(Debug, Clone, Default)]
pub struct ClientWords {
    words: Vec<(String, Vec<String>)>,
}

impl ClientWords {
    /// Splits `text` into words (a hyphen stays inside a word: "B-kortti") and analyses each
    /// word on its own. Stop words and repeats are left out.
    pub fn new(text: &str, search: &SearchIndex) -> Self {
        let mut words: Vec<(String, Vec<String>)> = Vec::new();
        for word in text
            .split(|c: char| !(c.is_alphanumeric() || c == '-'))
            .map(|w| w.trim_matches('-'))
            .filter(|w| !w.is_empty())
        {
            if words
                .iter()
                .any(|(w, _)| w.to_lowercase() == word.to_lowercase())
            {
                continue;
            }
            let terms: Vec<String> = search
                .finnish_stems(word)
                .into_iter()
                .filter(|t| t.chars().count() >= MIN_TERM_CHARS)
                .collect();
            if !terms.is_empty() {
                words.push((word.to_string(), terms));
            }
        }
        ClientWords { words }
    }

    /// Whether the text has no word to look for.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The words, as written, every term of which `text` (lower-cased) contains.
    pub fn found_in(&self, text: &str) -> Vec<&str> {
        self.words
            .iter()
            .filter(|(_, terms)| terms.iter().all(|t| text.contains(t.as_str())))
            .map(|(word, _)| word.as_str())
            .collect()
    }
}
