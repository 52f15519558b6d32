//! Dates and timestamps as they arrive in request bodies, query strings and import lines: the
//! accepted spellings, and the one range every date must fall in.
//!
//! The range keeps absurd years (year 1, year 262142) out of the database and out of the
//! date arithmetic of the funnel figures, where they would overflow.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use serde_json::json;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;

use super::{Validated, ValidationError};

/// The earliest date accepted anywhere.
pub const EARLIEST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(d) => d,
    None => panic!("1900-01-01 is a date"),
};

/// The latest date accepted anywhere.
pub const LATEST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(2100, 12, 31) {
    Some(d) => d,
    None => panic!("2100-12-31 is a date"),
};

/// Most characters of a rejected value quoted back in the error message.
const QUOTED_CHARS: usize = 40;

/// Checks that `date` lies in [`EARLIEST_DATE`]..=[`LATEST_DATE`].
pub fn check_date_range(field: &str, date: NaiveDate) -> Validated<NaiveDate> {
    if (EARLIEST_DATE..=LATEST_DATE).contains(&date) {
        Ok(date)
    } else {
        Err(ValidationError::new(
            field,
            format!("must be between {EARLIEST_DATE} and {LATEST_DATE}"),
        ))
    }
}

/// The start of `raw` for an error message, so a huge value is not echoed whole.
fn quoted(raw: &str) -> String {
    if raw.chars().count() > QUOTED_CHARS {
        format!("{}…", raw.chars().take(QUOTED_CHARS).collect::<String>())
    } else {
        raw.to_string()
    }
}

/// Parses a calendar date `YYYY-MM-DD` in the accepted range.
pub fn parse_date(field: &str, raw: &str) -> Validated<NaiveDate> {
    let date = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| {
        ValidationError::new(
            field,
            format!("'{}' is not a date (YYYY-MM-DD)", quoted(raw)),
        )
    })?;
    check_date_range(field, date)
}

/// Parses a deadline: a date (`2026-12-31`, read as the end of that day) or a timestamp
/// (RFC 3339, or as some exports write them: `2022-06-09 20:59:59+00`), in the accepted range.
pub fn parse_deadline(field: &str, raw: &str) -> Validated<DateTime<Utc>> {
    let raw = raw.trim();
    // The date as written (before any offset moves it to UTC) is what must be in range, so
    // the range is the same whatever the offset.
    let parsed = if let Ok(dt) = DateTime::parse_from_rfc3339(raw) {
        Some((dt.date_naive(), dt.with_timezone(&Utc)))
    } else if let Ok(d) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        let end = NaiveTime::from_hms_opt(23, 59, 59).expect("valid time");
        Some((d, d.and_time(end).and_utc()))
    } else {
        [
            "%Y-%m-%d %H:%M:%S%.f%#z",
            "%Y-%m-%d %H:%M:%S%#z",
            "%Y-%m-%dT%H:%M:%S%.f",
        ]
        .into_iter()
        .find_map(|fmt| {
            DateTime::parse_from_str(raw, fmt)
                .map(|dt| (dt.date_naive(), dt.with_timezone(&Utc)))
                .or_else(|_| {
                    NaiveDateTime::parse_from_str(raw, fmt).map(|dt| (dt.date(), dt.and_utc()))
                })
                .ok()
        })
    };
    let (written, t) = parsed.ok_or_else(|| {
        ValidationError::new(
            field,
            format!(
                "'{}' is not a date (YYYY-MM-DD) or an RFC 3339 timestamp",
                quoted(raw)
            ),
        )
    })?;
    check_date_range(field, written).map(|_| t)
}

/// Parses a timestamp: RFC 3339, or a date (taken as midnight UTC), in the accepted range.
pub fn parse_timestamp(field: &str, raw: &str) -> Validated<DateTime<Utc>> {
    let raw = raw.trim();
    // As in `parse_deadline`: the date as written must be in range.
    let parsed = if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        Some((t.date_naive(), t.with_timezone(&Utc)))
    } else if let Ok(t) = NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S") {
        Some((t.date(), Utc.from_utc_datetime(&t)))
    } else {
        NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok().map(|d| {
            let midnight = d.and_hms_opt(0, 0, 0).expect("midnight");
            (d, Utc.from_utc_datetime(&midnight))
        })
    };
    let (written, t) = parsed.ok_or_else(|| {
        ValidationError::new(
            field,
            format!(
                "'{}' is not a timestamp (RFC 3339, e.g. 2026-03-01T09:30:00Z, or YYYY-MM-DD)",
                quoted(raw)
            ),
        )
    })?;
    check_date_range(field, written).map(|_| t)
}

/// How timestamps are stored: UTC to the second, so text order is time order.
pub fn format_timestamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

// The formats above as OpenAPI schemas (named in request bodies and query parameters), so the
// document states the same range and spellings that the parsers accept.

/// A calendar date `YYYY-MM-DD` from 1900-01-01 to 2100-12-31 (the range every date of the
/// service keeps to), leap days included.
const DATE: &str =
    "(?:(?:19[0-9]{2}|20[0-9]{2}|2100)-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])\
    |(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))\
    |(?:19(?:0[48]|[2468][048]|[13579][26])|20(?:[02468][048]|[13579][26]))-02-29)";
/// A time of day `hh:mm:ss`.
const TIME: &str = "(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]";
/// An RFC 3339 offset.
const OFFSET: &str = "(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])";

/// Schema of a day: a date in the service's range.
pub struct Day;

impl utoipa::PartialSchema for Day {
    fn schema() -> RefOr<Schema> {
        let pattern = format!("^{DATE}$");
        text_schema(
            &pattern,
            "A day, YYYY-MM-DD, from 1900-01-01 to 2100-12-31",
            "2026-01-15",
        )
    }
}

impl utoipa::ToSchema for Day {}

/// Schema of a moment: a day (its midnight, UTC) or an RFC 3339 timestamp (without an offset:
/// UTC, to the second), its date in the service's range.
pub struct Moment;

impl utoipa::PartialSchema for Moment {
    fn schema() -> RefOr<Schema> {
        let pattern = format!("^{DATE}(?:T{TIME}(?:(?:\\.[0-9]+)?{OFFSET})?)?$");
        text_schema(
            &pattern,
            "A day (YYYY-MM-DD) or an RFC 3339 timestamp (2026-01-20T10:00:00Z; without an \
             offset, UTC to the second), its date as written from 1900-01-01 to 2100-12-31",
            "2026-01-20T10:00:00Z",
        )
    }
}

impl utoipa::ToSchema for Moment {}

/// Schema of a deadline: a day (its end, UTC), an RFC 3339 timestamp, or a timestamp as some
/// exports write them (`2022-06-09 20:59:59+00`).
pub struct Deadline;

impl utoipa::PartialSchema for Deadline {
    fn schema() -> RefOr<Schema> {
        let pattern = format!(
            "^{DATE}(?:T{TIME}(?:\\.[0-9]+)?{OFFSET}?| {TIME}(?:\\.[0-9]+)?[+-](?:[01][0-9]|2[0-3])(?::?[0-5][0-9])?)?$"
        );
        text_schema(
            &pattern,
            "A day (YYYY-MM-DD, meaning its end, UTC), an RFC 3339 timestamp (without an \
             offset: UTC), or `YYYY-MM-DD hh:mm:ss+hh` as some exports write it; its date as \
             written from 1900-01-01 to 2100-12-31",
            "2026-03-31",
        )
    }
}

impl utoipa::ToSchema for Deadline {}

/// Schema of an optional day where an empty string means "not given".
pub struct DayOrEmpty;

impl utoipa::PartialSchema for DayOrEmpty {
    fn schema() -> RefOr<Schema> {
        or_empty(
            <Day as utoipa::PartialSchema>::schema(),
            "; an empty string means not given",
        )
    }
}

impl utoipa::ToSchema for DayOrEmpty {}

/// Schema of an optional deadline where an empty string means "not given".
pub struct DeadlineOrEmpty;

impl utoipa::PartialSchema for DeadlineOrEmpty {
    fn schema() -> RefOr<Schema> {
        or_empty(
            <Deadline as utoipa::PartialSchema>::schema(),
            "; an empty string means not given",
        )
    }
}

impl utoipa::ToSchema for DeadlineOrEmpty {}

/// `schema` (a pattern `^…$`) also matching the empty string.
fn or_empty(schema: RefOr<Schema>, note: &str) -> RefOr<Schema> {
    let RefOr::T(Schema::Object(mut object)) = schema else {
        return schema;
    };
    if let Some(p) = object.pattern.take() {
        let inner = p.trim_start_matches('^').trim_end_matches('$');
        object.pattern = Some(format!("^(?:{inner})?$"));
    }
    if let Some(d) = object.description.as_mut() {
        d.push_str(note);
    }
    RefOr::T(Schema::Object(object))
}

fn text_schema(pattern: &str, description: &str, example: &str) -> RefOr<Schema> {
    RefOr::T(Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(pattern))
            .description(Some(description))
            .examples([json!(example)])
            .build(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_rfc3339_both_parse_and_store_sortably() {
        let d = parse_timestamp("at", "2025-01-02").unwrap();
        assert_eq!(format_timestamp(d), "2025-01-02T00:00:00Z");
        let t = parse_timestamp("at", "2025-01-02T10:00:00+02:00").unwrap();
        assert_eq!(format_timestamp(t), "2025-01-02T08:00:00Z");
        assert!(parse_timestamp("at", "yesterday").is_err());
    }

    #[test]
    fn export_timestamps_parse() {
        assert!(parse_deadline("d", "2022-06-09 20:59:59+00").is_ok());
        assert!(parse_deadline("d", "2021-11-23 07:24:24.507185+00").is_ok());
    }

    #[test]
    fn every_parser_keeps_to_the_range_and_names_the_field() {
        for raw in ["0001-01-01", "1899-12-31", "2101-01-01", "+262142-12-31"] {
            assert_eq!(parse_date("to", raw).unwrap_err().field, "to", "{raw}");
            assert_eq!(parse_deadline("v", raw).unwrap_err().field, "v", "{raw}");
            assert_eq!(parse_timestamp("at", raw).unwrap_err().field, "at", "{raw}");
        }
        assert!(parse_timestamp("at", "0001-01-01T00:00:00Z").is_err());
        assert!(parse_deadline("v", "9999-12-31T23:59:59Z").is_err());
        for raw in ["1900-01-01", "2100-12-31"] {
            assert!(parse_date("d", raw).is_ok(), "{raw}");
            assert!(parse_deadline("d", raw).is_ok(), "{raw}");
            assert!(parse_timestamp("d", raw).is_ok(), "{raw}");
        }
    }

    #[test]
    fn a_long_bad_value_is_not_echoed_whole() {
        let err = parse_date("d", &"x".repeat(10_000)).unwrap_err();
        assert!(err.message.len() < 100, "{}", err.message);
    }
}
