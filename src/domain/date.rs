//! Dates and timestamps as they arrive in request bodies, query strings and import lines: the
//! accepted spellings, and the one range every date must fall in.
//!
//! The range keeps absurd years (year 1, year 262142) out of the database and out of the
//! date arithmetic of the funnel figures, where they would overflow.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

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

fn check_time_range(field: &str, t: DateTime<Utc>) -> Validated<DateTime<Utc>> {
    check_date_range(field, t.date_naive()).map(|_| t)
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
    let parsed = if let Ok(dt) = DateTime::parse_from_rfc3339(raw) {
        Some(dt.with_timezone(&Utc))
    } else if let Ok(d) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        let end = NaiveTime::from_hms_opt(23, 59, 59).expect("valid time");
        Some(d.and_time(end).and_utc())
    } else {
        [
            "%Y-%m-%d %H:%M:%S%.f%#z",
            "%Y-%m-%d %H:%M:%S%#z",
            "%Y-%m-%dT%H:%M:%S%.f",
        ]
        .into_iter()
        .find_map(|fmt| {
            DateTime::parse_from_str(raw, fmt)
                .map(|dt| dt.with_timezone(&Utc))
                .or_else(|_| NaiveDateTime::parse_from_str(raw, fmt).map(|dt| dt.and_utc()))
                .ok()
        })
    };
    let t = parsed.ok_or_else(|| {
        ValidationError::new(
            field,
            format!(
                "'{}' is not a date (YYYY-MM-DD) or an RFC 3339 timestamp",
                quoted(raw)
            ),
        )
    })?;
    check_time_range(field, t)
}

/// Parses a timestamp: RFC 3339, or a date (taken as midnight UTC), in the accepted range.
pub fn parse_timestamp(field: &str, raw: &str) -> Validated<DateTime<Utc>> {
    let raw = raw.trim();
    let parsed = if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        Some(t.with_timezone(&Utc))
    } else if let Ok(t) = NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S") {
        Some(Utc.from_utc_datetime(&t))
    } else {
        NaiveDate::parse_from_str(raw, "%Y-%m-%d")
            .ok()
            .map(|d| Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight")))
    };
    let t = parsed.ok_or_else(|| {
        ValidationError::new(
            field,
            format!(
                "'{}' is not a timestamp (RFC 3339, e.g. 2026-03-01T09:30:00Z, or YYYY-MM-DD)",
                quoted(raw)
            ),
        )
    })?;
    check_time_range(field, t)
}

/// How timestamps are stored: UTC to the second, so text order is time order.
pub fn format_timestamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
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
