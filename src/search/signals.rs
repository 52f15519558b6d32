//! Structured signals in job text, read the same way from a posting and from a client's wish:
//! shifts (night, evening, day, morning, weekend, shift work) and licences or cards (driving
//! licences by class, forklift card, hygiene passport, alcohol-serving passport, occupational
//! safety card, hot-work card, first-aid card, taxi driver's permit), in Finnish, Swedish and
//! English. Each is one bit of a mask, so a posting carries its signals in one fast field.
//!
//! Words are recognised by their beginning ("yövuoro", "yötöitä", "öisin"), so inflected and
//! compound forms count without a dictionary.

use serde::Serialize;
use utoipa::ToSchema;

/// A shift a text speaks of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Shift {
    /// Night work.
    Night,
    /// Evenings.
    Evening,
    /// Daytime.
    Day,
    /// Mornings.
    Morning,
    /// Weekends.
    Weekend,
    /// Two- or three-shift work.
    ShiftWork,
}

impl Shift {
    /// Every shift.
    pub const ALL: [Shift; 6] = [
        Shift::Night,
        Shift::Evening,
        Shift::Day,
        Shift::Morning,
        Shift::Weekend,
        Shift::ShiftWork,
    ];

    fn bit(self) -> u64 {
        1 << (self as u64)
    }

    /// Beginnings of words that name the shift, in fi / sv / en.
    fn stems(self) -> &'static [&'static str] {
        match self {
            Shift::Night => &[
                "yövuoro",
                "yötyö",
                "yötöi",
                "yöt",
                "öisin",
                "yöllä",
                "yöhön",
                "natt",
                "night",
                "overnight",
            ],
            Shift::Evening => &[
                "iltavuoro",
                "iltatyö",
                "iltatöi",
                "illat",
                "iltaisin",
                "illalla",
                "iltaan",
                "kväll",
                "evening",
            ],
            Shift::Day => &[
                "päivävuoro",
                "päivätyö",
                "päivätöi",
                "päivisin",
                "dagtid",
                "dagskift",
                "daytime",
                "day shift",
                "days only",
            ],
            Shift::Morning => &[
                "aamuvuoro",
                "aamutyö",
                "aamutöi",
                "aamuisin",
                "aamulla",
                "aamut",
                "morgon",
                "morning",
            ],
            Shift::Weekend => &[
                "viikonlopu",
                "viikonloppu",
                "vkl",
                "lauantai",
                "sunnuntai",
                "helg",
                "weekend",
            ],
            Shift::ShiftWork => &[
                "vuorotyö",
                "vuorotyö",
                "kolmivuoro",
                "kaksivuoro",
                "vuorotöi",
                "skiftarbete",
                "treskift",
                "shift work",
                "shifts",
            ],
        }
    }

    /// The Finnish word for the shift.
    pub fn fi(self) -> &'static str {
        match self {
            Shift::Night => "yövuoro",
            Shift::Evening => "iltavuoro",
            Shift::Day => "päivävuoro",
            Shift::Morning => "aamuvuoro",
            Shift::Weekend => "viikonloppu",
            Shift::ShiftWork => "vuorotyö",
        }
    }
}

/// A licence or card a text speaks of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ToSchema)]
pub enum Licence {
    /// Driving licence, class B (cars, vans).
    #[serde(rename = "B-kortti")]
    B,
    /// Class C (lorries).
    #[serde(rename = "C-kortti")]
    C,
    /// Class CE (lorry with trailer).
    #[serde(rename = "CE-kortti")]
    Ce,
    /// Class D (buses).
    #[serde(rename = "D-kortti")]
    D,
    /// Forklift card.
    #[serde(rename = "trukkikortti")]
    Forklift,
    /// Hygiene passport (food handling).
    #[serde(rename = "hygieniapassi")]
    Hygiene,
    /// Alcohol-serving passport.
    #[serde(rename = "anniskelupassi")]
    Serving,
    /// Occupational safety card.
    #[serde(rename = "työturvallisuuskortti")]
    Safety,
    /// Hot-work card.
    #[serde(rename = "tulityökortti")]
    HotWork,
    /// First-aid card.
    #[serde(rename = "ensiapukortti")]
    FirstAid,
    /// Taxi driver's permit.
    #[serde(rename = "taksilupa")]
    Taxi,
}

impl Licence {
    /// Every licence.
    pub const ALL: [Licence; 11] = [
        Licence::B,
        Licence::C,
        Licence::Ce,
        Licence::D,
        Licence::Forklift,
        Licence::Hygiene,
        Licence::Serving,
        Licence::Safety,
        Licence::HotWork,
        Licence::FirstAid,
        Licence::Taxi,
    ];

    fn bit(self) -> u64 {
        1 << (16 + self as u64)
    }

    /// The name as coaches write it.
    pub fn name(self) -> &'static str {
        match self {
            Licence::B => "B-kortti",
            Licence::C => "C-kortti",
            Licence::Ce => "CE-kortti",
            Licence::D => "D-kortti",
            Licence::Forklift => "trukkikortti",
            Licence::Hygiene => "hygieniapassi",
            Licence::Serving => "anniskelupassi",
            Licence::Safety => "työturvallisuuskortti",
            Licence::HotWork => "tulityökortti",
            Licence::FirstAid => "ensiapukortti",
            Licence::Taxi => "taksilupa",
        }
    }

    fn stems(self) -> &'static [&'static str] {
        match self {
            Licence::B => &[
                "b-kort",
                "b-ajokort",
                "b-körkort",
                "ajokortti b",
                "ajokortti",
                "körkort",
                "driving licen",
                "driver's licen",
                "b licen",
                "b-licen",
            ],
            Licence::C => &[
                "c-kort",
                "c-ajokort",
                "c-körkort",
                "c licen",
                "c-licen",
                "c1-kort",
            ],
            Licence::Ce => &[
                "ce-kort",
                "ce-ajokort",
                "ce-körkort",
                "ce licen",
                "ce-licen",
                "e-kort",
            ],
            Licence::D => &["d-kort", "d-ajokort", "d-körkort", "d licen", "d-licen"],
            Licence::Forklift => &[
                "trukkikort",
                "trukkiajolupa",
                "truckkort",
                "forklift licen",
                "forklift card",
                "forklift cert",
            ],
            Licence::Hygiene => &["hygieniapass", "hygienpass", "hygiene pass", "hygiene cert"],
            Licence::Serving => &[
                "anniskelupass",
                "serveringspass",
                "alcohol pass",
                "responsible serving",
            ],
            Licence::Safety => &[
                "työturvallisuuskort",
                "tturva",
                "arbetarskyddskort",
                "occupational safety card",
                "safety card",
            ],
            Licence::HotWork => &["tulityökort", "heta arbeten", "hot work"],
            Licence::FirstAid => &["ensiapukort", "ea1", "ea 1", "första hjälpen", "first aid"],
            Licence::Taxi => &[
                "taksilupa",
                "taksinkuljettajan ajolupa",
                "taksikort",
                "taxitillstånd",
                "taxi licen",
                "taxi permit",
            ],
        }
    }
}

/// Signals read from a text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Signals(pub u64);

impl Signals {
    /// Whether the text speaks of `shift`.
    pub fn has_shift(self, shift: Shift) -> bool {
        self.0 & shift.bit() != 0
    }

    /// Whether the text names `licence`.
    pub fn has_licence(self, licence: Licence) -> bool {
        self.0 & licence.bit() != 0
    }

    /// Shifts named.
    pub fn shifts(self) -> Vec<Shift> {
        Shift::ALL
            .into_iter()
            .filter(|s| self.has_shift(*s))
            .collect()
    }

    /// Licences named.
    pub fn licences(self) -> Vec<Licence> {
        Licence::ALL
            .into_iter()
            .filter(|l| self.has_licence(*l))
            .collect()
    }

    /// Signals in both.
    pub fn union(self, other: Signals) -> Signals {
        Signals(self.0 | other.0)
    }
}

/// The signals of a text. A more specific licence hides the general one it contains ("CE-kortti"
/// is not also read as "E-kortti" or a plain "ajokortti").
pub fn read(text: &str) -> Signals {
    let mut lower = String::with_capacity(text.len());
    super::analysis::lowercase_into(text, &mut lower);
    let Matcher {
        automaton,
        bits,
        explicit_b,
    } = matcher();
    let mut mask = 0u64;
    // Whether a stem that names the B licence itself ("b-kortti", not a plain "ajokortti")
    // starts a word.
    let mut named_b = false;
    // One pass over the text for every stem (ads are read at every import).
    for m in automaton.find_overlapping_iter(&lower) {
        if starts_word(&lower, m.start()) {
            mask |= bits[m.pattern().as_usize()];
            named_b |= explicit_b[m.pattern().as_usize()];
        }
    }
    // "CE-kortti" contains "e-kort"; "C-kortti" and "CE-kortti" also say "ajokortti".
    let named_heavier = [Licence::C, Licence::Ce, Licence::D]
        .iter()
        .any(|l| mask & l.bit() != 0);
    if named_heavier && !named_b {
        mask &= !Licence::B.bit();
    }
    Signals(mask)
}

/// Whether `at` in `text` begins a word: at the start or after a non-letter.
fn starts_word(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric())
}

/// The B licence's stems that any heavier licence also says.
const GENERIC_B: [&str; 4] = ["ajokortti", "körkort", "driving licen", "driver's licen"];

/// The automaton of every stem, the bit each stands for, and whether it names the B licence
/// itself.
struct Matcher {
    automaton: aho_corasick::AhoCorasick,
    bits: Vec<u64>,
    explicit_b: Vec<bool>,
}

/// Every stem of every shift and licence in one automaton, with the bit each stands for.
fn matcher() -> &'static Matcher {
    static MATCHER: std::sync::OnceLock<Matcher> = std::sync::OnceLock::new();
    MATCHER.get_or_init(|| {
        let mut stems: Vec<&str> = Vec::new();
        let mut bits = Vec::new();
        let mut explicit_b = Vec::new();
        for shift in Shift::ALL {
            for s in shift.stems() {
                stems.push(s);
                bits.push(shift.bit());
                explicit_b.push(false);
            }
        }
        for licence in Licence::ALL {
            for s in licence.stems() {
                stems.push(s);
                bits.push(licence.bit());
                explicit_b.push(licence == Licence::B && !GENERIC_B.contains(s));
            }
        }
        // A full DFA: a few hundred stems make a small one, and it reads an ad fastest.
        let automaton = aho_corasick::AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(&stems)
            .expect("the stems are plain text");
        Matcher {
            automaton,
            bits,
            explicit_b,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy;

    /// Whether some word of `text` (at the start or after a non-letter) begins with `stem`.
    fn word_starts(text: &str, stem: &str) -> bool {
        text.match_indices(stem)
            .any(|(at, _)| starts_word(text, at))
    }

    /// [`read`] as it was before the B licence's own stems were taken from the automaton's
    /// pass: the text searched again for each of them.
    fn read_by_rescan(text: &str) -> Signals {
        let mut lower = String::new();
        crate::search::analysis::lowercase_into(text, &mut lower);
        let mut mask = 0u64;
        for m in matcher().automaton.find_overlapping_iter(&lower) {
            if starts_word(&lower, m.start()) {
                mask |= matcher().bits[m.pattern().as_usize()];
            }
        }
        let named_heavier = [Licence::C, Licence::Ce, Licence::D]
            .iter()
            .any(|l| mask & l.bit() != 0);
        let explicit_b = Licence::B
            .stems()
            .iter()
            .filter(|s| !GENERIC_B.contains(s))
            .any(|s| word_starts(&lower, s));
        if named_heavier && !explicit_b {
            mask &= !Licence::B.bit();
        }
        Signals(mask)
    }

    proptest::proptest! {
        /// Texts of licence and shift stems, letters and separators: the one pass reads the
        /// same signals as searching the text again for the B licence's own stems.
        #[test]
        fn one_pass_reads_what_the_rescan_read(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::sample::select(
                        Licence::ALL.iter().flat_map(|l| l.stems().iter().copied())
                            .chain(["B-", "CE-", "C-", "D-", "kortti", "Ajokortti B"])
                            .collect::<Vec<&str>>()
                    ).prop_map(str::to_string),
                    "[a-zäö]{0,3}",
                    proptest::sample::select(vec![" ", "-", ", ", "", "x"]).prop_map(str::to_string),
                ],
                0..12,
            )
        ) {
            let text = parts.concat();
            proptest::prop_assert_eq!(read(&text), read_by_rescan(&text), "{:?}", text);
        }
    }

    #[test]
    fn shifts_are_read_in_three_languages() {
        assert!(read("Ei yötöitä").has_shift(Shift::Night));
        assert!(read("iltavuoroon ja viikonloppuisin").has_shift(Shift::Weekend));
        assert!(read("inga nattskift").has_shift(Shift::Night));
        assert!(read("no night shifts").has_shift(Shift::Night));
        assert!(!read("päiväkoti").has_shift(Shift::Day));
    }

    #[test]
    fn licences_are_read_and_the_specific_wins() {
        let s = read("CE-kortti ja trukkikortti");
        assert!(s.has_licence(Licence::Ce) && s.has_licence(Licence::Forklift));
        assert!(!s.has_licence(Licence::B));
        assert!(read("B-ajokortti").has_licence(Licence::B));
        assert!(read("hygieniapassi").has_licence(Licence::Hygiene));
        assert!(!read("kortteli").has_licence(Licence::B));
    }
}
