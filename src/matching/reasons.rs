//! Reasons a coach can read to the client: which wishes a suggestion meets and which it does
//! not, from the features that drove its score, strongest first.

use super::features::{hours_fit, place_fit};
use super::profile::{Geo, Profile};
use super::MatchRequest;
use crate::rank::{feature_index, RankerModel, N_FEATURES};
use crate::search::{Candidate, CandidateDoc, CandidateKind};

/// Language of the reasons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReasonLang {
    /// Finnish (default).
    Fi,
    /// English (`Accept-Language: en`).
    En,
}

impl ReasonLang {
    /// From an `Accept-Language` header: English when it prefers `en`, else Finnish.
    pub fn from_accept_language(header: Option<&str>) -> Self {
        let first = header
            .and_then(|h| h.split(',').next())
            .map(|l| l.trim().to_ascii_lowercase())
            .unwrap_or_default();
        if first.starts_with("en") {
            ReasonLang::En
        } else {
            ReasonLang::Fi
        }
    }
}

fn hours_text(min: f64, max: f64) -> String {
    let f = |h: f64| {
        if h.fract() == 0.0 {
            format!("{h:.0}")
        } else {
            format!("{h:.1}")
        }
    };
    if (max - min).abs() < 1e-9 {
        f(min)
    } else {
        format!("{}–{}", f(min), f(max))
    }
}

/// The reasons for one suggestion.
pub fn explain(
    profile: &Profile,
    c: &Candidate,
    doc: &CandidateDoc,
    x: &[f64; N_FEATURES],
    model: &RankerModel,
    geo: &Geo,
    req: &MatchRequest,
) -> Vec<String> {
    let en = req.lang == ReasonLang::En;
    let t = |fi: String, en_text: String| if en { en_text } else { fi };
    let contributions = model.contributions(x);
    // (strength, meets a wish?, text)
    let mut out: Vec<(f64, bool, String)> = Vec::new();
    let at = |name: &str| feature_index(name).expect("known feature");

    match c.kind {
        CandidateKind::Task => out.push((
            f64::INFINITY,
            true,
            t(
                "Alihankintatyö ryhmässä – ei työsuhde".into(),
                "Subcontracted group work – not employment".into(),
            ),
        )),
        CandidateKind::Employer => out.push((
            f64::INFINITY,
            true,
            t(
                "Työnantaja ilman avointa paikkaa: ala sopii toiveisiin, ota yhteyttä".into(),
                "Employer with no open vacancy: its line of work fits, get in touch".into(),
            ),
        )),
        CandidateKind::Vacancy => {}
    }

    // The client's own words.
    let text = format!("{} {}", doc.title, doc.description).to_lowercase();
    let matched: Vec<&str> = profile
        .stems
        .iter()
        .filter(|s| s.chars().count() >= 3 && text.contains(s.as_str()))
        .map(String::as_str)
        .collect();
    if !profile.words.trim().is_empty() {
        if x[at("text_relevance")] > 0.0 && !matched.is_empty() {
            let words = matched.join(", ");
            out.push((
                contributions[at("text_relevance")],
                true,
                t(
                    format!("Vastaa toivetta: {words}"),
                    format!("Matches the wish: {words}"),
                ),
            ));
        } else if x[at("occupation_proximity")] == 0.0 {
            out.push((
                0.5,
                false,
                t(
                    "Ei mainitse toivottua työtä".into(),
                    "Does not mention the wished work".into(),
                ),
            ));
        }
    }

    // Occupation.
    let occ = x[at("occupation_proximity")];
    if occ > 0.0 {
        let code = doc
            .occupation_code
            .clone()
            .or_else(|| c.isco.clone())
            .unwrap_or_default();
        let text = if occ >= 0.99 {
            t(
                format!("Toivottu ammattiala ({code})"),
                format!("Wished occupation ({code})"),
            )
        } else {
            t(
                format!("Lähellä toivottua ammattialaa ({code})"),
                format!("Close to the wished occupation ({code})"),
            )
        };
        out.push((contributions[at("occupation_proximity")], true, text));
    } else if !profile.groups.is_empty() && c.kind == CandidateKind::Vacancy {
        out.push((
            0.3,
            false,
            t(
                "Eri ammattiala kuin toiveissa".into(),
                "Not the wished occupation".into(),
            ),
        ));
    }

    // Place.
    let place = doc.municipality.clone().unwrap_or_default();
    match (c.place, place_fit(profile, c, geo)) {
        (None, _) => out.push((
            0.2,
            false,
            t("Sijainti ei tiedossa".into(), "Location not given".into()),
        )),
        (Some(p), (fit, distance)) => {
            let strength = contributions[at("place_fit")];
            let text = match distance {
                Some(d) if profile.places.contains(&p) && d < 1.0 => t(
                    format!("{place}, toivotulla paikkakunnalla"),
                    format!("{place}, a wished municipality"),
                ),
                Some(d) if d <= profile.commute_km => {
                    t(format!("{place}, {d:.0} km"), format!("{place}, {d:.0} km"))
                }
                Some(d) => {
                    let limit = profile.commute_km;
                    let text = t(
                        format!("{place}, {d:.0} km – yli toivotun {limit:.0} km"),
                        format!("{place}, {d:.0} km – beyond the wished {limit:.0} km"),
                    );
                    out.push((1.0 - fit, false, text));
                    String::new()
                }
                None if profile.places.contains(&p) => t(
                    format!("{place}, toivotulla paikkakunnalla"),
                    format!("{place}, a wished municipality"),
                ),
                None => {
                    let text = t(
                        format!("{place}, ei toivotuilla paikkakunnilla"),
                        format!("{place}, not a wished municipality"),
                    );
                    out.push((0.25, false, text));
                    String::new()
                }
            };
            if !text.is_empty() {
                out.push((strength, true, text));
            }
        }
    }

    // Hours.
    if c.kind != CandidateKind::Employer {
        match (hours_fit(profile, c), profile.hours) {
            (None, _) => out.push((
                0.3,
                false,
                t(
                    "Työaikaa ei kerrottu".into(),
                    "Working hours not given".into(),
                ),
            )),
            (Some(fit), Some((cmin, cmax))) => {
                let offered = hours_text(
                    c.hours_min.or(c.hours_max).unwrap_or(0.0),
                    c.hours_max.or(c.hours_min).unwrap_or(0.0),
                );
                let wished = hours_text(cmin, cmax);
                if fit >= 0.99 {
                    out.push((
                        contributions[at("hours_fit")],
                        true,
                        t(
                            format!("{offered} h/vk sopii toiveeseen {wished} h"),
                            format!("{offered} h/week fits the wished {wished} h"),
                        ),
                    ));
                } else {
                    out.push((
                        1.0 - fit,
                        false,
                        t(
                            format!("{offered} h/vk, toive {wished} h"),
                            format!("{offered} h/week, wished {wished} h"),
                        ),
                    ));
                }
            }
            (Some(_), None) => {}
        }
    }

    // Freshness.
    let age = (req.now.timestamp() - c.posted).max(0) / 86_400;
    if c.kind != CandidateKind::Employer {
        if age <= 7 {
            out.push((
                contributions[at("freshness")],
                true,
                t(
                    format!("Uusi ilmoitus ({age} pv)"),
                    format!("New posting ({age} days)"),
                ),
            ));
        } else if age > 60 {
            out.push((
                0.2,
                false,
                t(
                    format!("Ilmoitus on {age} päivää vanha"),
                    format!("The posting is {age} days old"),
                ),
            ));
        }
    }

    // Avoid, adjustments, language.
    if c.avoid_hit {
        let hits: Vec<&str> = profile
            .avoid_stems
            .iter()
            .filter(|s| text.contains(s.as_str()))
            .map(String::as_str)
            .collect();
        let what = if hits.is_empty() {
            String::new()
        } else {
            format!(": {}", hits.join(", "))
        };
        out.push((
            -contributions[at("avoid_hit")],
            false,
            t(
                format!("Mainitsee vältettävän asian{what}"),
                format!("Mentions something to avoid{what}"),
            ),
        ));
    }
    if c.adjustments_met {
        let offered = doc.adjustments.join(", ");
        out.push((
            contributions[at("adjustments_met")],
            true,
            t(
                format!("Työnantaja tarjoaa: {offered}"),
                format!("The employer offers: {offered}"),
            ),
        ));
    }
    if x[at("language_fit")] == 0.0 {
        let lang = c.lang.code();
        out.push((
            0.2,
            false,
            t(
                format!("Ilmoituksen kieli: {lang}"),
                format!("Posting language: {lang}"),
            ),
        ));
    }

    // Wishes met first, strongest first; then the ones not met.
    out.sort_by(|a, b| b.1.cmp(&a.1).then(b.0.total_cmp(&a.0)));
    out.into_iter().map(|(_, _, text)| text).collect()
}
