//! Plain, validated types: what a posting, an employer, a client and a user are.
//!
//! Everything here is parsed once at the edge (HTTP body, import line, CLI flag) and is valid
//! from then on. No actix, no sqlx, no tantivy in this module.

mod access;
mod account;
mod client;
mod date;
mod employer;
mod event;
mod municipality;
mod posting;
mod records;
mod text;
mod user;

pub use access::{AccessAction, AccessEntry, AccessTarget, DenialReason};
pub use account::{
    password_matches, Account, Email, IssuedToken, Password, PasswordHashError, SessionInfo,
    TokenInfo, MAX_PASSWORD, MIN_PASSWORD,
};
pub use client::{pseudonym, ClientDraft, ClientInput, Preferences};
pub use date::{
    check_date_range, format_timestamp, parse_date, parse_deadline, parse_timestamp, EARLIEST_DATE,
    LATEST_DATE,
};
pub use employer::EmployerDraft;
pub use event::{
    ClientEvent, ContactDraft, ContactInput, EmployerContact, EventDraft, EventInput, EventType,
    FeedbackAnswers, FeedbackForm, MatchFeedback, PlacementType, SupportNeeded,
};
pub use municipality::{normalize_locality, Locality};
pub use posting::{
    EmploymentType, HoursRange, LanguageCode, OccupationCode, OccupationGuess, PostingStatus,
    Source, TaskDraft, TaskInput, TaskSite, VacancyDraft, VacancyInput,
};
pub use records::{Client, Employer, ServedList, ServedSuggestion, Task, User, Vacancy};
pub use text::{bounded_list, bounded_text, is_blank, optional_text};
pub use user::{parse_role, Role};

/// A value that failed validation, with the name of the field it came from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ValidationError {
    /// JSON name of the offending field (dotted for nested fields, e.g. `preferences.avoid`).
    pub field: String,
    /// Human-readable explanation, in English.
    pub message: String,
}

impl ValidationError {
    /// Builds an error for `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Result alias for validation.
pub type Validated<T> = Result<T, ValidationError>;
