//! Hires through the service per employer (the `employer_hires` feature), read from the
//! database at most once a minute: the figure moves slowly and every match request needs it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::store::{Store, StoreError};

/// Hires per employer id.
pub type Hires = Arc<HashMap<i64, u32>>;

/// The counts, cached for a minute.
#[derive(Default)]
pub struct HiresCache {
    cached: Mutex<Option<(Instant, Hires)>>,
}

impl HiresCache {
    const TTL: Duration = Duration::from_secs(60);

    /// The current counts: cached, or read from `store` when older than a minute.
    pub async fn get(&self, store: &Store) -> Result<Hires, StoreError> {
        if let Some((at, counts)) = self.cached.lock().expect("hires lock").as_ref() {
            if at.elapsed() < Self::TTL {
                return Ok(counts.clone());
            }
        }
        let counts = Arc::new(store.employer_hires().await?);
        *self.cached.lock().expect("hires lock") = Some((Instant::now(), counts.clone()));
        Ok(counts)
    }
}
