//! Bounded, trimmed text: the one rule every free-text field follows.

use super::{Validated, ValidationError};

/// Trims `value` and checks that it is non-empty, at most `max` characters and free of control
/// characters other than newline and tab.
pub fn bounded_text(field: &str, value: &str, max: usize) -> Validated<String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(ValidationError::new(field, "must not be empty"));
    }
    let len = trimmed.chars().count();
    if len > max {
        return Err(ValidationError::new(
            field,
            format!("is {len} characters long; at most {max} are allowed"),
        ));
    }
    if trimmed
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
    {
        return Err(ValidationError::new(field, "contains control characters"));
    }
    Ok(trimmed.to_string())
}

/// Like [`bounded_text`], but an absent or blank value is `None`.
pub fn optional_text(field: &str, value: Option<&str>, max: usize) -> Validated<Option<String>> {
    match value {
        None => Ok(None),
        Some(v) if v.trim().is_empty() => Ok(None),
        Some(v) => bounded_text(field, v, max).map(Some),
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
        if v.trim().is_empty() {
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
    fn length_counts_characters_not_bytes() {
        assert!(bounded_text("t", "äöäöä", 5).is_ok());
        assert!(bounded_text("t", "äöäöäö", 5).is_err());
    }

    #[test]
    fn list_drops_blanks_and_duplicates() {
        let v = vec!["a".into(), " ".into(), "a".into(), "b".into()];
        assert_eq!(bounded_list("l", &v, 10, 5).unwrap(), vec!["a", "b"]);
    }
}
