//! Offline ranking metrics over logged lists with graded outcomes.

use serde::{Deserialize, Serialize};

use super::{ImpressionList, RankerModel};

/// Ranking quality on a set of lists.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Mean NDCG@10 over lists with at least one positive outcome.
    pub ndcg_at_10: f64,
    /// Mean share of a list's positive outcomes ranked in its top 20.
    pub recall_at_20: f64,
    /// Lists the means are over.
    pub lists: usize,
}

/// NDCG@k of relevance grades in ranked order (gain 2^g - 1); `None` when no grade is
/// positive.
pub fn ndcg_at(k: usize, ranked: &[u8]) -> Option<f64> {
    let dcg = |grades: &[u8]| dcg_at(k, grades);
    let mut ideal = ranked.to_vec();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let best = dcg(&ideal);
    (best > 0.0).then(|| dcg(ranked) / best)
}

/// DCG@k of grades in ranked order, gain 2^g - 1.
pub fn dcg_at(k: usize, grades: &[u8]) -> f64 {
    grades
        .iter()
        .take(k)
        .enumerate()
        .map(|(i, &g)| (2f64.powi(i32::from(g)) - 1.0) / ((i + 2) as f64).log2())
        .sum()
}

/// Share of positive grades that are in the first `k`; `None` when there is none.
pub fn recall_at(k: usize, ranked: &[u8]) -> Option<f64> {
    let positives = ranked.iter().filter(|g| **g > 0).count();
    (positives > 0)
        .then(|| ranked.iter().take(k).filter(|g| **g > 0).count() as f64 / positives as f64)
}

/// Ranks each list by `model` and averages NDCG@10 and Recall@20.
pub fn evaluate(model: &RankerModel, lists: &[ImpressionList]) -> Metrics {
    let (mut ndcg, mut recall, mut n) = (0.0, 0.0, 0usize);
    for list in lists {
        let mut scored: Vec<(f64, u8)> = list
            .items
            .iter()
            .map(|(x, g)| (model.margin(x), *g))
            .collect();
        // Ties keep the logged order, so a model that cannot tell items apart gains nothing.
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        let grades: Vec<u8> = scored.iter().map(|(_, g)| *g).collect();
        if let (Some(d), Some(r)) = (ndcg_at(10, &grades), recall_at(20, &grades)) {
            ndcg += d;
            recall += r;
            n += 1;
        }
    }
    let mean = |s: f64| if n == 0 { 0.0 } else { s / n as f64 };
    Metrics {
        ndcg_at_10: mean(ndcg),
        recall_at_20: mean(recall),
        lists: n,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_order_has_ndcg_one_and_reversed_less() {
        assert_eq!(ndcg_at(10, &[3, 2, 0, 0]), Some(1.0));
        let reversed = ndcg_at(10, &[0, 0, 2, 3]).unwrap();
        assert!(reversed < 0.6, "{reversed}");
        assert_eq!(ndcg_at(10, &[0, 0]), None);
    }

    #[test]
    fn recall_counts_positives_in_the_top_k() {
        let mut grades = vec![0u8; 30];
        grades[5] = 1;
        grades[25] = 1;
        assert_eq!(recall_at(20, &grades), Some(0.5));
    }
}
