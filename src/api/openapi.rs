//! The OpenAPI document, generated from the handlers and types.

use actix_web::HttpResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// The API description served at `/api/v1/openapi.json` and browsable at `/docs/`.
#[derive(OpenApi)]
#[openapi(
    info(title = "kohtaamo", description = "Open-market job matching for IPS supported employment"),
    paths(
        super::health,
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
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

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
