//! Postings: vacancies (open-market jobs) and subcontracting tasks (alihankintatyö).
//!
//! `*Input` types carry the raw fields as they arrive (HTTP body, import line); `*Draft`
//! types are the validated result that the store accepts.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    bounded_list, bounded_text, is_blank, optional_text, parse_date, parse_deadline, Locality,
    Validated, ValidationError,
};

/// Upper bound for hours per week: anything above a full week is a typo.
const MAX_HOURS_PER_WEEK: f64 = 80.0;

/// Whether a posting is open (searchable, matchable) or closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PostingStatus {
    /// Visible in search and matches.
    Open,
    /// Closed by its employer or a coach; kept for history, gone from search.
    Closed,
}

impl PostingStatus {
    /// Database representation.
    pub fn as_str(self) -> &'static str {
        match self {
            PostingStatus::Open => "open",
            PostingStatus::Closed => "closed",
        }
    }

    /// Reads the database representation; anything unknown is treated as closed.
    pub fn from_db(s: &str) -> Self {
        if s == "open" {
            PostingStatus::Open
        } else {
            PostingStatus::Closed
        }
    }
}

/// An ISCO-08 group (`4321`, 1–4 digits) or an ESCO occupation code (`4321.1`, `2654.1.7`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(transparent)]
pub struct OccupationCode(String);

impl OccupationCode {
    /// Parses a code; `field` names the JSON field for errors.
    pub fn parse(field: &str, raw: &str) -> Validated<Self> {
        let raw = raw.trim();
        let mut parts = raw.split('.');
        let isco = parts.next().unwrap_or_default();
        let isco_ok = (1..=4).contains(&isco.len()) && isco.bytes().all(|b| b.is_ascii_digit());
        let rest_ok =
            parts.all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()));
        if !isco_ok || !rest_ok || raw.len() > 24 {
            return Err(ValidationError::new(
                field,
                "must be an ISCO-08 code (1–4 digits, e.g. 9112) or an ESCO code (e.g. 9112.1)",
            ));
        }
        Ok(Self(raw.to_string()))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The ISCO-08 group part (`4321` of `4321.1`).
    pub fn isco_group(&self) -> &str {
        self.0.split('.').next().unwrap_or(&self.0)
    }
}

/// Hours per week, either end open.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HoursRange {
    /// Fewest hours per week (0–80, not more than `max`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 0, maximum = 80, example = 20)]
    pub min: Option<f64>,
    /// Most hours per week (0–80).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(minimum = 0, maximum = 80, example = 30)]
    pub max: Option<f64>,
}

impl HoursRange {
    /// Checks that both ends are in 0–80 and `min <= max`; an empty range is `None`.
    pub fn parse(field: &str, raw: Option<HoursRange>) -> Validated<Option<Self>> {
        let Some(r) = raw else { return Ok(None) };
        for (name, v) in [("min", r.min), ("max", r.max)] {
            if let Some(v) = v {
                if !v.is_finite() || !(0.0..=MAX_HOURS_PER_WEEK).contains(&v) {
                    return Err(ValidationError::new(
                        format!("{field}.{name}"),
                        format!("must be between 0 and {MAX_HOURS_PER_WEEK} hours per week"),
                    ));
                }
            }
        }
        if let (Some(min), Some(max)) = (r.min, r.max) {
            if min > max {
                return Err(ValidationError::new(
                    format!("{field}.min"),
                    "must not be greater than max",
                ));
            }
        }
        Ok((r.min.is_some() || r.max.is_some()).then_some(r))
    }
}

/// schema.org `employmentType` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EmploymentType {
    /// Kokoaikatyö.
    FullTime,
    /// Osa-aikatyö.
    PartTime,
    /// Yrittäjä / toimeksianto.
    Contractor,
    /// Määräaikainen.
    Temporary,
    /// Harjoittelu.
    Intern,
    /// Vapaaehtoistyö.
    Volunteer,
    /// Keikkatyö.
    PerDiem,
    /// Muu.
    Other,
}

impl EmploymentType {
    /// Parses a schema.org value case-insensitively ("part_time", "PART_TIME", "part-time").
    pub fn parse(field: &str, raw: &str) -> Validated<Self> {
        let norm = raw.trim().to_ascii_uppercase().replace(['-', ' '], "_");
        let value = match norm.as_str() {
            "FULL_TIME" => EmploymentType::FullTime,
            "PART_TIME" => EmploymentType::PartTime,
            "CONTRACTOR" => EmploymentType::Contractor,
            "TEMPORARY" => EmploymentType::Temporary,
            "INTERN" => EmploymentType::Intern,
            "VOLUNTEER" => EmploymentType::Volunteer,
            "PER_DIEM" => EmploymentType::PerDiem,
            "OTHER" => EmploymentType::Other,
            _ => {
                return Err(ValidationError::new(
                    field,
                    "must be one of FULL_TIME, PART_TIME, CONTRACTOR, TEMPORARY, INTERN, VOLUNTEER, PER_DIEM, OTHER",
                ))
            }
        };
        Ok(value)
    }

    /// The schema.org spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            EmploymentType::FullTime => "FULL_TIME",
            EmploymentType::PartTime => "PART_TIME",
            EmploymentType::Contractor => "CONTRACTOR",
            EmploymentType::Temporary => "TEMPORARY",
            EmploymentType::Intern => "INTERN",
            EmploymentType::Volunteer => "VOLUNTEER",
            EmploymentType::PerDiem => "PER_DIEM",
            EmploymentType::Other => "OTHER",
        }
    }
}

/// An ISO 639-1 language code, lower case (`fi`, `sv`, `en`, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(transparent)]
pub struct LanguageCode(String);

impl LanguageCode {
    /// Parses `fi`, `FI`, `fi-FI`, `sv_SE`… into the two-letter code.
    pub fn parse(field: &str, raw: &str) -> Validated<Self> {
        let code = raw
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_lowercase()) {
            return Err(ValidationError::new(
                field,
                "must be a two-letter ISO 639-1 language code such as fi, sv or en",
            ));
        }
        Ok(Self(code))
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A vacancy as it arrives: the body of `POST /api/v1/vacancies`, or an import line mapped.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VacancyInput {
    /// The employer in the register that offers the job (an employer user: its own).
    #[schema(minimum = 1, example = 1)]
    pub employer_id: i64,
    /// Job title, as the ad says it.
    #[schema(min_length = 1, max_length = 200, example = "Varastotyöntekijä")]
    pub title: String,
    /// The ad text.
    #[schema(min_length = 1, max_length = 50000)]
    pub description: String,
    /// Municipality, required through the API (postcodes are stripped; a region or
    /// "Finland" leaves it unknown).
    #[serde(default)]
    #[schema(max_length = 200, example = "Lahti")]
    pub municipality: Option<String>,
    /// ISCO-08 group (1–4 digits, `9112`) or ESCO occupation code (`9112.1`); read from the
    /// title and text when absent.
    #[serde(default)]
    #[schema(example = "9321")]
    pub occupation_code: Option<String>,
    /// Hours per week offered.
    #[serde(default, deserialize_with = "super::optional_object_only")]
    pub hours_per_week: Option<HoursRange>,
    /// schema.org employment type, any case: FULL_TIME, PART_TIME, CONTRACTOR, TEMPORARY,
    /// INTERN, VOLUNTEER, PER_DIEM or OTHER.
    #[serde(default)]
    #[schema(example = "PART_TIME")]
    pub employment_type: Option<String>,
    /// Language of the ad (ISO 639-1, `fi`); detected from the text when absent.
    #[serde(default)]
    #[schema(example = "fi")]
    pub language: Option<String>,
    /// Last day to apply: a date (to its end) or a timestamp.
    #[serde(default)]
    #[schema(value_type = Option<super::DeadlineOrEmpty>)]
    pub valid_through: Option<String>,
    /// When the ad was first published (import); defaults to the time of posting.
    #[serde(default)]
    #[schema(value_type = Option<super::DeadlineOrEmpty>)]
    pub date_posted: Option<String>,
    /// The employer accepts a wage-subsidised hire (palkkatuki).
    #[serde(default)]
    pub wage_subsidy_ok: Option<bool>,
    /// The employer can start with a work trial (työkokeilu).
    #[serde(default)]
    pub work_trial_ok: Option<bool>,
    /// Adjustments the employer can offer ("kirjalliset ohjeet", "rauhallinen tila"), at most
    /// 30 (each at most 200 characters).
    #[serde(default)]
    #[schema(max_items = 30)]
    pub adjustments_offered: Option<Vec<String>>,
    /// The identifier in the source system; imports upsert by it. Unique among vacancies.
    #[serde(default)]
    #[schema(max_length = 200)]
    pub external_id: Option<String>,
}

/// Where a posting comes from: the rules differ a little.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Posted through the API by a coach or an employer.
    Api,
    /// Read from an import file.
    Import,
}

/// A validated vacancy.
#[derive(Debug, Clone, PartialEq)]
pub struct VacancyDraft {
    /// Employer in the register.
    pub employer_id: i64,
    /// Title.
    pub title: String,
    /// Ad text.
    pub description: String,
    /// Locality text as given.
    pub location: Option<String>,
    /// Municipality, when the locality names one.
    pub municipality: Option<String>,
    /// Occupation code.
    pub occupation_code: Option<OccupationCode>,
    /// Hours per week.
    pub hours_per_week: Option<HoursRange>,
    /// Employment type.
    pub employment_type: Option<EmploymentType>,
    /// Language of the ad, when stated.
    pub language: Option<LanguageCode>,
    /// Last day to apply.
    pub valid_through: Option<DateTime<Utc>>,
    /// First published.
    pub date_posted: Option<DateTime<Utc>>,
    /// Wage subsidy possible.
    pub wage_subsidy_ok: Option<bool>,
    /// Work trial possible.
    pub work_trial_ok: Option<bool>,
    /// Adjustments offered.
    pub adjustments_offered: Vec<String>,
    /// Source identifier.
    pub external_id: Option<String>,
    /// Occupations, best first: filled by the caller from the taxonomy before storing.
    pub occupations: Vec<OccupationGuess>,
}

impl VacancyDraft {
    /// Validates a vacancy. Through the API a posting names its employer by id and says where
    /// the work is; an imported ad names its employer by name (the import resolves it) and may
    /// name only a region.
    pub fn parse(input: &VacancyInput, source: Source) -> Validated<Self> {
        let require_municipality = source == Source::Api;
        if source == Source::Api && input.employer_id <= 0 {
            return Err(ValidationError::new("employer_id", "must be a positive id"));
        }
        let title = bounded_text("title", &input.title, 200)?;
        let description = bounded_text("description", &input.description, 50_000)?;
        let location = optional_text("municipality", input.municipality.as_deref(), 200)?;
        if require_municipality && location.is_none() {
            return Err(ValidationError::new("municipality", "must not be empty"));
        }
        let municipality = location
            .as_deref()
            .and_then(|l| Locality::parse(l).municipality);
        let occupation_code = input
            .occupation_code
            .as_deref()
            .filter(|c| !is_blank(c))
            .map(|c| OccupationCode::parse("occupation_code", c))
            .transpose()?;
        let employment_type = input
            .employment_type
            .as_deref()
            .filter(|c| !is_blank(c))
            .map(|c| EmploymentType::parse("employment_type", c))
            .transpose()?;
        let language = input
            .language
            .as_deref()
            .filter(|c| !is_blank(c))
            .map(|c| LanguageCode::parse("language", c))
            .transpose()?;
        // Through the API only an empty string stands for "not given" (the document's
        // pattern says so); an import line may have any blank.
        let given = |c: &&str| match source {
            Source::Api => !c.is_empty(),
            Source::Import => !is_blank(c),
        };
        let valid_through = input
            .valid_through
            .as_deref()
            .filter(given)
            .map(|c| parse_deadline("valid_through", c))
            .transpose()?;
        let date_posted = input
            .date_posted
            .as_deref()
            .filter(given)
            .map(|c| parse_deadline("date_posted", c))
            .transpose()?;
        let adjustments_offered = bounded_list(
            "adjustments_offered",
            input.adjustments_offered.as_deref().unwrap_or_default(),
            30,
            200,
        )?;
        let external_id = optional_text("external_id", input.external_id.as_deref(), 200)?;
        Ok(Self {
            employer_id: input.employer_id,
            title,
            description,
            location,
            municipality,
            occupation_code,
            hours_per_week: HoursRange::parse("hours_per_week", input.hours_per_week)?,
            employment_type,
            language,
            valid_through,
            date_posted,
            wage_subsidy_ok: input.wage_subsidy_ok,
            work_trial_ok: input.work_trial_ok,
            adjustments_offered,
            external_id,
            occupations: Vec::new(),
        })
    }
}

/// Where a subcontracted task is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaskSite {
    /// At the buying company's premises.
    Buyer,
    /// At the provider's work centre.
    Provider,
}

impl TaskSite {
    /// Database and JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskSite::Buyer => "buyer",
            TaskSite::Provider => "provider",
        }
    }

    fn parse(raw: &str) -> Validated<Self> {
        match raw.trim() {
            "buyer" => Ok(TaskSite::Buyer),
            "provider" => Ok(TaskSite::Provider),
            _ => Err(ValidationError::new(
                "site",
                "must be \"buyer\" or \"provider\"",
            )),
        }
    }
}

/// A subcontracting task as it arrives: the body of `POST /api/v1/tasks`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskInput {
    /// The buying employer (an employer user: its own).
    #[schema(minimum = 1, example = 1)]
    pub employer_id: i64,
    /// Short name of the task.
    #[schema(min_length = 1, max_length = 200, example = "Pakkaustyö")]
    pub title: String,
    /// What the work is.
    #[schema(min_length = 1, max_length = 20000)]
    pub description: String,
    /// Municipality where the work is done (required).
    #[serde(default)]
    #[schema(max_length = 200, example = "Lahti")]
    pub municipality: Option<String>,
    /// `buyer` (on the buyer's premises) or `provider` (at the work centre).
    #[serde(default)]
    #[schema(value_type = Option<TaskSite>)]
    pub site: Option<String>,
    /// First day (YYYY-MM-DD).
    #[serde(default)]
    #[schema(value_type = Option<super::Day>)]
    pub starts_on: Option<String>,
    /// Last day (YYYY-MM-DD), not before `starts_on`.
    #[serde(default)]
    #[schema(value_type = Option<super::Day>)]
    pub ends_on: Option<String>,
    /// Estimated hours of work in all (0–100000).
    #[serde(default)]
    #[schema(minimum = 0, maximum = 100000)]
    pub estimated_hours: Option<f64>,
    /// How many people the work needs (1–500).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 500)]
    pub group_size: Option<i64>,
}

/// A validated subcontracting task.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskDraft {
    /// Buying employer.
    pub employer_id: i64,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Locality text as given.
    pub location: Option<String>,
    /// Municipality, when recognised.
    pub municipality: Option<String>,
    /// Site.
    pub site: Option<TaskSite>,
    /// First day.
    pub starts_on: Option<NaiveDate>,
    /// Last day.
    pub ends_on: Option<NaiveDate>,
    /// Estimated hours.
    pub estimated_hours: Option<f64>,
    /// Group size.
    pub group_size: Option<i64>,
    /// Occupations, best first: filled by the caller from the taxonomy before storing.
    pub occupations: Vec<OccupationGuess>,
}

impl TaskDraft {
    /// Validates a task.
    pub fn parse(input: &TaskInput) -> Validated<Self> {
        if input.employer_id <= 0 {
            return Err(ValidationError::new("employer_id", "must be a positive id"));
        }
        let title = bounded_text("title", &input.title, 200)?;
        let description = bounded_text("description", &input.description, 20_000)?;
        let location = optional_text("municipality", input.municipality.as_deref(), 200)?
            .ok_or_else(|| ValidationError::new("municipality", "must not be empty"))?;
        let municipality = Locality::parse(&location).municipality;
        let site = input.site.as_deref().map(TaskSite::parse).transpose()?;
        let starts_on = input
            .starts_on
            .as_deref()
            .map(|d| parse_date("starts_on", d))
            .transpose()?;
        let ends_on = input
            .ends_on
            .as_deref()
            .map(|d| parse_date("ends_on", d))
            .transpose()?;
        if let (Some(s), Some(e)) = (starts_on, ends_on) {
            if e < s {
                return Err(ValidationError::new(
                    "ends_on",
                    "must not be before starts_on",
                ));
            }
        }
        if let Some(h) = input.estimated_hours {
            if !h.is_finite() || !(0.0..=100_000.0).contains(&h) {
                return Err(ValidationError::new(
                    "estimated_hours",
                    "must be between 0 and 100000",
                ));
            }
        }
        if let Some(g) = input.group_size {
            if !(1..=500).contains(&g) {
                return Err(ValidationError::new(
                    "group_size",
                    "must be between 1 and 500",
                ));
            }
        }
        Ok(Self {
            employer_id: input.employer_id,
            title,
            description,
            location: Some(location),
            municipality,
            site,
            starts_on,
            ends_on,
            estimated_hours: input.estimated_hours,
            group_size: input.group_size,
            occupations: Vec::new(),
        })
    }
}

/// An occupation of a posting: given (confidence 1) or read from its title and text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct OccupationGuess {
    /// ESCO occupation code (`9112.2`) or ISCO-08 group (`9112`).
    pub code: String,
    /// Its Finnish name (the code itself when the taxonomy is not imported).
    pub label: String,
    /// 1 when given; otherwise how sure the classifier is, in (0, 1).
    pub confidence: f64,
}

impl OccupationGuess {
    /// The ISCO-08 group digits of the code (`9112.2` -> `9112`).
    pub fn isco(&self) -> &str {
        self.code.split('.').next().unwrap_or(&self.code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vacancy() -> VacancyInput {
        VacancyInput {
            employer_id: 1,
            title: "Varastotyöntekijä".into(),
            description: "Keräilyä ja pakkaamista.".into(),
            municipality: Some("00510 - Helsinki".into()),
            ..Default::default()
        }
    }

    #[test]
    fn occupation_codes_follow_isco_and_esco() {
        assert!(OccupationCode::parse("c", "9112").is_ok());
        assert!(OccupationCode::parse("c", "2654.1.7").is_ok());
        assert!(OccupationCode::parse("c", "12345").is_err());
        assert!(OccupationCode::parse("c", "91a2").is_err());
        assert_eq!(
            OccupationCode::parse("c", "4321.1").unwrap().isco_group(),
            "4321"
        );
    }

    #[test]
    fn vacancy_municipality_is_normalised_and_text_kept() {
        let d = VacancyDraft::parse(&vacancy(), Source::Api).unwrap();
        assert_eq!(d.municipality.as_deref(), Some("Helsinki"));
        assert_eq!(d.location.as_deref(), Some("00510 - Helsinki"));
    }

    #[test]
    fn reversed_hours_name_the_field() {
        let mut v = vacancy();
        v.hours_per_week = Some(HoursRange {
            min: Some(30.0),
            max: Some(10.0),
        });
        assert_eq!(
            VacancyDraft::parse(&v, Source::Api).unwrap_err().field,
            "hours_per_week.min"
        );
    }

    #[test]
    fn bad_deadline_names_the_field() {
        let mut v = vacancy();
        v.valid_through = Some("31.12.2026".into());
        assert_eq!(
            VacancyDraft::parse(&v, Source::Api).unwrap_err().field,
            "valid_through"
        );
        v.valid_through = Some("2026-12-31".into());
        assert!(VacancyDraft::parse(&v, Source::Api).is_ok());
    }
}
