//! Stored records as the rest of the service sees them (what the store returns).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::{HoursRange, PostingStatus, Preferences, Role};

/// An employer in the register.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Employer {
    /// Id.
    pub id: i64,
    /// Trade name.
    pub name: String,
    /// Business ID (Y-tunnus).
    pub business_id: Option<String>,
    /// Line of business.
    pub industry: Option<String>,
    /// Municipality.
    pub municipality: Option<String>,
    /// Created.
    pub created_at: DateTime<Utc>,
}

/// A stored vacancy.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Vacancy {
    /// Id.
    pub id: i64,
    /// Always `vacancy`.
    pub kind: &'static str,
    /// Employer id.
    pub employer_id: i64,
    /// Employer name.
    pub employer: String,
    /// Source identifier.
    pub external_id: Option<String>,
    /// Title.
    pub title: String,
    /// Ad text.
    pub description: String,
    /// Locality as given.
    pub location: Option<String>,
    /// Municipality (null when the ad names only a region or the country).
    pub municipality: Option<String>,
    /// ISCO-08 / ESCO code.
    pub occupation_code: Option<String>,
    /// Hours per week.
    pub hours_per_week: Option<HoursRange>,
    /// schema.org employment type.
    pub employment_type: Option<String>,
    /// Language of the ad as stated (null: detected for search only).
    pub language: Option<String>,
    /// Last day to apply.
    pub valid_through: Option<DateTime<Utc>>,
    /// First published.
    pub date_posted: DateTime<Utc>,
    /// Wage subsidy possible.
    pub wage_subsidy_ok: Option<bool>,
    /// Work trial possible.
    pub work_trial_ok: Option<bool>,
    /// Adjustments the employer can offer.
    pub adjustments_offered: Vec<String>,
    /// Occupations: the given code, or those read from the title and text, best first.
    pub occupations: Vec<super::OccupationGuess>,
    /// open or closed.
    pub status: PostingStatus,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// A stored subcontracting task.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Task {
    /// Id.
    pub id: i64,
    /// Always `task`.
    pub kind: &'static str,
    /// Buying employer id.
    pub employer_id: i64,
    /// Buying employer name.
    pub employer: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Locality as given.
    pub location: Option<String>,
    /// Municipality.
    pub municipality: Option<String>,
    /// buyer or provider.
    pub site: Option<String>,
    /// First day.
    pub starts_on: Option<NaiveDate>,
    /// Last day.
    pub ends_on: Option<NaiveDate>,
    /// Estimated hours.
    pub estimated_hours: Option<f64>,
    /// Group size.
    pub group_size: Option<i64>,
    /// Occupations read from the title and text, best first.
    pub occupations: Vec<super::OccupationGuess>,
    /// open or closed.
    pub status: PostingStatus,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// A client on a coach's caseload.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Client {
    /// Id.
    pub id: i64,
    /// The responsible coach (user id).
    pub coach_id: i64,
    /// Pseudonymous display name.
    pub display_name: String,
    /// Home municipality.
    pub home_municipality: String,
    /// Intake date: the rapid-search clock starts here.
    pub intake_date: NaiveDate,
    /// Treatment team contact.
    pub treatment_team_contact: Option<String>,
    /// Preferences.
    pub preferences: Preferences,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// An authenticated user.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct User {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// For employer users: the employer they act for.
    pub employer_id: Option<i64>,
}

/// A match list served for a client, as logged for the ranker (and shown in the client's
/// export).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ServedList {
    /// When it was served.
    pub served_at: DateTime<Utc>,
    /// Version of the ranking model that ordered it.
    pub model_version: String,
    /// The suggestions, in the order served.
    pub suggestions: Vec<ServedSuggestion>,
}

/// One suggestion of a served list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ServedSuggestion {
    /// Position in the list, from 0.
    pub position: usize,
    /// `vacancy`, `task` or `employer`.
    pub kind: &'static str,
    /// Id within the kind.
    pub id: i64,
    /// Model score.
    pub score: f64,
    /// Feature values in model order (the export names them).
    pub features: Vec<f64>,
}
