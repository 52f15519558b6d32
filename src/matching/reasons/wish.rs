//! Reasons about the work wished for: the client's words and occupations. The two agree: a
//! posting that names the client's words is never also called the wrong occupation, and a
//! posting with no occupation code gets nothing said about its occupation.

use super::{Reason, ReasonContext};
use crate::rank::Feature;
use crate::search::{CandidateDoc, CandidateKind};

/// A posting's title and description, lower-cased, where a client's words are looked for
/// (not the employer's name: a wish word in a company name is not the work).
pub(super) fn posting_text(doc: &CandidateDoc) -> String {
    format!("{} {}", doc.title, doc.description).to_lowercase()
}

/// Whether the posting names the client's words, named as the client wrote them.
pub(super) fn words(ctx: &ReasonContext, contribution: f64) -> Option<Reason> {
    if !ctx.has_wish {
        return None;
    }
    if !ctx.wished.is_empty() {
        let words = ctx.wished.join(", ");
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

/// How near the posting's occupation is to the wished ones, the occupation named.
pub(super) fn occupation(ctx: &ReasonContext, contribution: f64) -> Option<Reason> {
    let c = ctx.base.candidate;
    let occ = ctx.x[Feature::OccupationProximity];
    if occ > 0.0 {
        let label = ctx
            .doc
            .occupation_code
            .as_deref()
            .or(c.isco.as_deref())
            .and_then(|code| ctx.taxonomy.label(code, ctx.lang))
            .map(|l| format!(": {}", lower_first(&l)))
            .unwrap_or_default();
        let text = if occ >= 0.99 {
            ctx.lang.pick(
                format!("Toivottu ammattiala{label}"),
                format!("Önskat yrke{label}"),
                format!("Wished occupation{label}"),
            )
        } else {
            ctx.lang.pick(
                format!("Lähellä toivottua ammattialaa{label}"),
                format!("Nära det önskade yrket{label}"),
                format!("Close to the wished occupation{label}"),
            )
        };
        return Some(Reason::meets(contribution, text));
    }
    // Another occupation is only said of a vacancy whose code is known to differ from the
    // stated wish, and never when it names the client's own words.
    let other = c.kind == CandidateKind::Vacancy
        && c.isco.is_some()
        && !ctx.base.profile.groups.is_empty()
        && ctx.wished.is_empty();
    other.then(|| {
        Reason::misses(
            0.3,
            ctx.lang.pick(
                "Eri ammattiala kuin toiveissa",
                "Ett annat yrke än det önskade",
                "Not the wished occupation",
            ),
        )
    })
}

/// A label in the middle of a sentence: "Toimisto- ja laitossiivoojat" → "toimisto- ja
/// laitossiivoojat", but "ICT-tukihenkilöt" stays as it is.
fn lower_first(label: &str) -> String {
    let mut chars = label.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => {
            first.to_lowercase().chain(label.chars().skip(1)).collect()
        }
        _ => label.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::profile::Taxonomy;
    use crate::matching::ReasonLang;
    use crate::store::OccupationRow;

    fn row(code: &str, concept_type: &str, fi: &str, sv: &str, en: &str) -> OccupationRow {
        OccupationRow {
            code: code.into(),
            concept_type: concept_type.into(),
            isco_group: code.split('.').next().unwrap().into(),
            label_fi: fi.into(),
            label_sv: sv.into(),
            label_en: en.into(),
        }
    }

    #[test]
    fn occupations_are_named_by_their_labels() {
        let taxonomy = Taxonomy::new(vec![
            row(
                "9112",
                "isco_group",
                "Toimisto- ja laitossiivoojat ym.",
                "Hotell- och kontorsstädare m.fl.",
                "Cleaners and helpers in offices, hotels and other establishments",
            ),
            row("9112.1", "occupation", "laitossiivooja", "", "cleaner"),
        ]);
        let label = |code, lang| taxonomy.label(code, lang);
        assert_eq!(
            label("9112", ReasonLang::Fi).as_deref(),
            Some("Toimisto- ja laitossiivoojat ym.")
        );
        assert_eq!(
            label("9112", ReasonLang::Sv).as_deref(),
            Some("Hotell- och kontorsstädare m.fl.")
        );
        assert_eq!(label("9112.1", ReasonLang::En).as_deref(), Some("cleaner"));
        // No Swedish label: the Finnish one.
        assert_eq!(
            label("9112.1", ReasonLang::Sv).as_deref(),
            Some("laitossiivooja")
        );
        // An ESCO code the taxonomy lacks is named by its group.
        assert_eq!(
            label("9112.7", ReasonLang::Fi).as_deref(),
            Some("Toimisto- ja laitossiivoojat ym.")
        );
        assert_eq!(label("5120", ReasonLang::Fi), None);
        assert_eq!(Taxonomy::default().label("9112", ReasonLang::Fi), None);
    }

    #[test]
    fn a_label_is_lower_cased_mid_sentence_unless_it_is_an_acronym() {
        assert_eq!(
            lower_first("Toimisto- ja laitossiivoojat ym."),
            "toimisto- ja laitossiivoojat ym."
        );
        assert_eq!(lower_first("ICT-tukihenkilöt"), "ICT-tukihenkilöt");
        assert_eq!(lower_first("kokki"), "kokki");
        assert_eq!(lower_first(""), "");
    }
}
