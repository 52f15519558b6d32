//! Reasons about shifts and licences: what the posting names against what the client wished.

use super::{Reason, ReasonContext};
use crate::matching::features::{licence_fit, shift_fit};
use crate::search::signals::{Licence, Shift};

fn shift_name(shift: Shift, ctx: &ReasonContext) -> String {
    let (fi, sv, en) = match shift {
        Shift::Night => ("yövuoro", "nattskift", "night shift"),
        Shift::Evening => ("iltavuoro", "kvällsskift", "evening shift"),
        Shift::Day => ("päivävuoro", "dagskift", "day shift"),
        Shift::Morning => ("aamuvuoro", "morgonskift", "morning shift"),
        Shift::Weekend => ("viikonloppu", "helg", "weekend"),
        Shift::ShiftWork => ("vuorotyö", "skiftarbete", "shift work"),
    };
    ctx.lang.pick(fi, sv, en).to_string()
}

/// Whether the posting's shifts meet the client's shift wishes.
pub(super) fn shift(ctx: &ReasonContext, contribution: f64) -> Option<Reason> {
    let (profile, c) = (ctx.base.profile, ctx.base.candidate);
    let fit = shift_fit(profile, c);
    let named = |wanted: bool| -> String {
        profile
            .understood
            .shifts
            .iter()
            .filter(|s| s.wanted == wanted && c.signals.has_shift(s.shift))
            .map(|s| shift_name(s.shift, ctx))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if fit == 0.0 {
        let what = named(false);
        Some(Reason::misses(
            0.6,
            ctx.lang.pick(
                format!("Mainitsee vuoron, jota ei toivottu: {what}"),
                format!("Nämner ett skift som inte önskas: {what}"),
                format!("Mentions a shift the client does not want: {what}"),
            ),
        ))
    } else if fit == 1.0 {
        let what = named(true);
        Some(Reason::meets(
            contribution,
            ctx.lang.pick(
                format!("Toivottu vuoro: {what}"),
                format!("Önskat skift: {what}"),
                format!("Wished shift: {what}"),
            ),
        ))
    } else {
        None
    }
}

/// Whether the licences the posting names are the client's.
pub(super) fn licence(ctx: &ReasonContext, contribution: f64) -> Option<Reason> {
    let (profile, c) = (ctx.base.profile, ctx.base.candidate);
    let fit = licence_fit(profile, c);
    let has = &profile.understood.licences;
    let named = c.signals.licences();
    let join = |ls: Vec<&Licence>| ls.iter().map(|l| l.name()).collect::<Vec<_>>().join(", ");
    if fit == 1.0 {
        let what = join(named.iter().filter(|l| has.contains(l)).collect());
        Some(Reason::meets(
            contribution,
            ctx.lang.pick(
                format!("Toiveissa mainittu kortti käy: {what}"),
                format!("Kortet i önskemålen räcker: {what}"),
                format!("The client's licence fits: {what}"),
            ),
        ))
    } else if fit == 0.0 {
        let what = join(named.iter().collect());
        Some(Reason::misses(
            0.4,
            ctx.lang.pick(
                format!("Ilmoitus mainitsee kortin, jota toiveissa ei ole: {what}"),
                format!("Annonsen nämner ett kort som inte finns i önskemålen: {what}"),
                format!("The posting names a licence the client did not mention: {what}"),
            ),
        ))
    } else {
        None
    }
}
