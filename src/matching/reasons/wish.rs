//! Reasons about the work wished for: the client's words and occupations.

use super::{Reason, ReasonContext};
use crate::rank::Feature;
use crate::search::{CandidateDoc, CandidateKind};

/// A posting's title and description, lower-cased, where a client's words are looked for.
pub(super) fn posting_text(doc: &CandidateDoc) -> String {
    format!("{} {}", doc.title, doc.description).to_lowercase()
}

/// Whether the posting names the client's words.
pub(super) fn words(ctx: &ReasonContext, contribution: f64) -> Option<Reason> {
    let profile = ctx.base.profile;
    if profile.words.trim().is_empty() {
        return None;
    }
    let text = posting_text(ctx.doc);
    let matched: Vec<&str> = profile
        .stems
        .iter()
        .filter(|s| s.chars().count() >= 3 && text.contains(s.as_str()))
        .map(String::as_str)
        .collect();
    if ctx.x[Feature::TextRelevance] > 0.0 && !matched.is_empty() {
        let words = matched.join(", ");
        Some(Reason::meets(
            contribution,
            ctx.lang.pick(
                format!("Vastaa toivetta: {words}"),
                format!("Motsvarar önskemålet: {words}"),
                format!("Matches the wish: {words}"),
            ),
        ))
    } else if ctx.x[Feature::OccupationProximity] == 0.0 {
        Some(Reason::misses(
            0.5,
            ctx.lang.pick(
                "Ei mainitse toivottua työtä",
                "Nämner inte det önskade arbetet",
                "Does not mention the wished work",
            ),
        ))
    } else {
        None
    }
}

/// How near the posting's occupation is to the wished ones.
pub(super) fn occupation(ctx: &ReasonContext, contribution: f64) -> Option<Reason> {
    let c = ctx.base.candidate;
    let occ = ctx.x[Feature::OccupationProximity];
    if occ > 0.0 {
        let code = ctx
            .doc
            .occupation_code
            .clone()
            .or_else(|| c.isco.clone())
            .unwrap_or_default();
        let text = if occ >= 0.99 {
            ctx.lang.pick(
                format!("Toivottu ammattiala ({code})"),
                format!("Önskat yrke ({code})"),
                format!("Wished occupation ({code})"),
            )
        } else {
            ctx.lang.pick(
                format!("Lähellä toivottua ammattialaa ({code})"),
                format!("Nära det önskade yrket ({code})"),
                format!("Close to the wished occupation ({code})"),
            )
        };
        Some(Reason::meets(contribution, text))
    } else if !ctx.base.profile.groups.is_empty() && c.kind == CandidateKind::Vacancy {
        Some(Reason::misses(
            0.3,
            ctx.lang.pick(
                "Eri ammattiala kuin toiveissa",
                "Ett annat yrke än det önskade",
                "Not the wished occupation",
            ),
        ))
    } else {
        None
    }
}
