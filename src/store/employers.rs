//! The employer register.

use sqlx::AssertSqlSafe;

use super::changelog::{append, Entity};
use super::{now, sql, Page, Result, Store, StoreError, Tx};
use crate::domain::{Employer, EmployerDraft};

const EMPLOYER_COLUMNS: &str = "id, name, business_id, industry, municipality, created_at";

#[derive(sqlx::FromRow)]
struct EmployerRow {
    id: i64,
    name: String,
    business_id: Option<String>,
    industry: Option<String>,
    municipality: Option<String>,
    created_at: chrono::DateTime<chrono::Utc>,
}

impl From<EmployerRow> for Employer {
    fn from(r: EmployerRow) -> Self {
        Employer {
            id: r.id,
            name: r.name,
            business_id: r.business_id,
            industry: r.industry,
            municipality: r.municipality,
            created_at: r.created_at,
        }
    }
}

pub(super) async fn insert_employer(conn: &mut Tx, draft: &EmployerDraft) -> Result<i64> {
    let at = now();
    let res: Result<(i64,), sqlx::Error> = sql(
        "INSERT INTO employers (name, business_id, industry, municipality, created_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(&draft.name)
    .bind(&draft.business_id)
    .bind(&draft.industry)
    .bind(&draft.municipality)
    .bind(at)
    .bind(at)
    .fetch_one(&mut *conn)
    .await;
    let (id,) = res.map_err(|e| match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(format!(
            "an employer with business ID {} already exists",
            draft.business_id.as_deref().unwrap_or_default()
        )),
        _ => StoreError::Database(e),
    })?;
    append(conn, Entity::Employer, id, "create", at).await?;
    Ok(id)
}

/// Finds an employer by exact name, creating it when missing (imports name employers only).
pub(super) async fn employer_id_by_name(conn: &mut Tx, name: &str) -> Result<i64> {
    conn.lock_key(&format!("employer name {name}")).await?;
    let found: Option<(i64,)> = sql("SELECT id FROM employers WHERE name = ? ORDER BY id LIMIT 1")
        .bind(name)
        .fetch_optional(&mut *conn)
        .await?;
    match found {
        Some((id,)) => Ok(id),
        None => {
            let draft = EmployerDraft {
                name: name.to_string(),
                business_id: None,
                industry: None,
                municipality: None,
            };
            insert_employer(conn, &draft).await
        }
    }
}

impl Store {
    /// Adds an employer to the register.
    #[tracing::instrument(name = "store.create_employer", skip_all)]
    pub async fn create_employer(&self, draft: &EmployerDraft) -> Result<Employer> {
        let mut tx = self.write_tx().await?;
        let id = insert_employer(&mut tx, draft).await?;
        tx.commit().await?;
        self.employer(id).await
    }

    /// One employer.
    pub async fn employer(&self, id: i64) -> Result<Employer> {
        let row: Option<EmployerRow> = sql(AssertSqlSafe(format!(
            "SELECT {EMPLOYER_COLUMNS} FROM employers WHERE id = ?"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(Employer::from).ok_or(StoreError::NotFound {
            entity: "employer",
            id,
        })
    }

    /// Employers by name, a page at a time; `only` restricts to one id (employer users).
    pub async fn employers(
        &self,
        only: Option<i64>,
        limit: i64,
        offset: i64,
    ) -> Result<Page<Employer>> {
        let (total,): (i64,) = sql("SELECT COUNT(*) FROM employers WHERE (?1 IS NULL OR id = ?1)")
            .bind(only)
            .fetch_one(&self.pool)
            .await?;
        let rows: Vec<EmployerRow> = sql(AssertSqlSafe(format!(
            "SELECT {EMPLOYER_COLUMNS} FROM employers WHERE (?1 IS NULL OR id = ?1) \
             ORDER BY name, id LIMIT ?2 OFFSET ?3"
        )))
        .bind(only)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        Ok(Page {
            total,
            items: rows.into_iter().map(Employer::from).collect(),
        })
    }
}
