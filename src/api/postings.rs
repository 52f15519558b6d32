//! `/api/v1/vacancies` and `/api/v1/tasks`: work that employers offer.
//!
//! Employers post and edit only their own employer's postings; coaches and admins may post
//! for any employer in the register (job development); coordinators read only.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::Value;
use utoipa::IntoParams;

use super::auth::Caller;
use super::error::{ApiError, ApiResult};
use super::json::{merge_into, ApiJson};
use super::openapi::{TaskPatch, VacancyPatch};
use super::query::ApiQuery;
use super::{AppState, ListPage, PageParams};
use crate::domain::{
    PostingStatus, Role, Source, Task, TaskDraft, TaskInput, Vacancy, VacancyDraft, VacancyInput,
};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/vacancies", web::post().to(create_vacancy))
        .route("/vacancies", web::get().to(list_vacancies))
        .route("/vacancies/{id}", web::get().to(get_vacancy))
        .route("/vacancies/{id}", web::patch().to(patch_vacancy))
        .route("/vacancies/{id}", web::delete().to(close_vacancy))
        .route("/tasks", web::post().to(create_task))
        .route("/tasks", web::get().to(list_tasks))
        .route("/tasks/{id}", web::get().to(get_task))
        .route("/tasks/{id}", web::patch().to(patch_task))
        .route("/tasks/{id}", web::delete().to(close_task));
}

const WRITERS: &[Role] = &[Role::Employer, Role::Coach, Role::Admin];

/// An employer user may act only for its own employer.
fn check_posting_employer(caller: &Caller, employer_id: i64) -> Result<(), ApiError> {
    match caller.own_employer() {
        Some(own) if own != employer_id => Err(ApiError::Forbidden(
            "an employer may post only for its own employer".into(),
        )),
        _ => Ok(()),
    }
}

/// Hides another employer's posting from an employer user.
fn visible<T>(caller: &Caller, employer_id: i64, what: &str, id: i64, item: T) -> ApiResult<T> {
    match caller.own_employer() {
        Some(own) if own != employer_id => {
            Err(ApiError::NotFound(format!("{what} {id} not found")))
        }
        _ => Ok(item),
    }
}

/// Filters of the posting lists.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PostingListParams {
    /// Only this employer's postings (an employer user always sees only its own).
    #[param(example = 1)]
    pub employer_id: Option<i64>,
    /// `open` (default) or `closed`.
    pub status: Option<PostingStatus>,
    /// Items per page, 1–100 (default 20).
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<i64>,
    /// Items to skip (default 0).
    #[param(minimum = 0, default = 0)]
    pub offset: Option<i64>,
}

impl PostingListParams {
    fn resolve(&self, caller: &Caller) -> ApiResult<(Option<i64>, PostingStatus, i64, i64)> {
        let (limit, offset) = PageParams {
            limit: self.limit,
            offset: self.offset,
        }
        .checked()?;
        let employer = caller.own_employer().or(self.employer_id);
        Ok((
            employer,
            self.status.unwrap_or(PostingStatus::Open),
            limit,
            offset,
        ))
    }
}

fn vacancy_input(v: &Vacancy) -> VacancyInput {
    VacancyInput {
        employer_id: v.employer_id,
        title: v.title.clone(),
        description: v.description.clone(),
        municipality: v.location.clone().or_else(|| v.municipality.clone()),
        occupation_code: v.occupation_code.clone(),
        hours_per_week: v.hours_per_week,
        employment_type: v.employment_type.clone(),
        language: v.language.clone(),
        valid_through: v.valid_through.map(|d| d.to_rfc3339()),
        date_posted: Some(v.date_posted.to_rfc3339()),
        wage_subsidy_ok: v.wage_subsidy_ok,
        work_trial_ok: v.work_trial_ok,
        adjustments_offered: Some(v.adjustments_offered.clone()),
        external_id: v.external_id.clone(),
    }
}

fn task_input(t: &Task) -> TaskInput {
    TaskInput {
        employer_id: t.employer_id,
        title: t.title.clone(),
        description: t.description.clone(),
        municipality: t.location.clone().or_else(|| t.municipality.clone()),
        site: t.site.clone(),
        starts_on: t.starts_on.map(|d| d.to_string()),
        ends_on: t.ends_on.map(|d| d.to_string()),
        estimated_hours: t.estimated_hours,
        group_size: t.group_size,
    }
}

/// Posts a vacancy.
#[utoipa::path(post, path = "/api/v1/vacancies", tag = "postings", request_body(content = VacancyInput, example = json!({"employer_id": 1, "title": "Varastotyöntekijä", "description": "Keräilyä ja pakkaamista aamuvuorossa. Perehdytämme työhön.", "municipality": "Lahti", "hours_per_week": {"min": 20, "max": 30}, "employment_type": "PART_TIME", "work_trial_ok": true, "adjustments_offered": ["kirjalliset ohjeet"]})),
    responses((status = 201, description = "Posted", body = Vacancy), super::openapi::TokenErrors, super::openapi::RoleErrors, super::openapi::BodyErrors, super::openapi::ConflictErrors),
    security(("bearer" = [])))]
#[tracing::instrument(name = "api.create_vacancy", skip_all, fields(user_id = tracing::field::Empty))]
pub async fn create_vacancy(
    state: web::Data<AppState>,
    caller: Caller,
    body: ApiJson<VacancyInput>,
) -> ApiResult<HttpResponse> {
    caller.require(WRITERS, "post vacancies")?;
    let mut draft = VacancyDraft::parse(&body.0, Source::Api)?;
    check_posting_employer(&caller, draft.employer_id)?;
    state.matcher.occupations().fill_vacancy(&mut draft);
    let vacancy = state
        .store
        .create_vacancy(&draft, Some(caller.id()))
        .await?;
    state.written().await;
    Ok(HttpResponse::Created().json(vacancy))
}

/// One vacancy.
#[utoipa::path(get, path = "/api/v1/vacancies/{id}", tag = "postings", params(super::openapi::IdPath),
    responses((status = 200, description = "The vacancy", body = Vacancy), super::openapi::TokenErrors, super::openapi::IdErrors),
    security(("bearer" = [])))]
pub async fn get_vacancy(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let v = state.store.vacancy(id).await?;
    let v = visible(&caller, v.employer_id, "vacancy", id, v)?;
    Ok(HttpResponse::Ok().json(v))
}

/// Changes a vacancy (JSON merge patch: send the fields to change, `null` clears one).
#[utoipa::path(patch, path = "/api/v1/vacancies/{id}", tag = "postings", params(super::openapi::IdPath), request_body(content = VacancyPatch, description = "A JSON merge patch (RFC 7396) of the vacancy's `VacancyInput`: the fields to change; `null` clears an optional one", example = json!({"title": "Varastotyöntekijä, osa-aikainen", "valid_through": null})),
    responses((status = 200, description = "The changed vacancy", body = Vacancy), super::openapi::TokenErrors, super::openapi::RoleErrors, super::openapi::IdErrors, super::openapi::BodyErrors, super::openapi::ConflictErrors),
    security(("bearer" = [])))]
#[tracing::instrument(name = "api.patch_vacancy", skip_all, fields(user_id = tracing::field::Empty))]
pub async fn patch_vacancy(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    body: ApiJson<Value>,
) -> ApiResult<HttpResponse> {
    caller.require(WRITERS, "change vacancies")?;
    let id = id.into_inner();
    let current = state.store.vacancy(id).await?;
    let current = visible(&caller, current.employer_id, "vacancy", id, current)?;
    let input = merge_into(&vacancy_input(&current), body.0)?;
    let mut draft = VacancyDraft::parse(&input, Source::Api)?;
    check_posting_employer(&caller, draft.employer_id)?;
    state.matcher.occupations().fill_vacancy(&mut draft);
    let v = state.store.update_vacancy(id, &draft).await?;
    state.written().await;
    Ok(HttpResponse::Ok().json(v))
}

/// Closes a vacancy: it leaves search and matches at once, and stays in the history.
#[utoipa::path(delete, path = "/api/v1/vacancies/{id}", tag = "postings", params(super::openapi::IdPath),
    responses((status = 204, description = "Closed"), super::openapi::TokenErrors, super::openapi::RoleErrors, super::openapi::IdErrors),
    security(("bearer" = [])))]
#[tracing::instrument(name = "api.close_vacancy", skip_all, fields(user_id = tracing::field::Empty))]
pub async fn close_vacancy(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    caller.require(WRITERS, "close vacancies")?;
    let id = id.into_inner();
    let current = state.store.vacancy(id).await?;
    visible(&caller, current.employer_id, "vacancy", id, ())?;
    state.store.close_vacancy(id).await?;
    state.written().await;
    Ok(HttpResponse::NoContent().finish())
}

/// Vacancies, newest first. Employer users see their own only.
#[utoipa::path(get, path = "/api/v1/vacancies", tag = "postings", params(PostingListParams),
    responses((status = 200, description = "A page of vacancies", body = ListPage<Vacancy>), super::openapi::TokenErrors, super::openapi::QueryErrors),
    security(("bearer" = [])))]
pub async fn list_vacancies(
    state: web::Data<AppState>,
    caller: Caller,
    params: ApiQuery<PostingListParams>,
) -> ApiResult<HttpResponse> {
    let (employer, status, limit, offset) = params.resolve(&caller)?;
    let page = state
        .store
        .vacancies(employer, Some(status), limit, offset)
        .await?;
    Ok(HttpResponse::Ok().json(ListPage::new(page, limit, offset)))
}

/// Posts a subcontracting task.
#[utoipa::path(post, path = "/api/v1/tasks", tag = "postings", request_body(content = TaskInput, example = json!({"employer_id": 1, "title": "Pakkaustyö", "description": "Tuotteiden pakkaamista ryhmässä työkeskuksessa.", "municipality": "Lahti", "site": "provider", "starts_on": "2026-02-01", "ends_on": "2026-03-31", "estimated_hours": 120, "group_size": 4})),
    responses((status = 201, description = "Posted", body = Task), super::openapi::TokenErrors, super::openapi::RoleErrors, super::openapi::BodyErrors),
    security(("bearer" = [])))]
#[tracing::instrument(name = "api.create_task", skip_all, fields(user_id = tracing::field::Empty))]
pub async fn create_task(
    state: web::Data<AppState>,
    caller: Caller,
    body: ApiJson<TaskInput>,
) -> ApiResult<HttpResponse> {
    caller.require(WRITERS, "post tasks")?;
    let mut draft = TaskDraft::parse(&body.0)?;
    state.matcher.occupations().fill_task(&mut draft);
    check_posting_employer(&caller, draft.employer_id)?;
    let task = state.store.create_task(&draft, Some(caller.id())).await?;
    state.written().await;
    Ok(HttpResponse::Created().json(task))
}

/// One task.
#[utoipa::path(get, path = "/api/v1/tasks/{id}", tag = "postings", params(super::openapi::IdPath),
    responses((status = 200, description = "The task", body = Task), super::openapi::TokenErrors, super::openapi::IdErrors),
    security(("bearer" = [])))]
pub async fn get_task(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let t = state.store.task(id).await?;
    let t = visible(&caller, t.employer_id, "task", id, t)?;
    Ok(HttpResponse::Ok().json(t))
}

/// Changes a task (JSON merge patch).
#[utoipa::path(patch, path = "/api/v1/tasks/{id}", tag = "postings", params(super::openapi::IdPath), request_body(content = TaskPatch, description = "A JSON merge patch (RFC 7396) of the task's `TaskInput`: the fields to change; `null` clears an optional one", example = json!({"group_size": 6})),
    responses((status = 200, description = "The changed task", body = Task), super::openapi::TokenErrors, super::openapi::RoleErrors, super::openapi::IdErrors, super::openapi::BodyErrors),
    security(("bearer" = [])))]
#[tracing::instrument(name = "api.patch_task", skip_all, fields(user_id = tracing::field::Empty))]
pub async fn patch_task(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    body: ApiJson<Value>,
) -> ApiResult<HttpResponse> {
    caller.require(WRITERS, "change tasks")?;
    let id = id.into_inner();
    let current = state.store.task(id).await?;
    let current = visible(&caller, current.employer_id, "task", id, current)?;
    let input = merge_into(&task_input(&current), body.0)?;
    let mut draft = TaskDraft::parse(&input)?;
    state.matcher.occupations().fill_task(&mut draft);
    check_posting_employer(&caller, draft.employer_id)?;
    let t = state.store.update_task(id, &draft).await?;
    state.written().await;
    Ok(HttpResponse::Ok().json(t))
}

/// Closes a task.
#[utoipa::path(delete, path = "/api/v1/tasks/{id}", tag = "postings", params(super::openapi::IdPath),
    responses((status = 204, description = "Closed"), super::openapi::TokenErrors, super::openapi::RoleErrors, super::openapi::IdErrors),
    security(("bearer" = [])))]
#[tracing::instrument(name = "api.close_task", skip_all, fields(user_id = tracing::field::Empty))]
pub async fn close_task(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    caller.require(WRITERS, "close tasks")?;
    let id = id.into_inner();
    let current = state.store.task(id).await?;
    visible(&caller, current.employer_id, "task", id, ())?;
    state.store.close_task(id).await?;
    state.written().await;
    Ok(HttpResponse::NoContent().finish())
}

/// Tasks, newest first.
#[utoipa::path(get, path = "/api/v1/tasks", tag = "postings", params(PostingListParams),
    responses((status = 200, description = "A page of tasks", body = ListPage<Task>), super::openapi::TokenErrors, super::openapi::QueryErrors),
    security(("bearer" = [])))]
pub async fn list_tasks(
    state: web::Data<AppState>,
    caller: Caller,
    params: ApiQuery<PostingListParams>,
) -> ApiResult<HttpResponse> {
    let (employer, status, limit, offset) = params.resolve(&caller)?;
    let page = state
        .store
        .tasks(employer, Some(status), limit, offset)
        .await?;
    Ok(HttpResponse::Ok().json(ListPage::new(page, limit, offset)))
}
