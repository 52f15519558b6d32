//! `GET /health` (liveness: the process answers) and `GET /ready` (readiness: the database
//! answers, the index has caught up with the change log, the ranker is usable), both without a
//! token. A load balancer sends traffic to a node only while `/ready` is 200.

use std::time::Duration;

use actix_web::{web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use super::error::ErrorDetail;
use super::AppState;

/// Health of the service.
#[derive(Serialize, ToSchema)]
pub struct Health {
    /// Always `ok` when the service answers.
    pub status: &'static str,
    /// The Finnish text analyser of the index: `voikko` or `snowball`.
    pub analyser: &'static str,
}

/// Liveness: the process answers. Says nothing about the database or the index (see
/// `/ready`).
#[utoipa::path(get, path = "/health", tag = "service", responses((status = 200, body = Health)))]
pub async fn health(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().json(Health {
        status: "ok",
        analyser: state.search.analyser().name(),
    })
}

/// How long the database may take to answer a readiness check.
const DATABASE_WITHIN: Duration = Duration::from_secs(2);

/// Where the index stands against the database's change log.
#[derive(Debug, Clone, Copy)]
pub struct IndexStatus {
    /// Newest change-log sequence in the database.
    pub log_seq: i64,
    /// Change-log sequence the searchable index reflects (-1 before its first commit).
    pub applied_seq: i64,
    /// Changes the index does not reflect yet (0 when it is ahead).
    pub lag: i64,
}

/// Reads the index's position and then the database's (in that order, so a write between
/// the two reads can only make the lag look larger, never negative). The error says why the
/// database did not answer.
pub async fn index_status(state: &AppState) -> Result<IndexStatus, String> {
    let applied_seq = state.search.applied_seq();
    let positions = state.store.change_positions();
    let (log_seq, unnumbered) = match tokio::time::timeout(DATABASE_WITHIN, positions).await {
        Ok(Ok(seq)) => seq,
        Ok(Err(e)) => return Err(e.to_string()),
        Err(_) => {
            return Err(format!(
                "the database did not answer within {} s",
                DATABASE_WITHIN.as_secs()
            ))
        }
    };
    Ok(IndexStatus {
        log_seq,
        applied_seq,
        // Changes not numbered yet (PostgreSQL) are not in the index either.
        lag: (log_seq - applied_seq).max(0) + unnumbered,
    })
}

/// Readiness and each of its checks.
#[derive(Debug, Serialize, ToSchema)]
pub struct Readiness {
    /// `ready`, or `not_ready` when a check failed.
    #[schema(example = "ready")]
    pub status: &'static str,
    /// Every check, failed or not.
    pub checks: ReadinessChecks,
    /// When not ready: the first failed check, in the error body's form (code `not_ready`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorDetail>,
}

/// The checks of `/ready`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReadinessChecks {
    /// The database answers a query.
    pub database: Check,
    /// The index has applied the change log to within `max_lag` changes.
    pub index: IndexCheck,
    /// The ranking model is loaded and usable with this build's features.
    pub model: ModelCheck,
    /// The all-coaches funnel figures' rows are loaded: after a start they load in the
    /// background (seconds at a million events), and a report asked for before would wait.
    pub funnel: Check,
}

/// One check.
#[derive(Debug, Serialize, ToSchema)]
pub struct Check {
    /// Whether it passed.
    pub ok: bool,
    /// Why it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// The index check.
#[derive(Debug, Serialize, ToSchema)]
pub struct IndexCheck {
    /// Whether the index has caught up.
    pub ok: bool,
    /// Change-log sequence the searchable index reflects (-1 before its first commit).
    pub applied_seq: i64,
    /// Newest change-log sequence in the database (absent when it did not answer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_seq: Option<i64>,
    /// Changes the index does not reflect yet (absent when the database did not answer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lag: Option<i64>,
    /// Largest lag that is still ready (setting `--ready-max-lag`).
    pub max_lag: u64,
    /// Documents visible to searches.
    pub documents: u64,
    /// Why it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// The model check.
#[derive(Debug, Serialize, ToSchema)]
pub struct ModelCheck {
    /// Whether the model is usable.
    pub ok: bool,
    /// Its version.
    pub version: String,
    /// Why it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// The index check from its position (or the database's failure to say it).
pub fn index_check(
    status: Result<IndexStatus, &str>,
    applied_seq: i64,
    max_lag: u64,
    documents: u64,
) -> IndexCheck {
    let mut check = IndexCheck {
        ok: false,
        applied_seq,
        log_seq: None,
        lag: None,
        max_lag,
        documents,
        message: None,
    };
    let status = match status {
        Ok(status) => status,
        Err(_) => {
            check.message = Some("unknown: the database did not answer".into());
            return check;
        }
    };
    check.applied_seq = status.applied_seq;
    check.log_seq = Some(status.log_seq);
    check.lag = Some(status.lag);
    check.message = if status.applied_seq < 0 {
        Some("the index is being built from the database".into())
    } else if status.applied_seq > status.log_seq {
        // A different database than the index was built from: it is being rebuilt.
        Some("the index reflects changes the database does not hold; it is being rebuilt".into())
    } else if status.lag.unsigned_abs() > max_lag {
        Some(format!(
            "the index is {} changes behind the database (at most {max_lag} are ready)",
            status.lag
        ))
    } else {
        None
    };
    check.ok = check.message.is_none();
    check
}

/// Readiness: 200 when the database answers, the index reflects the change log to within
/// `--ready-max-lag` changes, the ranking model is usable and the funnel figures' rows are
/// loaded; otherwise 503 saying which check failed.
#[utoipa::path(get, path = "/ready", tag = "service", responses(
    (status = 200, description = "Ready to serve", body = Readiness),
    (status = 503, description = "Not ready: `error.message` names the first failed check, \
        `checks` shows them all", body = Readiness)))]
pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    let status = index_status(&state).await;
    let database = match &status {
        Ok(_) => Check {
            ok: true,
            message: None,
        },
        Err(e) => {
            tracing::warn!(error = %e, "readiness: the database did not answer");
            Check {
                ok: false,
                message: Some(e.clone()),
            }
        }
    };
    let index = index_check(
        status.as_ref().copied().map_err(String::as_str),
        state.search.applied_seq(),
        state.ready_max_lag,
        state.search.num_docs(),
    );
    let model = state.matcher.model();
    let model = ModelCheck {
        ok: model.usable().is_ok(),
        version: model.version.clone(),
        message: model.usable().err(),
    };
    let funnel = if state
        .funnel_loaded
        .load(std::sync::atomic::Ordering::Acquire)
    {
        Check {
            ok: true,
            message: None,
        }
    } else {
        Check {
            ok: false,
            message: Some("the funnel figures are being loaded from the database".into()),
        }
    };
    let failed = [
        ("database", &database.message),
        ("index", &index.message),
        ("model", &model.message),
        ("funnel", &funnel.message),
    ]
    .into_iter()
    .find_map(|(name, message)| message.as_ref().map(|m| format!("{name}: {m}")));
    let body = Readiness {
        status: if failed.is_some() {
            "not_ready"
        } else {
            "ready"
        },
        checks: ReadinessChecks {
            database,
            index,
            model,
            funnel,
        },
        error: failed.clone().map(|message| ErrorDetail {
            code: "not_ready",
            message,
            field: None,
        }),
    };
    let mut response = if failed.is_some() {
        HttpResponse::ServiceUnavailable()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(log_seq: i64, applied_seq: i64) -> IndexStatus {
        IndexStatus {
            log_seq,
            applied_seq,
            lag: (log_seq - applied_seq).max(0),
        }
    }

    #[test]
    fn an_index_within_the_allowed_lag_is_ready() {
        assert!(index_check(Ok(status(10, 10)), 10, 0, 5).ok);
        assert!(index_check(Ok(status(0, 0)), 0, 0, 0).ok);
        assert!(index_check(Ok(status(110, 10)), 10, 100, 5).ok);
    }

    #[test]
    fn an_index_too_far_behind_says_by_how_much() {
        let check = index_check(Ok(status(111, 10)), 10, 100, 5);
        assert!(!check.ok);
        assert_eq!(check.lag, Some(101));
        assert!(check.message.unwrap().contains("101 changes behind"));
    }

    #[test]
    fn an_index_not_built_yet_is_not_ready_even_with_an_empty_log() {
        let check = index_check(Ok(status(0, -1)), -1, 1000, 0);
        assert!(!check.ok);
        assert!(check.message.unwrap().contains("being built"));
    }

    #[test]
    fn an_index_ahead_of_the_database_is_not_ready() {
        assert!(!index_check(Ok(status(5, 9)), 9, 1000, 3).ok);
    }

    #[test]
    fn without_the_database_the_index_is_unknown() {
        let check = index_check(Err("gone"), 7, 1000, 3);
        assert!(!check.ok);
        assert_eq!(check.applied_seq, 7);
        assert_eq!(check.lag, None);
    }
}
