//! Reading the employer's forms as typed, and turning typed text into the values the domain
//! types take (numbers with a decimal comma, Finnish dates, yes/no). Only the spelling is read
//! here; what a valid posting or answer is stays in `crate::domain`, and the pages show its
//! verdict in words from the catalogue.

use super::super::format;
use super::super::i18n::Lang;
use super::super::{FieldError, WebError};
use crate::domain::Validated;

/// A posted form: every field as typed, in the order sent. Fields a page does not have are
/// ignored (the hidden `csrf_token` among them: [`super::posted`] checks it).
pub struct Posted(Vec<(String, String)>);

impl Posted {
    /// Reads an `application/x-www-form-urlencoded` body; never fails (a field that cannot be
    /// read is simply absent, and the page asks for it again).
    pub fn parse(body: &[u8]) -> Self {
        Posted(
            form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// Every field as sent.
    pub fn fields(&self) -> &[(String, String)] {
        &self.0
    }

    /// The first value of `name`, as typed; empty when absent.
    pub fn text(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

/// One option of a radio group or a select: its value, its words, whether it is chosen.
pub struct Choice {
    /// The value sent.
    pub value: String,
    /// What the person reads.
    pub label: String,
    /// Chosen now.
    pub checked: bool,
}

impl Choice {
    /// Options from (value, message id) pairs, `current` chosen.
    pub fn list(lang: Lang, options: &[(&str, &str)], current: &str) -> Vec<Choice> {
        options
            .iter()
            .map(|(value, id)| Choice {
                value: value.to_string(),
                label: lang.t(id),
                checked: *value == current,
            })
            .collect()
    }
}

/// The errors of a form, at most one per field, in the order the fields are on the page.
#[derive(Default)]
pub struct Errors {
    found: Vec<FieldError>,
}

impl Errors {
    /// Records `message` for `field` unless the field has an error already.
    pub fn add(&mut self, field: &'static str, message: String) {
        if !self.has(field) {
            self.found.push(FieldError { field, message });
        }
    }

    /// Whether `field` has an error.
    pub fn has(&self, field: &str) -> bool {
        self.found.iter().any(|e| e.field == field)
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.found.is_empty()
    }

    /// The errors, ordered as `fields` (the page's order).
    pub fn into_sorted(mut self, fields: &[&str]) -> Vec<FieldError> {
        self.found.sort_by_key(|e| {
            fields
                .iter()
                .position(|f| *f == e.field)
                .unwrap_or(usize::MAX)
        });
        self.found
    }
}

/// Parses `input` with `parse` until it passes, setting each faulty field aside with
/// `set_aside` (which names the form field it was) and recording its message. `Ok(None)`
/// when there were errors; `Err` for a fault in a field the form does not have (a stored
/// record's own, which cannot be the person's doing).
pub fn parse_all<I, D>(
    input: &mut I,
    errors: &mut Errors,
    parse: impl Fn(&I) -> Validated<D>,
    set_aside: impl Fn(&mut I, &str) -> Option<&'static str>,
    message: impl Fn(&'static str) -> String,
) -> Result<Option<D>, WebError> {
    let mut set: Vec<&'static str> = Vec::new();
    loop {
        match parse(input) {
            Ok(draft) => return Ok(errors.is_empty().then_some(draft)),
            Err(e) => {
                let field = set_aside(input, &e.field)
                    .filter(|f| !set.contains(f))
                    .ok_or_else(|| {
                        WebError::Internal(format!("form field the page does not have: {e}"))
                    })?;
                set.push(field);
                errors.add(field, message(field));
            }
        }
    }
}

/// The message of `field`'s error in a page's errors.
pub fn error_of<'a>(errors: &'a [FieldError], field: &str) -> Option<&'a str> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| e.message.as_str())
}

/// A number as typed (`20`, `7,5`, `7.5`): `None` when empty, `Err` when it is not a number.
pub fn decimal(raw: &str) -> Result<Option<f64>, ()> {
    let raw = raw.trim().replace([' ', '\u{a0}'], "");
    if raw.is_empty() {
        return Ok(None);
    }
    raw.replace(',', ".")
        .parse::<f64>()
        .map(Some)
        .map_err(|_| ())
}

/// A whole number as typed: `None` when empty, `Err` when it is not one.
pub fn integer(raw: &str) -> Result<Option<i64>, ()> {
    let raw = raw.trim().replace([' ', '\u{a0}'], "");
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse::<i64>().map(Some).map_err(|_| ())
}

/// A date as typed (`31.12.2026`, `2026-12-31`) in the ISO form the domain reads: `None`
/// when empty, `Err` when it is no date.
pub fn date(raw: &str) -> Result<Option<String>, ()> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    format::parse_date_input(raw)
        .map(|d| Some(d.format("%Y-%m-%d").to_string()))
        .ok_or(())
}

/// The value of a choice that says "not stated". Such a radio button is never the one
/// chosen beforehand: no choice is made for the person (and a keyboard user can choose any
/// button of a group where none is chosen).
pub const NOT_SAID: &str = "unknown";

/// A yes / no / not said answer (`true`, `false`, [`NOT_SAID`] or nothing).
pub fn yes_no(raw: &str) -> Result<Option<bool>, ()> {
    match raw.trim() {
        "" | NOT_SAID => Ok(None),
        "true" => Ok(Some(true)),
        "false" => Ok(Some(false)),
        _ => Err(()),
    }
}

/// The spelling of a stored yes / no answer in a form (nothing chosen when it is not known).
pub fn yes_no_value(v: Option<bool>) -> &'static str {
    match v {
        None => "",
        Some(true) => "true",
        Some(false) => "false",
    }
}

/// A number for a form field: `7,5` in Finnish and Swedish, `7.5` in English; no grouping.
pub fn number_value(lang: Lang, x: f64) -> String {
    let plain = if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        x.to_string()
    };
    match lang {
        Lang::En => plain,
        Lang::Fi | Lang::Sv => plain.replace('.', ","),
    }
}

/// One entry per line, blank lines left out.
pub fn lines(raw: &str) -> Vec<String> {
    raw.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_with_a_decimal_comma_or_point() {
        assert_eq!(decimal(" 7,5 "), Ok(Some(7.5)));
        assert_eq!(decimal("7.5"), Ok(Some(7.5)));
        assert_eq!(decimal("1 200"), Ok(Some(1200.0)));
        assert_eq!(decimal(""), Ok(None));
        assert_eq!(decimal("paljon"), Err(()));
        assert_eq!(integer("4"), Ok(Some(4)));
        assert_eq!(integer("4,5"), Err(()));
        assert_eq!(number_value(Lang::Fi, 7.5), "7,5");
        assert_eq!(number_value(Lang::En, 7.5), "7.5");
        assert_eq!(number_value(Lang::Fi, 20.0), "20");
    }

    #[test]
    fn dates_are_read_in_finnish_and_iso_form() {
        assert_eq!(date("31.12.2026"), Ok(Some("2026-12-31".into())));
        assert_eq!(date("2026-12-31"), Ok(Some("2026-12-31".into())));
        assert_eq!(date(" "), Ok(None));
        assert_eq!(date("huomenna"), Err(()));
    }

    #[test]
    fn a_form_keeps_the_first_value_of_a_field() {
        let p = Posted::parse(b"title=A+%C3%A4&title=B&csrf_token=x");
        assert_eq!(p.text("title"), "A ä");
        assert_eq!(p.text("missing"), "");
    }

    #[test]
    fn errors_keep_one_per_field_in_page_order() {
        let mut e = Errors::default();
        e.add("b", "1".into());
        e.add("a", "2".into());
        e.add("b", "3".into());
        let sorted = e.into_sorted(&["a", "b"]);
        let got: Vec<_> = sorted
            .iter()
            .map(|e| (e.field, e.message.as_str()))
            .collect();
        assert_eq!(got, [("a", "2"), ("b", "1")]);
    }
}
