//! Rate limits (governor's GCRA): failed authentications per client address and per account,
//! and the expensive requests (search, match lists) per user. A limit reached is a 429 with
//! `Retry-After` and the contract's JSON error body.
//!
//! A failed authentication counts against the caller's address and against the account it
//! named (for a bearer token, the token's first characters: tokens are `kht_` and random hex,
//! so the prefix names a token without being enough to use it). Once either has failed more
//! often than the limit allows, the address or account is refused outright, valid token or
//! not, until the limit allows another try: guessing gains nothing from a 429 that a right
//! guess would have turned into a 200.

use std::collections::HashMap;
use std::fmt;
use std::net::{IpAddr, Ipv6Addr};
use std::num::NonZeroU32;
use std::str::FromStr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::error::ApiError;
use super::metrics::Metrics;

/// A rate: `count` events per `per`, written `10/s`, `10/min` or `600/h`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// Events allowed in each period.
    pub count: NonZeroU32,
    /// The period.
    pub per: Duration,
}

/// Largest count a [`Rate`] may name.
const MAX_COUNT: u32 = 1_000_000;

impl Rate {
    /// `count` events per second.
    pub fn per_second(count: u32) -> Self {
        Self {
            count: NonZeroU32::new(count).expect("a rate allows at least one event"),
            per: Duration::from_secs(1),
        }
    }

    /// `count` events per minute.
    pub fn per_minute(count: u32) -> Self {
        Self {
            count: NonZeroU32::new(count).expect("a rate allows at least one event"),
            per: Duration::from_secs(60),
        }
    }

    /// The governor quota: one event every `per / count`, `burst` at once.
    fn quota(self, burst: NonZeroU32) -> Quota {
        Quota::with_period(self.per / self.count.get())
            .expect("a period of at least a microsecond")
            .allow_burst(burst)
    }
}

impl FromStr for Rate {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let wrong = || format!("{s:?} is not a rate such as 10/s, 10/min or 600/h");
        let (count, unit) = s.trim().split_once('/').ok_or_else(wrong)?;
        let count: u32 = count.trim().parse().map_err(|_| wrong())?;
        let count = NonZeroU32::new(count)
            .filter(|c| c.get() <= MAX_COUNT)
            .ok_or_else(|| format!("the count of {s:?} must be between 1 and {MAX_COUNT}"))?;
        let per = match unit.trim() {
            "s" | "sec" | "second" => Duration::from_secs(1),
            "min" | "minute" => Duration::from_secs(60),
            "h" | "hour" => Duration::from_secs(60 * 60),
            _ => return Err(wrong()),
        };
        Ok(Self { count, per })
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.per.as_secs() {
            1 => "s",
            60 => "min",
            _ => "h",
        };
        write!(f, "{}/{unit}", self.count)
    }
}

/// The configured limits (settings `--rate-limit-auth`, `--rate-limit-search`,
/// `--rate-limit-search-burst`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    /// Failed authentications allowed per client address and per account; as many may fail at
    /// once. Default `10/min`.
    pub auth_failures: Rate,
    /// Searches and match lists per user, sustained. Default `10/s`.
    pub search: Rate,
    /// Searches and match lists per user at once, before the sustained rate applies.
    /// Default 30.
    pub search_burst: NonZeroU32,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            auth_failures: Rate::per_minute(10),
            search: Rate::per_second(10),
            search_burst: NonZeroU32::new(30).expect("not zero"),
        }
    }
}

/// A refused request: how long until the limit allows it, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Throttled {
    /// Time until the next request can pass.
    pub retry_after: Duration,
    /// What was limited, for the caller.
    pub message: String,
}

impl From<Throttled> for ApiError {
    fn from(t: Throttled) -> Self {
        ApiError::TooManyRequests {
            message: t.message,
            retry_after: t.retry_after,
        }
    }
}

/// Who failed to authenticate: an address or an account.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Failing {
    Address(IpAddr),
    Account(String),
}

/// Characters of a token that name its account.
const ACCOUNT_PREFIX_CHARS: usize = 12;

/// The account a bearer token names: its first characters.
pub fn token_account(token: &str) -> String {
    let prefix: String = token.chars().take(ACCOUNT_PREFIX_CHARS).collect();
    format!("token:{prefix}")
}

/// The key of a client address: an IPv4 address (also one mapped into IPv6) as it is, an IPv6
/// address by its /64 network, which one host usually holds whole.
fn address_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

/// Whole seconds to wait, at least one (`Retry-After` has no fractions).
pub fn retry_after_secs(wait: Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

/// The limiters' state, shared by every worker.
pub struct Limiter {
    failures_by_address: DefaultKeyedRateLimiter<IpAddr>,
    failures_by_account: DefaultKeyedRateLimiter<String>,
    /// Addresses and accounts over their failure limit, refused until then.
    blocked: Mutex<HashMap<Failing, Instant>>,
    expensive: DefaultKeyedRateLimiter<i64>,
    clock: DefaultClock,
    metrics: std::sync::Arc<Metrics>,
}

impl Limiter {
    /// Limiters for `limits`; refusals are counted in `metrics`.
    pub fn new(limits: &RateLimits, metrics: std::sync::Arc<Metrics>) -> Self {
        let failures = limits.auth_failures.quota(limits.auth_failures.count);
        Self {
            failures_by_address: RateLimiter::keyed(failures),
            failures_by_account: RateLimiter::keyed(failures),
            blocked: Mutex::new(HashMap::new()),
            expensive: RateLimiter::keyed(limits.search.quota(limits.search_burst)),
            clock: DefaultClock::default(),
            metrics,
        }
    }

    /// Refuses an authentication attempt from `address` for `account` while either is over
    /// its failure limit.
    pub fn before_authentication(
        &self,
        address: Option<IpAddr>,
        account: &str,
    ) -> Result<(), Throttled> {
        let now = Instant::now();
        let blocked = self.blocked.lock().expect("limiter lock");
        let until = [
            address.map(|a| Failing::Address(address_key(a))),
            Some(Failing::Account(account.to_string())),
        ]
        .into_iter()
        .flatten()
        .filter_map(|key| blocked.get(&key).copied())
        .filter(|until| *until > now)
        .max();
        drop(blocked);
        match until {
            Some(until) => Err(self.auth_throttled(until - now)),
            None => Ok(()),
        }
    }

    /// Counts a failed authentication from `address` for `account`; refuses it (and, until
    /// the limit allows another, every attempt from there or for that account) when it is one
    /// too many.
    pub fn failed_authentication(
        &self,
        address: Option<IpAddr>,
        account: &str,
    ) -> Result<(), Throttled> {
        self.metrics.auth_failures.inc();
        let now = self.clock.now();
        let mut over = Vec::new();
        if let Some(address) = address.map(address_key) {
            if let Err(not_until) = self.failures_by_address.check_key(&address) {
                over.push((Failing::Address(address), not_until.wait_time_from(now)));
            }
        }
        let account = account.to_string();
        if let Err(not_until) = self.failures_by_account.check_key(&account) {
            over.push((Failing::Account(account), not_until.wait_time_from(now)));
        }
        let Some(wait) = over.iter().map(|(_, wait)| *wait).max() else {
            return Ok(());
        };
        let until = Instant::now();
        let mut blocked = self.blocked.lock().expect("limiter lock");
        for (key, wait) in over {
            blocked.insert(key, until + wait);
        }
        drop(blocked);
        Err(self.auth_throttled(wait))
    }

    fn auth_throttled(&self, wait: Duration) -> Throttled {
        self.metrics.throttled("auth");
        Throttled {
            retry_after: wait,
            message: format!(
                "too many failed authentications from this address or for this account; \
                 try again in {} s",
                retry_after_secs(wait)
            ),
        }
    }

    /// Counts a search or match list of `user`; refuses it when the user is over the limit.
    pub fn expensive(&self, user: i64) -> Result<(), Throttled> {
        match self.expensive.check_key(&user) {
            Ok(()) => Ok(()),
            Err(not_until) => {
                self.metrics.throttled("search");
                let wait = not_until.wait_time_from(self.clock.now());
                Err(Throttled {
                    retry_after: wait,
                    message: format!(
                        "too many searches and match lists in a short time; try again in {} s",
                        retry_after_secs(wait)
                    ),
                })
            }
        }
    }

    /// Forgets addresses, accounts and users whose limits are back to full, so that memory
    /// does not grow with every address ever seen.
    pub fn prune(&self) {
        self.failures_by_account.retain_recent();
        self.failures_by_account.shrink_to_fit();
        self.failures_by_address.retain_recent();
        self.failures_by_address.shrink_to_fit();
        self.expensive.retain_recent();
        self.expensive.shrink_to_fit();
        let now = Instant::now();
        let mut blocked = self.blocked.lock().expect("limiter lock");
        blocked.retain(|_, until| *until > now);
        blocked.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_read_as_count_per_unit() {
        assert_eq!("10/s".parse(), Ok(Rate::per_second(10)));
        assert_eq!(" 10 / min ".parse(), Ok(Rate::per_minute(10)));
        let hourly: Rate = "600/h".parse().unwrap();
        assert_eq!(hourly.per, Duration::from_secs(3600));
        assert_eq!(hourly.to_string(), "600/h");
        for bad in ["", "10", "0/s", "-1/s", "10/day", "x/s", "2000000/s"] {
            assert!(bad.parse::<Rate>().is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn retry_after_is_whole_seconds_rounded_up() {
        assert_eq!(retry_after_secs(Duration::ZERO), 1);
        assert_eq!(retry_after_secs(Duration::from_millis(100)), 1);
        assert_eq!(retry_after_secs(Duration::from_secs(6)), 6);
        assert_eq!(retry_after_secs(Duration::from_millis(6001)), 7);
    }

    #[test]
    fn an_ipv6_host_is_one_address_per_64_network() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(address_key(a), address_key(b));
        assert_ne!(address_key(a), address_key(c));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(address_key(mapped), "192.0.2.7".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn a_token_names_its_account_by_its_prefix_only() {
        let token = format!("kht_{}", "ab".repeat(32));
        let account = token_account(&token);
        assert_eq!(account, "token:kht_abababab");
        assert!(!account.contains(&token));
    }
}
