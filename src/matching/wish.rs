//! Reading a client's wish: what they want and what they refuse, in their own words, with the
//! shifts, licences, part-time and summer-job wishes as structured signals, and the
//! occupations the words name (through the ESCO labels of fi / sv / en) or describe.
//!
//! A negation ("ei", "en halua", "ei … eikä …", "inte", "no", "not", "without") moves what it
//! governs, up to the end of its clause, into the refused words: "Kahvilatyötä, mutta en halua
//! olla kassalla" wants "Kahvilatyötä" and refuses "kassalla". The coach sees the reading
//! (`GET /clients/{id}` → `understood`) and can correct the wish.

use serde::Serialize;
use utoipa::ToSchema;

use crate::occupations::Occupations;
use crate::search::analysis::colloquial;
use crate::search::signals::{self, Licence, Shift};

/// A shift the client wants or refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct ShiftWish {
    /// Which shift.
    pub shift: Shift,
    /// true: wanted; false: refused.
    pub wanted: bool,
}

/// An occupation read from the wish.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct UnderstoodOccupation {
    /// ESCO occupation or ISCO-08 group code.
    pub code: String,
    /// Its Finnish name.
    pub label: String,
    /// How sure the reading is, in (0, 1].
    #[serde(skip)]
    pub confidence: f64,
}

/// How the wish was understood (shown to the coach, who can correct the wish).
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct Understood {
    /// Occupations the wanted words name or describe, best first.
    pub occupations: Vec<UnderstoodOccupation>,
    /// Wanted words, as the client wrote them.
    pub wanted: Vec<String>,
    /// Refused words, as the client wrote them (also from `avoid`).
    pub refused: Vec<String>,
    /// Shifts wanted or refused.
    pub shifts: Vec<ShiftWish>,
    /// Licences and cards the client has.
    pub licences: Vec<Licence>,
    /// The client wishes part-time work.
    pub part_time: bool,
    /// The client wishes a summer job.
    pub summer_job: bool,
    /// Standard words for the client's colloquial ones ("raksa" -> "rakennus"): searched
    /// with the wanted words, not shown as the client's.
    #[serde(skip)]
    pub also: Vec<String>,
    /// The refused words written inside the wish itself (not in `avoid`), as written.
    #[serde(skip)]
    pub refused_in_wish: Vec<String>,
}

/// Words that start a negation, in fi / sv / en.
const NEGATIONS: &[&str] = &[
    "ei", "en", "et", "emme", "eivät", "eikä", "enkä", "älä", "ilman", "paitsi", "inte", "ej",
    "ingen", "inga", "inget", "utan", "utom", "no", "not", "without", "except", "never", "don't",
    "dont", "nor", "neither",
];

/// Words that carry no wish of their own: generic words for work, modal and auxiliary verbs,
/// and fillers. They are neither wanted nor refused.
const FILLERS: &[&str] = &[
    "työ",
    "työtä",
    "työt",
    "töitä",
    "työn",
    "työhön",
    "työksi",
    "työssä",
    "duuni",
    "duunia",
    "duunit",
    "homma",
    "hommaa",
    "hommat",
    "hommia",
    "jobb",
    "jobba",
    "arbete",
    "arbeta",
    "work",
    "working",
    "job",
    "jobs",
    "halua",
    "haluan",
    "haluaa",
    "haluaisin",
    "haluta",
    "olla",
    "ole",
    "olisi",
    "tehdä",
    "tee",
    "teen",
    "tekemään",
    "voi",
    "voin",
    "voisin",
    "kiinnosta",
    "kiinnostaa",
    "kiinnostaisi",
    "tykkää",
    "tykkään",
    "pidä",
    "pidän",
    "jaksa",
    "jaksan",
    "pysty",
    "pysty",
    "mieluiten",
    "mielellään",
    "esim",
    "esimerkiksi",
    "jotain",
    "jotakin",
    "jokin",
    "mikä",
    "tahansa",
    "kuten",
    "myös",
    "vaikka",
    "sekä",
    "tai",
    "ja",
    "mutta",
    "vill",
    "vilja",
    "vara",
    "kan",
    "kunna",
    "gärna",
    "helst",
    "eller",
    "och",
    "men",
    "want",
    "wants",
    "like",
    "would",
    "prefer",
    "preferably",
    "something",
    "anything",
    "or",
    "and",
    "but",
    "do",
    "be",
    "any",
    "kind",
    "some",
    "mieluummin",
    "mielestäni",
    "haen",
    "etsin",
    "söker",
    "looking",
    "for",
    "a",
    "an",
    "the",
    "in",
    "at",
    "with",
    "med",
    "i",
    "på",
    "alalla",
    "jossa",
    "joissa",
    "missä",
    "saa",
    "saisi",
    "saada",
    "parissa",
    "kanssa",
    "sellaista",
    "sellainen",
    "jossain",
    "on",
    "olen",
    "oli",
    "ollut",
    "minulla",
    "mulla",
    "minä",
    "mä",
    "jag",
    "har",
    "är",
    "have",
    "has",
    "am",
    "is",
    "are",
    "was",
    "i",
    "i'm",
    "my",
    "minun",
    "mun",
    "alan",
    "ala",
    "alalta",
    "alaa",
    "field",
    "area",
    "sector",
    "hakee",
];

/// Words that say part time, in fi / sv / en.
const PART_TIME: &[&str] = &[
    "osa-aika",
    "osaaika",
    "osa-aik",
    "deltid",
    "part-time",
    "part time",
];
/// Words that say summer job.
const SUMMER: &[&str] = &[
    "kesätyö",
    "kesätöi",
    "kesäksi",
    "kesäduuni",
    "kesäapu",
    "sommarjobb",
    "sommar",
    "summer",
];

/// Reads the wish (`desired_work`) and the things to avoid.
pub fn understand(desired: &str, avoid: &str, occupations: &Occupations) -> Understood {
    let mut u = Understood::default();
    let mut wanted_text = String::new();
    let mut refused_text = String::new();
    for clause in clauses(desired) {
        let mut negated = false;
        for word in words(clause) {
            let lower = word.to_lowercase();
            if NEGATIONS.contains(&lower.as_str()) {
                negated = true;
                continue;
            }
            if negated {
                refused_text.push_str(word);
                refused_text.push(' ');
            } else {
                wanted_text.push_str(word);
                wanted_text.push(' ');
            }
        }
    }
    u.refused_in_wish = content_words(&refused_text);
    for word in words(avoid) {
        if !NEGATIONS.contains(&word.to_lowercase().as_str()) {
            refused_text.push_str(word);
            refused_text.push(' ');
        }
    }
    let lower = desired.to_lowercase();
    u.part_time = PART_TIME.iter().any(|p| lower.contains(p));
    u.summer_job = SUMMER.iter().any(|p| lower.contains(p));
    let wanted_signals = signals::read(&wanted_text);
    let refused_signals = signals::read(&refused_text);
    for shift in Shift::ALL {
        if refused_signals.has_shift(shift) {
            u.shifts.push(ShiftWish {
                shift,
                wanted: false,
            });
        } else if wanted_signals.has_shift(shift) {
            u.shifts.push(ShiftWish {
                shift,
                wanted: true,
            });
        }
    }
    // A licence is something the client has, wherever it is written.
    u.licences = signals::read(desired).licences();
    // Words that are signals (shifts, licences, part time, summer) are read as such, not as
    // the work wished.
    let is_signal = |w: &str| {
        let l = w.to_lowercase();
        signals::read(w).0 != 0
            || PART_TIME.iter().any(|p| l.starts_with(p))
            || SUMMER.iter().any(|p| l.starts_with(p))
            || l == "kortti"
            || l == "passi"
    };
    u.wanted = content_words(&wanted_text)
        .into_iter()
        .filter(|w| !is_signal(w))
        .collect();
    u.refused = content_words(&refused_text);
    for w in &u.wanted {
        let mut more = colloquial(w);
        more.extend(worker_of_work(w));
        for standard in more {
            if !u.also.contains(&standard) {
                u.also.push(standard);
            }
        }
    }
    let wanted_words = format!("{} {}", u.wanted.join(" "), u.also.join(" "));
    u.occupations = occupations
        .of_wish(&wanted_words)
        .into_iter()
        .filter(|o| o.confidence >= MIN_CONFIDENCE)
        .map(|o| UnderstoodOccupation {
            code: o.code,
            label: o.label,
            confidence: o.confidence,
        })
        .collect();
    // Descriptive wishes ("liikkuvaa työtä ulkona") name the groups whose work is like that.
    for group in contexts(&u.wanted) {
        if !u.occupations.iter().any(|o| o.code.starts_with(&group)) {
            let label = occupations
                .label(&group, "fi")
                .unwrap_or(&group)
                .to_string();
            u.occupations.push(UnderstoodOccupation {
                code: group,
                label,
                confidence: CONTEXT_CONFIDENCE,
            });
        }
    }
    u
}

/// "varastotyötä" also means the one who does it, "varastotyöntekijä": occupations are named
/// by their worker, work by its place or object plus "työ".
fn worker_of_work(word: &str) -> Option<String> {
    let lower = word.to_lowercase();
    let base = crate::search::analysis::voikko_query_terms(&lower)
        .and_then(|q| q.bases.into_iter().next())
        .unwrap_or(lower);
    let stem = base.strip_suffix("työ")?;
    (stem.chars().count() >= 3).then(|| format!("{stem}työntekijä"))
}

/// Confidence of an occupation group read from a description of the work.
const CONTEXT_CONFIDENCE: f64 = 0.3;

/// (cues, ISCO groups) from `data/work-contexts.csv`.
fn context_table() -> &'static [(Vec<String>, Vec<String>)] {
    static TABLE: std::sync::OnceLock<Vec<(Vec<String>, Vec<String>)>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        crate::search::analysis::data_rows(include_str!("data/work-contexts.csv"))
            .filter_map(|cols| {
                let (cues, groups) = (cols.get(1)?, cols.get(2)?);
                Some((
                    cues.split('|').map(str::to_string).collect(),
                    groups.split_whitespace().map(str::to_string).collect(),
                ))
            })
            .collect()
    })
}

/// ISCO groups of the work contexts the words describe. A cue of four letters or fewer must
/// be the whole word; a longer one begins it (or, with a space, stands in the text).
fn contexts(words: &[String]) -> Vec<String> {
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let text = lower.join(" ");
    let mut out: Vec<String> = Vec::new();
    for (cues, groups) in context_table() {
        let hit = cues.iter().any(|cue| {
            if cue.contains(' ') {
                text.contains(cue.as_str())
            } else if cue.chars().count() <= 4 {
                lower.iter().any(|w| w == cue)
            } else {
                lower.iter().any(|w| w.starts_with(cue.as_str()))
            }
        });
        if hit {
            for g in groups {
                if !out.contains(g) {
                    out.push(g.clone());
                }
            }
        }
    }
    out
}

/// Occupations read from a wish below this confidence are not taken.
const MIN_CONFIDENCE: f64 = 0.15;

/// Clauses: split at punctuation and at the conjunctions that turn a wish ("mutta", "men",
/// "but"); a negation holds to the end of its clause.
fn clauses(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for part in text.split(['.', ',', ';', '!', '?', '\n', '(', ')', '/']) {
        let mut rest = part;
        loop {
            let lower = rest.to_lowercase();
            let cut = [" mutta ", " men ", " but ", " vaan ", " utan att "]
                .iter()
                .filter_map(|c| lower.find(c).map(|i| (i, c.len())))
                .min();
            match cut {
                Some((i, n)) if rest.is_char_boundary(i) && rest.is_char_boundary(i + n) => {
                    out.push(&rest[..i]);
                    // The conjunction itself starts the next clause's words.
                    rest = &rest[i + 1..];
                }
                _ => {
                    out.push(rest);
                    break;
                }
            }
        }
    }
    out
}

/// The words of a text (letters, digits, hyphens and apostrophes inside words).
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
        .map(|w| w.trim_matches(|c| c == '-' || c == '\''))
        .filter(|w| !w.is_empty())
}

/// The words of `text` that carry a wish, as written, each once.
fn content_words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in words(text) {
        let lower = w.to_lowercase();
        if FILLERS.contains(&lower.as_str()) || NEGATIONS.contains(&lower.as_str()) {
            continue;
        }
        if lower.chars().count() < 2 || lower.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        if !out.iter().any(|o| o.to_lowercase() == lower) {
            out.push(w.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(wish: &str) -> Understood {
        understand(
            wish,
            "",
            &Occupations::new(&[], crate::search::Analyser::Snowball),
        )
    }

    #[test]
    fn a_refusal_inside_the_wish_is_refused_not_wanted() {
        let u = read("Kahvilatyötä, mutta en halua olla kassalla");
        assert_eq!(u.wanted, vec!["Kahvilatyötä"]);
        assert_eq!(u.refused, vec!["kassalla"]);
    }

    #[test]
    fn ei_eika_refuses_both() {
        let u = read("varastotyötä, ei yövuoroja eikä viikonloppuja");
        assert_eq!(u.wanted, vec!["varastotyötä"]);
        assert_eq!(u.refused, vec!["yövuoroja", "viikonloppuja"]);
        assert!(u.shifts.contains(&ShiftWish {
            shift: Shift::Night,
            wanted: false
        }));
        assert!(u.shifts.contains(&ShiftWish {
            shift: Shift::Weekend,
            wanted: false
        }));
    }

    #[test]
    fn swedish_and_english_negations() {
        let u = read("städning men inte nattskift");
        assert_eq!(u.wanted, vec!["städning"]);
        assert_eq!(u.refused, vec!["nattskift"]);
        let u = read("warehouse work, no night shifts");
        assert_eq!(u.wanted, vec!["warehouse"]);
        assert!(u.refused.contains(&"night".to_string()));
    }

    #[test]
    fn shifts_licences_part_time_and_summer_are_signals() {
        let u =
            read("kuljettajan työ, C-kortti ja trukkikortti, osa-aikaista päivävuoroa, kesätyö");
        assert_eq!(u.licences, vec![Licence::C, Licence::Forklift]);
        assert!(u.part_time && u.summer_job);
        assert!(u.shifts.contains(&ShiftWish {
            shift: Shift::Day,
            wanted: true
        }));
        assert_eq!(u.wanted, vec!["kuljettajan"]);
    }

    #[test]
    fn colloquial_and_descriptive_wishes_are_read() {
        let u = read("rekkakuski tai raksalle");
        assert!(u.also.contains(&"kuljettaja".to_string()), "{u:?}");
        assert!(u.also.contains(&"rakennus".to_string()), "{u:?}");
        let u = read("liikkuvaa työtä ulkona");
        assert!(u.occupations.iter().any(|o| o.code == "9214"), "{u:?}");
        assert!(read("jotain rauhallista")
            .occupations
            .iter()
            .any(|o| o.code == "9112"));
        assert!(read("matkailu").occupations.is_empty());
    }

    #[test]
    fn avoid_adds_to_refused() {
        let u = understand(
            "siivous",
            "puhelinmyynti",
            &Occupations::new(&[], crate::search::Analyser::Snowball),
        );
        assert_eq!(u.refused, vec!["puhelinmyynti"]);
        assert!(
            u.refused_in_wish.is_empty(),
            "avoid is not refused inside the wish"
        );
    }
}
