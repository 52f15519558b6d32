//! Bounded, trimmed text: the one rule every free-text field follows.
//!
//! Text with nothing visible in it counts as empty: besides Unicode white space (which
//! includes U+00A0 no-break space), the zero-width and other invisible format characters
//! (U+200B, U+2060, U+FEFF, …) show nothing, so a name made of them is no name.

use super::{Validated, ValidationError};

/// Characters that show nothing on their own: zero-width spaces and joiners, bidirectional
/// marks, the byte order mark, soft hyphen, variation selectors, fillers and tags.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{2800}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}'
        | '\u{FEFF}' | '\u{FFA0}' | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

/// Whether `value` has nothing visible in it: only white space, invisible format characters
/// or control characters (or nothing at all).
pub fn is_blank(value: &str) -> bool {
    value
        .chars()
        .all(|c| c.is_whitespace() || c.is_control() || is_invisible(c))
}

/// Characters trimmed from both ends: white space and the invisible characters that never
/// belong at an end (zero-width space, word joiner, byte order mark). Joiners and variation
/// selectors stay, as they can be part of the last character.
fn is_trimmed(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}')
}

/// Checks that `value` is at most `max` characters as sent, then trims it and checks that it
/// has something visible in it and is free of control characters other than newline and tab.
/// The length counts what was sent, so a request's validity does not hang on how much of it
/// is white space (and the API document's `maxLength` says exactly what is accepted).
pub fn bounded_text(field: &str, value: &str, max: usize) -> Validated<String> {
    check_length(field, value, max)?;
    let trimmed = value.trim_matches(is_trimmed);
    if is_blank(trimmed) {
        return Err(ValidationError::new(field, "must not be empty"));
    }
    if trimmed
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
    {
        return Err(ValidationError::new(field, "contains control characters"));
    }
    Ok(trimmed.to_string())
}

fn check_length(field: &str, value: &str, max: usize) -> Validated<()> {
    let len = value.chars().count();
    if len > max {
        return Err(ValidationError::new(
            field,
            format!("is {len} characters long; at most {max} are allowed"),
        ));
    }
    Ok(())
}

/// Like [`bounded_text`], but an absent or blank (see [`is_blank`]) value is `None`.
pub fn optional_text(field: &str, value: Option<&str>, max: usize) -> Validated<Option<String>> {
    match value {
        None => Ok(None),
        Some(v) => {
            check_length(field, v, max)?;
            if is_blank(v) {
                Ok(None)
            } else {
                bounded_text(field, v, max).map(Some)
            }
        }
    }
}

/// A list of at most `max_items` bounded texts; blank entries are dropped, duplicates kept once.
pub fn bounded_list(
    field: &str,
    values: &[String],
    max_items: usize,
    max_len: usize,
) -> Validated<Vec<String>> {
    if values.len() > max_items {
        return Err(ValidationError::new(
            field,
            format!(
                "has {} items; at most {max_items} are allowed",
                values.len()
            ),
        ));
    }
    let mut out: Vec<String> = Vec::with_capacity(values.len());
    for (i, v) in values.iter().enumerate() {
        if is_blank(v) {
            continue;
        }
        let item = bounded_text(&format!("{field}[{i}]"), v, max_len)?;
        if !out.contains(&item) {
            out.push(item);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_text_is_rejected_with_its_field() {
        let err = bounded_text("title", "   ", 10).unwrap_err();
        assert_eq!(err.field, "title");
    }

    #[test]
    fn text_of_only_invisible_characters_is_blank() {
        for value in [
            "\u{200B}",
            "\u{FEFF}",
            "\u{00A0}",
            "\u{2060}",
            " \u{200B}\u{00A0}\t\u{FEFF} ",
        ] {
            assert_eq!(
                bounded_text("display_name", value, 100).unwrap_err().field,
                "display_name",
                "{value:?}"
            );
            assert_eq!(
                optional_text("note", Some(value), 100),
                Ok(None),
                "{value:?}"
            );
        }
        let v = vec!["\u{200B}".into(), "a".into()];
        assert_eq!(bounded_list("l", &v, 10, 5).unwrap(), vec!["a"]);
    }

    #[test]
    fn invisible_ends_are_trimmed_and_inner_joiners_kept() {
        assert_eq!(
            bounded_text("t", "\u{FEFF}Aino\u{200B} ", 10).unwrap(),
            "Aino"
        );
        let heart = "Kiitos \u{2764}\u{FE0F}";
        assert_eq!(bounded_text("t", heart, 20).unwrap(), heart);
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        assert!(bounded_text("t", "äöäöä", 5).is_ok());
        assert!(bounded_text("t", "äöäöäö", 5).is_err());
    }

    #[test]
    fn length_counts_the_value_as_sent() {
        assert!(bounded_text("t", " abcd ", 5).is_err());
        assert!(optional_text("t", Some("      "), 5).is_err());
        assert_eq!(optional_text("t", Some("     "), 5), Ok(None));
    }

    #[test]
    fn list_drops_blanks_and_duplicates() {
        let v = vec!["a".into(), " ".into(), "a".into(), "b".into()];
        assert_eq!(bounded_list("l", &v, 10, 5).unwrap(), vec!["a", "b"]);
    }
}
