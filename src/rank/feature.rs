//! The ranking features: one enum variant each, with its name in model files, its definition
//! and its sign constraint, declared in one place. How a feature's value and reason are
//! computed for a client and a posting is matching's business (`matching::features` and
//! `matching::reasons` match on every variant, so the compiler asks for both).

use std::ops::{Index, IndexMut};

/// The constraint a feature's weight obeys in every model, shipped or trained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sign {
    /// Any weight.
    Free,
    /// The weight is never negative: the feature can only help.
    NeverNegative,
    /// The weight is never positive: the feature can only demote.
    NeverPositive,
}

impl Sign {
    /// The nearest weight that obeys the constraint.
    pub fn clamp(self, weight: f64) -> f64 {
        match self {
            Sign::Free => weight,
            Sign::NeverNegative => weight.max(0.0),
            Sign::NeverPositive => weight.min(0.0),
        }
    }
}

/// Declares [`Feature`] from one list, so that a feature's variant, name, sign and doc cannot
/// drift apart and [`Feature::ALL`] cannot miss one.
macro_rules! features {
    ($($variant:ident { name: $name:literal, sign: $sign:ident, doc: $doc:literal $(,)? })+) => {
        /// A ranking feature. Every value is in [0, 1]; the declaration order is the model
        /// order (the order of a model file's `features` and `weights`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Feature {
            $(#[doc = $doc] $variant,)+
        }

        impl Feature {
            /// Every feature, in model order.
            pub const ALL: [Feature; [$(Feature::$variant),+].len()] = [$(Feature::$variant),+];

            /// The name in model files and logs.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Feature::$variant => $name,)+
                }
            }

            /// What the feature measures and how its value is computed.
            pub const fn doc(self) -> &'static str {
                match self {
                    $(Feature::$variant => $doc,)+
                }
            }

            /// The constraint on its weight.
            pub const fn sign(self) -> Sign {
                match self {
                    $(Feature::$variant => Sign::$sign,)+
                }
            }
        }
    };
}

features! {
    TextRelevance {
        name: "text_relevance",
        sign: Free,
        doc: "BM25 of the client's own words (and of the taxonomy's names for them), squashed: \
              s / (s + 4).",
    }
    OccupationProximity {
        name: "occupation_proximity",
        sign: Free,
        doc: "ISCO-08 proximity to a wished occupation: shared leading digits / 4 (unit group \
              1.0, minor group 0.75, sub-major 0.5, major 0.25). Occupations only inferred from \
              the client's words count half; 0 when the posting has no occupation code.",
    }
    PlaceFit {
        name: "place_fit",
        sign: Free,
        doc: "1 in an accepted municipality; by distance within the commute (0.5 at the limit, \
              decaying beyond); 0.5 when the posting's place is unknown, 0.25 when its distance \
              cannot be computed.",
    }
    PlaceUnknown {
        name: "place_unknown",
        sign: Free,
        doc: "1 when the posting's place is unknown (nothing is excluded for it).",
    }
    HoursFit {
        name: "hours_fit",
        sign: Free,
        doc: "Share of the weekly hours offered that lie within the hours wished (a single \
              figure: exp(-gap / 5)); 0.5 when the client states no wish, 0 when the posting \
              states no hours.",
    }
    HoursUnknown {
        name: "hours_unknown",
        sign: Free,
        doc: "1 when the posting states no weekly hours.",
    }
    Freshness {
        name: "freshness",
        sign: Free,
        doc: "exp(-age in days / 21).",
    }
    Competitive {
        name: "competitive",
        sign: Free,
        doc: "1 for an open-market vacancy; 0 for a subcontracting task or an employer prospect.",
    }
    AvoidHit {
        name: "avoid_hit",
        sign: NeverPositive,
        doc: "1 when the posting mentions something the client wants to avoid. It only ever \
              demotes.",
    }
    AdjustmentsMet {
        name: "adjustments_met",
        sign: NeverNegative,
        doc: "1 when the employer offers an adjustment the client asked for. It only ever helps.",
    }
    LanguageFit {
        name: "language_fit",
        sign: Free,
        doc: "1 when the posting's language is one the client works in; when the client names \
              none, 1 for Finnish and 0.5 for the others.",
    }
    EmployerHires {
        name: "employer_hires",
        sign: Free,
        doc: "log10(1 + clients this employer has hired through the service), capped at 1.",
    }
    OccupationConfidence {
        name: "occupation_confidence",
        sign: Free,
        doc: "Occupation proximity times how sure the posting's occupation is: 1 when the \
              posting states its code, the classifier's confidence when it was read from the \
              title and text.",
    }
    RefusedHit {
        name: "refused_hit",
        sign: NeverPositive,
        doc: "1 when the posting names something the client refused inside the wish (\"…, mutta \
              en halua olla kassalla\"). It only ever demotes.",
    }
    ShiftFit {
        name: "shift_fit",
        sign: Free,
        doc: "0 when the posting names a shift the client refused, 1 when it names one the \
              client wished (and none refused), 0.5 otherwise.",
    }
    LicenceFit {
        name: "licence_fit",
        sign: Free,
        doc: "When the client names licences or cards: 1 when the posting names one of them, 0 \
              when it names only others; 0.5 when either names none.",
    }
}

/// Number of features.
pub const N_FEATURES: usize = Feature::ALL.len();

// The model order is the declaration order: a feature's index is its discriminant.
const _: () = {
    let mut i = 0;
    while i < N_FEATURES {
        assert!(Feature::ALL[i] as usize == i);
        i += 1;
    }
};

impl Feature {
    /// Position in the model order.
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The feature of a model file's name.
    pub fn from_name(name: &str) -> Option<Feature> {
        Feature::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// Index of a feature by its name (for model files and callers that hold a name).
pub fn feature_index(name: &str) -> Option<usize> {
    Feature::from_name(name).map(Feature::index)
}

/// One value per feature, read and written by [`Feature`].
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Features([f64; N_FEATURES]);

impl Features {
    /// Each feature's value from `value`.
    pub fn from_fn(value: impl FnMut(Feature) -> f64) -> Self {
        Features(Feature::ALL.map(value))
    }

    /// The values in model order (what a model multiplies and what is logged).
    pub fn values(&self) -> &[f64; N_FEATURES] {
        &self.0
    }

    /// (feature, value) in model order.
    pub fn iter(&self) -> impl Iterator<Item = (Feature, f64)> + '_ {
        Feature::ALL.into_iter().zip(self.0.iter().copied())
    }
}

impl From<[f64; N_FEATURES]> for Features {
    fn from(values: [f64; N_FEATURES]) -> Self {
        Features(values)
    }
}

impl From<Features> for [f64; N_FEATURES] {
    fn from(features: Features) -> Self {
        features.0
    }
}

impl Index<Feature> for Features {
    type Output = f64;

    fn index(&self, feature: Feature) -> &f64 {
        &self.0[feature.index()]
    }
}

impl IndexMut<Feature> for Features {
    fn index_mut(&mut self, feature: Feature) -> &mut f64 {
        &mut self.0[feature.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_distinct_and_round_trip() {
        for f in Feature::ALL {
            assert_eq!(Feature::from_name(f.name()), Some(f));
            assert_eq!(feature_index(f.name()), Some(f.index()));
            assert!(!f.doc().is_empty());
        }
        assert_eq!(Feature::from_name("no_such_feature"), None);
    }

    #[test]
    fn a_vector_is_read_and_written_by_feature() {
        let mut x = Features::default();
        x[Feature::HoursFit] = 0.5;
        assert_eq!(x.values()[Feature::HoursFit.index()], 0.5);
        assert_eq!(
            x.iter().find(|(f, _)| *f == Feature::HoursFit),
            Some((Feature::HoursFit, 0.5))
        );
    }

    #[test]
    fn signs_clamp_weights() {
        assert_eq!(Sign::NeverPositive.clamp(2.0), 0.0);
        assert_eq!(Sign::NeverNegative.clamp(-2.0), 0.0);
        assert_eq!(Sign::Free.clamp(-2.0), -2.0);
        assert_eq!(Feature::AvoidHit.sign(), Sign::NeverPositive);
        assert_eq!(Feature::AdjustmentsMet.sign(), Sign::NeverNegative);
    }
}
