//! A client of the IPS service and the preferences that drive matching.
//!
//! Zero exclusion: there is no readiness, diagnosis or "employability" field, and there never
//! will be. Adjustments are functional needs the client chose to share, in their own words.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    bounded_list, bounded_text, optional_text, parse_date, HoursRange, LanguageCode, Locality,
    OccupationCode, Validated, ValidationError,
};

/// What the client wants, in the client's own words and codes. Every field is optional: an
/// empty profile still gets matches.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Preferences {
    /// The work the client wants, in their own words ("varastotyö, mieluiten aamuvuoroja").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 2000)]
    pub desired_work: Option<String>,
    /// ISCO-08 groups (1–4 digits, `9112`) or ESCO codes (`9112.1`), at most 50.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(max_items = 50, example = json!(["9112", "4321.1"]))]
    pub occupations: Vec<String>,
    /// Acceptable municipalities, at most 50 (each at most 100 characters).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(max_items = 50)]
    pub municipalities: Vec<String>,
    /// Longest acceptable commute, in kilometres (0–1000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 0, maximum = 1000)]
    pub max_commute_km: Option<f64>,
    /// Hours per week wished.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "super::optional_object_only"
    )]
    pub hours_per_week: Option<HoursRange>,
    /// Things to avoid ("asiakaspalvelu puhelimessa", "yötyö"): demoted, never excluded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 2000)]
    pub avoid: Option<String>,
    /// Languages the client works in (ISO 639-1, `fi`, `sv`, `en`…), at most 20.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(max_items = 20, example = json!(["fi", "en"]))]
    pub languages: Vec<String>,
    /// Functional adjustments the client chose to share ("kirjalliset ohjeet"), at most 30
    /// (each at most 200 characters).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(max_items = 30)]
    pub adjustments: Vec<String>,
}

impl Preferences {
    /// Validates and normalises the preferences (codes checked, places cleaned).
    pub fn parse(raw: &Preferences) -> Validated<Self> {
        let f = |name: &str| format!("preferences.{name}");
        let desired_work = optional_text(&f("desired_work"), raw.desired_work.as_deref(), 2_000)?;
        let occupations = bounded_list(&f("occupations"), &raw.occupations, 50, 24)?
            .iter()
            .enumerate()
            .map(|(i, c)| {
                OccupationCode::parse(&format!("preferences.occupations[{i}]"), c)
                    .map(|c| c.as_str().to_string())
            })
            .collect::<Validated<Vec<_>>>()?;
        let municipalities = bounded_list(&f("municipalities"), &raw.municipalities, 50, 100)?
            .iter()
            .map(|m| Locality::parse(m).municipality.unwrap_or_else(|| m.clone()))
            .collect();
        if let Some(km) = raw.max_commute_km {
            if !km.is_finite() || !(0.0..=1_000.0).contains(&km) {
                return Err(ValidationError::new(
                    f("max_commute_km"),
                    "must be between 0 and 1000 km",
                ));
            }
        }
        let hours_per_week = HoursRange::parse(&f("hours_per_week"), raw.hours_per_week)?;
        let avoid = optional_text(&f("avoid"), raw.avoid.as_deref(), 2_000)?;
        let languages = bounded_list(&f("languages"), &raw.languages, 20, 10)?
            .iter()
            .enumerate()
            .map(|(i, l)| {
                LanguageCode::parse(&format!("preferences.languages[{i}]"), l)
                    .map(|l| l.as_str().to_string())
            })
            .collect::<Validated<Vec<_>>>()?;
        let adjustments = bounded_list(&f("adjustments"), &raw.adjustments, 30, 200)?;
        Ok(Self {
            desired_work,
            occupations,
            municipalities,
            max_commute_km: raw.max_commute_km,
            hours_per_week,
            avoid,
            languages,
            adjustments,
        })
    }
}

/// The display name an erased client keeps: it names the record, not the person.
pub fn pseudonym(id: i64) -> String {
    format!("poistettu-{id}")
}

/// A client as it arrives: the body of `POST /api/v1/clients`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClientInput {
    /// A pseudonymous name the coach recognises (no personal identity code), at most 100
    /// characters with something visible in them.
    #[schema(min_length = 1, max_length = 100, example = "Asiakas A")]
    pub display_name: String,
    /// The client's home municipality.
    #[schema(min_length = 1, max_length = 100, example = "Lahti")]
    pub home_municipality: String,
    /// Intake date (YYYY-MM-DD, not in the future); the rapid-search clock starts here.
    /// Defaults to today.
    #[serde(default)]
    #[schema(value_type = Option<super::DayOrEmpty>)]
    pub intake_date: Option<String>,
    /// Named contact in the client's treatment team (no clinical content).
    #[serde(default)]
    #[schema(max_length = 200)]
    pub treatment_team_contact: Option<String>,
    /// The client's wishes.
    #[serde(default, deserialize_with = "super::object_only")]
    pub preferences: Preferences,
}

/// A validated client.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientDraft {
    /// Pseudonymous display name.
    pub display_name: String,
    /// Home municipality (cleaned).
    pub home_municipality: String,
    /// Intake date.
    pub intake_date: NaiveDate,
    /// Treatment team contact.
    pub treatment_team_contact: Option<String>,
    /// Preferences.
    pub preferences: Preferences,
}

impl ClientDraft {
    /// Validates a client; `today` fills a missing intake date.
    pub fn parse(input: &ClientInput, today: NaiveDate) -> Validated<Self> {
        let display_name = bounded_text("display_name", &input.display_name, 100)?;
        let home = bounded_text("home_municipality", &input.home_municipality, 100)?;
        let home_municipality = Locality::parse(&home).municipality.unwrap_or(home);
        // Only an empty string stands for "not given": anything else must be a date.
        let intake_date = match input.intake_date.as_deref().filter(|d| !d.is_empty()) {
            None => today,
            Some(d) => parse_date("intake_date", d)?,
        };
        if intake_date > today {
            return Err(ValidationError::new(
                "intake_date",
                "must not be in the future",
            ));
        }
        Ok(Self {
            display_name,
            home_municipality,
            intake_date,
            treatment_team_contact: optional_text(
                "treatment_team_contact",
                input.treatment_team_contact.as_deref(),
                200,
            )?,
            preferences: Preferences::parse(&input.preferences)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_preferences_are_valid() {
        let input = ClientInput {
            display_name: "Asiakas A".into(),
            home_municipality: "Lahti".into(),
            ..Default::default()
        };
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let c = ClientDraft::parse(&input, today).unwrap();
        assert_eq!(c.intake_date, today);
        assert_eq!(c.preferences, Preferences::default());
    }

    #[test]
    fn bad_occupation_code_names_its_index() {
        let raw = Preferences {
            occupations: vec!["9112".into(), "x".into()],
            ..Default::default()
        };
        assert_eq!(
            Preferences::parse(&raw).unwrap_err().field,
            "preferences.occupations[1]"
        );
    }
}
