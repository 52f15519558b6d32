//! Numbers, percentages, dates and week numbers as each language writes them: Finnish and
//! Finland-Swedish `85,7 %`, `1 234`, `1.12.2026`, `vk 49`; English `85.7%`, `1,234`,
//! `1 Dec 2026`, `week 49`. Exports to Finnish Excel use [`excel_decimal`].

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};

use super::i18n::Lang;

/// No-break space: keeps `85,7 %` and `1 234` on one line.
const NBSP: char = '\u{a0}';

/// A whole number with thousands grouped (`12 345`, English `12,345`).
pub fn integer(lang: Lang, n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let sep = match lang {
        Lang::En => ',',
        Lang::Fi | Lang::Sv => NBSP,
    };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    if n < 0 {
        out.insert(0, '−');
    }
    out
}

/// A count.
pub fn count(lang: Lang, n: usize) -> String {
    integer(lang, i64::try_from(n).unwrap_or(i64::MAX))
}

/// A decimal number with `digits` decimals (`12,5`; English `12.5`).
pub fn decimal(lang: Lang, x: f64, digits: usize) -> String {
    let plain = format!("{:.*}", digits, x.abs());
    let (whole, frac) = plain.split_once('.').unwrap_or((&plain, ""));
    let whole: i64 = whole.parse().unwrap_or(0);
    let mut out = integer(lang, whole);
    if !frac.is_empty() {
        out.push(match lang {
            Lang::En => '.',
            Lang::Fi | Lang::Sv => ',',
        });
        out.push_str(frac);
    }
    // "-0,0" reads oddly: only a value that rounds to non-zero keeps its sign.
    if x < 0.0 && out.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.insert(0, '−');
    }
    out
}

/// A share (0.857) as a percentage with one decimal: `85,7 %` (English `85.7%`).
pub fn percent(lang: Lang, share: f64) -> String {
    let number = decimal(lang, share * 100.0, 1);
    match lang {
        Lang::En => format!("{number}%"),
        Lang::Fi | Lang::Sv => format!("{number}{NBSP}%"),
    }
}

/// A date: `1.12.2026` (Finnish and Finland-Swedish), `1 Dec 2026` (English).
pub fn date(lang: Lang, d: NaiveDate) -> String {
    match lang {
        Lang::Fi | Lang::Sv => format!("{}.{}.{}", d.day(), d.month(), d.year()),
        Lang::En => d.format("%-d %b %Y").to_string(),
    }
}

/// The ISO week of `d`: `vk 49`, `v. 49`, `week 49`.
pub fn week(lang: Lang, d: NaiveDate) -> String {
    lang.t1("week-short", "week", d.iso_week().week().to_string())
}

/// A date with its ISO week: `1.12.2026 (vk 49)`.
pub fn date_with_week(lang: Lang, d: NaiveDate) -> String {
    format!("{} ({})", date(lang, d), week(lang, d))
}

/// A date as the period form shows it for editing (`1.12.2026`; English the same, as the
/// form's hint says).
pub fn date_input(d: NaiveDate) -> String {
    format!("{}.{}.{}", d.day(), d.month(), d.year())
}

/// A date typed into a form: `1.12.2026`, `01.12.2026`, `1/12/2026` or `2026-12-01`.
pub fn parse_date_input(raw: &str) -> Option<NaiveDate> {
    let raw = raw.trim();
    if let Ok(d) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        return Some(d);
    }
    let parts: Vec<&str> = raw.split(['.', '/']).map(str::trim).collect();
    let [day, month, year] = parts.as_slice() else {
        return None;
    };
    // Four-digit years only: "1.1.26" is ambiguous enough to ask again.
    if year.len() != 4 || day.is_empty() || month.is_empty() || day.len() > 2 || month.len() > 2 {
        return None;
    }
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
}

/// The last Sunday of `month` in `year`, at 01.00 UTC: when Finland (like the whole EU)
/// moves its clocks.
fn clock_change(year: i32, month: u32) -> Option<DateTime<Utc>> {
    let last = NaiveDate::from_ymd_opt(year, month, 31)?;
    let back = last.weekday().num_days_from_sunday();
    let sunday = last - Duration::days(i64::from(back));
    Some(Utc.from_utc_datetime(&sunday.and_hms_opt(1, 0, 0)?))
}

/// Finland's offset from UTC at `t`: +3 h in summer time (from the last Sunday of March to the
/// last Sunday of October, 01.00 UTC), else +2 h. The EU rule, which Finland has kept since
/// 1981; no time-zone database needed for the one zone the service lives in.
fn finnish_offset(t: DateTime<Utc>) -> Duration {
    let year = t.year();
    let summer = match (clock_change(year, 3), clock_change(year, 10)) {
        (Some(start), Some(end)) => t >= start && t < end,
        _ => false,
    };
    Duration::hours(if summer { 3 } else { 2 })
}

/// `t` on Finnish clocks.
pub fn finnish_time(t: DateTime<Utc>) -> NaiveDateTime {
    t.naive_utc() + finnish_offset(t)
}

/// The moment a Finnish clock shows midnight at the start of `day`.
pub fn finnish_midnight(day: NaiveDate) -> DateTime<Utc> {
    let local = day.and_time(chrono::NaiveTime::MIN);
    // Clocks change at 03.00 or 04.00, never at midnight: the offset of the evening before
    // (in UTC) is the offset at midnight.
    let guess = Utc.from_utc_datetime(&(local - Duration::hours(3)));
    Utc.from_utc_datetime(&(local - finnish_offset(guess)))
}

/// A moment on Finnish clocks: `1.12.2026 klo 14.05` (Swedish `kl. 14.05`, English
/// `1 Dec 2026, 14:05`).
pub fn date_time(lang: Lang, t: DateTime<Utc>) -> String {
    let local = finnish_time(t);
    let day = date(lang, local.date());
    match lang {
        Lang::Fi => format!("{day} klo {}", local.format("%-H.%M")),
        Lang::Sv => format!("{day} kl. {}", local.format("%-H.%M")),
        Lang::En => format!("{day}, {}", local.format("%H:%M")),
    }
}

/// A number for a CSV cell that Finnish Excel reads as a number: decimal comma, no grouping.
pub fn excel_decimal(x: f64, digits: usize) -> String {
    format!("{:.*}", digits, x).replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn finnish_numbers_have_a_decimal_comma_and_a_space_before_the_percent_sign() {
        assert_eq!(percent(Lang::Fi, 0.857_142), "85,7\u{a0}%");
        assert_eq!(percent(Lang::Sv, 0.5), "50,0\u{a0}%");
        assert_eq!(percent(Lang::En, 0.857_142), "85.7%");
        assert_eq!(decimal(Lang::Fi, 12.26, 1), "12,3");
        assert_eq!(decimal(Lang::Fi, 1234.5, 1), "1\u{a0}234,5");
        assert_eq!(decimal(Lang::En, 1234.5, 1), "1,234.5");
        assert_eq!(decimal(Lang::Fi, -0.01, 1), "0,0");
        assert_eq!(decimal(Lang::Fi, -2.5, 1), "−2,5");
        assert_eq!(count(Lang::Fi, 1_234_567), "1\u{a0}234\u{a0}567");
        assert_eq!(count(Lang::En, 999), "999");
    }

    #[test]
    fn dates_and_week_numbers_follow_the_language() {
        assert_eq!(date(Lang::Fi, d("2026-12-01")), "1.12.2026");
        assert_eq!(date(Lang::Sv, d("2026-12-01")), "1.12.2026");
        assert_eq!(date(Lang::En, d("2026-12-01")), "1 Dec 2026");
        assert_eq!(week(Lang::Fi, d("2026-12-01")), "vk 49");
        assert_eq!(week(Lang::Sv, d("2026-12-01")), "v. 49");
        assert_eq!(week(Lang::En, d("2026-12-01")), "week 49");
        // ISO weeks: 1 January 2027 is a Friday in week 53 of 2026.
        assert_eq!(week(Lang::Fi, d("2027-01-01")), "vk 53");
        assert_eq!(
            date_with_week(Lang::Fi, d("2026-12-01")),
            "1.12.2026 (vk 49)"
        );
    }

    #[test]
    fn typed_dates_are_read_in_finnish_and_iso_form() {
        assert_eq!(parse_date_input("1.12.2026"), Some(d("2026-12-01")));
        assert_eq!(parse_date_input(" 01.12.2026 "), Some(d("2026-12-01")));
        assert_eq!(parse_date_input("1/12/2026"), Some(d("2026-12-01")));
        assert_eq!(parse_date_input("2026-12-01"), Some(d("2026-12-01")));
        assert_eq!(parse_date_input("31.2.2026"), None);
        assert_eq!(parse_date_input("1.12.26"), None);
        assert_eq!(parse_date_input(""), None);
        assert_eq!(date_input(d("2026-01-05")), "5.1.2026");
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn times_are_shown_on_finnish_clocks_in_summer_and_winter() {
        assert_eq!(
            date_time(Lang::Fi, utc("2026-12-01T12:05:00Z")),
            "1.12.2026 klo 14.05"
        );
        assert_eq!(
            date_time(Lang::Sv, utc("2026-12-01T12:05:00Z")),
            "1.12.2026 kl. 14.05"
        );
        assert_eq!(
            date_time(Lang::En, utc("2026-12-01T12:05:00Z")),
            "1 Dec 2026, 14:05"
        );
        assert_eq!(
            date_time(Lang::Fi, utc("2026-07-01T21:30:00Z")),
            "2.7.2026 klo 0.30"
        );
        // 29 March 2026: clocks go forward at 01.00 UTC; 25 October 2026: back.
        assert_eq!(
            finnish_time(utc("2026-03-29T00:59:00Z")).to_string(),
            "2026-03-29 02:59:00"
        );
        assert_eq!(
            finnish_time(utc("2026-03-29T01:00:00Z")).to_string(),
            "2026-03-29 04:00:00"
        );
        assert_eq!(
            finnish_time(utc("2026-10-25T00:59:00Z")).to_string(),
            "2026-10-25 03:59:00"
        );
        assert_eq!(
            finnish_time(utc("2026-10-25T01:00:00Z")).to_string(),
            "2026-10-25 03:00:00"
        );
        assert_eq!(
            finnish_midnight(d("2026-12-01")),
            utc("2026-11-30T22:00:00Z")
        );
        assert_eq!(
            finnish_midnight(d("2026-07-01")),
            utc("2026-06-30T21:00:00Z")
        );
        assert_eq!(
            finnish_midnight(d("2026-03-29")),
            utc("2026-03-28T22:00:00Z")
        );
        assert_eq!(
            finnish_midnight(d("2026-03-30")),
            utc("2026-03-29T21:00:00Z")
        );
    }

    #[test]
    fn excel_numbers_have_a_decimal_comma_and_no_grouping() {
        assert_eq!(excel_decimal(1234.56, 1), "1234,6");
        assert_eq!(excel_decimal(85.714, 1), "85,7");
    }
}
