//! What a person signs in with (an e-mail address and a password), and what an admin sees of
//! accounts and their API tokens. Parsed at the edge; a password never leaves this type in
//! clear except to be hashed.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::{Role, Validated, ValidationError};

/// An e-mail address to sign in with, in lower case (addresses are compared without case).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

/// Longest address accepted (RFC 5321's path limit).
const MAX_EMAIL: usize = 254;

impl Email {
    /// Parses an address: trimmed, one `@` with something on both sides, a domain with a dot
    /// and no empty label, no white space or control characters, at most 254 characters.
    pub fn parse(field: &str, raw: &str) -> Validated<Email> {
        let value = raw.trim().to_lowercase();
        let wrong = |why: &str| ValidationError::new(field, why.to_string());
        if value.is_empty() {
            return Err(wrong("must not be empty"));
        }
        if value.chars().count() > MAX_EMAIL {
            return Err(wrong("is longer than 254 characters"));
        }
        if value
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | ','))
        {
            return Err(wrong(
                "must be a plain address such as name@example.fi, without spaces",
            ));
        }
        let Some((local, domain)) = value.rsplit_once('@') else {
            return Err(wrong("must be an address such as name@example.fi"));
        };
        if local.is_empty() || local.contains('@') {
            return Err(wrong("must be an address such as name@example.fi"));
        }
        if !domain.contains('.') || domain.split('.').any(str::is_empty) {
            return Err(wrong("must have a domain such as example.fi after the @"));
        }
        Ok(Email(value))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Email({})", self.0)
    }
}

/// A new password: 12 to 1024 characters, not only white space. Its `Debug` never shows it.
#[derive(Clone)]
pub struct Password(String);

/// Shortest password accepted. Length is what makes a password strong; no composition rules
/// (NIST SP 800-63B).
pub const MIN_PASSWORD: usize = 12;
/// Longest password accepted: hashing cost grows with length, so it is bounded.
pub const MAX_PASSWORD: usize = 1024;

impl Password {
    /// Checks a new password. It is kept exactly as typed (no trimming: spaces may be part of
    /// a passphrase).
    pub fn parse(field: &str, raw: &str) -> Validated<Password> {
        let len = raw.chars().count();
        if len < MIN_PASSWORD {
            return Err(ValidationError::new(
                field,
                format!("must be at least {MIN_PASSWORD} characters long"),
            ));
        }
        if len > MAX_PASSWORD {
            return Err(ValidationError::new(
                field,
                format!("must be at most {MAX_PASSWORD} characters long"),
            ));
        }
        if raw.trim().is_empty() {
            return Err(ValidationError::new(field, "must not be only spaces"));
        }
        if raw.chars().any(char::is_control) {
            return Err(ValidationError::new(
                field,
                "must not contain control characters",
            ));
        }
        Ok(Password(raw.to_string()))
    }

    /// The password, to be hashed.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl Password {
    /// The argon2id hash of the password, as a PHC string (`$argon2id$v=19$m=…`), with a
    /// random salt and the crate's default cost (19 MiB, 2 passes: OWASP's minimum). CPU-bound
    /// for tens of milliseconds: call it off the async workers.
    pub fn hash(&self) -> Result<String, PasswordHashError> {
        use argon2::password_hash::PasswordHasher;
        argon2::Argon2::default()
            .hash_password(self.0.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| PasswordHashError(e.to_string()))
    }
}

/// Hashing a password failed (the system's random source, in practice).
#[derive(Debug, thiserror::Error)]
#[error("could not hash the password: {0}")]
pub struct PasswordHashError(String);

/// Whether `candidate` is the password whose PHC string is `phc`. With no stored hash, a hash
/// of an unguessable password is checked instead, so that a missing account or password takes
/// as long to refuse as a wrong password (no telling which addresses exist by timing).
/// CPU-bound like [`Password::hash`].
pub fn password_matches(phc: Option<&str>, candidate: &str) -> bool {
    use argon2::password_hash::PasswordVerifier;
    static NO_ACCOUNT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let mut secret = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut secret);
        Password(hex::encode(secret))
            .hash()
            .unwrap_or_else(|_| String::from("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$AAAA"))
    });
    let stored = phc.unwrap_or(NO_ACCOUNT.as_str());
    let verified = argon2::Argon2::default()
        .verify_password(candidate.as_bytes(), stored)
        .is_ok();
    verified && phc.is_some()
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// A user as an admin sees it: who, which role, how it signs in, and whether it may.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Account {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// For employer users: the employer they act for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employer_id: Option<i64>,
    /// Address to sign in with in the browser, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Whether a password is set (the password itself is never shown).
    pub has_password: bool,
    /// API tokens that still authenticate (not revoked, not expired).
    pub active_tokens: i64,
    /// When the user was disabled; a disabled user cannot sign in or use any token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disabled_at: Option<DateTime<Utc>>,
}

/// An API token as listed: enough to recognise it, never enough to use it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TokenInfo {
    /// Id (to revoke it).
    pub id: i64,
    /// The token's first 12 characters (`kht_` and 8 hex digits); absent for tokens issued
    /// before prefixes were kept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// When it was issued.
    pub created_at: DateTime<Utc>,
    /// When it stops working, if ever.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
    /// When it was last used (to the minute), if ever.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_used_at: Option<DateTime<Utc>>,
    /// Whether it was revoked.
    pub revoked: bool,
    /// Whether it authenticates now (neither revoked nor expired, and the user not disabled).
    pub active: bool,
}

/// A token just issued: shown once, here, and never again.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IssuedToken {
    /// Id (to revoke it).
    pub id: i64,
    /// Its first 12 characters, as listings show it.
    pub prefix: String,
    /// The token itself: keep it now, it cannot be shown again.
    pub token: String,
    /// When it stops working, if ever.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
}

/// A browser session as its owner sees it in the account page.
#[derive(Debug, Clone, Serialize)]
pub struct SessionInfo {
    /// Id (not the cookie: that is never stored).
    pub id: i64,
    /// When it began.
    pub created_at: DateTime<Utc>,
    /// When it was last used (to the minute).
    pub last_seen_at: DateTime<Utc>,
    /// When it ends at the latest.
    pub expires_at: DateTime<Utc>,
    /// The browser, as it named itself.
    pub user_agent: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_is_compared_without_case_and_trimmed() {
        let e = Email::parse("email", "  Aino.Valmentaja@Hyvinvointialue.FI ").unwrap();
        assert_eq!(e.as_str(), "aino.valmentaja@hyvinvointialue.fi");
    }

    #[test]
    fn malformed_emails_are_refused_with_their_field() {
        for bad in [
            "",
            "aino",
            "@example.fi",
            "aino@",
            "aino@localhost",
            "aino@example..fi",
            "ai no@example.fi",
            "aino@@example.fi",
            "<aino@example.fi>",
        ] {
            let err = Email::parse("email", bad).unwrap_err();
            assert_eq!(err.field, "email", "{bad:?}");
        }
        let long = format!("{}@example.fi", "a".repeat(250));
        assert!(Email::parse("email", &long).is_err());
    }

    #[test]
    fn a_password_needs_twelve_characters_and_is_never_shown() {
        assert!(Password::parse("password", "lyhyt").is_err());
        assert!(Password::parse("password", "            ").is_err());
        assert!(Password::parse("password", &"x".repeat(1025)).is_err());
        assert!(Password::parse("password", "kaksitoista\u{7}x").is_err());
        let p = Password::parse("password", "oikein hyvä salasana").unwrap();
        assert_eq!(p.expose(), "oikein hyvä salasana");
        assert_eq!(format!("{p:?}"), "Password(***)");
    }

    #[test]
    fn a_password_hash_is_an_argon2id_phc_string_that_verifies_only_its_password() {
        let p = Password::parse("password", "oikein hyvä salasana").unwrap();
        let phc = p.hash().unwrap();
        assert!(phc.starts_with("$argon2id$v=19$"), "{phc}");
        assert!(!phc.contains("oikein"));
        assert!(password_matches(Some(&phc), "oikein hyvä salasana"));
        assert!(!password_matches(Some(&phc), "oikein hyvä salasanA"));
        assert!(!password_matches(None, "oikein hyvä salasana"));
        assert!(!password_matches(Some("not a phc string"), "x"));
    }
}
