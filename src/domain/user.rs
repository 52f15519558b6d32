//! Who is calling: the four roles of DESIGN.md, and the auditor who reads the access log.

use std::fmt;

/// A user's role. It decides what the user may see; see DESIGN.md "Access".
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Manages users and tokens.
    Admin,
    /// Reads aggregates only; never an individual client.
    Coordinator,
    /// Keeps a caseload of clients; sees only its own clients.
    Coach,
    /// Posts work for its own employer; never sees clients.
    Employer,
    /// Reads the access log (who read or changed which client, and who was refused); never a
    /// client record itself.
    Auditor,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Coordinator,
        Role::Coach,
        Role::Employer,
        Role::Auditor,
    ];

    /// The identifier stored in the database and used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Coordinator => "coordinator",
            Role::Coach => "coach",
            Role::Employer => "employer",
            Role::Auditor => "auditor",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Parses a role name.
pub fn parse_role(s: &str) -> Result<Role, String> {
    match s {
        "admin" => Ok(Role::Admin),
        "coordinator" => Ok(Role::Coordinator),
        "coach" => Ok(Role::Coach),
        "employer" => Ok(Role::Employer),
        "auditor" => Ok(Role::Auditor),
        other => Err(format!(
            "unknown role '{other}': use admin, coordinator, coach, employer or auditor"
        )),
    }
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_role(s)
    }
}
