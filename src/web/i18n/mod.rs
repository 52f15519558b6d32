//! The web app's languages: Finnish (the default), Swedish and English. Messages come from the
//! Fluent catalogues beside this file (`{fi,sv,en}/*.ftl`, embedded at build time); the
//! language is the one the user chose (the `lang` cookie the switcher sets), else the best of
//! `Accept-Language` by its q-values, else Finnish.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./src/web/i18n",
        fallback_language: "fi",
        // Bidi isolation marks around arguments would end up in CSV cells and file names.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// Name of the cookie that keeps the user's language.
pub const LANG_COOKIE: &str = "lang";

/// A language of the web app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Suomi (the default).
    Fi,
    /// Svenska.
    Sv,
    /// English.
    En,
}

impl Lang {
    /// Every language, in the order the switcher shows them.
    pub const ALL: [Lang; 3] = [Lang::Fi, Lang::Sv, Lang::En];

    /// The BCP 47 code (`fi`, `sv`, `en`), as in `<html lang>` and the cookie.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fi => "fi",
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }

    /// The language of `code`: its primary subtag, any case (`sv-FI` is Swedish).
    pub fn parse(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == primary)
    }

    fn id(self) -> LanguageIdentifier {
        self.code()
            .parse()
            .expect("fi, sv and en are language identifiers")
    }

    /// The message `id`. A missing id is a bug (the catalogue test finds it); it shows as
    /// the id itself rather than breaking the page.
    pub fn t(self, id: &str) -> String {
        self.t_args(id, &[])
    }

    /// The message `id` with arguments (`{ $name }` in the catalogue).
    pub fn t_args(self, id: &str, args: &[(&'static str, FluentValue<'static>)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue<'static>> = args
            .iter()
            .map(|(k, v)| (Cow::Borrowed(*k), v.clone()))
            .collect();
        let found = if args.is_empty() {
            LOCALES.try_lookup(&self.id(), id)
        } else {
            LOCALES.try_lookup_with_args(&self.id(), id, &args)
        };
        found.unwrap_or_else(|| {
            tracing::warn!(id, lang = self.code(), "message missing from the catalogue");
            id.to_string()
        })
    }

    /// The message `id` with one text argument.
    pub fn t1(self, id: &str, name: &'static str, value: impl Into<String>) -> String {
        self.t_args(id, &[(name, FluentValue::String(Cow::Owned(value.into())))])
    }
}

/// The language to answer in: the `lang` cookie when it names one of ours, else the best
/// match in `Accept-Language`, else Finnish.
pub fn choose(cookie: Option<&str>, accept_language: Option<&str>) -> Lang {
    cookie
        .and_then(Lang::parse)
        .or_else(|| accept_language.and_then(from_accept_language))
        .unwrap_or(Lang::Fi)
}

/// The language of ours with the highest q-value in an `Accept-Language` header (ties go to
/// the one listed first; `q=0` means "not this one").
pub fn from_accept_language(header: &str) -> Option<Lang> {
    let mut best: Option<(Lang, f32)> = None;
    for item in header.split(',') {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or("").trim();
        let mut q = 1.0_f32;
        for param in parts {
            if let Some(v) = param.trim().strip_prefix("q=") {
                q = v.trim().parse().unwrap_or(0.0);
            }
        }
        if !(q > 0.0 && q <= 1.0) {
            continue;
        }
        let Some(lang) = Lang::parse(tag) else {
            continue;
        };
        if best.is_none_or(|(_, b)| q > b) {
            best = Some((lang, q));
        }
    }
    best.map(|(l, _)| l)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// Every catalogue file of `lang` joined: the loader reads every `.ftl` file of the
    /// language's folder (each part of the app keeps its own).
    fn catalogue(lang: &str) -> String {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("src/web/i18n")
            .join(lang);
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
            .collect();
        files.sort();
        files
            .iter()
            .map(|f| std::fs::read_to_string(f).unwrap())
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn ids(ftl: &str) -> BTreeSet<&str> {
        ftl.lines()
            .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()))
            .filter_map(|l| l.split_once(" =").map(|(id, _)| id.trim()))
            .collect()
    }

    #[test]
    fn every_message_is_in_every_language() {
        let fi_text = catalogue("fi");
        let fi = ids(&fi_text);
        assert!(fi.len() > 100, "the Finnish catalogue was read");
        for lang in ["sv", "en"] {
            let text = catalogue(lang);
            let other = ids(&text);
            let missing: Vec<_> = fi.difference(&other).collect();
            let extra: Vec<_> = other.difference(&fi).collect();
            assert!(missing.is_empty(), "{lang} lacks {missing:?}");
            assert!(extra.is_empty(), "{lang} has ids Finnish lacks: {extra:?}");
        }
    }

    #[test]
    fn every_message_the_templates_use_exists() {
        let fi_text = catalogue("fi");
        let fi = ids(&fi_text);
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut stack = vec![dir];
        let mut checked = 0;
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for (_, rest) in text
                    .match_indices(".t(\"")
                    .map(|(i, _)| ((), &text[i + 4..]))
                {
                    let id = &rest[..rest.find('"').unwrap()];
                    assert!(
                        fi.contains(id),
                        "{} uses unknown message {id}",
                        path.display()
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 20, "the templates were read");
    }

    #[test]
    fn messages_are_looked_up_in_each_language() {
        assert_eq!(Lang::Fi.t("sign-out"), "Kirjaudu ulos");
        assert_eq!(Lang::Sv.t("sign-out"), "Logga ut");
        assert_eq!(Lang::En.t("sign-out"), "Sign out");
        assert_eq!(Lang::Fi.t1("week-short", "week", "49"), "vk 49");
    }

    #[test]
    fn accept_language_is_read_by_q_value() {
        assert_eq!(from_accept_language("en-GB,en;q=0.9"), Some(Lang::En));
        assert_eq!(
            from_accept_language("de-DE, en;q=0.5, sv-FI;q=0.8"),
            Some(Lang::Sv)
        );
        assert_eq!(from_accept_language("fi;q=0.2, sv;q=0.3"), Some(Lang::Sv));
        assert_eq!(from_accept_language("sv;q=0, en;q=0.1"), Some(Lang::En));
        assert_eq!(from_accept_language("de, fr"), None);
        assert_eq!(from_accept_language("sv;q=abc"), None);
        assert_eq!(from_accept_language(""), None);
    }

    #[test]
    fn a_chosen_language_wins_and_finnish_is_the_default() {
        assert_eq!(choose(Some("sv"), Some("en")), Lang::Sv);
        assert_eq!(choose(Some("de"), Some("en")), Lang::En);
        assert_eq!(choose(None, Some("de")), Lang::Fi);
        assert_eq!(choose(None, None), Lang::Fi);
    }
}
