//! Reasons about working hours.

use super::{Reason, ReasonContext, ReasonLang};
use crate::matching::features::hours_fit;
use crate::search::CandidateKind;

/// Weekly hours offered against the hours wished.
pub(super) fn fit(ctx: &ReasonContext, contribution: f64) -> Option<Reason> {
    let (profile, c) = (ctx.base.profile, ctx.base.candidate);
    if c.kind == CandidateKind::Employer {
        return None;
    }
    let fit = hours_fit(profile, c)?;
    let (cmin, cmax) = profile.hours?;
    let offered = hours_text(
        c.hours_min.or(c.hours_max).unwrap_or(0.0),
        c.hours_max.or(c.hours_min).unwrap_or(0.0),
        ctx.lang,
    );
    let wished = hours_text(cmin, cmax, ctx.lang);
    Some(if fit >= 0.99 {
        Reason::meets(
            contribution,
            ctx.lang.pick(
                format!("{offered} h/vk sopii toiveeseen {wished} h"),
                format!("{offered} h/vecka passar önskemålet {wished} h"),
                format!("{offered} h/week fits the wished {wished} h"),
            ),
        )
    } else {
        Reason::misses(
            1.0 - fit,
            ctx.lang.pick(
                format!("{offered} h/vk, toive {wished} h"),
                format!("{offered} h/vecka, önskemål {wished} h"),
                format!("{offered} h/week, wished {wished} h"),
            ),
        )
    })
}

/// A posting that states no weekly hours: a task's estimated total work when it has one
/// (a total, not hours a week, so it neither meets nor misses the wished hours).
pub(super) fn unknown(ctx: &ReasonContext) -> Option<Reason> {
    let c = ctx.base.candidate;
    if c.kind == CandidateKind::Employer || hours_fit(ctx.base.profile, c).is_some() {
        return None;
    }
    if let Some(total) = ctx.doc.estimated_hours.filter(|h| *h > 0.0) {
        let total = hours_text(total, total, ctx.lang);
        return Some(Reason::meets(
            0.0,
            ctx.lang.pick(
                format!("Arvioitu työmäärä {total} h"),
                format!("Uppskattad arbetsmängd {total} h"),
                format!("Estimated {total} h of work"),
            ),
        ));
    }
    Some(Reason::misses(
        0.3,
        ctx.lang.pick(
            "Työaikaa ei kerrottu",
            "Arbetstiden är inte angiven",
            "Working hours not given",
        ),
    ))
}

/// Hours as a figure or a range, with the decimal comma in Finnish and Swedish.
fn hours_text(min: f64, max: f64, lang: ReasonLang) -> String {
    let f = |h: f64| {
        let text = if h.fract() == 0.0 {
            format!("{h:.0}")
        } else {
            format!("{h:.1}")
        };
        match lang {
            ReasonLang::Fi | ReasonLang::Sv => text.replace('.', ","),
            ReasonLang::En => text,
        }
    };
    if (max - min).abs() < 1e-9 {
        f(min)
    } else {
        format!("{}–{}", f(min), f(max))
    }
}
