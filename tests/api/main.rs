//! Black-box tests of the kohtaamo HTTP API and command line: each test starts the real app on
//! a random port with its own temporary database and index.

mod access;
mod accounts;
mod browser;
mod caseload;
mod cli;
mod clients;
mod crash;
mod dates;
mod devset;
mod funnel;
mod funnel_access;
mod funnel_cache;
mod funnel_history;
mod helpers;
mod lifecycle;
mod matching;
mod metrics;
mod occupations;
mod openapi;
mod postings;
mod privacy;
mod properties;
mod rate_limits;
mod readiness;
mod schemathesis;
mod search;
mod service;
mod sessions;
mod stress;
mod training;
mod validation;
mod web;
mod web_coach;
mod web_employer;
mod wishes;
