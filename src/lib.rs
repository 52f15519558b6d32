//! kohtaamo: open-market job matching for IPS supported employment.
//!
//! The library holds everything; `main.rs` only parses the command line and runs it.

pub mod api;
pub mod cli;
pub mod demo;
pub mod devset;
pub mod domain;
pub mod funnel;
pub mod import;
pub mod matching;
pub mod occupations;
pub mod rank;
pub mod search;
pub mod startup;
pub mod store;
pub mod telemetry;
pub mod web;
