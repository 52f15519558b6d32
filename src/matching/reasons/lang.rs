//! The language reasons are written in, chosen from the request's `Accept-Language`.

/// Language of the reasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReasonLang {
    /// Finnish (default).
    Fi,
    /// English (`Accept-Language: en`).
    En,
}

impl ReasonLang {
    /// From an `Accept-Language` header: English when it prefers `en`, else Finnish.
    pub fn from_accept_language(header: Option<&str>) -> Self {
        let first = header
            .and_then(|h| h.split(',').next())
            .map(|l| l.trim().to_ascii_lowercase())
            .unwrap_or_default();
        if first.starts_with("en") {
            ReasonLang::En
        } else {
            ReasonLang::Fi
        }
    }

    /// The text in this language.
    pub(super) fn pick(self, fi: impl Into<String>, en: impl Into<String>) -> String {
        match self {
            ReasonLang::Fi => fi.into(),
            ReasonLang::En => en.into(),
        }
    }
}
