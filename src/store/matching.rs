//! What matching reads: the occupation taxonomy, municipality coordinates and employers'
//! hires. (The served lists it logs are in `impressions`.)

use super::{sql, Result, Store};

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

impl Store {
    /// Upserts taxonomy rows.
    pub async fn upsert_occupations(&self, rows: &[OccupationRow]) -> Result<usize> {
        let mut tx = self.write_tx().await?;
        for r in rows {
            sql(
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
            .execute(&mut tx)
            .await?;
        }
        super::models::bump_reference(&mut tx, super::models::Reference::Occupations).await?;
        tx.commit().await?;
        Ok(rows.len())
    }

    /// The whole taxonomy.
    pub async fn occupations(&self) -> Result<Vec<OccupationRow>> {
        Ok(sql(
            "SELECT code, concept_type, isco_group, label_fi, label_sv, label_en FROM occupations ORDER BY code",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// Every municipality's name and coordinates.
    pub async fn municipality_coordinates(&self) -> Result<Vec<(String, f64, f64)>> {
        Ok(sql("SELECT name, lat, lon FROM municipalities")
            .fetch_all(&self.pool)
            .await?)
    }

    /// Hires through the service per employer: `employed` events naming the employer, or a
    /// vacancy or task of it; corrected events left out.
    pub async fn employer_hires(&self) -> Result<std::collections::HashMap<i64, u32>> {
        let rows: Vec<(i64, i64)> = sql(
            "SELECT employer, COUNT(*) FROM ( \
               SELECT COALESCE(e.employer_id, v.employer_id, t.employer_id) AS employer \
               FROM client_events e \
               LEFT JOIN vacancies v ON v.id = e.vacancy_id \
               LEFT JOIN tasks t ON t.id = e.task_id \
               WHERE e.type = 'employed' \
                 AND NOT EXISTS (SELECT 1 FROM client_events s WHERE s.supersedes = e.id)) AS hires \
             WHERE employer IS NOT NULL GROUP BY employer",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(e, n)| (e, n.clamp(0, u32::MAX as i64) as u32))
            .collect())
    }
}
