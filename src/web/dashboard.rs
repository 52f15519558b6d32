//! `/dashboard`: the coordinators' and coaches' follow-up page. The cohort funnel, where the
//! cohort's jobs and placements went, the työkokeilu → palkkatuki → palkkatyö staircase,
//! outcomes, time in stage, stages now, IPS fidelity with what each item means, the 21/30-day
//! alerts, and per coach. The figures are computed by [`crate::funnel`] (the same as
//! `/api/v1/funnel` and `/api/v1/fidelity`); this module only lays them out in words.
//!
//! Coordinators see aggregates and client numbers, never a client's name; a coach sees its
//! own caseload. Every page view is written to the access log with the clients it names, and
//! so is a refused visit.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::NaiveDate;

use super::exports;
use super::i18n::Lang;
use super::page::{FieldError, Page};
use super::report::{Cell, ExportLink, Kind, Table, TableView};
use super::{format, html, request_lang, sign_in_first, signed_in_user, MessagePage, WebError};
use crate::api::{refusal_reason, scope, AppState, Caller};
use crate::domain::{
    AccessAction, AccessTarget, DenialReason, EventType, PlacementType, Role, User, EARLIEST_DATE,
    LATEST_DATE,
};
use crate::funnel::{self, FidelityReport, FunnelReport, Period};
use crate::store::Access;

/// The page's address.
pub const DASHBOARD_PATH: &str = "/dashboard";

/// The name of the page in the access log.
pub const DASHBOARD_LIST: &str = "dashboard";

/// Where the tables are downloaded.
pub const EXPORT_BASE: &str = "/dashboard/export";

/// The longest period a report covers.
const MAX_PERIOD_DAYS: i64 = 366 * 10;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(DASHBOARD_PATH, web::get().to(dashboard))
        .route("/dashboard/export/{file}", web::get().to(exports::export));
}

/// The period form as sent: each field's first value, as typed.
#[derive(Debug, Clone, Default)]
pub struct PeriodInput {
    /// First day.
    pub from: Option<String>,
    /// Last day.
    pub to: Option<String>,
    /// A coach's user id (coordinators); empty for everyone.
    pub coach: Option<String>,
}

impl PeriodInput {
    /// Reads a query string; never fails (what cannot be read is shown back in the form).
    pub fn from_query(query: &str) -> Self {
        let mut input = PeriodInput::default();
        for (k, v) in form_urlencoded::parse(query.as_bytes()) {
            let slot = match k.as_ref() {
                "from" => &mut input.from,
                "to" => &mut input.to,
                "coach" => &mut input.coach,
                _ => continue,
            };
            if slot.is_none() {
                *slot = Some(v.into_owned());
            }
        }
        input
    }
}

/// The checked period and coach.
#[derive(Debug, Clone, Copy)]
pub struct Checked {
    /// The period.
    pub period: Period,
    /// One coach's caseload, or everyone's (coordinators).
    pub coach: Option<i64>,
}

impl Checked {
    /// The query string that shows the same figures (ISO dates).
    pub fn query(&self) -> String {
        let mut q = format!("from={}&to={}", self.period.from, self.period.to);
        if let Some(c) = self.coach {
            q.push_str(&format!("&coach={c}"));
        }
        q
    }
}

/// Why a page could not be shown.
pub enum Refusal {
    /// The form has errors: show it again with them.
    Form(Vec<FieldError>),
    /// The user may not see these figures (logged).
    Forbidden,
}

/// Checks the form: dates in either Finnish or ISO form within 1900–2100, `from` not after
/// `to`, at most ten years, a coach from the list. Every problem is reported at once.
pub fn check_period(
    lang: Lang,
    input: &PeriodInput,
    today: NaiveDate,
    coaches: &[User],
) -> Result<(NaiveDate, NaiveDate, Option<i64>), Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut date = |field: &'static str, raw: Option<&str>| -> Option<Option<NaiveDate>> {
        let raw = raw.map(str::trim).filter(|r| !r.is_empty())?;
        let error = |id: &str| FieldError {
            field,
            message: lang.t(&format!("period-error-{field}-{id}")),
        };
        match format::parse_date_input(raw) {
            Some(d) if (EARLIEST_DATE..=LATEST_DATE).contains(&d) => Some(Some(d)),
            Some(_) => {
                errors.push(error("range"));
                Some(None)
            }
            None => {
                errors.push(error("date"));
                Some(None)
            }
        }
    };
    let from = date("from", input.from.as_deref());
    let to = date("to", input.to.as_deref());
    let coach = match input.coach.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => match raw.parse::<i64>() {
            Ok(id) if coaches.iter().any(|c| c.id == id) => Some(id),
            _ => {
                errors.push(FieldError {
                    field: "coach",
                    message: lang.t("period-error-coach"),
                });
                None
            }
        },
    };
    // A date that did not parse has its error already; check the order only of good ones.
    let to = match to {
        Some(Some(d)) => d,
        Some(None) => return Err(errors),
        None => today.min(LATEST_DATE),
    };
    let from = match from {
        Some(Some(d)) => d,
        Some(None) => return Err(errors),
        None => (to - chrono::Duration::days(364)).max(EARLIEST_DATE),
    };
    if from > to {
        errors.push(FieldError {
            field: "from",
            message: lang.t("period-error-order"),
        });
    } else if (to - from).num_days() > MAX_PERIOD_DAYS {
        errors.push(FieldError {
            field: "from",
            message: lang.t("period-error-too-long"),
        });
    }
    if errors.is_empty() {
        Ok((from, to, coach))
    } else {
        Err(errors)
    }
}

/// The figures of one page or export.
pub struct Figures {
    /// The funnel report.
    pub funnel: FunnelReport,
    /// The fidelity report.
    pub fidelity: FidelityReport,
    /// Coaches' names by id.
    pub coach_names: HashMap<i64, String>,
    /// For a coach: its clients (id, name, stage now, placement held now).
    pub caseload: Vec<(i64, String, EventType, Option<PlacementType>)>,
    /// For a coach: its clients' names by id.
    pub names: HashMap<i64, String>,
}

/// Reads the form, checks the user may see the figures, and computes them. A refusal is
/// written to the access log here (`action`, `list`).
pub async fn load(
    state: &AppState,
    lang: Lang,
    user: &User,
    input: &PeriodInput,
    action: AccessAction,
    list: &str,
) -> Result<Result<(Checked, Figures), Refusal>, WebError> {
    let coaches = state.store.users_with_role(Role::Coach).await?;
    let refuse = |reason: DenialReason| async move {
        let access = Access::denied(user.id, action, AccessTarget::List(list, &[]), reason);
        state.store.log_access(&access).await
    };
    if !matches!(user.role, Role::Coordinator | Role::Coach) {
        refuse(DenialReason::Role).await?;
        return Ok(Err(Refusal::Forbidden));
    }
    let today = chrono::Utc::now().date_naive();
    // A coach may name only itself; it has no coach list to choose from.
    let choosable: Vec<User> = match user.role {
        Role::Coach => vec![user.clone()],
        _ => coaches.clone(),
    };
    let wanted_coach = input
        .coach
        .as_deref()
        .and_then(|c| c.trim().parse::<i64>().ok());
    if user.role == Role::Coach && wanted_coach.is_some_and(|c| c != user.id) {
        let caller = Caller(user.clone());
        refuse(refusal_reason(&caller)).await?;
        return Ok(Err(Refusal::Forbidden));
    }
    let (from, to, coach) = match check_period(lang, input, today, &choosable) {
        Ok(checked) => checked,
        Err(errors) => return Ok(Err(Refusal::Form(errors))),
    };
    let coach = match scope(&Caller(user.clone()), coach) {
        Ok(coach) => coach,
        Err(_) => {
            refuse(refusal_reason(&Caller(user.clone()))).await?;
            return Ok(Err(Refusal::Forbidden));
        }
    };
    let checked = Checked {
        period: Period { from, to },
        coach,
    };
    let data = state.store.funnel_data(coach, to).await?;
    let names: HashMap<i64, String> = if user.role == Role::Coach {
        state
            .store
            .client_names(user.id)
            .await?
            .into_iter()
            .collect()
    } else {
        HashMap::new()
    };
    let period = checked.period;
    let (funnel, fidelity, stages) =
        web::block(move || funnel::dashboard(&data, period, coach)).await?;
    // An erased client still counts in the figures but is no longer on the caseload.
    let caseload = if user.role == Role::Coach {
        stages
            .into_iter()
            .filter_map(|(id, stage, placement)| {
                Some((id, names.get(&id)?.clone(), stage, placement))
            })
            .collect()
    } else {
        Vec::new()
    };
    let figures = Figures {
        funnel,
        fidelity,
        coach_names: coaches.into_iter().map(|u| (u.id, u.name)).collect(),
        caseload,
        names,
    };
    Ok(Ok((checked, figures)))
}

/// A stage in words.
fn stage_name(lang: Lang, stage: EventType) -> String {
    lang.t(&format!("stage-{}", stage.as_str()))
}

/// Every table of the page, in the order shown. `role` decides the client columns: names
/// for a coach, client numbers for a coordinator.
pub fn tables(lang: Lang, role: Role, checked: &Checked, f: &Figures) -> Vec<Table> {
    let funnel = &f.funnel;
    let coach_name = |id: i64| {
        f.coach_names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("#{id}"))
    };
    let mut out = Vec::new();

    let mut t = Table::new(
        lang,
        "cohort_funnel",
        vec![
            ("col-step", Kind::Text),
            ("col-clients", Kind::Count),
            ("col-share-of-cohort", Kind::Percent),
            ("col-from-previous", Kind::Percent),
        ],
    );
    for r in &funnel.cohort_funnel {
        t.row(
            format!("cohort:{}", r.step.as_str()),
            vec![
                Cell::Text(lang.t(&format!("step-{}", r.step.as_str()))),
                Cell::Count(r.clients),
                Cell::Percent(r.share_of_cohort),
                match r.from_previous {
                    Some(x) => Cell::Percent(Some(x)),
                    None => Cell::Empty,
                },
            ],
        );
    }
    out.push(t);

    let mut t = Table::new(
        lang,
        "cohort_placements",
        vec![("col-placement", Kind::Text), ("col-clients", Kind::Count)],
    );
    for p in &funnel.cohort_placements {
        t.row(
            format!("placement:{}", p.placement.as_str()),
            vec![
                Cell::Text(lang.t(&format!("placement-{}", p.placement.as_str()))),
                Cell::Count(p.clients),
            ],
        );
    }
    out.push(t);

    let p = &funnel.placement_path;
    let mut t = Table::new(
        lang,
        "placement_path",
        vec![
            ("col-step", Kind::Text),
            ("col-clients", Kind::Count),
            ("col-drop-off", Kind::Percent),
        ],
    );
    for (key, clients, drop_off) in [
        (
            "work_trial",
            p.work_trial,
            Cell::Percent(p.drop_off_after_work_trial),
        ),
        (
            "wage_subsidised",
            p.then_wage_subsidised,
            Cell::Percent(p.drop_off_after_wage_subsidy),
        ),
        ("competitive", p.then_competitive, Cell::Empty),
        ("competitive_first", p.competitive_first, Cell::Empty),
    ] {
        t.row(
            format!("path:{key}"),
            vec![
                Cell::Text(lang.t(&format!("path-{key}"))),
                Cell::Count(clients),
                drop_off,
            ],
        );
    }
    out.push(t);

    let mut t = Table::new(
        lang,
        "quarters",
        vec![
            ("col-quarter", Kind::Text),
            ("col-out-of-work", Kind::Count),
            ("col-competitively-employed", Kind::Count),
            ("col-rate", Kind::Percent),
        ],
    );
    for q in &funnel.outcomes.quarters {
        t.row(
            format!("quarter:{}", q.quarter),
            vec![
                Cell::Text(quarter_name(lang, &q.quarter)),
                Cell::Count(q.out_of_work_at_entry),
                Cell::Count(q.competitively_employed),
                Cell::Percent(q.rate),
            ],
        );
    }
    out.push(t);

    let o = &funnel.outcomes;
    let mut t = Table::new(
        lang,
        "outcomes",
        vec![
            ("col-measure", Kind::Text),
            ("col-value", Kind::Decimal),
            ("col-n", Kind::Count),
        ],
    );
    let days = &o.days_to_first_job;
    t.row(
        "outcome:median_days_to_first_job",
        vec![
            Cell::Text(lang.t("outcome-median_days_to_first_job")),
            Cell::Decimal(days.median_days, 1),
            Cell::Count(days.clients),
        ],
    );
    t.row(
        "outcome:mean_days_to_first_job",
        vec![
            Cell::Text(lang.t("outcome-mean_days_to_first_job")),
            Cell::Decimal(days.mean_days, 1),
            Cell::Count(days.clients),
        ],
    );
    t.row(
        "outcome:mean_hours",
        vec![
            Cell::Text(lang.t("outcome-mean_hours")),
            Cell::Decimal(o.hours.mean_hours_per_week, 1),
            Cell::Count(o.hours.placements),
        ],
    );
    t.row(
        "outcome:share_20h",
        vec![
            Cell::Text(lang.t("outcome-share_20h")),
            Cell::Percent(o.hours.share_20_hours_or_more),
            Cell::Count(o.hours.placements),
        ],
    );
    for ten in &o.tenure {
        t.row(
            format!("outcome:tenure_{}", ten.days),
            vec![
                Cell::Text(lang.t1("outcome-tenure", "days", ten.days.to_string())),
                Cell::Percent(ten.rate),
                Cell::Count(ten.placements),
            ],
        );
    }
    out.push(t);

    let mut t = Table::new(
        lang,
        "time_in_stage",
        vec![
            ("col-stage", Kind::Text),
            ("col-stays", Kind::Count),
            ("col-median-days", Kind::Decimal),
        ],
    );
    for s in &funnel.time_in_stage {
        t.row(
            format!("stay:{}", s.stage.as_str()),
            vec![
                Cell::Text(stage_name(lang, s.stage)),
                Cell::Count(s.stays),
                Cell::Decimal(s.median_days, 1),
            ],
        );
    }
    out.push(t);

    let mut t = Table::new(
        lang,
        "stages",
        vec![("col-stage", Kind::Text), ("col-clients", Kind::Count)],
    );
    for s in &funnel.stages {
        t.row(
            format!("stage:{}", s.stage.as_str()),
            vec![
                Cell::Text(stage_name(lang, s.stage)),
                Cell::Count(s.clients),
            ],
        );
        if s.stage == EventType::Employed {
            // What "started a job or placement" is: a work trial is not a job.
            for p in funnel
                .employed_by_placement
                .iter()
                .filter(|p| p.clients > 0)
            {
                let name = lang.t(&format!("placement-{}", p.placement.as_str()));
                t.row(
                    format!("stage:employed:{}", p.placement.as_str()),
                    vec![
                        Cell::Text(lang.t1("placement-of-which", "placement", name)),
                        Cell::Count(p.clients),
                    ],
                )
                .part = true;
            }
        }
    }
    out.push(t);

    out.push(fidelity_table(lang, &f.fidelity));

    let coach_view = role == Role::Coach;
    let mut t = Table::new(
        lang,
        "alerts",
        if coach_view {
            vec![
                ("col-client", Kind::Text),
                ("col-intake", Kind::Date),
                ("col-days", Kind::Count),
                ("col-level", Kind::Text),
            ]
        } else {
            vec![
                ("col-client-number", Kind::Text),
                ("col-coach", Kind::Text),
                ("col-intake", Kind::Date),
                ("col-days", Kind::Count),
                ("col-level", Kind::Text),
            ]
        },
    );
    for a in &f.fidelity.alerts {
        let mut cells = if coach_view {
            vec![Cell::Text(
                f.names
                    .get(&a.client_id)
                    .cloned()
                    .unwrap_or_else(|| lang.t1("client-number", "id", a.client_id.to_string())),
            )]
        } else {
            vec![
                Cell::Text(lang.t1("client-number", "id", a.client_id.to_string())),
                Cell::Text(coach_name(a.coach_id)),
            ]
        };
        cells.extend([
            Cell::Date(a.intake_date),
            Cell::Count(a.days_since_intake.max(0) as usize),
            Cell::Text(lang.t(&format!("alert-{}", a.level))),
        ]);
        t.row(format!("alert:{}", a.client_id), cells);
        t.clients.push(a.client_id);
    }
    out.push(t);

    if coach_view {
        let mut t = Table::new(
            lang,
            "caseload",
            vec![("col-client", Kind::Text), ("col-stage", Kind::Text)],
        );
        for (id, name, stage, placement) in &f.caseload {
            // "Started a job or placement" says which: a work trial is not a job.
            let stage = match placement {
                Some(p) => format!(
                    "{}: {}",
                    stage_name(lang, *stage),
                    lang.t(&format!("placement-{}", p.as_str()))
                ),
                None => stage_name(lang, *stage),
            };
            t.row(
                format!("client:{id}"),
                vec![Cell::Text(name.clone()), Cell::Text(stage)],
            );
            t.clients.push(*id);
        }
        out.push(t);
    } else {
        let mut t = Table::new(
            lang,
            "coaches",
            vec![
                ("col-coach", Kind::Text),
                ("col-clients", Kind::Count),
                ("col-active", Kind::Count),
                ("col-cohort", Kind::Count),
                ("col-competitive-jobs", Kind::Count),
            ],
        );
        for c in &funnel.by_coach {
            let name = coach_name(c.coach_id);
            let scoped = Checked {
                coach: Some(c.coach_id),
                ..*checked
            };
            t.row(
                format!("coach:{}", c.coach_id),
                vec![
                    Cell::Text(name.clone()),
                    Cell::Count(c.clients),
                    Cell::Count(c.active),
                    Cell::Count(c.cohort),
                    Cell::Count(c.competitive_jobs),
                ],
            )
            .link = Some((
                format!("{DASHBOARD_PATH}?{}", scoped.query()),
                lang.t1("coach-figures-link", "coach", name.clone()),
            ));
        }
        out.push(t);
    }
    out
}

/// `2025Q3` in words.
fn quarter_name(lang: Lang, quarter: &str) -> String {
    let Some((year, q)) = quarter.split_once('Q') else {
        return quarter.to_string();
    };
    lang.t_args(
        "quarter-name",
        &[
            ("year", year.to_string().into()),
            ("quarter", q.to_string().into()),
        ],
    )
}

/// The fidelity items as a table (what the export holds; the page shows them as cards).
fn fidelity_table(lang: Lang, fidelity: &FidelityReport) -> Table {
    let mut t = Table::new(
        lang,
        "fidelity",
        vec![
            ("col-item", Kind::Text),
            ("col-meaning", Kind::Text),
            ("col-value", Kind::Decimal),
            ("col-unit", Kind::Text),
            ("col-n", Kind::Count),
            ("col-score", Kind::Count),
        ],
    );
    for i in &fidelity.items {
        t.row(
            format!("fidelity:{}", i.item),
            vec![
                Cell::Text(lang.t(&format!("fidelity-{}", i.item))),
                Cell::Text(lang.t(&format!("fidelity-{}-meaning", i.item))),
                Cell::Decimal(i.raw, 1),
                Cell::Text(lang.t(&format!("fidelity-{}-unit", i.item))),
                Cell::Count(i.n),
                match i.score {
                    Some(s) => Cell::Count(s.into()),
                    None => Cell::Empty,
                },
            ],
        );
    }
    t
}

/// One fidelity item as the page shows it.
pub struct FidelityCard {
    /// Identifier.
    pub item: &'static str,
    /// Name.
    pub title: String,
    /// What it measures, why it matters, how it scores.
    pub meaning: String,
    /// The figure with its unit, or "cannot be computed".
    pub value: String,
    /// Score 1–5.
    pub score: Option<u8>,
    /// "4 / 5".
    pub score_text: String,
    /// "Based on 12 cases."
    pub based_on: String,
}

/// The fidelity section.
pub struct FidelityView {
    /// Title.
    pub title: String,
    /// What the figures are.
    pub note: String,
    /// The mean score in words.
    pub mean: Option<String>,
    /// The items.
    pub items: Vec<FidelityCard>,
    /// Download links.
    pub exports: Vec<ExportLink>,
}

fn fidelity_view(lang: Lang, fidelity: &FidelityReport, table: &TableView) -> FidelityView {
    let items = fidelity
        .items
        .iter()
        .map(|i| {
            let unit = lang.t(&format!("fidelity-{}-unit", i.item));
            let value = match i.raw {
                Some(raw) if unit == "%" => format::percent(lang, raw / 100.0),
                Some(raw) => format!("{} {unit}", format::decimal(lang, raw, 1)),
                None => lang.t("fidelity-no-data"),
            };
            FidelityCard {
                item: i.item,
                title: lang.t(&format!("fidelity-{}", i.item)),
                meaning: lang.t(&format!("fidelity-{}-meaning", i.item)),
                value,
                score: i.score,
                score_text: i
                    .score
                    .map(|s| lang.t1("fidelity-score", "score", s.to_string()))
                    .unwrap_or_default(),
                based_on: lang.t1("fidelity-based-on", "n", format::count(lang, i.n)),
            }
        })
        .collect();
    FidelityView {
        title: table.title.clone(),
        note: table.note.clone(),
        mean: fidelity
            .mean_score
            .map(|m| lang.t1("fidelity-mean", "score", format::decimal(lang, m, 1))),
        items,
        exports: table
            .exports
            .iter()
            .map(|e| ExportLink {
                href: e.href.clone(),
                text: e.text.clone(),
            })
            .collect(),
    }
}

/// The period form as the page shows it.
pub struct PeriodForm {
    /// First day, as typed or as the page chose it.
    pub from: String,
    /// Last day.
    pub to: String,
    /// For coordinators: (id, name, chosen) of every coach.
    pub coaches: Option<Vec<(i64, String, bool)>>,
    /// Errors, in the order of the fields.
    pub errors: Vec<FieldError>,
}

impl PeriodForm {
    /// The error at `field`.
    pub fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
}

/// The summary line over the tables.
pub struct Summary {
    /// "Period 1.1.2025 (vk 1) – 30.6.2025 (vk 27)".
    pub period: String,
    /// Label of the population count.
    pub clients_label: String,
    /// Population.
    pub clients: String,
    /// Cohort label.
    pub cohort_label: String,
    /// Cohort.
    pub cohort: String,
}

/// The page.
#[derive(Template)]
#[template(path = "dashboard.html")]
pub struct DashboardPage {
    /// Layout.
    pub page: Page,
    /// What the page shows, for this role.
    pub intro: String,
    /// The period form.
    pub form: PeriodForm,
    /// The figures (none when the form has errors).
    pub summary: Option<Summary>,
    /// Tables in order (the fidelity one is shown as [`DashboardPage::fidelity`]).
    pub sections: Vec<TableView>,
    /// Fidelity cards.
    pub fidelity: Option<FidelityView>,
}

/// The 403 page.
pub fn forbidden(req: &HttpRequest, lang: Lang, user: &User) -> Result<HttpResponse, WebError> {
    let page = Page::new(req, lang, Some(user), lang.t("forbidden-title"));
    let body = MessagePage {
        text: lang.t("forbidden-text"),
        page,
    }
    .render()?;
    Ok(html(StatusCode::FORBIDDEN, body))
}

/// The 404 page.
pub fn not_found(req: &HttpRequest, lang: Lang, user: &User) -> Result<HttpResponse, WebError> {
    let page = Page::new(req, lang, Some(user), lang.t("not-found-title"));
    let body = MessagePage {
        text: lang.t("not-found-text"),
        page,
    }
    .render()?;
    Ok(html(StatusCode::NOT_FOUND, body))
}

fn coach_choices(
    state_coaches: &HashMap<i64, String>,
    chosen: Option<&str>,
) -> Vec<(i64, String, bool)> {
    let chosen = chosen.and_then(|c| c.trim().parse::<i64>().ok());
    let mut v: Vec<(i64, String, bool)> = state_coaches
        .iter()
        .map(|(id, name)| (*id, name.clone(), Some(*id) == chosen))
        .collect();
    v.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    v
}

/// The page with the form as sent and its errors (422), no figures.
pub async fn form_with_errors(
    req: &HttpRequest,
    state: &AppState,
    lang: Lang,
    user: &User,
    input: &PeriodInput,
    errors: Vec<FieldError>,
) -> Result<HttpResponse, WebError> {
    let coaches = if user.role == Role::Coordinator {
        let all: HashMap<i64, String> = state
            .store
            .users_with_role(Role::Coach)
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect();
        Some(coach_choices(&all, input.coach.as_deref()))
    } else {
        None
    };
    let mut page = Page::new(req, lang, Some(user), lang.t("dashboard-title"));
    page.has_errors = true;
    let body = DashboardPage {
        intro: intro(lang, user.role),
        form: PeriodForm {
            from: input.from.clone().unwrap_or_default(),
            to: input.to.clone().unwrap_or_default(),
            coaches,
            errors,
        },
        summary: None,
        sections: Vec::new(),
        fidelity: None,
        page,
    }
    .render()?;
    Ok(html(StatusCode::UNPROCESSABLE_ENTITY, body))
}

fn intro(lang: Lang, role: Role) -> String {
    match role {
        Role::Coach => lang.t("dashboard-intro-coach"),
        _ => lang.t("dashboard-intro-coordinator"),
    }
}

/// `GET /dashboard`.
pub async fn dashboard(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let lang = request_lang(&req);
    let Some(user) = signed_in_user(&req, &state).await? else {
        return Ok(sign_in_first(&req));
    };
    let input = PeriodInput::from_query(req.query_string());
    let action = AccessAction::Dashboard;
    let (checked, figures) = match load(&state, lang, &user, &input, action, DASHBOARD_LIST).await?
    {
        Ok(loaded) => loaded,
        Err(Refusal::Forbidden) => return forbidden(&req, lang, &user),
        Err(Refusal::Form(errors)) => {
            return form_with_errors(&req, &state, lang, &user, &input, errors).await
        }
    };
    let tables = tables(lang, user.role, &checked, &figures);
    let mut shown: Vec<i64> = tables
        .iter()
        .flat_map(|t| t.clients.iter().copied())
        .collect();
    shown.sort_unstable();
    shown.dedup();
    let access = Access::allowed(user.id, action, AccessTarget::List(DASHBOARD_LIST, &shown));
    state.store.log_access(&access).await?;

    let query = checked.query();
    let link_header = Some(lang.t("col-coach-figures"));
    let sections: Vec<TableView> = tables
        .iter()
        .map(|t| {
            let bar = (t.id == "cohort_funnel").then_some(2);
            TableView::new(t, lang, EXPORT_BASE, &query, bar, link_header.clone())
        })
        .collect();
    let fidelity = sections
        .iter()
        .find(|s| s.id == "fidelity")
        .map(|s| fidelity_view(lang, &figures.fidelity, s));
    let period = checked.period;
    let summary = Summary {
        period: lang.t_args(
            "period-shown",
            &[
                ("from", format::date_with_week(lang, period.from).into()),
                ("to", format::date_with_week(lang, period.to).into()),
            ],
        ),
        clients_label: lang.t1("figure-clients", "to", format::date(lang, period.to)),
        clients: format::count(lang, figures.funnel.clients),
        cohort_label: lang.t("figure-cohort"),
        cohort: format::count(lang, figures.funnel.cohort),
    };
    let coaches = (user.role == Role::Coordinator).then(|| {
        coach_choices(
            &figures.coach_names,
            checked.coach.map(|c| c.to_string()).as_deref(),
        )
    });
    let page = Page::new(&req, lang, Some(&user), lang.t("dashboard-title"));
    let body = DashboardPage {
        intro: intro(lang, user.role),
        form: PeriodForm {
            from: format::date_input(period.from),
            to: format::date_input(period.to),
            coaches,
            errors: Vec::new(),
        },
        summary: Some(summary),
        sections,
        fidelity,
        page,
    }
    .render()?;
    Ok(html(StatusCode::OK, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn input(from: &str, to: &str) -> PeriodInput {
        PeriodInput {
            from: Some(from.into()),
            to: Some(to.into()),
            coach: None,
        }
    }

    fn fields(
        r: Result<(NaiveDate, NaiveDate, Option<i64>), Vec<FieldError>>,
    ) -> Vec<&'static str> {
        r.err()
            .unwrap_or_default()
            .iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn the_period_form_reads_finnish_and_iso_dates_and_reports_every_problem() {
        let today = d("2026-12-01");
        assert_eq!(
            check_period(Lang::Fi, &input("1.1.2025", "2025-06-30"), today, &[]).unwrap(),
            (d("2025-01-01"), d("2025-06-30"), None)
        );
        assert_eq!(
            check_period(Lang::Fi, &PeriodInput::default(), today, &[]).unwrap(),
            (d("2025-12-02"), today, None)
        );
        assert_eq!(
            fields(check_period(
                Lang::Fi,
                &input("1.2.2026", "1.1.2026"),
                today,
                &[]
            )),
            ["from"]
        );
        assert_eq!(
            fields(check_period(
                Lang::Fi,
                &input("eilen", "+262142-12-31"),
                today,
                &[]
            )),
            ["from", "to"]
        );
        assert_eq!(
            fields(check_period(
                Lang::Fi,
                &input("1.1.0001", "1.1.2026"),
                today,
                &[]
            )),
            ["from"]
        );
        assert_eq!(
            fields(check_period(
                Lang::Fi,
                &input("1.1.1990", "1.1.2026"),
                today,
                &[]
            )),
            ["from"]
        );
        let bad_coach = PeriodInput {
            coach: Some("abc".into()),
            ..input("1.1.2026", "2.1.2026")
        };
        assert_eq!(
            fields(check_period(Lang::Fi, &bad_coach, today, &[])),
            ["coach"]
        );
        let errors =
            check_period(Lang::Sv, &input("1.2.2026", "1.1.2026"), today, &[]).unwrap_err();
        assert_eq!(errors[0].message, Lang::Sv.t("period-error-order"));
    }

    #[test]
    fn every_word_the_figures_need_is_in_every_catalogue() {
        use crate::domain::PlacementType;
        use crate::funnel::{FunnelData, COHORT_STEPS, STAGES};
        let period = Period {
            from: d("2025-01-01"),
            to: d("2025-06-30"),
        };
        let fidelity = funnel::fidelity(&FunnelData::default(), period, None);
        let checked = Checked {
            period,
            coach: None,
        };
        let mut ids: Vec<String> = Vec::new();
        for stage in STAGES.iter().chain([&EventType::Profiling]) {
            ids.push(format!("stage-{}", stage.as_str()));
        }
        for p in PlacementType::ALL {
            ids.push(format!("placement-{}", p.as_str()));
        }
        for step in COHORT_STEPS {
            ids.push(format!("step-{}", step.as_str()));
        }
        for i in &fidelity.items {
            for suffix in ["", "-meaning", "-unit"] {
                ids.push(format!("fidelity-{}{suffix}", i.item));
            }
        }
        for level in ["over_21_days", "over_30_days"] {
            ids.push(format!("alert-{level}"));
        }
        for lang in Lang::ALL {
            let figures = Figures {
                funnel: funnel::funnel(&FunnelData::default(), period, None),
                fidelity: fidelity.clone(),
                coach_names: HashMap::new(),
                caseload: Vec::new(),
                names: HashMap::new(),
            };
            let mut all = ids.clone();
            for role in [Role::Coordinator, Role::Coach] {
                for t in tables(lang, role, &checked, &figures) {
                    all.push(format!("table-{}", t.id));
                    all.push(format!("table-{}-note", t.id));
                    let file = lang.t(&format!("file-{}", t.id));
                    assert!(
                        file.chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                        "{file} is a plain file name"
                    );
                }
            }
            for id in all {
                assert_ne!(lang.t(&id), id, "{} lacks {id}", lang.code());
            }
        }
    }

    #[test]
    fn a_repeated_parameter_is_read_once() {
        let input = PeriodInput::from_query("from=2025-01-01&from=x&coach=");
        assert_eq!(input.from.as_deref(), Some("2025-01-01"));
        assert_eq!(input.coach.as_deref(), Some(""));
        assert_eq!(input.to, None);
    }
}
