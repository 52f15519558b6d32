//! The OpenAPI document, generated from the handlers and types. The error responses that many
//! operations share live once in `components.responses`; each handler names the sets it can
//! answer with ([`TokenErrors`], [`RoleErrors`], [`IdErrors`], [`BodyErrors`], …), which
//! refer to them.

use std::borrow::Cow;
use std::collections::BTreeMap;

use actix_web::HttpResponse;
use serde_json::json;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::schema::{Object, ObjectBuilder, OneOfBuilder, Schema, SchemaType, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{IntoParams, IntoResponses, Modify, OpenApi};

/// The API description served at `/api/v1/openapi.json` and browsable at `/docs/`.
#[derive(OpenApi)]
#[openapi(
    info(title = "kohtaamo", description = "Open-market job matching for IPS supported employment.\n\n\
        Every operation under `/api/v1` needs `Authorization: Bearer TOKEN`; `/health`, `/ready`, \
        `/metrics` and this document need none.\n\n\
        Errors have one body: `{\"error\": {\"code\": \"snake_case_code\", \"message\": \"…\", \
        \"field\"?: \"…\"}}` (schema `ErrorBody`). Each operation lists the statuses it answers \
        with; the responses they share are in `components.responses`. Besides those, any \
        request can get, from the HTTP layer, with the same body: \
        405 (`MethodNotAllowed`: a method the path does not take, with `Allow`), \
        414 (`UriTooLong`: path and query string over 8 KiB), \
        431 (`RequestHeaderFieldsTooLarge`: request head over 64 KiB) and \
        500 (`InternalError`: a fault of the service, logged with the request id).\n\n\
        Request bodies are JSON of at most 1 MiB (413 past it); a body that is not JSON is a 400, \
        JSON of the wrong shape or with a field the operation does not know is a 422 naming the \
        field.\n\n\
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
        super::users::list_users,
        super::users::create_user,
        super::users::get_user,
        super::users::patch_user,
        super::users::list_tokens,
        super::users::create_token,
        super::users::revoke_token,
    ),
    // Types that appear only as query parameters are referenced but not collected by the
    // paths: registered here so every `$ref` resolves.
    components(schemas(super::ErrorBody, crate::search::CandidateKind, crate::search::SearchKind, crate::search::TotalRelation,
        crate::domain::Day, crate::domain::Moment, crate::domain::Deadline, crate::domain::DayOrEmpty, crate::domain::DeadlineOrEmpty)),
    modifiers(&BearerAuth, &ErrorResponses, &PatchSchemas, &OneIdParameter)
)]
pub struct ApiDoc;

/// One error response kept in `components.responses`.
struct ErrorResponse {
    status: u16,
    /// Its name under `components.responses`.
    name: &'static str,
    description: &'static str,
    /// An example body's code and message.
    example: (&'static str, &'static str),
}

const BAD_REQUEST: ErrorResponse = ErrorResponse {
    status: 400,
    name: "BadRequest",
    description: "The request body is empty or not JSON",
    example: (
        "invalid_json",
        "the request body is not valid JSON: EOF while parsing an object at line 1 column 1",
    ),
};
const UNAUTHORIZED: ErrorResponse = ErrorResponse {
    status: 401,
    name: "Unauthorized",
    description: "No bearer token, or one the service does not know (revoked or expired); \
        answered with `WWW-Authenticate: Bearer`",
    example: ("unauthorized", "a valid bearer token is required"),
};
const FORBIDDEN: ErrorResponse = ErrorResponse {
    status: 403,
    name: "Forbidden",
    description: "The caller's role may not do this (a refusal on client data is written to \
        the access log)",
    example: (
        "forbidden",
        "the employer role may not read or change client records",
    ),
};
const NOT_FOUND: ErrorResponse = ErrorResponse {
    status: 404,
    name: "NotFound",
    description: "No such record, or none the caller may see (another coach's client, another \
        employer's posting, an erased client)",
    example: ("not_found", "vacancy 9 not found"),
};
const CONFLICT: ErrorResponse = ErrorResponse {
    status: 409,
    name: "Conflict",
    description: "The request clashes with what is stored (a stage rule, a unique key, a form \
        already answered)",
    example: ("conflict", "this form has already been answered"),
};
const PAYLOAD_TOO_LARGE: ErrorResponse = ErrorResponse {
    status: 413,
    name: "PayloadTooLarge",
    description: "The request body is larger than 1 MiB",
    example: (
        "payload_too_large",
        "request body is larger than 1048576 bytes",
    ),
};
const UNPROCESSABLE: ErrorResponse = ErrorResponse {
    status: 422,
    name: "UnprocessableEntity",
    description: "A field or query parameter is missing, of the wrong type, unknown or out of \
        bounds; `field` names it",
    example: ("validation_failed", "must be between 1 and 100"),
};
const TOO_MANY_REQUESTS: ErrorResponse = ErrorResponse {
    status: 429,
    name: "TooManyRequests",
    description: "Too many failed authentications from this address or for this account \
        (`--rate-limit-auth`); `Retry-After` says when to try again",
    example: (
        "too_many_requests",
        "too many failed authentications; try again later",
    ),
};
const TOO_MANY_SEARCHES: ErrorResponse = ErrorResponse {
    status: 429,
    name: "TooManySearches",
    description: "Too many searches and match lists by this user (`--rate-limit-search`, burst \
        `--rate-limit-search-burst`), or too many failed authentications from this address or \
        for this account (`--rate-limit-auth`); `Retry-After` says when to try again",
    example: ("too_many_requests", "too many searches; try again later"),
};
const METHOD_NOT_ALLOWED: ErrorResponse = ErrorResponse {
    status: 405,
    name: "MethodNotAllowed",
    description: "The path does not take this method; `Allow` lists those it takes",
    example: ("method_not_allowed", "method not allowed"),
};
const URI_TOO_LONG: ErrorResponse = ErrorResponse {
    status: 414,
    name: "UriTooLong",
    description: "The path and query string are longer than 8 KiB",
    example: (
        "uri_too_long",
        "the request's path and query string are longer than 8192 bytes; shorten the query",
    ),
};
const HEAD_TOO_LARGE: ErrorResponse = ErrorResponse {
    status: 431,
    name: "RequestHeaderFieldsTooLarge",
    description: "The request line and headers are longer than 64 KiB",
    example: (
        "request_header_fields_too_large",
        "the request's headers are longer than 65536 bytes",
    ),
};
const INTERNAL_ERROR: ErrorResponse = ErrorResponse {
    status: 500,
    name: "InternalError",
    description: "A fault of the service; the details are logged with the request id \
        (`X-Request-Id`), never sent",
    example: ("internal_error", "internal error"),
};

/// Every response in `components.responses`.
const ALL: [&ErrorResponse; 13] = [
    &BAD_REQUEST,
    &UNAUTHORIZED,
    &FORBIDDEN,
    &NOT_FOUND,
    &CONFLICT,
    &PAYLOAD_TOO_LARGE,
    &UNPROCESSABLE,
    &TOO_MANY_REQUESTS,
    &TOO_MANY_SEARCHES,
    &METHOD_NOT_ALLOWED,
    &URI_TOO_LONG,
    &HEAD_TOO_LARGE,
    &INTERNAL_ERROR,
];

impl ErrorResponse {
    fn response(&self) -> Response {
        let mut example = json!({"error": {"code": self.example.0, "message": self.example.1}});
        if self.status == 422 {
            example["error"]["field"] = json!("limit");
        }
        let content = ContentBuilder::new()
            .schema(Some(Ref::from_schema_name("ErrorBody")))
            .example(Some(example))
            .build();
        let mut response = ResponseBuilder::new()
            .description(self.description)
            .content("application/json", content);
        let header = |description: &str, schema: Schema| {
            HeaderBuilder::new()
                .schema(RefOr::T(schema))
                .description(Some(description.to_string()))
                .build()
        };
        let text = || Schema::Object(ObjectBuilder::new().schema_type(Type::String).build());
        match self.status {
            401 => {
                response = response.header(
                    "WWW-Authenticate",
                    header("The scheme to authenticate with: `Bearer`", text()),
                );
            }
            405 => {
                response = response.header("Allow", header("The methods the path takes", text()));
            }
            429 => {
                let seconds = ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .minimum(Some(1))
                    .build();
                response = response.header(
                    "Retry-After",
                    header(
                        "Whole seconds until a request can pass again",
                        Schema::Object(seconds),
                    ),
                );
            }
            _ => {}
        }
        response.build()
    }

    /// `status` → a reference to this response.
    fn reference(&self) -> (String, RefOr<Response>) {
        (
            self.status.to_string(),
            RefOr::Ref(Ref::from_response_name(self.name)),
        )
    }
}

fn references(set: &[&ErrorResponse]) -> BTreeMap<String, RefOr<Response>> {
    set.iter().map(|r| r.reference()).collect()
}

/// 401 and 429 (failed authentications): every operation that takes a token.
pub struct TokenErrors;

impl IntoResponses for TokenErrors {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        references(&[&UNAUTHORIZED, &TOO_MANY_REQUESTS])
    }
}

/// 401 and 429 (failed authentications, or too many searches and match lists): the operations
/// limited per user as expensive, instead of [`TokenErrors`].
pub struct LimitedTokenErrors;

impl IntoResponses for LimitedTokenErrors {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        references(&[&UNAUTHORIZED, &TOO_MANY_SEARCHES])
    }
}

/// 403: operations that only some roles may call.
pub struct RoleErrors;

impl IntoResponses for RoleErrors {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        references(&[&FORBIDDEN])
    }
}

/// 404: operations on one record named in the path.
pub struct IdErrors;

impl IntoResponses for IdErrors {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        references(&[&NOT_FOUND])
    }
}

/// 400, 413 and 422: operations that take a JSON body.
pub struct BodyErrors;

impl IntoResponses for BodyErrors {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        references(&[&BAD_REQUEST, &PAYLOAD_TOO_LARGE, &UNPROCESSABLE])
    }
}

/// 422: operations whose query parameters are checked.
pub struct QueryErrors;

impl IntoResponses for QueryErrors {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        references(&[&UNPROCESSABLE])
    }
}

/// 409: operations that can clash with what is stored.
pub struct ConflictErrors;

impl IntoResponses for ConflictErrors {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        references(&[&CONFLICT])
    }
}

/// The record named in the path. Only for the document: handlers take `web::Path<i64>`.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
pub struct IdPath {
    /// The record's id. One that does not exist, or that the caller may not see, is a 404.
    #[param(minimum = 1, example = 1)]
    pub id: i64,
}

/// Keeps one `id` path parameter per operation: the described [`IdPath`] comes first, and
/// the plain one read from the handler's `web::Path<i64>` goes.
struct OneIdParameter;

impl Modify for OneIdParameter {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
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
                if let Some(params) = op.parameters.as_mut() {
                    let mut seen = Vec::new();
                    params.retain(|p| {
                        let key = (p.name.clone(), p.parameter_in.clone());
                        let first = !seen.contains(&key);
                        seen.push(key);
                        first
                    });
                }
            }
        }
    }
}

/// Puts the shared error responses into `components.responses`.
struct ErrorResponses;

impl Modify for ErrorResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for r in ALL {
            components
                .responses
                .insert(r.name.to_string(), RefOr::T(r.response()));
        }
    }
}

/// A request body that is a JSON merge patch (RFC 7396) of an input type. Its schema is made
/// from the input's by [`PatchSchemas`]: every field optional, and `null` allowed wherever the
/// merge turns it into a removal the input accepts (an optional field, a list, an object).
macro_rules! merge_patch {
    ($name:ident, $input:literal) => {
        #[doc = concat!("A JSON merge patch of `", $input, "` (schema made by [`PatchSchemas`]).")]
        pub struct $name;

        impl utoipa::PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                // Replaced in `components` by `PatchSchemas`.
                RefOr::T(Schema::Object(Object::new()))
            }
        }

        impl utoipa::ToSchema for $name {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($name))
            }
        }
    };
}

merge_patch!(VacancyPatch, "VacancyInput");
merge_patch!(TaskPatch, "TaskInput");
merge_patch!(ClientPatch, "ClientInput");

/// The merge-patch schemas: `(patch, input)` names.
const PATCHES: [(&str, &str); 3] = [
    ("VacancyPatch", "VacancyInput"),
    ("TaskPatch", "TaskInput"),
    ("ClientPatch", "ClientInput"),
];

/// Writes each merge-patch schema from its input's schema.
struct PatchSchemas;

impl Modify for PatchSchemas {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for (patch, input) in PATCHES {
            let made = patch_of(&components.schemas, input, patch);
            components.schemas.extend(made);
        }
    }
}

/// The patch schema of the object schema `input`, named `patch`, with the patch schemas of the
/// objects it refers to (`Preferences` → `PreferencesPatch`).
fn patch_of(
    schemas: &BTreeMap<String, RefOr<Schema>>,
    input: &str,
    patch: &str,
) -> BTreeMap<String, RefOr<Schema>> {
    let mut made = BTreeMap::new();
    let Some(RefOr::T(Schema::Object(object))) = schemas.get(input) else {
        return made;
    };
    let mut object = object.clone();
    let required = std::mem::take(&mut object.required);
    for (name, property) in object.properties.iter_mut() {
        // `null` removes the field: then a required one is missing (422), so it stays non-null.
        let nullable = !required.contains(name);
        *property = patch_property(schemas, property.clone(), nullable, &mut made);
    }
    object.description = Some(format!(
        "A JSON merge patch (RFC 7396) of `{input}`: only the fields to change; `null` clears \
         an optional field (a required one cannot be cleared). The merged result is checked \
         as `{input}` is."
    ));
    made.insert(patch.to_string(), RefOr::T(Schema::Object(object)));
    made
}

fn patch_property(
    schemas: &BTreeMap<String, RefOr<Schema>>,
    property: RefOr<Schema>,
    nullable: bool,
    made: &mut BTreeMap<String, RefOr<Schema>>,
) -> RefOr<Schema> {
    let null = || {
        RefOr::T(Schema::Object(
            ObjectBuilder::new().schema_type(Type::Null).build(),
        ))
    };
    // An object merges field by field: refer to its own patch schema.
    let mut patched_ref = |r: Ref| -> RefOr<Schema> {
        let name = r
            .ref_location
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string();
        match schemas.get(&name) {
            Some(RefOr::T(Schema::Object(o))) if !o.properties.is_empty() => {
                let patch = format!("{name}Patch");
                made.extend(patch_of(schemas, &name, &patch));
                RefOr::Ref(Ref::from_schema_name(patch))
            }
            _ => RefOr::Ref(r),
        }
    };
    let property = match property {
        RefOr::Ref(r) => patched_ref(r),
        RefOr::T(Schema::OneOf(mut one_of)) => {
            one_of.items = one_of
                .items
                .into_iter()
                .map(|item| match item {
                    RefOr::Ref(r) => patched_ref(r),
                    other => other,
                })
                .collect();
            RefOr::T(Schema::OneOf(one_of))
        }
        other => other,
    };
    if !nullable {
        return property;
    }
    match property {
        RefOr::T(Schema::Object(mut o)) => {
            o.schema_type = with_null(o.schema_type);
            RefOr::T(Schema::Object(o))
        }
        RefOr::T(Schema::Array(mut a)) => {
            a.schema_type = with_null(a.schema_type);
            RefOr::T(Schema::Array(a))
        }
        RefOr::T(Schema::OneOf(o)) => RefOr::T(Schema::OneOf(o)),
        other => RefOr::T(Schema::OneOf(
            OneOfBuilder::new().item(null()).item(other).build(),
        )),
    }
}

/// `types` with `null` added.
fn with_null(types: SchemaType) -> SchemaType {
    match types {
        SchemaType::Type(Type::Null) => SchemaType::Type(Type::Null),
        SchemaType::Type(t) => SchemaType::from_iter([t, Type::Null]),
        SchemaType::Array(mut ts) => {
            if !ts.contains(&Type::Null) {
                ts.push(Type::Null);
            }
            SchemaType::Array(ts)
        }
        SchemaType::AnyValue => SchemaType::AnyValue,
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

/// The methods the documented path matching `path` takes (`None` for a path the document does
/// not describe).
pub fn allowed_methods(path: &str) -> Option<Vec<&'static str>> {
    static PATHS: std::sync::OnceLock<Vec<(Vec<String>, Vec<&'static str>)>> =
        std::sync::OnceLock::new();
    let paths = PATHS.get_or_init(|| {
        ApiDoc::openapi()
            .paths
            .paths
            .into_iter()
            .map(|(template, item)| {
                let methods = [
                    ("GET", item.get.is_some()),
                    ("PUT", item.put.is_some()),
                    ("POST", item.post.is_some()),
                    ("DELETE", item.delete.is_some()),
                    ("PATCH", item.patch.is_some()),
                ];
                let taken = methods.iter().filter(|m| m.1).map(|m| m.0).collect();
                (template.split('/').map(str::to_string).collect(), taken)
            })
            .collect()
    });
    let segments: Vec<&str> = path.split('/').collect();
    paths
        .iter()
        .find(|(template, _)| {
            template.len() == segments.len()
                && template
                    .iter()
                    .zip(&segments)
                    .all(|(t, s)| t == s || (t.starts_with('{') && !s.is_empty()))
        })
        .map(|(_, methods)| methods.clone())
}

pub async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}
