//! `/dashboard`: the coordinators' and coaches' web page, rendered on the server with no
//! external assets (the funnel chart is inline SVG, the style inline CSS). A browser signs in
//! at `/signin` (a server-side session, see `crate::web::session`); API tokens work as a
//! bearer header. Every table can be downloaded as CSV.
//!
//! Coordinators see aggregates and per-coach figures and never a client's name; a coach sees
//! the figures and the clients of its own caseload only. Every page and download is written
//! to the access log with the clients it names, and so is a refused visit.

use std::collections::HashMap;
use std::fmt::Write;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

use super::auth::{authenticate, Caller};
use super::error::{ApiError, ApiResult};
use super::funnel::{refusal_reason, scope, ReportParams};
use super::query::{parse_query, ApiQuery};
use super::AppState;
use crate::domain::{pseudonym, AccessAction, AccessTarget, Role, User};
use crate::funnel::{self, FidelityReport, FunnelReport};
use crate::store::Access;

/// The name of the dashboard page in the access log.
const DASHBOARD_LIST: &str = "dashboard";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/dashboard", web::get().to(dashboard))
        // The old token login form: browsers sign in at /signin now.
        .service(
            web::resource("/dashboard/login")
                .route(web::get().to(to_sign_in))
                .route(web::post().to(to_sign_in)),
        )
        .route("/dashboard/export/{table}", web::get().to(export));
}

/// The sign-in page, coming back to the dashboard.
const SIGN_IN: &str = "/signin?next=%2Fdashboard";

async fn to_sign_in() -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, SIGN_IN))
        .finish()
}

/// Escapes text for HTML element content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn pct(v: Option<f64>) -> String {
    v.map(|r| format!("{:.1} %", r * 100.0))
        .unwrap_or_else(|| "–".into())
}

fn num(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.1}")).unwrap_or_else(|| "–".into())
}

/// The user behind the request: bearer header first, then the browser session.
async fn session_user(req: &HttpRequest, state: &AppState) -> ApiResult<Option<User>> {
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.trim()
                .strip_prefix("Bearer ")
                .map(|t| t.trim().to_string())
        });
    match bearer.filter(|t| !t.is_empty()) {
        Some(t) => authenticate(state, req.peer_addr().map(|a| a.ip()), &t).await,
        None => match crate::web::session::current(req, state).await {
            Ok(signed_in) => Ok(signed_in.map(|s| s.user)),
            Err(e) => Err(ApiError::Internal(e.to_string())),
        },
    }
}

/// The CSRF token of the request's session (for the sign-out form), once `session_user`
/// found one.
fn csrf_token(req: &HttpRequest) -> Option<String> {
    crate::web::session::cached(req).map(|s| s.session.csrf_token)
}

fn page(title: &str, body: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="fi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 0; color: #1d2430; background: #f5f6f8; }}
header {{ background: #18365c; color: #fff; padding: .8rem 1.5rem; display: flex; justify-content: space-between; align-items: center; }}
header h1 {{ font-size: 1.2rem; margin: 0; }}
header form {{ margin: 0; }}
main {{ padding: 1rem 1.5rem; max-width: 1500px; }}
section {{ overflow-x: auto; background: #fff; border-radius: 6px; padding: .8rem 1rem; margin-bottom: 1rem; box-shadow: 0 1px 2px rgba(0,0,0,.08); }}
h2 {{ font-size: 1.05rem; margin: .2rem 0 .6rem; display: flex; justify-content: space-between; }}
h2 a {{ font-size: .8rem; font-weight: normal; }}
table {{ border-collapse: collapse; width: 100%; font-size: .9rem; }}
th, td {{ text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #e3e6ea; }}
td.n {{ text-align: right; font-variant-numeric: tabular-nums; }}
.score-5, .score-4 {{ color: #1b6e33; font-weight: 600; }} .score-3 {{ color: #8a6100; font-weight: 600; }}
.score-2, .score-1 {{ color: #a12020; font-weight: 600; }}
.over_30_days {{ color: #a12020; font-weight: 600; }} .over_21_days {{ color: #8a6100; }}
form.period label {{ margin-right: .8rem; }}
.grid {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 1rem; }}
.note {{ color: #5b6573; font-size: .85rem; }}
.error-summary {{ border: 4px solid #a12020; }}
.error-summary a, .field-error {{ color: #a12020; font-weight: 600; }}
.field-error {{ margin-right: .8rem; }}
</style></head><body>{body}</body></html>"#,
        title = esc(title)
    )
}

fn login_page(message: Option<&str>) -> String {
    let msg = message
        .map(|m| format!(r#"<p class="note" role="alert">{}</p>"#, esc(m)))
        .unwrap_or_default();
    page(
        "kohtaamo – kirjaudu",
        &format!(
            r#"<header><h1>kohtaamo</h1></header><main><section>{msg}
<p><a href="{SIGN_IN}">Kirjaudu sisään / Sign in</a></p></section></main>"#
        ),
    )
}

/// One table of the page, also exported as CSV.
struct Table {
    id: &'static str,
    title: String,
    headers: Vec<&'static str>,
    rows: Vec<Vec<String>>,
    /// `data-figure` keys of the first column's rows' second cell (tests and scrapers find
    /// figures by them).
    keys: Vec<String>,
}

impl Table {
    fn new(id: &'static str, title: impl Into<String>, headers: Vec<&'static str>) -> Self {
        Self {
            id,
            title: title.into(),
            headers,
            rows: Vec::new(),
            keys: Vec::new(),
        }
    }
    fn row(&mut self, key: impl Into<String>, cells: Vec<String>) {
        self.keys.push(key.into());
        self.rows.push(cells);
    }
}

struct View {
    user: User,
    funnel: FunnelReport,
    fidelity: FidelityReport,
    coach_names: HashMap<i64, String>,
    /// For a coach: its clients (id, name, current stage label).
    caseload: Vec<(i64, String, String)>,
    params: ReportParams,
}

async fn build_view(state: &AppState, user: User, params: ReportParams) -> ApiResult<View> {
    let caller = Caller(user.clone());
    let coach = scope(&caller, params.coach)?;
    let period = params.period(chrono::Utc::now().date_naive())?;
    let data = state.store.funnel_data(coach, period.to).await?;
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
    let coach_names = state
        .store
        .users_with_role(Role::Coach)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let (funnel, fidelity, stages) = web::block(move || {
        (
            funnel::funnel(&data, period, coach),
            funnel::fidelity(&data, period, coach),
            funnel::current_stages(&data, coach),
        )
    })
    .await?;
    let caseload = if user.role == Role::Coach {
        // An erased client still counts in the figures but is no longer on the caseload.
        stages
            .into_iter()
            .filter_map(|(id, stage)| {
                let name = names.get(&id)?.clone();
                Some((id, name, funnel::stage_label(stage).to_string()))
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(View {
        user,
        funnel,
        fidelity,
        coach_names,
        caseload,
        params: ReportParams {
            from: Some(period.from.to_string()),
            to: Some(period.to.to_string()),
            coach,
        },
    })
}

fn tables(v: &View) -> Vec<Table> {
    let f = &v.funnel;
    let coach_name = |id: i64| v.coach_names.get(&id).cloned().unwrap_or(format!("#{id}"));
    let mut out = Vec::new();

    let mut t = Table::new(
        "stages",
        "Vaiheet nyt / Clients by stage",
        vec!["Stage", "Clients"],
    );
    for s in &f.stages {
        t.row(
            format!("stage:{}", s.stage.as_str()),
            vec![
                format!("{} ({})", s.label, s.stage.as_str()),
                s.clients.to_string(),
            ],
        );
    }
    out.push(t);

    let mut t = Table::new(
        "conversions",
        "Eteneminen / Conversion (cohort)",
        vec!["From → to", "Reached from", "Reached to", "Rate"],
    );
    for c in &f.conversions {
        t.row(
            format!("conversion:{}", c.to.as_str()),
            vec![
                format!("{} → {}", c.from.as_str(), c.to.as_str()),
                c.reached_from.to_string(),
                c.reached_to.to_string(),
                pct(c.rate),
            ],
        );
    }
    out.push(t);

    let mut t = Table::new(
        "time_in_stage",
        "Aika vaiheessa / Median time in stage",
        vec!["Stage", "Finished stays", "Median days"],
    );
    for s in &f.time_in_stage {
        t.row(
            format!("stay:{}", s.stage.as_str()),
            vec![
                s.stage.as_str().into(),
                s.stays.to_string(),
                num(s.median_days),
            ],
        );
    }
    out.push(t);

    let mut t = Table::new(
        "quarters",
        "Kilpailullinen työllistyminen / Competitive employment by quarter",
        vec![
            "Quarter",
            "Out of work at entry",
            "Competitively employed",
            "Rate",
        ],
    );
    for q in &f.outcomes.quarters {
        t.row(
            format!("quarter:{}", q.quarter),
            vec![
                q.quarter.clone(),
                q.out_of_work_at_entry.to_string(),
                q.competitively_employed.to_string(),
                pct(q.rate),
            ],
        );
    }
    out.push(t);

    let o = &f.outcomes;
    let mut t = Table::new(
        "outcomes",
        "Tulokset / Outcomes",
        vec!["Measure", "Value", "n"],
    );
    t.row(
        "outcome:median_days_to_first_job",
        vec![
            "Median days from intake to first competitive job".into(),
            num(o.days_to_first_job.median_days),
            o.days_to_first_job.clients.to_string(),
        ],
    );
    t.row(
        "outcome:mean_hours",
        vec![
            "Mean hours per week".into(),
            num(o.hours.mean_hours_per_week),
            o.hours.placements.to_string(),
        ],
    );
    t.row(
        "outcome:share_20h",
        vec![
            "Share working ≥ 20 h/week".into(),
            pct(o.hours.share_20_hours_or_more),
            o.hours.placements.to_string(),
        ],
    );
    for ten in &o.tenure {
        t.row(
            format!("outcome:tenure_{}", ten.days),
            vec![
                format!("Still employed at {} days", ten.days),
                pct(ten.rate),
                ten.placements.to_string(),
            ],
        );
    }
    out.push(t);

    let p = &f.placement_path;
    let mut t = Table::new(
        "placement_path",
        "Porrasmalli / työkokeilu → palkkatuki → palkkatyö",
        vec!["Step", "Clients", "Drop-off"],
    );
    t.row(
        "path:work_trial",
        vec![
            "Työkokeilu".into(),
            p.work_trial.to_string(),
            pct(p.drop_off_after_work_trial),
        ],
    );
    t.row(
        "path:wage_subsidised",
        vec![
            "→ palkkatuki".into(),
            p.then_wage_subsidised.to_string(),
            pct(p.drop_off_after_wage_subsidy),
        ],
    );
    t.row(
        "path:competitive",
        vec![
            "→ palkkatyö".into(),
            p.then_competitive.to_string(),
            String::new(),
        ],
    );
    t.row(
        "path:competitive_first",
        vec![
            "Palkkatyö suoraan (IPS)".into(),
            p.competitive_first.to_string(),
            String::new(),
        ],
    );
    out.push(t);

    let mut t = Table::new(
        "fidelity",
        format!(
            "IPS-25 fidelity (mean score {})",
            num(v.fidelity.mean_score)
        ),
        vec!["Item", "Raw", "Unit", "n", "Score"],
    );
    for i in &v.fidelity.items {
        t.row(
            format!("fidelity:{}", i.item),
            vec![
                i.label.into(),
                i.raw
                    .map(|x| format!("{x:.2}"))
                    .unwrap_or_else(|| "–".into()),
                i.unit.into(),
                i.n.to_string(),
                i.score.map(|s| s.to_string()).unwrap_or_else(|| "–".into()),
            ],
        );
    }
    out.push(t);

    let coach_view = v.user.role == Role::Coach;
    let mut t = Table::new(
        "alerts",
        format!(
            "Hälytykset: ei työnantajakontaktia / No employer contact ({})",
            v.fidelity.alerts.len()
        ),
        if coach_view {
            vec!["Client", "Intake", "Days", "Level"]
        } else {
            vec!["Client id", "Coach", "Intake", "Days", "Level"]
        },
    );
    let names: HashMap<i64, &str> = v.caseload.iter().map(|c| (c.0, c.1.as_str())).collect();
    for a in &v.fidelity.alerts {
        let mut cells = if coach_view {
            vec![names
                .get(&a.client_id)
                .map(|n| n.to_string())
                .unwrap_or_else(|| pseudonym(a.client_id))]
        } else {
            vec![a.client_id.to_string(), coach_name(a.coach_id)]
        };
        cells.extend([
            a.intake_date.to_string(),
            a.days_since_intake.to_string(),
            a.level.to_string(),
        ]);
        t.row(format!("alert:{}", a.client_id), cells);
    }
    out.push(t);

    let mut t = Table::new(
        "coaches",
        "Valmentajittain / By coach",
        vec!["Coach", "Clients", "Active", "Cohort", "Competitive jobs"],
    );
    for c in &f.by_coach {
        t.row(
            format!("coach:{}", c.coach_id),
            vec![
                coach_name(c.coach_id),
                c.clients.to_string(),
                c.active.to_string(),
                c.cohort.to_string(),
                c.competitive_jobs.to_string(),
            ],
        );
    }
    out.push(t);

    if coach_view {
        let mut t = Table::new(
            "caseload",
            "Oma asiakaskunta / My caseload",
            vec!["Client", "Stage"],
        );
        for (id, name, stage) in &v.caseload {
            t.row(format!("client:{id}"), vec![name.clone(), stage.clone()]);
        }
        out.push(t);
    }
    out
}

fn query_string(p: &ReportParams) -> String {
    let mut q = format!(
        "from={}&to={}",
        p.from.as_deref().unwrap_or_default(),
        p.to.as_deref().unwrap_or_default()
    );
    if let Some(c) = p.coach {
        let _ = write!(q, "&coach={c}");
    }
    q
}

fn chart(f: &FunnelReport) -> String {
    let max = f.stages.iter().map(|s| s.clients).max().unwrap_or(0).max(1);
    let (bar_h, gap, label_w, width) = (22, 6, 230, 700);
    let height = f.stages.len() * (bar_h + gap) + gap;
    let mut svg = format!(
        r#"<svg role="img" aria-label="Funnel: clients by stage" viewBox="0 0 {width} {height}" width="100%" xmlns="http://www.w3.org/2000/svg" font-size="13" font-family="system-ui, sans-serif">"#
    );
    for (i, s) in f.stages.iter().enumerate() {
        let y = gap + i * (bar_h + gap);
        let w = (s.clients as f64 / max as f64 * (width - label_w - 60) as f64).round() as usize;
        let _ = write!(
            svg,
            r##"<text x="{lx}" y="{ty}" text-anchor="end">{label}</text><rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" fill="#2f6db3" rx="3"></rect><text x="{vx}" y="{ty}" data-figure="chart:{stage}">{n}</text>"##,
            lx = label_w - 8,
            ty = y + bar_h - 6,
            label = esc(s.label),
            vx = label_w + w + 6,
            stage = s.stage.as_str(),
            n = s.clients
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A period field the page could not use, and why.
struct FieldError {
    field: String,
    message: String,
}

/// The page header: who is signed in, and (in a browser session) the sign-out button.
fn header_html(user: &User, csrf: Option<&str>) -> String {
    let who = match user.role {
        Role::Coach => "työhönvalmentaja / coach",
        _ => "koordinaattori / coordinator",
    };
    format!(
        r#"<header><h1>kohtaamo – työllistymisen polku</h1><div>{name} · {who}
{logout}</div></header>"#,
        name = esc(&user.name),
        logout = csrf
            .map(|t| format!(
                r#"<form method="post" action="/signout" style="display:inline"><input type="hidden" name="csrf_token" value="{}"><button type="submit">Kirjaudu ulos</button></form>"#,
                esc(t)
            ))
            .unwrap_or_default(),
    )
}

/// The error summary at the top of the page: each problem links to its field.
fn error_summary(error: Option<&FieldError>) -> String {
    let Some(e) = error else {
        return String::new();
    };
    format!(
        r##"<section class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1"><h2 id="error-summary-title">Tarkista tiedot / There is a problem</h2><ul><li><a href="#{field}">{field}: {message}</a></li></ul></section>"##,
        field = esc(&e.field),
        message = esc(&e.message),
    )
}

/// The period form (and, for a coordinator, the coach select), with the error at its field.
fn period_form(
    user: &User,
    coach_names: &HashMap<i64, String>,
    params: &ReportParams,
    error: Option<&FieldError>,
) -> String {
    let error_at = |field: &str| {
        error
            .filter(|e| e.field == field)
            .map(|e| {
                (
                    format!(r#" aria-describedby="{field}-error" aria-invalid="true""#),
                    format!(
                        r#"<span class="field-error" id="{field}-error">{}</span>"#,
                        esc(&e.message)
                    ),
                )
            })
            .unwrap_or_default()
    };
    let coach_select = if user.role == Role::Coordinator {
        let (attrs, message) = error_at("coach");
        let mut s = format!(
            r#"<label>Coach <select id="coach" name="coach"{attrs}><option value="">All</option>"#
        );
        let mut coaches: Vec<(&i64, &String)> = coach_names.iter().collect();
        coaches.sort();
        for (id, name) in coaches {
            let sel = if params.coach == Some(*id) {
                " selected"
            } else {
                ""
            };
            let _ = write!(s, r#"<option value="{id}"{sel}>{}</option>"#, esc(name));
        }
        s.push_str("</select></label>");
        s.push_str(&message);
        s
    } else {
        String::new()
    };
    let (from_attrs, from_error) = error_at("from");
    let (to_attrs, to_error) = error_at("to");
    format!(
        r#"<form class="period" method="get" action="/dashboard">
<label>From <input type="date" id="from" name="from" value="{from}"{from_attrs}></label>{from_error}
<label>To <input type="date" id="to" name="to" value="{to}"{to_attrs}></label>{to_error}{coach_select}
<button type="submit">Show</button></form>"#,
        from = esc(params.from.as_deref().unwrap_or_default()),
        to = esc(params.to.as_deref().unwrap_or_default()),
    )
}

/// The page when its period cannot be shown: the form as sent, with the problem.
fn render_error(
    user: &User,
    csrf: Option<&str>,
    coach_names: &HashMap<i64, String>,
    params: &ReportParams,
    error: &FieldError,
) -> String {
    let body = format!(
        "{header}<main>{summary}<section>{form}</section></main>",
        header = header_html(user, csrf),
        summary = error_summary(Some(error)),
        form = period_form(user, coach_names, params, Some(error)),
    );
    page("Virhe – kohtaamo – dashboard", &body)
}

fn render(v: &View, csrf: Option<&str>) -> String {
    let qs = query_string(&v.params);
    let mut body = header_html(&v.user, csrf);
    body.push_str("<main>");
    let _ = write!(
        body,
        r#"<section>{form}
<p class="note">Clients (intake by {to}): <strong data-figure="clients">{clients}</strong> · cohort (intake in period): <strong data-figure="cohort">{cohort}</strong></p></section>"#,
        form = period_form(&v.user, &v.coach_names, &v.params, None),
        to = esc(v.params.to.as_deref().unwrap_or_default()),
        clients = v.funnel.clients,
        cohort = v.funnel.cohort,
    );
    let _ = write!(
        body,
        r#"<section><h2>Suppilo / Funnel <a href="/dashboard/export/stages.csv?{qs}">CSV</a></h2>{}</section><div class="grid">"#,
        chart(&v.funnel),
        qs = esc(&qs)
    );
    for t in tables(v) {
        let _ = write!(
            body,
            r#"<section id="{id}"><h2>{title} <a href="/dashboard/export/{id}.csv?{qs}">CSV</a></h2><table><thead><tr>"#,
            id = t.id,
            title = esc(&t.title),
            qs = esc(&qs)
        );
        for h in &t.headers {
            let _ = write!(body, "<th>{}</th>", esc(h));
        }
        body.push_str("</tr></thead><tbody>");
        if t.rows.is_empty() {
            let _ = write!(
                body,
                r#"<tr><td colspan="{}" class="note">–</td></tr>"#,
                t.headers.len()
            );
        }
        for (row, key) in t.rows.iter().zip(&t.keys) {
            body.push_str("<tr>");
            for (i, cell) in row.iter().enumerate() {
                let class = if t.id == "fidelity" && i == 4 {
                    format!(r#" class="n score-{}""#, esc(cell))
                } else if t.id == "alerts" && i == row.len() - 1 {
                    format!(r#" class="{}""#, esc(cell))
                } else if i > 0 {
                    r#" class="n""#.to_string()
                } else {
                    String::new()
                };
                let figure = if i == 1 {
                    format!(r#" data-figure="{}""#, esc(key))
                } else {
                    String::new()
                };
                let _ = write!(body, "<td{class}{figure}>{}</td>", esc(cell));
            }
            body.push_str("</tr>");
        }
        body.push_str("</tbody></table></section>");
    }
    body.push_str("</div></main>");
    page("kohtaamo – dashboard", &body)
}

/// The clients a table names, read from its rows' keys (`client:ID`, `alert:ID`).
fn clients_named(t: &Table) -> impl Iterator<Item = i64> + '_ {
    t.keys
        .iter()
        .filter_map(|k| {
            k.strip_prefix("client:")
                .or_else(|| k.strip_prefix("alert:"))
        })
        .filter_map(|id| id.parse().ok())
}

/// Writes a page view or download of `list` to the access log with the clients `tables`
/// name.
async fn log_read(
    state: &AppState,
    user: &User,
    action: AccessAction,
    list: &str,
    tables: &[Table],
) -> ApiResult<()> {
    let shown: Vec<i64> = tables.iter().flat_map(clients_named).collect();
    let access = Access::allowed(user.id, action, AccessTarget::List(list, &shown));
    Ok(state.store.log_access(&access).await?)
}

/// Writes a refused page view or download of `list` to the access log.
async fn log_refusal(
    state: &AppState,
    user: &User,
    action: AccessAction,
    list: &str,
) -> ApiResult<()> {
    let reason = refusal_reason(&Caller(user.clone()));
    let access = Access::denied(user.id, action, AccessTarget::List(list, &[]), reason);
    Ok(state.store.log_access(&access).await?)
}

/// The dashboard page.
pub async fn dashboard(req: HttpRequest, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let Some(user) = session_user(&req, &state).await? else {
        let here = match req.query_string() {
            "" => "/dashboard".to_string(),
            q => format!("/dashboard?{q}"),
        };
        return Ok(HttpResponse::SeeOther()
            .insert_header((
                header::LOCATION,
                crate::web::session::sign_in_url(Some(&here)),
            ))
            .finish());
    };
    // Read here rather than by an extractor, so a malformed parameter is shown in the page.
    let params = match parse_query::<ReportParams>(req.query_string()) {
        Ok(params) => params,
        Err(ApiError::InvalidParameter { field, message }) => {
            let raw: HashMap<String, String> = parse_query(req.query_string()).unwrap_or_default();
            let shown = ReportParams {
                from: raw.get("from").cloned(),
                to: raw.get("to").cloned(),
                coach: None,
            };
            let error = FieldError {
                field: field.unwrap_or_else(|| "from".into()),
                message,
            };
            return error_page(&state, &user, csrf_token(&req).as_deref(), &shown, error).await;
        }
        Err(e) => return Err(e),
    };
    let view = match build_view(&state, user.clone(), params.clone()).await {
        Ok(v) => v,
        Err(ApiError::Forbidden(m)) => {
            log_refusal(&state, &user, AccessAction::Dashboard, DASHBOARD_LIST).await?;
            return Ok(HttpResponse::Forbidden()
                .content_type("text/html; charset=utf-8")
                .body(login_page(Some(&m))));
        }
        Err(ApiError::InvalidParameter {
            field: Some(field),
            message,
        }) => {
            return error_page(
                &state,
                &user,
                csrf_token(&req).as_deref(),
                &params,
                FieldError { field, message },
            )
            .await
        }
        Err(ApiError::Validation(v)) => {
            let error = FieldError {
                field: v.field,
                message: v.message,
            };
            return error_page(&state, &user, csrf_token(&req).as_deref(), &params, error).await;
        }
        Err(e) => return Err(e),
    };
    let action = AccessAction::Dashboard;
    log_read(&state, &view.user, action, DASHBOARD_LIST, &tables(&view)).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(render(&view, csrf_token(&req).as_deref())))
}

/// The page with the period form and `error`, as a 422.
async fn error_page(
    state: &AppState,
    user: &User,
    csrf: Option<&str>,
    params: &ReportParams,
    error: FieldError,
) -> ApiResult<HttpResponse> {
    let coach_names = state
        .store
        .users_with_role(Role::Coach)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    Ok(HttpResponse::UnprocessableEntity()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(render_error(user, csrf, &coach_names, params, &error)))
}

/// One table as CSV (`/dashboard/export/{table}.csv`).
pub async fn export(
    req: HttpRequest,
    state: web::Data<AppState>,
    table: web::Path<String>,
    params: ApiQuery<ReportParams>,
) -> ApiResult<HttpResponse> {
    let user = session_user(&req, &state)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    let name = table.into_inner();
    let id = name.strip_suffix(".csv").unwrap_or(&name).to_string();
    let action = AccessAction::DashboardExport;
    let view = match build_view(&state, user.clone(), params.into_inner()).await {
        Err(ApiError::Forbidden(m)) => {
            // The table asked for is not known yet (nor is it logged verbatim).
            let list = format!("{DASHBOARD_LIST}/export");
            log_refusal(&state, &user, action, &list).await?;
            return Err(ApiError::Forbidden(m));
        }
        other => other?,
    };
    let t = tables(&view)
        .into_iter()
        .find(|t| t.id == id)
        .ok_or_else(|| ApiError::NotFound(format!("no table {id}")))?;
    let list = format!("{DASHBOARD_LIST}/{id}.csv");
    log_read(&state, &user, action, &list, std::slice::from_ref(&t)).await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let csv_err = |e: csv::Error| ApiError::Internal(format!("csv: {e}"));
    w.write_record(&t.headers).map_err(csv_err)?;
    for row in &t.rows {
        w.write_record(row).map_err(csv_err)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| ApiError::Internal(format!("csv: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(r#"attachment; filename="{id}.csv""#),
        ))
        .body(bytes))
}
