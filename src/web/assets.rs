//! The web app's static files (`static/`), embedded at build time and served by the service
//! itself: nothing comes from a CDN. Pages link them with a content hash (`?v=…`), so they
//! can be cached for a year and a new build is fetched at once.

use std::sync::LazyLock;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};

/// One embedded file.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

/// Every file under `static/` that is served. The Suomi.fi tokens come first: the
/// service's own stylesheet uses their custom properties.
const ASSETS: [Asset; 3] = [
    Asset {
        name: "suomifi-tokens.css",
        content_type: "text/css; charset=utf-8",
        body: include_bytes!("../../static/suomifi-tokens.css"),
    },
    Asset {
        name: "kohtaamo.css",
        content_type: "text/css; charset=utf-8",
        body: include_bytes!("../../static/kohtaamo.css"),
    },
    Asset {
        name: "favicon.svg",
        content_type: "image/svg+xml",
        body: include_bytes!("../../static/favicon.svg"),
    },
];

/// The content hash of each file, worked out once.
static VERSIONS: LazyLock<Vec<String>> = LazyLock::new(|| {
    ASSETS
        .iter()
        .map(|a| hex::encode(&Sha256::digest(a.body)[..6]))
        .collect()
});

/// The versioned address of `name`.
fn url(name: &str) -> String {
    let i = ASSETS
        .iter()
        .position(|a| a.name == name)
        .expect("a served asset");
    format!("/static/{name}?v={}", VERSIONS[i])
}

/// The stylesheets every page links, in order.
pub fn stylesheets() -> Vec<String> {
    vec![url("suomifi-tokens.css"), url("kohtaamo.css")]
}

/// `GET /static/{file}`.
pub async fn serve(req: HttpRequest, file: web::Path<String>) -> HttpResponse {
    let Some(i) = ASSETS.iter().position(|a| a.name == file.as_str()) else {
        return HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("not found");
    };
    let etag = format!("\"{}\"", VERSIONS[i]);
    let fresh = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let mut resp = if fresh {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    resp.insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"));
    if fresh {
        return resp.finish();
    }
    resp.content_type(ASSETS[i].content_type)
        .body(ASSETS[i].body)
}
