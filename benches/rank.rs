//! Training time of the ranker: a logistic regression (linfa) on logged suggestions.
//!
//! Data: simulated outcomes (seed 11) with a hidden preference, 30 suggestions per list,
//! 20 % of clients held out; 2,000 clients (≈ 48,000 training rows) and 10,000 clients
//! (≈ 240,000 rows). Generating the lists is outside the timed part; evaluating both models
//! on the held-out lists is inside it, as `kohtaamo train` does.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use kohtaamo::rank::{fit, simulate_outcomes, split_by_client, RankerModel};

fn training(c: &mut Criterion) {
    let mut group = c.benchmark_group("rank/train");
    group.sample_size(10);
    for clients in [2_000i64, 10_000] {
        let (train, held_out) = split_by_client(simulate_outcomes(11, clients), 20, 2026);
        let active = RankerModel::default_model();
        group.bench_with_input(BenchmarkId::from_parameter(clients), &clients, |b, _| {
            b.iter(|| fit(&train, &held_out, &active, "bench".into()).expect("trained"))
        });
    }
    group.finish();
}

criterion_group!(benches, training);
criterion_main!(benches);
