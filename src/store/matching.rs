//! What matching reads and writes: the occupation taxonomy, municipality coordinates, and the
//! log of served match lists.

use chrono::{DateTime, Utc};

use super::{Result, Store};
use crate::domain::{MatchFeedback, ServedList, ServedSuggestion};

/// One row of the occupation taxonomy (ISCO-08 groups and ESCO occupations).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct OccupationRow {
    /// `9112` (ISCO group) or `9112.2` (ESCO occupation).
    pub code: String,
    /// `isco_group` or `occupation`.
    pub concept_type: String,
    /// The ISCO group digits the row belongs to.
    pub isco_group: String,
    /// Finnish label.
    pub label_fi: String,
    /// Swedish label.
    pub label_sv: String,
    /// English label.
    pub label_en: String,
}

/// One suggestion of a served list, as logged.
#[derive(Debug, Clone)]
pub struct Impression {
    /// Position in the list, from 0.
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

impl Store {
    /// Upserts taxonomy rows.
    pub async fn upsert_occupations(&self, rows: &[OccupationRow]) -> Result<usize> {
        let mut tx = self.write_tx().await?;
        for r in rows {
            sqlx::query(
                "INSERT INTO occupations (code, concept_type, isco_group, label_fi, label_sv, label_en) \
                 VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET \
                 concept_type = excluded.concept_type, isco_group = excluded.isco_group, \
                 label_fi = excluded.label_fi, label_sv = excluded.label_sv, label_en = excluded.label_en",
            )
            .bind(&r.code)
            .bind(&r.concept_type)
            .bind(&r.isco_group)
            .bind(&r.label_fi)
            .bind(&r.label_sv)
            .bind(&r.label_en)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(rows.len())
    }

    /// The whole taxonomy.
    pub async fn occupations(&self) -> Result<Vec<OccupationRow>> {
        Ok(sqlx::query_as(
            "SELECT code, concept_type, isco_group, label_fi, label_sv, label_en FROM occupations ORDER BY code",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// Every municipality's name and coordinates.
    pub async fn municipality_coordinates(&self) -> Result<Vec<(String, f64, f64)>> {
        Ok(sqlx::query_as("SELECT name, lat, lon FROM municipalities")
            .fetch_all(&self.pool)
            .await?)
    }

    /// Logs a served list; returns its id.
    pub async fn log_match_list(
        &self,
        client_id: i64,
        model_version: &str,
        served_at: DateTime<Utc>,
        items: &[Impression],
    ) -> Result<String> {
        let list_id = {
            use rand::RngCore;
            let mut b = [0u8; 12];
            rand::rngs::OsRng.fill_bytes(&mut b);
            hex::encode(b)
        };
        let mut tx = self.write_tx().await?;
        for it in items {
            sqlx::query(
                "INSERT INTO match_impressions (list_id, client_id, served_at, model_version, position, \
                 kind, item_id, score, features) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(&list_id)
            .bind(client_id)
            .bind(served_at)
            .bind(model_version)
            .bind(it.position as i64)
            .bind(it.kind)
            .bind(it.item_id)
            .bind(it.score)
            .bind(serde_json::to_string(&it.features).expect("numbers serialize"))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(list_id)
    }

    /// Hires through the service per employer: `employed` events naming the employer, or a
    /// vacancy or task of it; corrected events left out.
    pub async fn employer_hires(&self) -> Result<std::collections::HashMap<i64, u32>> {
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT employer, COUNT(*) FROM ( \
               SELECT COALESCE(e.employer_id, v.employer_id, t.employer_id) AS employer \
               FROM client_events e \
               LEFT JOIN vacancies v ON v.id = e.vacancy_id \
               LEFT JOIN tasks t ON t.id = e.task_id \
               WHERE e.type = 'employed' \
                 AND NOT EXISTS (SELECT 1 FROM client_events s WHERE s.supersedes = e.id)) \
             WHERE employer IS NOT NULL GROUP BY employer",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(e, n)| (e, n.clamp(0, u32::MAX as i64) as u32))
            .collect())
    }

    /// Every logged suggestion with the strongest outcome that followed it for that client
    /// within 90 days (see [`Store::match_feedback_events`]): interested 1; an employer contact
    /// or interview 2; placed, or the employer would hire, 3; declined, the employer would not
    /// hire, or nothing 0. Employer prospects have no posting to answer about and stay 0.
    pub async fn labelled_impressions(&self) -> Result<Vec<LabelledImpression>> {
        type Row = (String, i64, i64, String, String, i64, DateTime<Utc>);
        let impressions: Vec<Row> = sqlx::query_as(
            "SELECT list_id, client_id, position, features, kind, item_id, served_at \
             FROM match_impressions ORDER BY served_at, list_id, position",
        )
        .fetch_all(&self.pool)
        .await?;
        let labels = self.match_feedback_events().await?;
        let mut by_client: std::collections::HashMap<i64, Vec<&MatchFeedback>> = Default::default();
        for l in &labels {
            by_client.entry(l.client_id).or_default().push(l);
        }
        let horizon = chrono::Duration::days(90);
        Ok(impressions
            .into_iter()
            .map(
                |(list_id, client_id, position, features, kind, item_id, served_at)| {
                    let grade = by_client
                        .get(&client_id)
                        .into_iter()
                        .flatten()
                        // Event times are kept to the second; a list served at 12:00:00.6 and
                        // answered at once has an answer at 12:00:00.
                        .filter(|l| l.at >= served_at - chrono::Duration::seconds(1))
                        .filter(|l| l.at <= served_at + horizon)
                        .filter(|l| match kind.as_str() {
                            "vacancy" => l.vacancy_id == Some(item_id),
                            "task" => l.task_id == Some(item_id),
                            _ => false,
                        })
                        .map(|l| match l.signal {
                            "placed" | "employer_would_hire" => 3,
                            "contacted" => 2,
                            "interested" => 1,
                            _ => 0,
                        })
                        .max()
                        .unwrap_or(0);
                    LabelledImpression {
                        list_id,
                        client_id,
                        position,
                        features: serde_json::from_str(&features).unwrap_or_default(),
                        grade,
                    }
                },
            )
            .collect())
    }

    /// The lists served for `client_id`, oldest first (for the client's export).
    pub async fn served_lists(&self, client_id: i64) -> Result<Vec<ServedList>> {
        type Row = (String, DateTime<Utc>, String, i64, String, i64, f64, String);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT list_id, served_at, model_version, position, kind, item_id, score, features \
             FROM match_impressions WHERE client_id = ? ORDER BY served_at, list_id, position",
        )
        .bind(client_id)
        .fetch_all(&self.pool)
        .await?;
        let mut lists: Vec<ServedList> = Vec::new();
        let mut last_list = String::new();
        for (list_id, served_at, model_version, position, kind, id, score, features) in rows {
            if list_id != last_list || lists.is_empty() {
                last_list = list_id;
                lists.push(ServedList {
                    served_at,
                    model_version,
                    suggestions: Vec::new(),
                });
            }
            let kind = ["vacancy", "task", "employer"]
                .into_iter()
                .find(|k| *k == kind)
                .unwrap_or("employer");
            lists
                .last_mut()
                .expect("pushed")
                .suggestions
                .push(ServedSuggestion {
                    position: position.max(0) as usize,
                    kind,
                    id,
                    score,
                    features: serde_json::from_str(&features).unwrap_or_default(),
                });
        }
        Ok(lists)
    }

    /// Number of logged suggestions for a client (feature logging is observable).
    pub async fn impression_count(&self, client_id: i64) -> Result<i64> {
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM match_impressions WHERE client_id = ?")
                .bind(client_id)
                .fetch_one(&self.pool)
                .await?;
        Ok(n)
    }
}
