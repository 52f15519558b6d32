//! Training: a logistic regression (linfa) on logged match lists labelled by what clients did.

use linfa::prelude::*;
use linfa_logistic::LogisticRegression;
use ndarray::{Array1, Array2};

use super::{evaluate, Feature, Features, Metrics, RankerModel, N_FEATURES};

/// One served match list with what happened to each item: grade 0 nothing (or declined),
/// 1 the client was interested, 2 employer contact or interview, 3 employed.
#[derive(Debug, Clone)]
pub struct ImpressionList {
    /// Whose list.
    pub client_id: i64,
    /// Feature values (in model order) and outcome grade of each item, in served order.
    pub items: Vec<([f64; N_FEATURES], u8)>,
}

/// Why training could not run.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    /// Too few outcomes to learn from.
    #[error("not enough outcomes to train on: {0}")]
    TooFewOutcomes(String),
    /// The solver failed.
    #[error("training failed: {0}")]
    Solver(String),
}

/// What a training run produced and how it compares.
#[derive(Debug, Clone)]
pub struct TrainReport {
    /// The new model.
    pub model: RankerModel,
    /// The new model on the held-out lists.
    pub candidate: Metrics,
    /// The active model on the same held-out lists.
    pub active: Metrics,
    /// Lists used for fitting.
    pub train_lists: usize,
}

impl TrainReport {
    /// Whether the new model should replace the active one.
    pub fn beats_active(&self) -> bool {
        self.candidate.lists > 0 && self.candidate.ndcg_at_10 > self.active.ndcg_at_10
    }
}

/// Splits lists into (train, held out) by client, so that no client is on both sides.
/// `held_out_percent` of clients (by a seeded hash of the id) are held out.
pub fn split_by_client(
    lists: Vec<ImpressionList>,
    held_out_percent: u64,
    seed: u64,
) -> (Vec<ImpressionList>, Vec<ImpressionList>) {
    lists.into_iter().partition(|l| {
        let h = (l.client_id as u64 ^ seed).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32;
        h % 100 >= held_out_percent
    })
}

/// Fits a model on `train`, evaluates it and `active` on `held_out`.
pub fn fit(
    train: &[ImpressionList],
    held_out: &[ImpressionList],
    active: &RankerModel,
    version: String,
) -> Result<TrainReport, TrainError> {
    let rows: Vec<&([f64; N_FEATURES], u8)> = train.iter().flat_map(|l| l.items.iter()).collect();
    let positives = rows.iter().filter(|(_, g)| *g > 0).count();
    if positives < 5 || positives == rows.len() {
        return Err(TrainError::TooFewOutcomes(format!(
            "{positives} positive outcomes among {} logged suggestions; at least 5 of each are needed",
            rows.len()
        )));
    }
    let mut x = Array2::<f64>::zeros((rows.len(), N_FEATURES));
    let mut y = Array1::<usize>::zeros(rows.len());
    for (i, (features, grade)) in rows.iter().enumerate() {
        for (j, v) in features.iter().enumerate() {
            x[[i, j]] = *v;
        }
        y[i] = usize::from(*grade > 0);
    }
    let fitted = LogisticRegression::default()
        .alpha(0.01)
        .max_iterations(300)
        .fit(&Dataset::new(x, y))
        .map_err(|e| TrainError::Solver(e.to_string()))?;
    // linfa's "positive" class is the more frequent one; flip so weights predict outcome = 1.
    let sign = if fitted.labels().pos.class == 1 {
        1.0
    } else {
        -1.0
    };
    let model = RankerModel {
        version,
        features: RankerModel::feature_names(),
        weights: fitted.params().iter().map(|w| sign * w).collect(),
        intercept: sign * fitted.intercept(),
        source: format!(
            "logistic regression (linfa, L2 alpha 0.01) on {} logged suggestions from {} lists; \
             outcome = client interested, employer contact, interview or employed",
            rows.len(),
            train.len()
        ),
        training_size: rows.len(),
        held_out: None,
    }
    .constrained();
    let candidate = evaluate(&model, held_out);
    let active = evaluate(active, held_out);
    Ok(TrainReport {
        model: RankerModel {
            held_out: Some(candidate),
            ..model
        },
        candidate,
        active,
        train_lists: train.len(),
    })
}

/// Simulated outcomes with a hidden preference the shipped model does not know: these
/// clients care about hours and freshness and hardly about the wording of the ad. `clients`
/// lists of 30 suggestions with random features; grades follow the hidden utility. For tests
/// and benchmarks of training.
pub fn simulate_outcomes(seed: u64, clients: i64) -> Vec<ImpressionList> {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    (0..clients)
        .map(|client_id| {
            let items = (0..30)
                .map(|_| {
                    let x = Features::from_fn(|_| rng.gen::<f64>());
                    let utility = 3.0 * x[Feature::HoursFit]
                        + 2.0 * x[Feature::Freshness]
                        + rng.gen::<f64>() * 0.5;
                    let grade = if utility > 4.2 {
                        2
                    } else if utility > 3.6 {
                        1
                    } else {
                        0
                    };
                    (x.into(), grade)
                })
                .collect();
            ImpressionList { client_id, items }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn training_learns_a_hidden_preference_that_the_default_model_misses() {
        let (train, held_out) = split_by_client(simulate_outcomes(11, 300), 20, 5);
        assert!(!held_out.is_empty() && !train.is_empty());
        let report = fit(
            &train,
            &held_out,
            &RankerModel::default_model(),
            "test".into(),
        )
        .unwrap();
        assert!(
            report.beats_active(),
            "{:?} vs {:?}",
            report.candidate,
            report.active
        );
        assert!(report.candidate.ndcg_at_10 > report.active.ndcg_at_10 + 0.1);
        let w = &report.model.weights;
        assert!(w[Feature::HoursFit.index()] > w[Feature::TextRelevance.index()]);
    }

    #[test]
    fn too_few_outcomes_is_an_error_not_a_model() {
        let lists = vec![ImpressionList {
            client_id: 1,
            items: vec![([0.5; N_FEATURES], 0); 10],
        }];
        assert!(matches!(
            fit(&lists, &lists, &RankerModel::default_model(), "t".into()),
            Err(TrainError::TooFewOutcomes(_))
        ));
    }

    #[test]
    fn split_keeps_each_client_on_one_side() {
        let (a, b) = split_by_client(simulate_outcomes(1, 100), 20, 9);
        assert!(a
            .iter()
            .all(|l| b.iter().all(|m| m.client_id != l.client_id)));
        assert!((10..=35).contains(&b.len()), "{}", b.len());
    }
}
