//! Reasons about a posting's age, in calendar days as a coach in Finland counts them
//! ("today" is today in Helsinki, not the last 24 hours).

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};

use super::{Reason, ReasonContext, ReasonLang};
use crate::search::CandidateKind;

/// Days within which a posting is called new.
const NEW_DAYS: i64 = 7;
/// Days after which a posting is called old.
const OLD_DAYS: i64 = 60;

/// A new posting (when it was posted) or an old one (how old it is).
pub(super) fn age(ctx: &ReasonContext, contribution: f64) -> Option<Reason> {
    let c = ctx.base.candidate;
    if c.kind == CandidateKind::Employer {
        return None;
    }
    let posted = DateTime::from_timestamp(c.posted, 0)?;
    let days = (finnish_date(ctx.base.now) - finnish_date(posted))
        .num_days()
        .max(0);
    if days <= NEW_DAYS {
        Some(Reason::meets(contribution, new_posting(days, ctx.lang)))
    } else if days > OLD_DAYS {
        Some(Reason::misses(
            0.2,
            ctx.lang.pick(
                format!("Ilmoitus on {days} päivää vanha"),
                format!("Annonset är {days} dagar gammalt"),
                format!("The posting is {days} days old"),
            ),
        ))
    } else {
        None
    }
}

/// "New posting" with when it was posted, `days` calendar days ago.
fn new_posting(days: i64, lang: ReasonLang) -> String {
    match (days, lang) {
        (0, _) => lang.pick(
            "Uusi ilmoitus tänään",
            "Nytt annons i dag",
            "New posting today",
        ),
        (1, _) => lang.pick(
            "Uusi ilmoitus eilen",
            "Nytt annons i går",
            "New posting yesterday",
        ),
        (n, ReasonLang::Fi) => format!("Uusi ilmoitus {n} päivää sitten"),
        (n, ReasonLang::Sv) => format!("Nytt annons för {n} dagar sedan"),
        (n, ReasonLang::En) => format!("New posting {n} days ago"),
    }
}

/// The calendar date in Finland: UTC+2, and UTC+3 in summer time (the EU rule: from 01:00 UTC
/// on the last Sunday of March to 01:00 UTC on the last Sunday of October).
fn finnish_date(t: DateTime<Utc>) -> NaiveDate {
    let switch = |month| {
        last_sunday(t.year(), month)
            .and_hms_opt(1, 0, 0)
            .expect("01:00 exists")
            .and_utc()
    };
    let summer = t >= switch(3) && t < switch(10);
    (t + Duration::hours(if summer { 3 } else { 2 })).date_naive()
}

fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let last = NaiveDate::from_ymd_opt(year, month + 1, 1)
        .and_then(|d| d.pred_opt())
        .expect("March and October have a last day");
    let back = last.weekday().days_since(Weekday::Sun);
    last - Duration::days(i64::from(back))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    #[test]
    fn the_date_is_finnish_summer_and_winter() {
        // 22:30 UTC is already tomorrow in Helsinki: 01:30 in summer, 00:30 in winter.
        let day = |d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
        assert_eq!(finnish_date(at("2026-07-01T22:30:00Z")), day("2026-07-02"));
        assert_eq!(finnish_date(at("2026-01-01T22:30:00Z")), day("2026-01-02"));
        assert_eq!(finnish_date(at("2026-01-01T21:30:00Z")), day("2026-01-01"));
        // Summer time in 2026: 29 March 01:00 UTC to 25 October 01:00 UTC.
        assert_eq!(last_sunday(2026, 3), day("2026-03-29"));
        assert_eq!(last_sunday(2026, 10), day("2026-10-25"));
        assert_eq!(finnish_date(at("2026-03-29T21:30:00Z")), day("2026-03-30"));
        assert_eq!(finnish_date(at("2026-03-28T21:30:00Z")), day("2026-03-28"));
    }

    #[test]
    fn a_new_posting_says_today_yesterday_or_days_ago() {
        assert_eq!(new_posting(0, ReasonLang::Fi), "Uusi ilmoitus tänään");
        assert_eq!(new_posting(1, ReasonLang::Fi), "Uusi ilmoitus eilen");
        assert_eq!(
            new_posting(3, ReasonLang::Fi),
            "Uusi ilmoitus 3 päivää sitten"
        );
        assert_eq!(new_posting(1, ReasonLang::Sv), "Nytt annons i går");
        assert_eq!(
            new_posting(5, ReasonLang::Sv),
            "Nytt annons för 5 dagar sedan"
        );
        assert_eq!(new_posting(0, ReasonLang::En), "New posting today");
        assert_eq!(new_posting(2, ReasonLang::En), "New posting 2 days ago");
    }
}
