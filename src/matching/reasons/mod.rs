//! Reasons a coach can read to the client: which wishes a suggestion meets and which it does
//! not, from the features that drove its score, strongest first. Each feature's reason is one
//! arm of [`Feature::reason`]; a subcontracting task and an employer prospect also say what
//! kind of work they are.

mod freshness;
mod hours;
mod lang;
mod place;
mod signals;
mod wish;
mod words;

use super::features::FeatureContext;
use super::profile::Taxonomy;
use crate::rank::{Feature, Features, RankerModel};
use crate::search::analysis::Lang;
use crate::search::{CandidateDoc, CandidateKind, SearchIndex};

pub use lang::ReasonLang;
use words::ClientWords;

/// What the reasons of one request are written with.
pub struct Explainer<'a> {
    model: &'a RankerModel,
    taxonomy: &'a Taxonomy,
    lang: ReasonLang,
    wish: ClientWords,
    avoid: ClientWords,
}

/// What one suggestion's reasons are written from.
pub struct ReasonContext<'a> {
    /// What the features were computed from.
    pub base: &'a FeatureContext<'a>,
    /// The candidate's stored fields.
    pub doc: &'a CandidateDoc,
    /// Its feature values.
    pub x: &'a Features,
    /// Language of the reasons.
    pub lang: ReasonLang,
    /// Names of occupations.
    pub taxonomy: &'a Taxonomy,
    /// How many vacancies an employer prospect has open (0 for a posting).
    pub open_vacancies: u64,
    /// The client's wished words, as written, that the posting's title or description names.
    pub wished: Vec<&'a str>,
    /// Whether the client's wish has any word to look for.
    pub has_wish: bool,
    /// The client's words of things to avoid, as written, that the posting names.
    pub avoided: Vec<&'a str>,
}

/// One reason.
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    /// Whether it is a wish met (shown first) or one not met.
    meets: bool,
    /// How much it weighed; stronger reasons come first.
    strength: f64,
    /// What the coach reads.
    text: String,
}

impl Reason {
    fn meets(strength: f64, text: String) -> Self {
        Reason {
            meets: true,
            strength,
            text,
        }
    }

    fn misses(strength: f64, text: String) -> Self {
        Reason {
            meets: false,
            strength,
            text,
        }
    }
}

impl Feature {
    /// What this feature says about `ctx`'s candidate, if anything; `contribution` is its
    /// weight times its value.
    pub(crate) fn reason(self, ctx: &ReasonContext, contribution: f64) -> Option<Reason> {
        match self {
            Feature::TextRelevance => wish::words(ctx, contribution),
            Feature::OccupationProximity => wish::occupation(ctx, contribution),
            Feature::PlaceFit => place::fit(ctx, contribution),
            Feature::PlaceUnknown => place::unknown(ctx),
            Feature::HoursFit => hours::fit(ctx, contribution),
            Feature::HoursUnknown => hours::unknown(ctx),
            Feature::Freshness => freshness::age(ctx, contribution),
            // The kind line says when something is not an open-market job.
            Feature::Competitive => None,
            Feature::AvoidHit => avoid(ctx, contribution),
            Feature::AdjustmentsMet => adjustments(ctx, contribution),
            Feature::LanguageFit => language(ctx),
            // Not said: it would speak of other clients' placements.
            Feature::EmployerHires => None,
            // The occupation reason names the occupation; how sure it is shows in the order.
            Feature::OccupationConfidence => None,
            Feature::RefusedHit => refused(ctx, contribution),
            Feature::ShiftFit => signals::shift(ctx, contribution),
            Feature::LicenceFit => signals::licence(ctx, contribution),
        }
    }
}

impl<'a> Explainer<'a> {
    /// An explainer for a client's wish and things to avoid, in their own words.
    pub fn new(
        wish: &str,
        avoid: &str,
        search: &SearchIndex,
        taxonomy: &'a Taxonomy,
        model: &'a RankerModel,
        lang: ReasonLang,
    ) -> Self {
        Explainer {
            model,
            taxonomy,
            lang,
            wish: ClientWords::new(wish, search),
            avoid: ClientWords::new(avoid, search),
        }
    }

    /// The reasons for one suggestion: wishes met first, strongest first; then the ones not
    /// met.
    pub fn explain(
        &self,
        base: &FeatureContext,
        doc: &CandidateDoc,
        x: &Features,
        open_vacancies: u64,
    ) -> Vec<String> {
        let text = wish::posting_text(doc);
        let ctx = ReasonContext {
            base,
            doc,
            x,
            lang: self.lang,
            taxonomy: self.taxonomy,
            open_vacancies,
            wished: self.wish.found_in(&text),
            has_wish: !self.wish.is_empty(),
            avoided: self.avoid.found_in(&text),
        };
        explain(&ctx, self.model)
    }
}

fn explain(ctx: &ReasonContext, model: &RankerModel) -> Vec<String> {
    let contributions = model.contributions(ctx.x.values());
    let mut out: Vec<Reason> = kind_line(ctx).into_iter().collect();
    out.extend(
        Feature::ALL
            .into_iter()
            .filter_map(|f| f.reason(ctx, contributions[f])),
    );
    out.sort_by(|a, b| {
        b.meets
            .cmp(&a.meets)
            .then(b.strength.total_cmp(&a.strength))
    });
    out.into_iter().map(|r| r.text).collect()
}

/// What a subcontracting task or an employer prospect is, first of all.
fn kind_line(ctx: &ReasonContext) -> Option<Reason> {
    let text = match ctx.base.candidate.kind {
        CandidateKind::Vacancy => return None,
        CandidateKind::Task => ctx.lang.pick(
            "Alihankintatyö ryhmässä – ei työsuhde",
            "Underleverantörsarbete i grupp – ingen anställning",
            "Subcontracted group work – not employment",
        ),
        // Whether its line of work fits is for the wish reasons to say.
        CandidateKind::Employer => match ctx.open_vacancies {
            0 => ctx.lang.pick(
                "Työnantaja ilman avointa paikkaa: ota yhteyttä",
                "Arbetsgivare utan lediga platser: ta kontakt",
                "Employer with no open vacancy: get in touch",
            ),
            1 => ctx.lang.pick(
                "Työnantajalla on 1 avoin paikka: ota yhteyttä",
                "Arbetsgivaren har 1 ledig plats: ta kontakt",
                "The employer has 1 open vacancy: get in touch",
            ),
            n => ctx.lang.pick(
                format!("Työnantajalla on {n} avointa paikkaa: ota yhteyttä"),
                format!("Arbetsgivaren har {n} lediga platser: ta kontakt"),
                format!("The employer has {n} open vacancies: get in touch"),
            ),
        },
    };
    Some(Reason::meets(f64::INFINITY, text))
}

fn avoid(ctx: &ReasonContext, contribution: f64) -> Option<Reason> {
    if !ctx.base.candidate.avoid_hit {
        return None;
    }
    let what = if ctx.avoided.is_empty() {
        String::new()
    } else {
        format!(": {}", ctx.avoided.join(", "))
    };
    Some(Reason::misses(
        -contribution,
        ctx.lang.pick(
            format!("Mainitsee vältettävän asian{what}"),
            format!("Nämner något som ska undvikas{what}"),
            format!("Mentions something to avoid{what}"),
        ),
    ))
}

/// A word refused inside the wish. When the posting also names a thing to avoid, the avoid
/// line already names the words (they are read together), so only one line is said.
fn refused(ctx: &ReasonContext, contribution: f64) -> Option<Reason> {
    let c = ctx.base.candidate;
    if !c.refused_hit || c.avoid_hit {
        return None;
    }
    let what = if ctx.avoided.is_empty() {
        String::new()
    } else {
        format!(": {}", ctx.avoided.join(", "))
    };
    Some(Reason::misses(
        -contribution,
        ctx.lang.pick(
            format!("Mainitsee asian, jota asiakas ei halua{what}"),
            format!("Nämner något som klienten inte vill{what}"),
            format!("Mentions something the client does not want{what}"),
        ),
    ))
}

fn adjustments(ctx: &ReasonContext, contribution: f64) -> Option<Reason> {
    if !ctx.base.candidate.adjustments_met {
        return None;
    }
    let offered = ctx.doc.adjustments.join(", ");
    Some(Reason::meets(
        contribution,
        ctx.lang.pick(
            format!("Työnantaja tarjoaa: {offered}"),
            format!("Arbetsgivaren erbjuder: {offered}"),
            format!("The employer offers: {offered}"),
        ),
    ))
}

fn language(ctx: &ReasonContext) -> Option<Reason> {
    if ctx.x[Feature::LanguageFit] != 0.0 {
        return None;
    }
    let (fi, sv, en) = match ctx.base.candidate.lang {
        Lang::Fi => ("suomi", "finska", "Finnish"),
        Lang::Sv => ("ruotsi", "svenska", "Swedish"),
        Lang::En => ("englanti", "engelska", "English"),
    };
    Some(Reason::misses(
        0.2,
        ctx.lang.pick(
            format!("Ilmoituksen kieli: {fi}"),
            format!("Annonsets språk: {sv}"),
            format!("Posting language: {en}"),
        ),
    ))
}
