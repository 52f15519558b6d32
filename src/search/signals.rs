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
    let (automaton, bits) = matcher();
    let mut mask = 0u64;
    // One pass over the text for every stem (ads are read at every import).
    for m in automaton.find_overlapping_iter(&lower) {
        let at_word_start = lower[..m.start()]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        if at_word_start {
            mask |= bits[m.pattern().as_usize()];
        }
    }
    // "CE-kortti" contains "e-kort"; "C-kortti" and "CE-kortti" also say "ajokortti".
    let generic_b = ["ajokortti", "körkort", "driving licen", "driver's licen"];
    let named_heavier = [Licence::C, Licence::Ce, Licence::D]
        .iter()
        .any(|l| mask & l.bit() != 0);
    let explicit_b = Licence::B
        .stems()
        .iter()
        .filter(|s| !generic_b.contains(s))
        .any(|s| word_starts(&lower, s));
    if named_heavier && !explicit_b {
        mask &= !Licence::B.bit();
    }
    Signals(mask)
}

/// Every stem of every shift and licence in one automaton, with the bit each stands for.
fn matcher() -> &'static (aho_corasick::AhoCorasick, Vec<u64>) {
    static MATCHER: std::sync::OnceLock<(aho_corasick::AhoCorasick, Vec<u64>)> =
        std::sync::OnceLock::new();
    MATCHER.get_or_init(|| {
        let mut stems: Vec<&str> = Vec::new();
        let mut bits = Vec::new();
        for shift in Shift::ALL {
            for s in shift.stems() {
                stems.push(s);
                bits.push(shift.bit());
            }
        }
        for licence in Licence::ALL {
            for s in licence.stems() {
                stems.push(s);
                bits.push(licence.bit());
            }
        }
        // A full DFA: a few hundred stems make a small one, and it reads an ad fastest.
        let automaton = aho_corasick::AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(&stems)
            .expect("the stems are plain text");
        (automaton, bits)
    })
}

/// Whether some word of `text` (at the start or after a non-letter) begins with `stem`.
fn word_starts(text: &str, stem: &str) -> bool {
    text.match_indices(stem).any(|(at, _)| {
        text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
