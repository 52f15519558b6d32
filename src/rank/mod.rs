//! The ranker: feature schema, a linear model scored through the logistic function, offline
//! metrics (NDCG@10, Recall@20), and training on logged outcomes with linfa.
//!
//! No feature reads a protected or health attribute: none is stored. Two constraints hold for
//! every model, shipped or trained: mentioning a thing the client wants to avoid never helps
//! (`avoid_hit` weight ≤ 0), and an employer offering an adjustment the client asked for never
//! hurts (`adjustments_met` weight ≥ 0).

mod metrics;
mod model;
mod train;

pub use metrics::{dcg_at, evaluate, ndcg_at, recall_at, Metrics};
pub use model::{RankerModel, DEFAULT_MODEL_JSON};
pub use train::{fit, simulate_outcomes, split_by_client, ImpressionList, TrainError, TrainReport};

/// The features, in model order. Each is in [0, 1].
pub const FEATURES: [&str; 12] = [
    // BM25 of the client's own words (and taxonomy names), squashed: s / (s + 4).
    "text_relevance",
    // ISCO-08 proximity to a wished occupation: shared leading digits / 4 (unit group 1.0,
    // minor group 0.75, sub-major 0.5, major 0.25).
    "occupation_proximity",
    // 1 in an accepted municipality; by distance within the commute (0.5 at the limit,
    // decaying beyond); 0.5 when the posting's place is unknown.
    "place_fit",
    // 1 when the posting's place is unknown (nothing is excluded for it).
    "place_unknown",
    // Overlap of hours offered with hours wished; 0.5 when the client states no wish.
    "hours_fit",
    // 1 when the posting states no hours.
    "hours_unknown",
    // exp(-age in days / 21).
    "freshness",
    // 1 for an open-market vacancy; 0 for a subcontracting task or an employer prospect.
    "competitive",
    // 1 when the posting mentions something the client wants to avoid (demotes only).
    "avoid_hit",
    // 1 when the employer offers an adjustment the client asked for (only helps).
    "adjustments_met",
    // 1 when the posting's language is one the client works in.
    "language_fit",
    // log10(1 + hires of clients by this employer through the service), capped at 1.
    "employer_hires",
];

/// Number of features.
pub const N_FEATURES: usize = FEATURES.len();

/// Index of a feature by name.
pub fn feature_index(name: &str) -> Option<usize> {
    FEATURES.iter().position(|f| *f == name)
}
