//! The language reasons are written in, chosen from the request's `Accept-Language`.

/// Language of the reasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReasonLang {
    /// Finnish (the default).
    Fi,
    /// Swedish, as written in Finland.
    Sv,
    /// English.
    En,
}

impl ReasonLang {
    /// From an `Accept-Language` header (RFC 9110): the supported language with the highest
    /// quality value, the first listed among equals; a region (`sv-FI`) does not matter.
    /// Finnish when the header is missing or names no supported language.
    pub fn from_accept_language(header: Option<&str>) -> Self {
        let mut best: Option<(f32, ReasonLang)> = None;
        for range in header.unwrap_or_default().split(',') {
            let mut params = range.split(';');
            let tag = params.next().unwrap_or_default().trim();
            let primary = tag.split('-').next().unwrap_or_default();
            let lang = match primary.to_ascii_lowercase().as_str() {
                "fi" => ReasonLang::Fi,
                "sv" => ReasonLang::Sv,
                "en" => ReasonLang::En,
                _ => continue,
            };
            let mut quality = Some(1.0);
            for param in params {
                if let Some((name, value)) = param.split_once('=') {
                    if name.trim().eq_ignore_ascii_case("q") {
                        quality = value.trim().parse::<f32>().ok();
                    }
                }
            }
            // A malformed weight is ignored with its range; q=0 means "not this language".
            let Some(quality) = quality.filter(|q| *q > 0.0 && *q <= 1.0) else {
                continue;
            };
            if best.is_none_or(|(q, _)| quality > q) {
                best = Some((quality, lang));
            }
        }
        best.map_or(ReasonLang::Fi, |(_, lang)| lang)
    }

    /// The text in this language.
    pub(super) fn pick(
        self,
        fi: impl Into<String>,
        sv: impl Into<String>,
        en: impl Into<String>,
    ) -> String {
        match self {
            ReasonLang::Fi => fi.into(),
            ReasonLang::Sv => sv.into(),
            ReasonLang::En => en.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ReasonLang::{self, En, Fi, Sv};

    fn lang(header: &str) -> ReasonLang {
        ReasonLang::from_accept_language(Some(header))
    }

    #[test]
    fn the_highest_quality_supported_language_wins() {
        assert_eq!(lang("sv-FI;q=0.9, en;q=0.8"), Sv);
        assert_eq!(lang("fi;q=0.5, en"), En);
        assert_eq!(lang("en-GB,en;q=0.9,fi;q=0.5"), En);
        assert_eq!(lang("de, sv;q=0.3"), Sv);
        assert_eq!(lang("SV"), Sv);
        assert_eq!(lang("en;Q=0.4, sv;q=0.4"), En);
    }

    #[test]
    fn finnish_unless_a_supported_language_is_acceptable() {
        assert_eq!(ReasonLang::from_accept_language(None), Fi);
        assert_eq!(lang(""), Fi);
        assert_eq!(lang("de-DE, fr;q=0.8"), Fi);
        assert_eq!(lang("*"), Fi);
        assert_eq!(lang("en;q=0"), Fi);
        assert_eq!(lang("en;q=abc"), Fi);
        assert_eq!(lang("en;q=0, sv;q=0.1"), Sv);
    }
}
