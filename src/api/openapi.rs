//! The OpenAPI document, generated from the handlers and types.

use actix_web::HttpResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// The API description served at `/api/v1/openapi.json` and browsable at `/docs/`.
#[derive(OpenApi)]
#[openapi(
    info(title = "kohtaamo", description = "Open-market job matching for IPS supported employment.\n\n\
        Rate limits: an address or an account (a token's first 12 characters) that fails \
        authentication more often than `--rate-limit-auth` allows (default 10 a minute) gets 429 \
        with `Retry-After` on every authenticated request until one more is allowed; searches and \
        match lists together are limited per user by `--rate-limit-search` (default 10 a second) \
        with a burst of `--rate-limit-search-burst` (default 30)."),
    paths(
        super::health::health,
        super::health::ready,
        super::metrics::metrics,
        super::employers::create_employer,
        super::employers::get_employer,
        super::employers::list_employers,
        super::postings::create_vacancy,
        super::postings::get_vacancy,
        super::postings::patch_vacancy,
        super::postings::close_vacancy,
        super::postings::list_vacancies,
        super::postings::create_task,
        super::postings::get_task,
        super::postings::patch_task,
        super::postings::close_task,
        super::postings::list_tasks,
        super::caseload::caseload,
        super::clients::create_client,
        super::clients::get_client,
        super::clients::patch_client,
        super::clients::list_clients,
        super::clients::export_client,
        super::clients::erase_client,
        super::search::search,
        super::matches::matches,
        super::events::create_event,
        super::events::list_events,
        super::events::create_contact,
        super::events::employer_contacts,
        super::feedback::request_feedback,
        super::feedback::list_forms,
        super::feedback::get_form,
        super::feedback::submit_form,
        super::funnel::get_funnel,
        super::funnel::get_fidelity,
        super::access_log::access_log,
    ),
    // Types that appear only as query parameters are referenced but not collected by the
    // paths: registered here so every `$ref` resolves.
    components(schemas(crate::search::CandidateKind, crate::search::SearchKind)),
    modifiers(&BearerAuth, &RateLimited)
)]
pub struct ApiDoc;

/// Every operation that takes a token can answer 429 (failed authentications); searches and
/// match lists also for their own limit.
struct RateLimited;

/// Operations limited per user as expensive.
const EXPENSIVE: [&str; 2] = ["/api/v1/search", "/api/v1/clients/{id}/matches"];

impl Modify for RateLimited {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::header::HeaderBuilder;
        use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
        use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};

        for (path, item) in openapi.paths.paths.iter_mut() {
            let description = if EXPENSIVE.contains(&path.as_str()) {
                "Too many searches and match lists by this user (`--rate-limit-search`, burst \
                 `--rate-limit-search-burst`), or too many failed authentications from this \
                 address or for this account (`--rate-limit-auth`); `Retry-After` says when to \
                 try again"
            } else {
                "Too many failed authentications from this address or for this account \
                 (`--rate-limit-auth`); `Retry-After` says when to try again"
            };
            for op in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                if op.security.as_ref().is_none_or(|s| s.is_empty()) {
                    continue;
                }
                let seconds = ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .minimum(Some(1))
                    .build();
                let retry_after = HeaderBuilder::new()
                    .schema(RefOr::T(Schema::Object(seconds)))
                    .description(Some("Whole seconds until a request can pass again"))
                    .build();
                let response = ResponseBuilder::new()
                    .description(description)
                    .header("Retry-After", retry_after)
                    .content(
                        "application/json",
                        ContentBuilder::new()
                            .schema(Some(Ref::from_schema_name("ErrorBody")))
                            .build(),
                    )
                    .build();
                op.responses
                    .responses
                    .entry("429".into())
                    .or_insert(response.into());
            }
        }
    }
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}
