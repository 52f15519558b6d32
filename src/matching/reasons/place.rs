//! Reasons about where the work is.

use super::{Reason, ReasonContext};
use crate::matching::features::place_fit;

/// The posting's place against the accepted places and the commute.
pub(super) fn fit(ctx: &ReasonContext, contribution: f64) -> Option<Reason> {
    let (profile, c) = (ctx.base.profile, ctx.base.candidate);
    let p = c.place?;
    let place = ctx.doc.municipality.clone().unwrap_or_default();
    let (fit, distance) = place_fit(profile, c, ctx.base.geo);
    let wished = || {
        ctx.lang.pick(
            format!("{place}, toivotulla paikkakunnalla"),
            format!("{place}, en önskad kommun"),
            format!("{place}, a wished municipality"),
        )
    };
    Some(match distance {
        Some(d) if profile.places.contains(&p) && d < 1.0 => Reason::meets(contribution, wished()),
        Some(d) if d <= profile.commute_km => {
            Reason::meets(contribution, format!("{place}, {d:.0} km"))
        }
        Some(d) => {
            let limit = profile.commute_km;
            Reason::misses(
                1.0 - fit,
                ctx.lang.pick(
                    format!("{place}, {d:.0} km – yli toivotun {limit:.0} km"),
                    format!("{place}, {d:.0} km – längre än de önskade {limit:.0} km"),
                    format!("{place}, {d:.0} km – beyond the wished {limit:.0} km"),
                ),
            )
        }
        None if profile.places.contains(&p) => Reason::meets(contribution, wished()),
        None => Reason::misses(
            0.25,
            ctx.lang.pick(
                format!("{place}, ei toivotuilla paikkakunnilla"),
                format!("{place}, inte en önskad kommun"),
                format!("{place}, not a wished municipality"),
            ),
        ),
    })
}

/// A posting that does not say where the work is.
pub(super) fn unknown(ctx: &ReasonContext) -> Option<Reason> {
    ctx.base.candidate.place.is_none().then(|| {
        Reason::misses(
            0.2,
            ctx.lang.pick(
                "Sijainti ei tiedossa",
                "Platsen är inte angiven",
                "Location not given",
            ),
        )
    })
}
