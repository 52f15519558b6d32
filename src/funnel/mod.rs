//! The placement funnel: stage rules for client events, and the outcome and IPS fidelity
//! figures computed from the events (no HTTP, no SQL: the store loads, this module counts).

pub mod caseload;
mod metrics;
pub mod snapshot;
mod stages;

pub use metrics::*;
pub use stages::{check_history, check_insertion, CaseState, Step};
