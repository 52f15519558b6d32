//! A linear ranking model: P(good outcome) = 1 / (1 + exp(-(b + w·x))).

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{Feature, Features, Metrics, N_FEATURES};

/// The model shipped for the cold start (see `models/README.md` for where its weights come from).
pub const DEFAULT_MODEL_JSON: &str = include_str!("../../models/ranker-default.json");

/// A model as stored in `models/ranker-<version>.json`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RankerModel {
    /// Version label (`default`, or the training time).
    pub version: String,
    /// Feature names ([`Feature::name`]), in the order of `weights`: this build's
    /// [`Feature::ALL`], or the file is refused.
    pub features: Vec<String>,
    /// One weight per feature.
    pub weights: Vec<f64>,
    /// Bias.
    pub intercept: f64,
    /// Where the weights come from.
    pub source: String,
    /// Impressions the model was trained on (0 for the hand-set default).
    #[serde(default)]
    pub training_size: usize,
    /// Metrics on held-out lists, when trained.
    #[serde(default)]
    pub held_out: Option<Metrics>,
}

/// Problems with a model file.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// Cannot read or write.
    #[error("model file {path}: {source}")]
    Io {
        /// File.
        path: String,
        /// Cause.
        source: std::io::Error,
    },
    /// Not a model.
    #[error("{path} is not a kohtaamo ranker: {message}")]
    Invalid {
        /// Where it comes from (`model file PATH`, `the database's model VERSION`).
        path: String,
        /// Why.
        message: String,
    },
}

impl RankerModel {
    /// The shipped cold-start model.
    pub fn default_model() -> Self {
        let model: RankerModel =
            serde_json::from_str(DEFAULT_MODEL_JSON).expect("shipped model parses");
        model
            .checked("model file models/ranker-default.json")
            .expect("shipped model is valid")
    }

    /// Reads a model file.
    pub fn load(path: &Path) -> Result<Self, ModelError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ModelError::Io {
            path: name.clone(),
            source,
        })?;
        Self::parse(&text, &format!("model file {name}"))
    }

    /// Reads a model from its JSON; `name` says where it comes from in an error.
    pub fn parse(text: &str, name: &str) -> Result<Self, ModelError> {
        let model: RankerModel = serde_json::from_str(text).map_err(|e| ModelError::Invalid {
            path: name.to_string(),
            message: e.to_string(),
        })?;
        model.checked(name)
    }

    /// The model as pretty JSON (as in its file and in the database).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("model serializes")
    }

    /// Writes the model as pretty JSON.
    pub fn save(&self, path: &Path) -> Result<(), ModelError> {
        std::fs::write(path, self.to_json() + "\n").map_err(|source| ModelError::Io {
            path: path.display().to_string(),
            source,
        })
    }

    /// Checks the schema matches this build's features.
    fn checked(self, path: &str) -> Result<Self, ModelError> {
        match self.usable() {
            Ok(()) => Ok(self.constrained()),
            Err(message) => Err(ModelError::Invalid {
                path: path.to_string(),
                message,
            }),
        }
    }

    /// Whether this build can score with the model: its features are this build's, in order,
    /// and every weight is a finite number; the error says what is wrong.
    pub fn usable(&self) -> Result<(), String> {
        let same_features = self.features.len() == N_FEATURES
            && self
                .features
                .iter()
                .zip(Feature::ALL)
                .all(|(name, f)| name == f.name());
        if !same_features || self.weights.len() != N_FEATURES {
            return Err(format!(
                "its features {:?} are not this build's {:?}",
                self.features,
                Self::feature_names()
            ));
        }
        if self
            .weights
            .iter()
            .chain([&self.intercept])
            .any(|w| !w.is_finite())
        {
            return Err("a weight is not finite".into());
        }
        Ok(())
    }

    /// This build's feature names, in model order (a model file's `features`).
    pub fn feature_names() -> Vec<String> {
        Feature::ALL.iter().map(|f| f.name().to_string()).collect()
    }

    /// Applies each feature's sign constraint ([`Feature::sign`]) to its weight.
    pub fn constrained(mut self) -> Self {
        for (w, f) in self.weights.iter_mut().zip(Feature::ALL) {
            *w = f.sign().clamp(*w);
        }
        self
    }

    /// The weight of `feature`.
    pub fn weight(&self, feature: Feature) -> f64 {
        self.weights[feature.index()]
    }

    /// The linear part b + w·x.
    pub fn margin(&self, x: &[f64; N_FEATURES]) -> f64 {
        self.intercept + self.weights.iter().zip(x).map(|(w, v)| w * v).sum::<f64>()
    }

    /// Probability-like score in (0, 1).
    pub fn score(&self, x: &[f64; N_FEATURES]) -> f64 {
        1.0 / (1.0 + (-self.margin(x)).exp())
    }

    /// Each feature's contribution w_i · x_i.
    pub fn contributions(&self, x: &[f64; N_FEATURES]) -> Features {
        Features::from_fn(|f| self.weights[f.index()] * x[f.index()])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rank::Sign;

    #[test]
    fn shipped_model_matches_the_feature_schema() {
        let m = RankerModel::default_model();
        assert_eq!(m.weights.len(), N_FEATURES);
        assert_eq!(m.version, "default");
        assert_eq!(m.features, RankerModel::feature_names());
        assert_eq!(m.weight(Feature::TextRelevance), 2.0);
        assert_eq!(m.weight(Feature::AvoidHit), -1.5);
    }

    #[test]
    fn constraints_hold_for_any_weights() {
        let mut m = RankerModel::default_model();
        m.weights = vec![1.0; N_FEATURES];
        m.weights[Feature::AdjustmentsMet.index()] = -5.0;
        let m = m.constrained();
        for f in Feature::ALL {
            match f.sign() {
                Sign::Free => assert_eq!(m.weight(f), 1.0, "{f:?}"),
                Sign::NeverNegative => assert!(m.weight(f) >= 0.0, "{f:?}"),
                Sign::NeverPositive => assert!(m.weight(f) <= 0.0, "{f:?}"),
            }
        }
    }

    #[test]
    fn a_file_with_other_features_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.json");
        let mut m = RankerModel::default_model();
        m.features.swap(0, 1);
        m.save(&path).unwrap();
        let err = RankerModel::load(&path).unwrap_err().to_string();
        assert!(err.contains("are not this build's"), "{err}");
        m.features.swap(0, 1);
        m.features.pop();
        m.weights.pop();
        m.save(&path).unwrap();
        assert!(RankerModel::load(&path).is_err());
    }

    #[test]
    fn a_loaded_model_obeys_the_signs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.json");
        let mut m = RankerModel::default_model();
        m.weights[Feature::AvoidHit.index()] = 3.0;
        m.save(&path).unwrap();
        assert_eq!(
            RankerModel::load(&path).unwrap().weight(Feature::AvoidHit),
            0.0
        );
    }
}
