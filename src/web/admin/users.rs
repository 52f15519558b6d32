//! `/users`: every user with its role, address, status and how many API tokens and browser
//! sessions it holds; per user, disable or enable (disabling ends every token and session at
//! once), revoke every token and session, or make a one-time sign-in link; and a form to add a
//! person, who gets such a link. A link is shown once, on the page the post answers with.
//!
//! For admins only; every post checks its CSRF token ([`check_form`]).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::Utc;

use super::{page_number, signed_in_as, Pager, USERS_PATH};
use crate::api::{create_user, set_user_disabled, sign_in_link, ApiError, AppState, UserInput};
use crate::domain::{Account, Role, User};
use crate::web::i18n::Lang;
use crate::web::page::{role_name, FieldError, Page};
use crate::web::{check_form, html, see_other, WebError};

/// Users a page.
const PER_PAGE: i64 = 50;

/// One user as the table shows it.
pub struct Row {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub email: String,
    pub active: bool,
    pub status: String,
    pub tokens: i64,
    pub sessions: usize,
    /// The signed-in admin itself (it cannot disable itself).
    pub is_me: bool,
}

/// The add-a-user form as typed, and what could not be used of it.
#[derive(Default)]
pub struct AddForm {
    pub role: String,
    pub name: String,
    pub email: String,
    pub employer_id: String,
    pub errors: Vec<FieldError>,
}

impl AddForm {
    /// The error of field `id`, if any.
    pub fn error(&self, id: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|e| e.field == id)
            .map(|e| e.message.clone())
    }
}

/// A one-time sign-in link just made: for whom, and the link.
pub struct NewLink {
    pub name: String,
    pub link: String,
}

/// What a post adds to the page: a confirmation, a refusal, a link to show once, the add form
/// with its errors.
#[derive(Default)]
struct Outcome {
    notice: Option<String>,
    refusal: Option<String>,
    link: Option<NewLink>,
    form: AddForm,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    page: Page,
    rows: Vec<Row>,
    pager: Pager,
    roles: Vec<(&'static str, String, bool)>,
    notice: Option<String>,
    refusal: Option<String>,
    link: Option<NewLink>,
    form: AddForm,
}

/// The signed-in admin of `req`, or the answer for anyone else.
async fn admin(
    req: &HttpRequest,
    state: &AppState,
) -> Result<Result<(User, Lang), HttpResponse>, WebError> {
    signed_in_as(req, state, &[Role::Admin], "users-forbidden").await
}

fn status_words(lang: Lang, a: &Account) -> String {
    match a.disabled_at {
        Some(_) => lang.t("users-status-disabled"),
        None => lang.t("users-status-active"),
    }
}

/// The users page with `outcome`, answered with `status`.
async fn render(
    req: &HttpRequest,
    state: &AppState,
    me: &User,
    lang: Lang,
    status: StatusCode,
    outcome: Outcome,
) -> Result<HttpResponse, WebError> {
    let number = page_number(req);
    let found = state
        .store
        .accounts(PER_PAGE, (number - 1) * PER_PAGE)
        .await?;
    let now = Utc::now();
    let idle = chrono::Duration::from_std(state.sessions.idle).unwrap_or(chrono::Duration::MAX);
    let mut rows = Vec::with_capacity(found.items.len());
    for a in &found.items {
        let sessions = state.store.sessions_of(a.id, now, now - idle).await?.len();
        rows.push(Row {
            id: a.id,
            name: a.name.clone(),
            role: role_name(lang, a.role),
            email: a.email.clone().unwrap_or_else(|| "–".into()),
            active: a.disabled_at.is_none(),
            status: status_words(lang, a),
            tokens: a.active_tokens,
            sessions,
            is_me: a.id == me.id,
        });
    }
    let pager = Pager::new(lang, number, PER_PAGE, found.total, |n| match n {
        1 => USERS_PATH.to_string(),
        n => format!("{USERS_PATH}?page={n}"),
    });
    let mut page = Page::new(req, lang, Some(me), lang.t("users-title"));
    // After a post the address is the action's; the language switch comes back to the list.
    page.here = USERS_PATH.to_string();
    page.has_errors = !outcome.form.errors.is_empty();
    let chosen = outcome.form.role.as_str();
    let roles = Role::ALL
        .into_iter()
        .map(|r| (r.as_str(), role_name(lang, r), r.as_str() == chosen))
        .collect();
    let body = UsersPage {
        page,
        rows,
        pager,
        roles,
        notice: outcome.notice,
        refusal: outcome.refusal,
        link: outcome.link,
        form: outcome.form,
    }
    .render()?;
    Ok(html(status, body))
}

/// A confirmation shown after a redirect (`?notice=`): only the known ones, so a link cannot
/// make the page say anything else.
fn notice(req: &HttpRequest, lang: Lang) -> Option<String> {
    let id = match super::query_value(req, "notice")?.as_str() {
        "disabled" => "users-notice-disabled",
        "enabled" => "users-notice-enabled",
        "revoked" => "users-notice-revoked",
        _ => return None,
    };
    Some(lang.t(id))
}

/// `GET /users`.
#[tracing::instrument(name = "web.users", skip_all, fields(user_id = tracing::field::Empty))]
pub async fn page(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let (me, lang) = match admin(&req, &state).await? {
        Ok(found) => found,
        Err(answer) => return Ok(answer),
    };
    let outcome = Outcome {
        notice: notice(&req, lang),
        ..Outcome::default()
    };
    render(&req, &state, &me, lang, StatusCode::OK, outcome).await
}

/// A form body as (name, value) pairs.
fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn field(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// `POST /users/{id}/{action}`: `disable`, `enable`, `revoke` (every token and session) or
/// `link` (a one-time sign-in link, shown on the page that answers).
#[tracing::instrument(name = "web.user_action", skip_all, fields(user_id = tracing::field::Empty))]
pub async fn act(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (me, lang) = match admin(&req, &state).await? {
        Ok(found) => found,
        Err(answer) => return Ok(answer),
    };
    check_form(&req, &state, &form_pairs(&body))?;
    let (id, action) = path.into_inner();
    let Some(id) = id.parse::<i64>().ok().filter(|id| *id > 0) else {
        return not_found(&req, &state, &me, lang).await;
    };
    let done = match action.as_str() {
        "disable" | "enable" => set_user_disabled(&state, me.id, id, action == "disable")
            .await
            .map(|_| ()),
        "revoke" => state
            .store
            .revoke_user(id)
            .await
            .map(|(tokens, sessions)| {
                tracing::info!(
                    target_user = id,
                    tokens,
                    sessions,
                    "tokens and sessions revoked"
                );
            })
            .map_err(ApiError::from),
        "link" => {
            return match sign_in_link(&state, id).await {
                Ok(link) => {
                    let name = state.store.account(id).await?.name;
                    let outcome = Outcome {
                        link: Some(NewLink { name, link }),
                        ..Outcome::default()
                    };
                    render(&req, &state, &me, lang, StatusCode::OK, outcome).await
                }
                Err(e) => refused(&req, &state, &me, lang, id, e).await,
            };
        }
        _ => return not_found(&req, &state, &me, lang).await,
    };
    match done {
        Ok(()) => {
            let notice = match action.as_str() {
                "disable" => "disabled",
                "enable" => "enabled",
                _ => "revoked",
            };
            Ok(see_other(&format!("{USERS_PATH}?notice={notice}")))
        }
        Err(e) => refused(&req, &state, &me, lang, id, e).await,
    }
}

/// The page for an action the API's rules refused: no such user (404), or a conflict (an
/// admin disabling itself, a link for a disabled user: 409), each in words.
async fn refused(
    req: &HttpRequest,
    state: &AppState,
    me: &User,
    lang: Lang,
    id: i64,
    e: ApiError,
) -> Result<HttpResponse, WebError> {
    match e {
        ApiError::NotFound(_) => not_found(req, state, me, lang).await,
        ApiError::Conflict(_) => {
            let text = if id == me.id {
                "users-error-self-disable"
            } else {
                "users-error-disabled"
            };
            let outcome = Outcome {
                refusal: Some(lang.t(text)),
                ..Outcome::default()
            };
            render(req, state, me, lang, StatusCode::CONFLICT, outcome).await
        }
        other => Err(other.into()),
    }
}

async fn not_found(
    req: &HttpRequest,
    state: &AppState,
    me: &User,
    lang: Lang,
) -> Result<HttpResponse, WebError> {
    let outcome = Outcome {
        refusal: Some(lang.t("users-error-not-found")),
        ..Outcome::default()
    };
    render(req, state, me, lang, StatusCode::NOT_FOUND, outcome).await
}

/// `POST /users`: adds a person (role, name, e-mail address; an employer user also the
/// employer it acts for) and shows its one-time sign-in link.
#[tracing::instrument(name = "web.add_user", skip_all, fields(user_id = tracing::field::Empty))]
pub async fn add(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let (me, lang) = match admin(&req, &state).await? {
        Ok(found) => found,
        Err(answer) => return Ok(answer),
    };
    let pairs = form_pairs(&body);
    check_form(&req, &state, &pairs)?;
    let mut form = AddForm {
        role: field(&pairs, "role"),
        name: field(&pairs, "name"),
        email: field(&pairs, "email"),
        employer_id: field(&pairs, "employer_id"),
        errors: Vec::new(),
    };
    let error = |field: &'static str, id: &str| FieldError {
        field,
        message: lang.t(id),
    };
    let role = form.role.parse::<Role>().ok();
    if role.is_none() {
        form.errors.push(error("role", "users-error-role"));
    }
    if form.name.trim().is_empty() {
        form.errors.push(error("name", "users-error-name"));
    }
    // People sign in with their address; integrations get tokens through the API or the CLI.
    if form.email.trim().is_empty() {
        form.errors.push(error("email", "users-error-email"));
    }
    let employer_id = match form.employer_id.trim() {
        "" => None,
        raw => match raw.parse::<i64>() {
            Ok(id) if id > 0 => Some(id),
            _ => {
                form.errors
                    .push(error("employer_id", "users-error-employer_id"));
                None
            }
        },
    };
    let Some(role) = role.filter(|_| form.errors.is_empty()) else {
        return render(
            &req,
            &state,
            &me,
            lang,
            StatusCode::UNPROCESSABLE_ENTITY,
            Outcome {
                form,
                ..Outcome::default()
            },
        )
        .await;
    };
    let input = UserInput {
        name: form.name.clone(),
        role,
        employer_id,
        email: Some(form.email.trim().to_string()),
    };
    match create_user(&state, input).await {
        Ok(created) => {
            let outcome = Outcome {
                notice: Some(lang.t1("users-notice-added", "name", created.user.name.clone())),
                link: created.sign_in_link.map(|link| NewLink {
                    name: created.user.name,
                    link,
                }),
                ..Outcome::default()
            };
            render(&req, &state, &me, lang, StatusCode::OK, outcome).await
        }
        Err(e) => {
            let (field, id) = match &e {
                ApiError::Validation(v) if v.field == "name" => ("name", "users-error-name"),
                ApiError::Validation(v) if v.field == "email" => ("email", "users-error-email"),
                ApiError::Validation(v) if v.field == "employer_id" => {
                    if role == Role::Employer {
                        ("employer_id", "users-error-employer_id")
                    } else {
                        ("employer_id", "users-error-employer_id-other")
                    }
                }
                ApiError::Conflict(_) => ("email", "users-error-email-taken"),
                _ => return Err(e.into()),
            };
            form.errors.push(error(field, id));
            render(
                &req,
                &state,
                &me,
                lang,
                StatusCode::UNPROCESSABLE_ENTITY,
                Outcome {
                    form,
                    ..Outcome::default()
                },
            )
            .await
        }
    }
}
