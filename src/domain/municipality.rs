//! Where a posting is: a free-text locality cleaned into a municipality name, or unknown.
//!
//! Ads write places in many ways: "Helsinki", "00510 - Helsinki", "Hakaniemi (00530)",
//! "Uusimaa", "Finland", "". A region, the whole country or remote work is *not* a
//! municipality: such a posting keeps its text but its municipality is unknown, so distance
//! treats it as unknown and nothing excludes it.

/// A cleaned locality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locality {
    /// The municipality, title-cased, when the text names one.
    pub municipality: Option<String>,
    /// A five-digit postcode found in the text, if any.
    pub postcode: Option<String>,
}

/// Regions (maakunnat, fi and sv), the country and other non-municipal places seen in ads.
const NOT_A_MUNICIPALITY: &[&str] = &[
    "suomi",
    "finland",
    "koko suomi",
    "hela finland",
    "whole finland",
    "etätyö",
    "etä",
    "remote",
    "distansarbete",
    "ulkomaat",
    "utomlands",
    "abroad",
    "pääkaupunkiseutu",
    "huvudstadsregionen",
    "capital region",
    "useita paikkakuntia",
    "useampi paikkakunta",
    "various",
    "uusimaa",
    "nyland",
    "varsinais-suomi",
    "egentliga finland",
    "satakunta",
    "kanta-häme",
    "egentliga tavastland",
    "pirkanmaa",
    "birkaland",
    "päijät-häme",
    "päijänne-tavastland",
    "kymenlaakso",
    "kymmenedalen",
    "etelä-karjala",
    "södra karelen",
    "etelä-savo",
    "södra savolax",
    "pohjois-savo",
    "norra savolax",
    "pohjois-karjala",
    "norra karelen",
    "keski-suomi",
    "mellersta finland",
    "etelä-pohjanmaa",
    "södra österbotten",
    "pohjanmaa",
    "österbotten",
    "keski-pohjanmaa",
    "mellersta österbotten",
    "pohjois-pohjanmaa",
    "norra österbotten",
    "kainuu",
    "kajanaland",
    "lappi",
    "lappland",
    "ahvenanmaa",
    "åland",
];

impl Locality {
    /// Cleans `raw` into a municipality name where it names one.
    pub fn parse(raw: &str) -> Self {
        let postcode = raw
            .split(|c: char| !c.is_ascii_digit())
            .find(|part| part.len() == 5)
            .map(str::to_string);
        // Keep the alphabetic pieces: "00510 - Helsinki" -> "Helsinki",
        // "Hakaniemi (00530)" -> "Hakaniemi", "Espoo, Finland" -> "Espoo".
        let name = raw
            .split([',', '(', ')', '/', ';', '|'])
            .flat_map(|s| s.split(" - "))
            .map(|s| s.trim_matches(|c: char| c.is_ascii_digit() || c.is_whitespace() || c == '-'))
            .map(str::trim)
            .find(|s| !s.is_empty() && !NOT_A_MUNICIPALITY.contains(&s.to_lowercase().as_str()));
        let mut municipality = name.map(title_case);
        // Every 00xxx postcode is in Helsinki: a district name with such a code is Helsinki.
        if let Some(code) = &postcode {
            if code.starts_with("00") {
                municipality = Some("Helsinki".to_string());
            }
        }
        if municipality
            .as_deref()
            .is_some_and(|m| m.chars().count() > 60)
        {
            municipality = None;
        }
        Self {
            municipality,
            postcode,
        }
    }
}

/// Cleans a free-text locality and returns the municipality name, if any.
pub fn normalize_locality(raw: &str) -> Option<String> {
    Locality::parse(raw).municipality
}

/// "helsinki" -> "Helsinki", "MÄNTSÄLÄ" -> "Mäntsälä", "mikkeli-savonlinna" kept hyphenated.
fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = c == '-' || c == ' ';
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcode_prefix_is_stripped() {
        assert_eq!(
            normalize_locality("00510 - Helsinki").as_deref(),
            Some("Helsinki")
        );
        assert_eq!(
            normalize_locality("33100 Tampere").as_deref(),
            Some("Tampere")
        );
    }

    #[test]
    fn helsinki_district_with_postcode_is_helsinki() {
        let l = Locality::parse("Hakaniemi (00530)");
        assert_eq!(l.municipality.as_deref(), Some("Helsinki"));
        assert_eq!(l.postcode.as_deref(), Some("00530"));
    }

    #[test]
    fn regions_and_country_are_unknown() {
        assert_eq!(normalize_locality("Uusimaa"), None);
        assert_eq!(normalize_locality("Finland"), None);
        assert_eq!(normalize_locality(""), None);
        assert_eq!(
            normalize_locality("Espoo, Finland").as_deref(),
            Some("Espoo")
        );
    }

    #[test]
    fn case_is_normalised() {
        assert_eq!(
            normalize_locality("JYVÄSKYLÄ").as_deref(),
            Some("Jyväskylä")
        );
    }
}
