//! The log of served match lists (feature logging: the ranker learns from these and the events
//! after), kept compactly and for a limited time.
//!
//! A list is one `match_lists` row. Its suggestions are packed into one blob, in the order
//! served: a format byte and the number of features, then per suggestion its kind (one byte),
//! its id (zigzag LEB128), its score (f32) and its features as a presence bitmask followed by
//! the non-zero values (f32; features lie in [0, 1] and are mostly zero). A list of 44
//! suggestions takes about 1.5 KB instead of 44 rows with two index entries each.
//!
//! Rows of the older `match_impressions` table (one per suggestion, features as JSON) are still
//! read until the retention removes them; nothing writes them any more.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use super::{sql, Millis, Result, Store, StoreError};
use crate::domain::{MatchFeedback, ServedList, ServedSuggestion};

/// One suggestion of a served list, as logged.
#[derive(Debug, Clone)]
pub struct Impression {
    /// Position in the list, from 0 (suggestions are logged in this order).
    pub position: usize,
    /// `vacancy`, `task` or `employer`.
    pub kind: &'static str,
    /// Id within the kind.
    pub item_id: i64,
    /// Model score.
    pub score: f64,
    /// Feature values, in model order.
    pub features: Vec<f64>,
}

/// A logged suggestion with the strongest outcome that followed it.
#[derive(Debug, Clone)]
pub struct LabelledImpression {
    /// List it was served in.
    pub list_id: String,
    /// Client.
    pub client_id: i64,
    /// Position.
    pub position: i64,
    /// Feature values.
    pub features: Vec<f64>,
    /// 0 nothing / declined, 1 interested, 2 employer contact or interview, 3 employed.
    pub grade: u8,
}

/// The layout of `match_lists.items` written now.
const FORMAT: u8 = 1;

/// Suggestion kinds by their code in the blob.
const KINDS: [&str; 3] = ["vacancy", "task", "employer"];

/// The static name of a stored suggestion kind (a kind no longer known reads as `employer`).
fn kind_name(kind: &str) -> &'static str {
    KINDS.into_iter().find(|k| *k == kind).unwrap_or("employer")
}

/// Lists deleted per statement when pruning, so that API writes get their turn in between.
const PRUNE_BATCH: i64 = 2_000;

/// A served list read back from either table.
struct LoggedList {
    list_id: String,
    client_id: i64,
    served: ServedList,
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Packs `items` (see the module documentation).
fn encode(items: &[Impression]) -> Result<Vec<u8>> {
    let n = items.first().map_or(0, |i| i.features.len());
    let width = u8::try_from(n)
        .map_err(|_| StoreError::Corrupt(format!("{n} features do not fit a logged list")))?;
    let mask_len = n.div_ceil(8);
    let mut out = Vec::with_capacity(2 + items.len() * (10 + mask_len + 4 * n / 2));
    out.extend([FORMAT, width]);
    for it in items {
        let kind = KINDS.iter().position(|k| *k == it.kind).ok_or_else(|| {
            StoreError::Corrupt(format!("cannot log a suggestion of kind {}", it.kind))
        })?;
        if it.features.len() != n {
            return Err(StoreError::Corrupt(
                "suggestions of one list have different numbers of features".into(),
            ));
        }
        out.push(kind as u8);
        // Zigzag: ids are positive, but nothing breaks if one is not.
        put_varint(&mut out, ((it.item_id << 1) ^ (it.item_id >> 63)) as u64);
        out.extend((it.score as f32).to_le_bytes());
        let mask_at = out.len();
        out.resize(mask_at + mask_len, 0);
        for (i, v) in it.features.iter().enumerate() {
            if *v != 0.0 {
                out[mask_at + i / 8] |= 1 << (i % 8);
                out.extend((*v as f32).to_le_bytes());
            }
        }
    }
    Ok(out)
}

/// Reads a blob written by [`encode`].
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let s = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(s)
    }

    fn byte(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }

    /// An f32 as the f64 it was written from, to f32's precision (0.1, not 0.10000000149).
    fn float(&mut self) -> Option<f64> {
        let b = self.take(4)?;
        let v = f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        v.to_string().parse().ok()
    }
}

fn decode(bytes: &[u8]) -> Option<Vec<ServedSuggestion>> {
    let mut r = Reader { bytes, at: 0 };
    if r.byte()? != FORMAT {
        return None;
    }
    let n = usize::from(r.byte()?);
    let mask_len = n.div_ceil(8);
    let mut out = Vec::new();
    while r.at < bytes.len() {
        let kind = *KINDS.get(usize::from(r.byte()?))?;
        let z = r.varint()?;
        let id = ((z >> 1) as i64) ^ -((z & 1) as i64);
        let score = r.float()?;
        let mask = r.take(mask_len)?.to_vec();
        let mut features = vec![0.0; n];
        for (i, f) in features.iter_mut().enumerate() {
            if mask[i / 8] & (1 << (i % 8)) != 0 {
                *f = r.float()?;
            }
        }
        out.push(ServedSuggestion {
            position: out.len(),
            kind,
            id,
            score,
            features,
        });
    }
    Some(out)
}

type ListRow = (i64, i64, Millis, String, Vec<u8>);
type LegacyRow = (
    String,
    i64,
    DateTime<Utc>,
    String,
    i64,
    String,
    i64,
    f64,
    String,
);

impl Store {
    /// Logs a served list; returns its id.
    #[tracing::instrument(name = "store.log_match_list", skip_all, fields(client_id))]
    pub async fn log_match_list(
        &self,
        client_id: i64,
        model_version: &str,
        served_at: DateTime<Utc>,
        items: &[Impression],
    ) -> Result<String> {
        let blob = encode(items)?;
        let (id,): (i64,) = sql(
            "INSERT INTO match_lists (client_id, served_at, model_version, suggestions, items) \
             VALUES (?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(client_id)
        .bind(Millis::of(served_at))
        .bind(model_version)
        .bind(items.len() as i64)
        .bind(blob)
        .fetch_one(&self.writer)
        .await?;
        Ok(format!("m{id}"))
    }

    /// Served lists, oldest first: every client's, or `client`'s.
    async fn logged_lists(&self, client: Option<i64>) -> Result<Vec<LoggedList>> {
        let rows: Vec<ListRow> = sql(
            "SELECT id, client_id, served_at, model_version, items FROM match_lists \
             WHERE ?1 IS NULL OR client_id = ?1 ORDER BY served_at, id",
        )
        .bind(client)
        .fetch_all(&self.pool)
        .await?;
        let mut lists = Vec::with_capacity(rows.len());
        for (id, client_id, served_at, model_version, items) in rows {
            let corrupt = || StoreError::Corrupt(format!("match list {id}"));
            lists.push(LoggedList {
                list_id: format!("m{id}"),
                client_id,
                served: ServedList {
                    served_at: served_at.0,
                    model_version,
                    suggestions: decode(&items).ok_or_else(corrupt)?,
                },
            });
        }
        let legacy: Vec<LegacyRow> = sql(
            "SELECT list_id, client_id, served_at, model_version, position, kind, item_id, score, \
             features FROM match_impressions WHERE ?1 IS NULL OR client_id = ?1 \
             ORDER BY served_at, list_id, position",
        )
        .bind(client)
        .fetch_all(&self.pool)
        .await?;
        let mut at: HashMap<String, usize> = HashMap::new();
        for (list_id, client_id, served_at, model_version, position, kind, id, score, features) in
            legacy
        {
            let i = *at.entry(list_id.clone()).or_insert_with(|| {
                lists.push(LoggedList {
                    list_id,
                    client_id,
                    served: ServedList {
                        served_at,
                        model_version,
                        suggestions: Vec::new(),
                    },
                });
                lists.len() - 1
            });
            lists[i].served.suggestions.push(ServedSuggestion {
                position: position.max(0) as usize,
                kind: kind_name(&kind),
                id,
                score,
                features: serde_json::from_str(&features).unwrap_or_default(),
            });
        }
        lists.sort_by(|a, b| {
            (a.served.served_at, &a.list_id).cmp(&(b.served.served_at, &b.list_id))
        });
        Ok(lists)
    }

    /// The kind and id of everything ever served to each client of `coach_id` (erased ones
    /// left out), in two queries whatever the number of clients. A client never served has
    /// no entry.
    #[tracing::instrument(name = "store.served_keys", skip(self))]
    pub async fn served_keys(
        &self,
        coach_id: i64,
    ) -> Result<HashMap<i64, HashSet<(&'static str, i64)>>> {
        let lists: Vec<(i64, i64, Vec<u8>)> =
            sql("SELECT l.id, l.client_id, l.items FROM match_lists l \
             JOIN clients c ON c.id = l.client_id \
             WHERE c.coach_id = ? AND c.erased_at IS NULL")
            .bind(coach_id)
            .fetch_all(&self.pool)
            .await?;
        let mut out: HashMap<i64, HashSet<(&'static str, i64)>> = HashMap::new();
        for (id, client_id, items) in lists {
            let served =
                decode(&items).ok_or_else(|| StoreError::Corrupt(format!("match list {id}")))?;
            out.entry(client_id)
                .or_default()
                .extend(served.into_iter().map(|s| (s.kind, s.id)));
        }
        let legacy: Vec<(i64, String, i64)> = sql(
            "SELECT DISTINCT i.client_id, i.kind, i.item_id FROM match_impressions i \
             JOIN clients c ON c.id = i.client_id \
             WHERE c.coach_id = ? AND c.erased_at IS NULL",
        )
        .bind(coach_id)
        .fetch_all(&self.pool)
        .await?;
        for (client_id, kind, id) in legacy {
            let kind = kind_name(&kind);
            out.entry(client_id).or_default().insert((kind, id));
        }
        Ok(out)
    }

    /// The lists served for `client_id`, oldest first (for the client's export).
    pub async fn served_lists(&self, client_id: i64) -> Result<Vec<ServedList>> {
        Ok(self
            .logged_lists(Some(client_id))
            .await?
            .into_iter()
            .map(|l| l.served)
            .collect())
    }

    /// Deletes the lists served before `before`; returns how many suggestions went.
    #[tracing::instrument(name = "store.prune_impressions", skip(self))]
    pub async fn prune_impressions(&self, before: DateTime<Utc>) -> Result<u64> {
        let mut removed = 0;
        loop {
            let (lists, suggestions): (i64, Option<i64>) = sql(
                "SELECT COUNT(*), CAST(SUM(suggestions) AS BIGINT) FROM (SELECT suggestions \
                 FROM match_lists WHERE served_at < ? ORDER BY served_at LIMIT ?) AS oldest",
            )
            .bind(Millis::of(before))
            .bind(PRUNE_BATCH)
            .fetch_one(&self.pool)
            .await?;
            if lists == 0 {
                break;
            }
            sql(
                "DELETE FROM match_lists WHERE id IN (SELECT id FROM match_lists \
                 WHERE served_at < ? ORDER BY served_at LIMIT ?)",
            )
            .bind(Millis::of(before))
            .bind(PRUNE_BATCH)
            .execute(&self.writer)
            .await?;
            removed += suggestions.unwrap_or(0).max(0) as u64;
        }
        loop {
            // Stored by sqlx as RFC 3339 text in UTC, so text order is time order.
            let done = sql(
                "DELETE FROM match_impressions WHERE id IN (SELECT id FROM match_impressions \
                 WHERE served_at < ? LIMIT ?)",
            )
            .bind(before)
            .bind(PRUNE_BATCH * 40)
            .execute(&self.writer)
            .await?;
            if done.rows_affected() == 0 {
                break;
            }
            removed += done.rows_affected();
        }
        Ok(removed)
    }

    /// Every logged suggestion with its grade ([`crate::rank::grade`]) from the outcomes that
    /// followed it for that client (see [`Store::match_feedback_events`]).
    pub async fn labelled_impressions(&self) -> Result<Vec<LabelledImpression>> {
        let lists = self.logged_lists(None).await?;
        let labels = self.match_feedback_events().await?;
        let mut by_client: HashMap<i64, Vec<&MatchFeedback>> = HashMap::new();
        for l in &labels {
            by_client.entry(l.client_id).or_default().push(l);
        }
        let mut out = Vec::new();
        for list in lists {
            let served_at = list.served.served_at;
            let feedback = by_client
                .get(&list.client_id)
                .map(Vec::as_slice)
                .unwrap_or_default();
            for s in list.served.suggestions {
                let grade = crate::rank::grade(served_at, s.kind, s.id, feedback.iter().copied());
                out.push(LabelledImpression {
                    list_id: list.list_id.clone(),
                    client_id: list.client_id,
                    position: s.position as i64,
                    features: s.features,
                    grade,
                });
            }
        }
        Ok(out)
    }

    /// Number of logged suggestions for a client (feature logging is observable).
    pub async fn impression_count(&self, client_id: i64) -> Result<i64> {
        let (n,): (i64,) = sql(
            "SELECT CAST((SELECT COALESCE(SUM(suggestions), 0) FROM match_lists \
               WHERE client_id = ?1) + (SELECT COUNT(*) FROM match_impressions \
               WHERE client_id = ?1) AS BIGINT)",
        )
        .bind(client_id)
        .fetch_one(&self.pool)
        .await?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn impression(position: usize, kind: &'static str, id: i64, features: Vec<f64>) -> Impression {
        Impression {
            position,
            kind,
            item_id: id,
            score: 1.25 - position as f64,
            features,
        }
    }

    #[test]
    fn a_list_reads_back_as_served_to_f32_precision() {
        let mut f = vec![0.0; 16];
        f[0] = 0.1;
        f[7] = 1.0;
        f[15] = 0.8187307530779818;
        let items = vec![
            impression(0, "vacancy", 12, f.clone()),
            impression(1, "task", 300_000, vec![0.0; 16]),
            impression(2, "employer", 1, vec![1.0; 16]),
        ];

        let back = decode(&encode(&items).unwrap()).unwrap();

        assert_eq!(back.len(), 3);
        assert_eq!(
            (back[1].position, back[1].kind, back[1].id),
            (1, "task", 300_000)
        );
        assert_eq!(back[0].features[0], 0.1);
        assert_eq!(back[0].features[7], 1.0);
        assert!((back[0].features[15] - 0.8187307530779818).abs() < 1e-7);
        assert_eq!(back[1].features, vec![0.0; 16]);
        assert_eq!(back[2].features, vec![1.0; 16]);
        assert_eq!(back[2].score, -0.75);
    }

    #[test]
    fn a_typical_list_is_small() {
        // 44 suggestions with 5 non-zero features of 16 each.
        let items: Vec<Impression> = (0..44)
            .map(|i| {
                let mut f = vec![0.0; 16];
                for j in [0, 3, 5, 9, 12] {
                    f[j] = 0.3 + j as f64 / 100.0;
                }
                impression(i, "vacancy", 10_000 + i as i64, f)
            })
            .collect();
        let bytes = encode(&items).unwrap();
        assert!(bytes.len() < 44 * 33, "{} bytes", bytes.len());
    }

    #[test]
    fn damaged_blobs_are_refused_not_misread() {
        let items = vec![impression(0, "vacancy", 5, vec![0.5; 16])];
        let bytes = encode(&items).unwrap();
        assert!(decode(&bytes[..bytes.len() - 1]).is_none());
        assert!(decode(&[9, 16]).is_none());
        assert_eq!(decode(&[FORMAT, 16]).unwrap().len(), 0);
    }
}
