//! Logging every served list with its features, so the ranker can learn from what follows.

use chrono::{DateTime, Utc};

use super::Suggestion;
use crate::store::{Impression, Store};

/// Logs a list served to `client_id` in the background, off the request path; a failure is
/// logged, never shown to the coach. Call from within the Tokio runtime.
pub fn log_in_background(
    store: &Store,
    client_id: i64,
    model_version: &str,
    served_at: DateTime<Utc>,
    suggestions: &[Suggestion],
) {
    let impressions: Vec<Impression> = suggestions
        .iter()
        .enumerate()
        .map(|(position, s)| Impression {
            position,
            kind: s.kind,
            item_id: s.id,
            score: s.score,
            features: s.features.values().to_vec(),
        })
        .collect();
    let store = store.clone();
    let version = model_version.to_string();
    tokio::spawn(async move {
        if let Err(e) = store
            .log_match_list(client_id, &version, served_at, &impressions)
            .await
        {
            tracing::error!(error = %e, "could not log a match list");
        }
    });
}
