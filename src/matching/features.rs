//! Feature values of one candidate for one client (see `rank::FEATURES` for the definitions).

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::profile::{Geo, Profile};
use crate::rank::{feature_index, N_FEATURES};
use crate::search::{Candidate, CandidateKind};

/// How well the place fits, and the distance when known.
pub fn place_fit(profile: &Profile, c: &Candidate, geo: &Geo) -> (f64, Option<f64>) {
    let Some(place) = c.place else {
        return (0.5, None);
    };
    let distance = profile
        .places
        .iter()
        .filter_map(|p| geo.distance_km(*p, place))
        .min_by(f64::total_cmp);
    if profile.places.contains(&place) {
        return (1.0, Some(distance.unwrap_or(0.0)));
    }
    match distance {
        Some(d) if d <= profile.commute_km => (1.0 - 0.5 * d / profile.commute_km, Some(d)),
        Some(d) => (
            0.5 * (-(d - profile.commute_km) / profile.commute_km).exp(),
            Some(d),
        ),
        // A known place whose distance cannot be computed (no reference data for it).
        None => (0.25, None),
    }
}

/// Overlap of the hours offered with the hours wished; `None` when the posting states none.
pub fn hours_fit(profile: &Profile, c: &Candidate) -> Option<f64> {
    let (pmin, pmax) = match (c.hours_min, c.hours_max) {
        (None, None) => return None,
        (Some(a), None) | (None, Some(a)) => (a, a),
        (Some(a), Some(b)) => (a.min(b), a.max(b)),
    };
    let Some((cmin, cmax)) = profile.hours else {
        return Some(0.5);
    };
    if pmax - pmin < 1e-9 {
        let gap = if pmin < cmin {
            cmin - pmin
        } else if pmin > cmax {
            pmin - cmax
        } else {
            0.0
        };
        return Some((-gap / 5.0).exp());
    }
    let overlap = (pmax.min(cmax) - pmin.max(cmin)).max(0.0);
    Some(overlap / (pmax - pmin))
}

/// ISCO proximity: shared leading digits / 4 with the nearest wished group.
pub fn occupation_proximity(groups: &[String], isco: Option<&str>) -> f64 {
    let Some(isco) = isco else { return 0.0 };
    groups
        .iter()
        .map(|g| {
            g.bytes()
                .zip(isco.bytes())
                .take_while(|(a, b)| a == b)
                .count()
        })
        .max()
        .map_or(0.0, |shared| shared.min(4) as f64 / 4.0)
}

/// All features of `c`.
pub fn extract(
    profile: &Profile,
    c: &Candidate,
    geo: &Geo,
    hires: &HashMap<i64, u32>,
    now: DateTime<Utc>,
) -> [f64; N_FEATURES] {
    let mut x = [0.0; N_FEATURES];
    let mut set =
        |name: &str, v: f64| x[feature_index(name).expect("known feature")] = v.clamp(0.0, 1.0);
    let s = f64::from(c.text_score);
    set("text_relevance", s / (s + 4.0));
    // Stated occupations count fully; groups only inferred from the client's words, half.
    let stated = occupation_proximity(&profile.groups, c.isco.as_deref());
    let inferred = occupation_proximity(&profile.inferred_groups, c.isco.as_deref()) * 0.5;
    set("occupation_proximity", stated.max(inferred));
    let (place, _) = place_fit(profile, c, geo);
    set("place_fit", place);
    set("place_unknown", if c.place.is_none() { 1.0 } else { 0.0 });
    match hours_fit(profile, c) {
        Some(h) => set("hours_fit", h),
        None => set("hours_unknown", 1.0),
    }
    let age_days = ((now.timestamp() - c.posted).max(0) as f64) / 86_400.0;
    set("freshness", (-age_days / 21.0).exp());
    set(
        "competitive",
        if c.kind == CandidateKind::Vacancy {
            1.0
        } else {
            0.0
        },
    );
    set("avoid_hit", if c.avoid_hit { 1.0 } else { 0.0 });
    set("adjustments_met", if c.adjustments_met { 1.0 } else { 0.0 });
    let lang = c.lang.code();
    let language_fit = if profile.languages.is_empty() {
        if lang == "fi" {
            1.0
        } else {
            0.5
        }
    } else if profile.languages.iter().any(|l| l == lang) {
        1.0
    } else {
        0.0
    };
    set("language_fit", language_fit);
    let h = hires.get(&c.employer_id).copied().unwrap_or(0);
    set("employer_hires", (1.0 + f64::from(h)).log10());
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_group_beats_minor_group_beats_major_group() {
        let groups = vec!["9112".to_string()];
        let unit = occupation_proximity(&groups, Some("9112"));
        let minor = occupation_proximity(&groups, Some("9111"));
        let major = occupation_proximity(&groups, Some("9629"));
        let other = occupation_proximity(&groups, Some("2512"));
        assert!(
            unit > minor && minor > major && major > other,
            "{unit} {minor} {major} {other}"
        );
        assert_eq!(occupation_proximity(&groups, None), 0.0);
    }
}
