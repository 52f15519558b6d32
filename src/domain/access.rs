//! The access log's vocabulary: what a user did, or tried to do, with client data, why an
//! attempt was refused, and a logged row as an auditor reads it.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::Role;

/// What a user did, or tried to do, with client data. The names are stored and shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccessAction {
    /// Added a client (`POST /clients`).
    Create,
    /// Read one client (`GET /clients/{id}`).
    Read,
    /// Changed a client (`PATCH /clients/{id}`).
    Update,
    /// Read a list of clients (`GET /clients`).
    List,
    /// Asked for a client's matches.
    Matches,
    /// Read a client's events and feedback forms.
    ReadEvents,
    /// Recorded an event of a client.
    RecordEvent,
    /// Logged an employer contact about a client.
    RecordContact,
    /// Asked an employer for feedback on a client's placement.
    RequestFeedback,
    /// Read an employer's contact log, where the caller's own clients are named.
    EmployerContacts,
    /// Read the fidelity figures, whose alerts name clients.
    Fidelity,
    /// Opened the dashboard page.
    Dashboard,
    /// Downloaded a dashboard table as CSV.
    DashboardExport,
    /// Exported everything held on a client (GDPR art. 15).
    Export,
    /// Erased a client (GDPR art. 17, or the end of retention).
    Erase,
}

impl AccessAction {
    /// Every action.
    pub const ALL: [AccessAction; 15] = [
        AccessAction::Create,
        AccessAction::Read,
        AccessAction::Update,
        AccessAction::List,
        AccessAction::Matches,
        AccessAction::ReadEvents,
        AccessAction::RecordEvent,
        AccessAction::RecordContact,
        AccessAction::RequestFeedback,
        AccessAction::EmployerContacts,
        AccessAction::Fidelity,
        AccessAction::Dashboard,
        AccessAction::DashboardExport,
        AccessAction::Export,
        AccessAction::Erase,
    ];

    /// The identifier stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            AccessAction::Create => "create",
            AccessAction::Read => "read",
            AccessAction::Update => "update",
            AccessAction::List => "list",
            AccessAction::Matches => "matches",
            AccessAction::ReadEvents => "read_events",
            AccessAction::RecordEvent => "record_event",
            AccessAction::RecordContact => "record_contact",
            AccessAction::RequestFeedback => "request_feedback",
            AccessAction::EmployerContacts => "employer_contacts",
            AccessAction::Fidelity => "fidelity",
            AccessAction::Dashboard => "dashboard",
            AccessAction::DashboardExport => "dashboard_export",
            AccessAction::Export => "export",
            AccessAction::Erase => "erase",
        }
    }

    /// Parses a stored identifier.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// Why an attempt on client data was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DenialReason {
    /// The caller's role reads no client data (the caller got a 403).
    Role,
    /// The client, or the caseload, is another coach's (the caller got a 404).
    NotOnCaseload,
    /// No client has the id asked for (404).
    NoSuchClient,
    /// The client has been erased (404).
    Erased,
}

impl DenialReason {
    /// Every reason.
    pub const ALL: [DenialReason; 4] = [
        DenialReason::Role,
        DenialReason::NotOnCaseload,
        DenialReason::NoSuchClient,
        DenialReason::Erased,
    ];

    /// The identifier stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            DenialReason::Role => "role",
            DenialReason::NotOnCaseload => "not_on_caseload",
            DenialReason::NoSuchClient => "no_such_client",
            DenialReason::Erased => "erased",
        }
    }

    /// Parses a stored identifier.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// What the logged request was about: one client, or a list and the clients it showed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessTarget<'a> {
    /// One client, by the id asked for (also an id that names no client).
    Client(i64),
    /// A list (`clients`, `dashboard`, `dashboard/caseload.csv`, …) and the clients it showed.
    List(&'a str, &'a [i64]),
}

/// One row of the access log, as an auditor reads it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AccessEntry {
    /// Id (increasing).
    pub id: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// Who: user id.
    pub user_id: i64,
    /// The user's name.
    pub user_name: String,
    /// The user's role.
    pub user_role: Role,
    /// What was done or tried.
    pub action: AccessAction,
    /// The client asked for (null for a list).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<i64>,
    /// The list read (null for one client).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub list: Option<String>,
    /// The clients the list showed (empty for one client).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub clients: Vec<i64>,
    /// `allowed` or `denied`.
    pub outcome: &'static str,
    /// Why a denied attempt was refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<DenialReason>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_read_back() {
        for a in AccessAction::ALL {
            assert_eq!(AccessAction::parse(a.as_str()), Some(a));
            assert_eq!(
                serde_json::to_value(a).unwrap(),
                serde_json::json!(a.as_str())
            );
        }
        for r in DenialReason::ALL {
            assert_eq!(DenialReason::parse(r.as_str()), Some(r));
            assert_eq!(
                serde_json::to_value(r).unwrap(),
                serde_json::json!(r.as_str())
            );
        }
    }
}
