//! An employer in the register: a business that hires or buys subcontracted work.

use super::{bounded_text, optional_text, Locality, Validated, ValidationError};

/// A validated employer, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct EmployerDraft {
    /// Trade name.
    pub name: String,
    /// Finnish business ID (Y-tunnus), `1234567-8`, checksum verified.
    pub business_id: Option<String>,
    /// Line of business in free words ("logistiikka", "siivouspalvelut").
    pub industry: Option<String>,
    /// Home municipality, when known.
    pub municipality: Option<String>,
}

impl EmployerDraft {
    /// Validates the raw fields of an employer.
    pub fn parse(
        name: &str,
        business_id: Option<&str>,
        industry: Option<&str>,
        municipality: Option<&str>,
    ) -> Validated<Self> {
        let name = bounded_text("name", name, 200)?;
        let business_id = match optional_text("business_id", business_id, 20)? {
            None => None,
            Some(id) => Some(parse_business_id(&id)?),
        };
        let industry = optional_text("industry", industry, 200)?;
        let municipality = match optional_text("municipality", municipality, 100)? {
            None => None,
            Some(m) => Locality::parse(&m).municipality,
        };
        Ok(Self {
            name,
            business_id,
            industry,
            municipality,
        })
    }
}

/// Checks a Finnish business ID (Y-tunnus): seven digits, a hyphen, a check digit.
fn parse_business_id(id: &str) -> Validated<String> {
    let err = || {
        ValidationError::new(
            "business_id",
            "must be a Finnish business ID like 1234567-8",
        )
    };
    let (digits, check) = id.split_once('-').ok_or_else(err)?;
    if digits.len() != 7 || !digits.bytes().all(|b| b.is_ascii_digit()) || check.len() != 1 {
        return Err(err());
    }
    let weights = [7u32, 9, 10, 5, 8, 4, 2];
    let sum: u32 = digits
        .bytes()
        .zip(weights)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    let expected = match sum % 11 {
        0 => 0,
        1 => {
            return Err(ValidationError::new(
                "business_id",
                "is not a valid business ID",
            ))
        }
        r => 11 - r,
    };
    if check.parse::<u32>().ok() != Some(expected) {
        return Err(ValidationError::new(
            "business_id",
            "check digit does not match",
        ));
    }
    Ok(id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_business_id_passes_checksum() {
        // Nokia Oyj's public business ID.
        assert!(parse_business_id("0112038-9").is_ok());
        assert!(parse_business_id("0112038-8").is_err());
        assert!(parse_business_id("112038-9").is_err());
    }
}
