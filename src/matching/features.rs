//! Feature values of one candidate for one client: one arm per [`Feature`] (see
//! [`Feature::doc`] for the definitions).

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::profile::{Geo, Profile};
use crate::rank::{Feature, Features};
use crate::search::{Candidate, CandidateKind};

/// What a feature's value is computed from.
pub struct FeatureContext<'a> {
    /// The client's wishes.
    pub profile: &'a Profile,
    /// The candidate, with its fast-field values.
    pub candidate: &'a Candidate,
    /// Municipality coordinates.
    pub geo: &'a Geo,
    /// Hires through the service per employer id.
    pub hires: &'a HashMap<i64, u32>,
    /// "Now", for freshness.
    pub now: DateTime<Utc>,
}

impl Feature {
    /// The value of this feature for `ctx`'s candidate, in [0, 1].
    pub(crate) fn value(self, ctx: &FeatureContext) -> f64 {
        let (profile, c) = (ctx.profile, ctx.candidate);
        let flag = |b: bool| if b { 1.0 } else { 0.0 };
        let value = match self {
            Feature::TextRelevance => {
                let s = f64::from(c.text_score);
                s / (s + 4.0)
            }
            Feature::OccupationProximity => wished_occupation(profile, c),
            Feature::OccupationConfidence => wished_occupation(profile, c) * c.isco_confidence,
            Feature::RefusedHit => flag(c.refused_hit),
            Feature::ShiftFit => shift_fit(profile, c),
            Feature::LicenceFit => licence_fit(profile, c),
            Feature::PlaceFit => place_fit(profile, c, ctx.geo).0,
            Feature::PlaceUnknown => flag(c.place.is_none()),
            Feature::HoursFit => hours_fit(profile, c).unwrap_or(0.0),
            Feature::HoursUnknown => flag(hours_fit(profile, c).is_none()),
            Feature::Freshness => {
                let age_days = ((ctx.now.timestamp() - c.posted).max(0) as f64) / 86_400.0;
                (-age_days / 21.0).exp()
            }
            Feature::Competitive => flag(c.kind == CandidateKind::Vacancy),
            Feature::AvoidHit => flag(c.avoid_hit),
            Feature::AdjustmentsMet => flag(c.adjustments_met),
            Feature::LanguageFit => {
                let lang = c.lang.code();
                if profile.languages.is_empty() {
                    if lang == "fi" {
                        1.0
                    } else {
                        0.5
                    }
                } else {
                    flag(profile.languages.iter().any(|l| l == lang))
                }
            }
            Feature::EmployerHires => {
                let h = ctx.hires.get(&c.employer_id).copied().unwrap_or(0);
                (1.0 + f64::from(h)).log10()
            }
        };
        value.clamp(0.0, 1.0)
    }
}

/// How near the posting's occupation is to a wished one: stated occupations count fully,
/// groups read from the client's words by how sure the reading is (at most 0.8).
pub fn wished_occupation(profile: &Profile, c: &Candidate) -> f64 {
    let stated = occupation_proximity(&profile.groups, c.isco.as_deref());
    let inferred = profile
        .inferred_groups
        .iter()
        .map(|(g, conf)| {
            occupation_proximity(std::slice::from_ref(g), c.isco.as_deref())
                * (0.4 + 0.4 * conf.clamp(0.0, 1.0))
        })
        .fold(0.0, f64::max);
    stated.max(inferred)
}

/// See [`Feature::ShiftFit`].
pub fn shift_fit(profile: &Profile, c: &Candidate) -> f64 {
    let shifts = &profile.understood.shifts;
    if shifts
        .iter()
        .any(|s| !s.wanted && c.signals.has_shift(s.shift))
    {
        0.0
    } else if shifts
        .iter()
        .any(|s| s.wanted && c.signals.has_shift(s.shift))
    {
        1.0
    } else {
        0.5
    }
}

/// See [`Feature::LicenceFit`].
pub fn licence_fit(profile: &Profile, c: &Candidate) -> f64 {
    let has = &profile.understood.licences;
    let named = c.signals.licences();
    if has.is_empty() || named.is_empty() {
        0.5
    } else if named.iter().any(|l| has.contains(l)) {
        1.0
    } else {
        0.0
    }
}

/// Every feature of `ctx`'s candidate.
pub fn extract(ctx: &FeatureContext) -> Features {
    Features::from_fn(|f| f.value(ctx))
}

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

/// Whether the posting is known to lie beyond the commute the client stated (`limit_km`):
/// outside every accepted municipality, at a known distance past the limit. Unknown places
/// and distances are never beyond.
pub fn beyond_commute(profile: &Profile, c: &Candidate, geo: &Geo, limit_km: f64) -> bool {
    let Some(place) = c.place else { return false };
    if profile.places.contains(&place) {
        return false;
    }
    profile
        .places
        .iter()
        .filter_map(|p| geo.distance_km(*p, place))
        .min_by(f64::total_cmp)
        .is_some_and(|d| d > limit_km)
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
