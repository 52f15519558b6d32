//! `GET /metrics`: the service's figures in the Prometheus text format. Requests are counted
//! and timed by method, route pattern (`/api/v1/clients/{id}`, never the path as sent, which
//! can hold an id or words typed about a client) and status; the index's lag behind the
//! change log and its documents are read when scraped, and so are the counts of every
//! `kohtaamo import` run (imports run as their own process and record their runs in the
//! database). Nothing here names a client, a user or a token.

use std::time::Duration;

use actix_web::http::Method;
use actix_web::{web, HttpResponse};
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Opts,
    Registry, TextEncoder,
};

use super::health::index_status;
use super::AppState;
use crate::store::{FunnelLoads, ImportTotals};

/// Route label of a request that matched no route (its path is not a label: it is the
/// caller's to choose).
pub const UNMATCHED: &str = "unmatched";

/// Upper bounds of the latency buckets, in seconds.
const LATENCY_BUCKETS: [f64; 14] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// The registry of one running service (tests run several in one process, each with its own).
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    /// Failed authentications (bad or unknown tokens).
    pub(super) auth_failures: IntCounter,
    throttled: IntCounterVec,
    database_up: IntGauge,
    change_log_seq: IntGauge,
    index_applied_seq: IntGauge,
    index_lag: IntGauge,
    index_documents: IntGauge,
    model: IntGaugeVec,
    import_runs: IntCounterVec,
    import_lines: IntCounterVec,
    import_last_started: IntGaugeVec,
    import_last_finished: IntGaugeVec,
    funnel_loads: IntCounterVec,
    /// Held while the import and funnel counters are brought up to their totals (two scrapes
    /// at once would both add what was missing).
    import_sync: std::sync::Mutex<()>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// An empty registry with every metric of the service.
    pub fn new() -> Self {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "kohtaamo_http_requests_total",
                "HTTP requests answered, by method, route pattern and status.",
            ),
            &["method", "route", "status"],
        )
        .expect("valid metric");
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "kohtaamo_http_request_duration_seconds",
                "Time from a request's arrival to its response, by method, route pattern and status.",
            )
            .buckets(LATENCY_BUCKETS.to_vec()),
            &["method", "route", "status"],
        )
        .expect("valid metric");
        let auth_failures = IntCounter::new(
            "kohtaamo_auth_failures_total",
            "Authentications that failed (unknown or malformed tokens).",
        )
        .expect("valid metric");
        let throttled = IntCounterVec::new(
            Opts::new(
                "kohtaamo_rate_limited_total",
                "Requests refused with 429, by limit: auth (failed authentications) or search \
                 (searches and match lists).",
            ),
            &["limit"],
        )
        .expect("valid metric");
        let gauge = |name: &str, help: &str| IntGauge::new(name, help).expect("valid metric");
        let database_up = gauge(
            "kohtaamo_database_up",
            "1 when the database answered the last scrape, else 0.",
        );
        let change_log_seq = gauge(
            "kohtaamo_change_log_seq",
            "Newest sequence number of the database's change log.",
        );
        let index_applied_seq = gauge(
            "kohtaamo_index_applied_seq",
            "Change-log sequence the searchable index reflects (-1 before its first commit).",
        );
        let index_lag = gauge(
            "kohtaamo_index_lag_changes",
            "Changes in the change log that the searchable index does not reflect yet.",
        );
        let index_documents = gauge(
            "kohtaamo_index_documents",
            "Documents (open postings and employers) visible to searches.",
        );
        let model = IntGaugeVec::new(
            Opts::new(
                "kohtaamo_ranker_model_info",
                "The ranking model in use (value 1), by version.",
            ),
            &["version"],
        )
        .expect("valid metric");
        let import_runs = IntCounterVec::new(
            Opts::new(
                "kohtaamo_import_runs_total",
                "Runs of `kohtaamo import`, by kind (vacancies, municipalities, occupations) \
                 and state: finished, or unfinished (running, failed or killed).",
            ),
            &["kind", "state"],
        )
        .expect("valid metric");
        let import_lines = IntCounterVec::new(
            Opts::new(
                "kohtaamo_import_lines_total",
                "Lines read by finished imports, by kind and result: read (every line), \
                 inserted, updated, rejected.",
            ),
            &["kind", "result"],
        )
        .expect("valid metric");
        let import_last_started = IntGaugeVec::new(
            Opts::new(
                "kohtaamo_import_last_started_timestamp_seconds",
                "When the newest import of a kind started, unix seconds.",
            ),
            &["kind"],
        )
        .expect("valid metric");
        let import_last_finished = IntGaugeVec::new(
            Opts::new(
                "kohtaamo_import_last_finished_timestamp_seconds",
                "When the newest finished import of a kind finished, unix seconds.",
            ),
            &["kind"],
        )
        .expect("valid metric");
        let funnel_loads = IntCounterVec::new(
            Opts::new(
                "kohtaamo_funnel_loads_total",
                "How the all-coaches funnel rows were brought up to date, by where it began: \
                 database (every row read: seconds at county scale), kept (the rows kept in the \
                 database, then what changed since: a start) or memory (the rows in memory, \
                 then what changed since).",
            ),
            &["from"],
        )
        .expect("valid metric");
        for metric in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(latency.clone()),
            Box::new(auth_failures.clone()),
            Box::new(throttled.clone()),
            Box::new(database_up.clone()),
            Box::new(change_log_seq.clone()),
            Box::new(index_applied_seq.clone()),
            Box::new(index_lag.clone()),
            Box::new(index_documents.clone()),
            Box::new(model.clone()),
            Box::new(import_runs.clone()),
            Box::new(import_lines.clone()),
            Box::new(import_last_started.clone()),
            Box::new(import_last_finished.clone()),
            Box::new(funnel_loads.clone()),
        ] {
            registry.register(metric).expect("metric names are unique");
        }
        Self {
            registry,
            requests,
            latency,
            auth_failures,
            throttled,
            database_up,
            change_log_seq,
            index_applied_seq,
            index_lag,
            index_documents,
            model,
            import_runs,
            import_lines,
            import_last_started,
            import_last_finished,
            funnel_loads,
            import_sync: std::sync::Mutex::new(()),
        }
    }

    /// Brings the import figures to the database's totals. The totals only grow (runs are
    /// never deleted), so each counter is advanced by what it lacks.
    fn set_imports(&self, totals: &[ImportTotals]) {
        let _turn = self.import_sync.lock().unwrap_or_else(|e| e.into_inner());
        let follow = |counter: &IntCounterVec, labels: &[&str], total: i64| {
            follow(counter, labels, u64::try_from(total).unwrap_or(0));
        };
        for t in totals {
            let kind = t.kind.as_str();
            follow(&self.import_runs, &[kind, "finished"], t.finished);
            follow(
                &self.import_runs,
                &[kind, "unfinished"],
                t.runs - t.finished,
            );
            for (result, n) in [
                ("read", t.lines_read),
                ("inserted", t.inserted),
                ("updated", t.updated),
                ("rejected", t.rejected),
            ] {
                follow(&self.import_lines, &[kind, result], n);
            }
            if let Some(at) = t.last_started {
                self.import_last_started
                    .with_label_values(&[kind])
                    .set(at.timestamp());
            }
            if let Some(at) = t.last_finished {
                self.import_last_finished
                    .with_label_values(&[kind])
                    .set(at.timestamp());
            }
        }
    }

    /// Brings the funnel load counters to the store's totals (which only grow).
    fn set_funnel_loads(&self, loads: FunnelLoads) {
        let _turn = self.import_sync.lock().unwrap_or_else(|e| e.into_inner());
        for (from, total) in [
            ("database", loads.database),
            ("kept", loads.kept),
            ("memory", loads.memory),
        ] {
            follow(&self.funnel_loads, &[from], total);
        }
    }

    /// Counts and times one answered request. `route` is the matched route pattern, `None`
    /// when no route matched.
    pub fn observe(&self, method: &Method, route: Option<&str>, status: u16, took: Duration) {
        let status = status.to_string();
        let labels = [
            method_label(method),
            route.unwrap_or(UNMATCHED),
            status.as_str(),
        ];
        self.requests.with_label_values(&labels).inc();
        self.latency
            .with_label_values(&labels)
            .observe(took.as_secs_f64());
    }

    /// Counts a request refused by `limit`.
    pub(super) fn throttled(&self, limit: &str) {
        self.throttled.with_label_values(&[limit]).inc();
    }

    /// Everything in the text format.
    fn render(&self) -> String {
        let mut out = Vec::new();
        TextEncoder::new()
            .encode(&self.registry.gather(), &mut out)
            .expect("text encoding of valid metrics");
        String::from_utf8(out).expect("the text format is UTF-8")
    }
}

/// Advances the counter of `labels` to `total`, a total kept elsewhere that only grows.
fn follow(counter: &IntCounterVec, labels: &[&str], total: u64) {
    let c = counter.with_label_values(labels);
    if total > c.get() {
        c.inc_by(total - c.get());
    }
}

/// Methods outside the standard ones share one label, so a caller cannot make new series.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// The Prometheus metrics of this service (text format 0.0.4). No token needed: nothing in
/// it names a client, a user or a token.
#[utoipa::path(get, path = "/metrics", tag = "service",
    responses((status = 200, description = "Prometheus text format: `kohtaamo_http_requests_total` \
        and `kohtaamo_http_request_duration_seconds` by method, route pattern and status; \
        `kohtaamo_index_lag_changes`, `kohtaamo_index_documents`, `kohtaamo_change_log_seq`, \
        `kohtaamo_index_applied_seq`, `kohtaamo_database_up`, `kohtaamo_auth_failures_total`, \
        `kohtaamo_rate_limited_total` by limit, `kohtaamo_ranker_model_info` by version; \
        `kohtaamo_import_runs_total` by kind and state, `kohtaamo_import_lines_total` by kind and \
        result, `kohtaamo_import_last_started_timestamp_seconds` and \
        `kohtaamo_import_last_finished_timestamp_seconds` by kind; `kohtaamo_funnel_loads_total` \
        by where the funnel rows were brought up to date from.",
        content_type = "text/plain; version=0.0.4", body = String)))]
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let m = &state.metrics;
    match index_status(&state).await {
        Ok(index) => {
            m.database_up.set(1);
            m.change_log_seq.set(index.log_seq);
            m.index_applied_seq.set(index.applied_seq);
            m.index_lag.set(index.lag);
        }
        // The index figures stay as last read: without the database they are unknown.
        Err(_) => m.database_up.set(0),
    }
    match state.store.import_totals().await {
        Ok(totals) => m.set_imports(&totals),
        Err(e) => tracing::warn!(error = %e, "could not read the import runs for /metrics"),
    }
    m.set_funnel_loads(state.store.funnel_loads());
    m.index_documents
        .set(i64::try_from(state.search.num_docs()).unwrap_or(i64::MAX));
    m.model.reset();
    m.model
        .with_label_values(&[state.matcher.model().version.as_str()])
        .set(1);
    HttpResponse::Ok()
        .content_type(TextEncoder::new().format_type())
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .body(m.render())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_labelled_by_route_pattern_and_unknown_methods_share_a_label() {
        let m = Metrics::new();
        m.observe(
            &Method::GET,
            Some("/api/v1/clients/{id}"),
            200,
            Duration::from_millis(3),
        );
        m.observe(
            &Method::from_bytes(b"BREW").unwrap(),
            None,
            404,
            Duration::from_millis(1),
        );
        let text = m.render();
        assert!(text.contains(
            r#"kohtaamo_http_requests_total{method="GET",route="/api/v1/clients/{id}",status="200"} 1"#
        ));
        assert!(text.contains(
            r#"kohtaamo_http_requests_total{method="other",route="unmatched",status="404"} 1"#
        ));
        assert!(text.contains(r#"kohtaamo_http_request_duration_seconds_bucket{method="GET",route="/api/v1/clients/{id}",status="200",le="0.005"} 1"#));
    }
}
