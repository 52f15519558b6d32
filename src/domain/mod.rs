//! Plain, validated types: what a posting, an employer, a client and a user are.
//!
//! Everything here is parsed once at the edge (HTTP body, import line, CLI flag) and is valid
//! from then on. No actix, no sqlx, no tantivy in this module.

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

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
    check_date_range, format_timestamp, parse_date, parse_deadline, parse_timestamp, Day,
    DayOrEmpty, Deadline, DeadlineOrEmpty, Moment, EARLIEST_DATE, LATEST_DATE,
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

/// Deserializes a `T` only from a JSON object. serde's derived `Deserialize` of a struct also
/// takes an array of its fields in order (`[20, 30]` for `{"min": 20, "max": 30}`), which no
/// client means: the API takes objects only.
pub struct ObjectOnly<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for ObjectOnly<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for Visit<T> {
            type Value = T;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
            }
        }
        d.deserialize_map(Visit(std::marker::PhantomData))
            .map(ObjectOnly)
    }
}

/// For `#[serde(deserialize_with)]`: a nested struct, from an object only.
pub fn object_only<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<T, D::Error> {
    ObjectOnly::deserialize(d).map(|o| o.0)
}

/// For `#[serde(deserialize_with)]`: an optional nested struct, from an object or `null`.
pub fn optional_object_only<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    Option::<ObjectOnly<T>>::deserialize(d).map(|o| o.map(|o| o.0))
}

/// Result alias for validation.
pub type Validated<T> = Result<T, ValidationError>;
