//! A client's wishes turned into what retrieval and features need, with the reference data:
//! municipality coordinates (for commute distance) and the occupation taxonomy (to widen the
//! client's words to the names ads use).

use std::collections::HashMap;

use super::wish::{self, Understood};
use super::ReasonLang;
use crate::domain::Client;
use crate::occupations::Occupations;
use crate::search::analysis::stem_root;
use crate::search::place_key;
use crate::store::OccupationRow;

/// Municipality coordinates by [`place_key`].
#[derive(Debug, Clone, Default)]
pub struct Geo {
    places: HashMap<u64, (String, f64, f64)>,
}

impl Geo {
    /// From (name, lat, lon) rows.
    pub fn new(rows: Vec<(String, f64, f64)>) -> Self {
        Self {
            places: rows
                .into_iter()
                .map(|(n, lat, lon)| (place_key(&n), (n, lat, lon)))
                .collect(),
        }
    }

    /// Coordinates of a place.
    pub fn coords(&self, key: u64) -> Option<(f64, f64)> {
        self.places.get(&key).map(|(_, lat, lon)| (*lat, *lon))
    }

    /// Great-circle distance in km between two places, when both are known.
    pub fn distance_km(&self, a: u64, b: u64) -> Option<f64> {
        let ((lat1, lon1), (lat2, lon2)) = (self.coords(a)?, self.coords(b)?);
        let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
        let dp = (lat2 - lat1).to_radians();
        let dl = (lon2 - lon1).to_radians();
        let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        Some(2.0 * 6371.0 * h.sqrt().asin())
    }

    /// Number of places known.
    pub fn len(&self) -> usize {
        self.places.len()
    }

    /// Whether no place is known.
    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }
}

/// The occupation taxonomy (ESCO occupations with their ISCO-08 groups, fi/sv/en labels).
#[derive(Debug, Clone, Default)]
pub struct Taxonomy {
    /// (ISCO group digits, head words of the fi|sv|en labels, Finnish label) of each occupation.
    occupations: Vec<(String, String, String)>,
    /// Labels (fi, sv, en) of every code, ISCO groups and ESCO occupations alike.
    labels: HashMap<String, [String; 3]>,
    /// The rows, for the occupation classifier (built with the index's analyser).
    rows: Vec<OccupationRow>,
}

impl Taxonomy {
    /// From taxonomy rows.
    pub fn new(rows: Vec<OccupationRow>) -> Self {
        let labels = rows
            .iter()
            .map(|r| {
                let labels = [&r.label_fi, &r.label_sv, &r.label_en].map(|l| l.trim().to_string());
                (r.code.clone(), labels)
            })
            .collect();
        Self {
            labels,
            rows: rows.clone(),
            occupations: rows
                .into_iter()
                .filter(|r| r.concept_type == "occupation")
                .map(|r| {
                    let heads = [&r.label_fi, &r.label_sv, &r.label_en]
                        .iter()
                        .map(|l| head_word(l))
                        .collect::<Vec<_>>()
                        .join(" ");
                    (r.isco_group, heads, r.label_fi)
                })
                .collect(),
        }
    }

    /// The taxonomy's rows.
    pub fn rows(&self) -> &[OccupationRow] {
        &self.rows
    }

    /// The name of an ISCO group (`9112`) or ESCO occupation (`9112.1`) in `lang`, the
    /// Finnish one when the taxonomy has none in `lang`. An ESCO code the taxonomy does not
    /// hold is named by its ISCO group.
    pub fn label(&self, code: &str, lang: ReasonLang) -> Option<String> {
        let code = code.trim();
        let [fi, sv, en] = self.labels.get(code).or_else(|| {
            let group = code.split('.').next()?;
            self.labels.get(group)
        })?;
        let wanted = match lang {
            ReasonLang::Fi => fi,
            ReasonLang::Sv => sv,
            ReasonLang::En => en,
        };
        [wanted, fi].into_iter().find(|l| !l.is_empty()).cloned()
    }

    /// Number of occupations.
    pub fn len(&self) -> usize {
        self.occupations.len()
    }

    /// Whether the taxonomy is empty (not imported).
    pub fn is_empty(&self) -> bool {
        self.occupations.is_empty()
    }

    /// The ISCO groups whose occupations the client's word roots name, best first, and the
    /// Finnish names of the occupations in those groups ("siivous" -> 9112 -> "laitossiivooja",
    /// "wc-tilojen siistijä", …).
    pub fn widen(&self, roots: &[String]) -> (Vec<String>, Vec<String>) {
        if roots.is_empty() || self.occupations.is_empty() {
            return (Vec::new(), Vec::new());
        }
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for (group, labels, _) in &self.occupations {
            if roots.iter().any(|r| names_as_head(labels, r)) {
                *counts.entry(group.as_str()).or_default() += 1;
            }
        }
        let mut groups: Vec<(&str, usize)> = counts.into_iter().collect();
        groups.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        // The two best-supported groups.
        let groups: Vec<String> = groups
            .into_iter()
            .take(2)
            .map(|(g, _)| g.to_string())
            .collect();
        let mut names: Vec<String> = Vec::new();
        for (group, _, fi) in &self.occupations {
            if groups.contains(group) && names.len() < 24 && !names.contains(fi) {
                names.push(fi.clone());
            }
        }
        (groups, names)
    }
}

/// The word that names the occupation in a label: the last word before any specification
/// after a comma ("ammatillinen **opettaja**, hotelli- ja ravintola-ala"), lower-cased.
fn head_word(label: &str) -> String {
    label
        .split(',')
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .last()
        .unwrap_or_default()
        .to_lowercase()
}

/// Whether `root` is the head of a word in `labels`. Finnish and Swedish compounds put the
/// head last: "kuorma-auton**kuljettaja**" is a driver, "**jakelu**johtaja" a director, so a
/// root counts only in the last part of a word (at most four letters of ending after it).
fn names_as_head(labels: &str, root: &str) -> bool {
    let root_len = root.chars().count();
    labels.split(|c: char| !c.is_alphanumeric()).any(|word| {
        word.rfind(root)
            .is_some_and(|at| word[at..].chars().count() <= root_len + 4)
    })
}

/// What matching needs of a client.
pub struct Profile {
    /// The words the client wants, as written (refusals, shifts and licences taken out).
    pub words: String,
    /// Words refused inside the wish and things to avoid, as written.
    pub refused: String,
    /// Refused words from the wish only (not from `avoid`).
    pub refused_in_wish: String,
    /// Wished ISCO groups, as given.
    pub groups: Vec<String>,
    /// ISCO groups read from the client's words (or described by them), with how sure the
    /// reading is.
    pub inferred_groups: Vec<(String, f64)>,
    /// Occupation names the ads use for the client's words (taxonomy, colloquial words).
    pub taxonomy_names: Vec<String>,
    /// Accepted places (home first), lower-cased.
    pub place_names: Vec<String>,
    /// Their keys.
    pub places: Vec<u64>,
    /// Longest commute, km (30 when not given).
    pub commute_km: f64,
    /// Hours wished.
    pub hours: Option<(f64, f64)>,
    /// Languages the client works in.
    pub languages: Vec<String>,
    /// How the wish was read.
    pub understood: Understood,
}

/// Commute assumed when the client states none.
const DEFAULT_COMMUTE_KM: f64 = 30.0;

impl Profile {
    /// Reads the client's preferences.
    pub fn new(client: &Client, taxonomy: &Taxonomy, occupations: &Occupations) -> Self {
        let p = &client.preferences;
        let understood = wish::understand(
            p.desired_work.as_deref().unwrap_or_default(),
            p.avoid.as_deref().unwrap_or_default(),
            occupations,
        );
        let words = understood.wanted.join(" ");
        let refused_in_wish = understood.refused_in_wish.join(" ");
        // Roots for the taxonomy: a word less its last letters meets derived forms
        // ("siivous" and "siivooja" share "siivo").
        let roots: Vec<String> = understood
            .wanted
            .iter()
            .chain(&understood.also)
            .filter_map(|w| stem_root(&w.to_lowercase()))
            .collect();
        let (widened, mut taxonomy_names) = taxonomy.widen(&roots);
        taxonomy_names.extend(understood.also.iter().cloned());
        let mut inferred_groups: Vec<(String, f64)> = Vec::new();
        for o in &understood.occupations {
            let group = o.code.split('.').next().unwrap_or(&o.code).to_string();
            // The names of the occupation read (and of its group): a Swedish or English wish
            // meets Finnish ads through them.
            for code in [o.code.as_str(), group.as_str()] {
                if let Some(label) = occupations.label(code, "fi") {
                    if !taxonomy_names.iter().any(|n| n == label) {
                        taxonomy_names.push(label.to_string());
                    }
                }
            }
            if !inferred_groups.iter().any(|(g, _)| *g == group) {
                inferred_groups.push((group, o.confidence));
            }
        }
        for g in widened {
            if !inferred_groups.iter().any(|(have, _)| *have == g) {
                inferred_groups.push((g, WIDENED_CONFIDENCE));
            }
        }
        let groups: Vec<String> = p
            .occupations
            .iter()
            .map(|c| c.split('.').next().unwrap_or(c).to_string())
            .collect();
        let mut place_names: Vec<String> = std::iter::once(&client.home_municipality)
            .chain(p.municipalities.iter())
            .map(|m| m.trim().to_lowercase())
            .filter(|m| !m.is_empty())
            .collect();
        place_names.dedup();
        let places = place_names.iter().map(|m| place_key(m)).collect();
        let hours = p
            .hours_per_week
            .map(|h| (h.min.unwrap_or(0.0), h.max.unwrap_or(80.0)));
        Self {
            words,
            refused: understood.refused.join(" "),
            refused_in_wish,
            groups,
            inferred_groups,
            taxonomy_names,
            place_names,
            places,
            commute_km: p
                .max_commute_km
                .filter(|k| *k > 0.0)
                .unwrap_or(DEFAULT_COMMUTE_KM),
            hours,
            languages: p.languages.clone(),
            understood,
        }
    }

    /// Stated and inferred groups, stated first.
    pub fn all_groups(&self) -> Vec<String> {
        let mut all = self.groups.clone();
        for (g, _) in &self.inferred_groups {
            if !all.contains(g) {
                all.push(g.clone());
            }
        }
        all
    }
}

/// How sure an occupation group is that the taxonomy widening alone reads from the words.
const WIDENED_CONFIDENCE: f64 = 0.3;

#[cfg(test)]
mod tests {
    use super::names_as_head;

    #[test]
    fn the_occupation_is_named_before_the_specification() {
        assert_eq!(
            super::head_word("ammatillinen opettaja, hotelli- ja ravintola-ala"),
            "opettaja"
        );
        assert_eq!(
            super::head_word("Kuorma-autonkuljettaja"),
            "kuorma-autonkuljettaja"
        );
    }

    #[test]
    fn a_root_counts_only_as_the_head_of_a_compound() {
        assert!(names_as_head(
            "kuorma-autonkuljettaja | lastbilsförare",
            "kuljett"
        ));
        assert!(names_as_head("jakelija", "jakel"));
        assert!(!names_as_head("jakelujohtaja | distributionschef", "jakel"));
        assert!(names_as_head("laitossiivooja", "siivo"));
    }
}
