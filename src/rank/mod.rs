//! The ranker: the feature schema ([`Feature`]), a linear model scored through the logistic
//! function, offline metrics (NDCG@10, Recall@20), and training on logged outcomes with linfa.
//!
//! No feature reads a protected or health attribute: none is stored. Each feature carries the
//! sign its weight must obey in every model, shipped or trained ([`Feature::sign`]): today
//! mentioning a thing the client wants to avoid never helps (`avoid_hit` weight ≤ 0), and an
//! employer offering an adjustment the client asked for never hurts (`adjustments_met`
//! weight ≥ 0).

mod feature;
mod labels;
mod metrics;
mod model;
mod train;

pub use feature::{feature_index, Feature, Features, Sign, N_FEATURES};
pub use labels::{grade, LABEL_HORIZON_DAYS};
pub use metrics::{dcg_at, evaluate, ndcg_at, recall_at, Metrics};
pub use model::{ModelError, RankerModel, DEFAULT_MODEL_JSON};
pub use train::{fit, simulate_outcomes, split_by_client, ImpressionList, TrainError, TrainReport};
