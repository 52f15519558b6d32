//! What every node keeps in memory, kept in the database so that every node follows it: the
//! ranker models (one of them active) and a version per kind of reference data.
//!
//! A write that changes a kind bumps its version in the same transaction
//! ([`bump_reference`]); a running node reads [`Store::reference_versions`] as often as it
//! polls the change log and loads again what moved.

use chrono::{DateTime, Utc};

use super::{sql, Result, Store, StoreError, Tx};

/// The kinds of reference data a node keeps in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reference {
    /// The active ranker model.
    Model,
    /// The occupation taxonomy (and the classifier built from it).
    Occupations,
    /// Municipalities and their coordinates.
    Municipalities,
}

impl Reference {
    fn as_str(self) -> &'static str {
        match self {
            Reference::Model => "model",
            Reference::Occupations => "occupations",
            Reference::Municipalities => "municipalities",
        }
    }
}

/// The version of each kind of reference data (0: never changed).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReferenceVersions {
    /// Of the active ranker model.
    pub model: i64,
    /// Of the occupation taxonomy.
    pub occupations: i64,
    /// Of the municipalities.
    pub municipalities: i64,
}

/// A stored ranker model.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct StoredModel {
    /// Its version label.
    pub version: String,
    /// The model as JSON.
    pub model: String,
    /// When it was trained (or stored).
    pub trained_at: DateTime<Utc>,
    /// Whether it is the one every node ranks with.
    pub active: bool,
    /// When it was last made active.
    pub activated_at: Option<DateTime<Utc>>,
}

/// Whether a model being stored becomes the active one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activation<'a> {
    /// Stored only.
    No,
    /// Made active whatever was active before.
    Always,
    /// Made active only if the active model is still this version (`None`: no stored model
    /// is active, the shipped default ranks): a model trained to beat one model does not
    /// replace another activated meanwhile.
    IfActiveIs(Option<&'a str>),
}

/// Bumps the version of `kind`, in the transaction that changes it.
pub(super) async fn bump_reference(tx: &mut Tx, kind: Reference) -> Result<()> {
    sql(
        "INSERT INTO reference_versions (name, version) VALUES (?, 1) \
         ON CONFLICT (name) DO UPDATE SET version = reference_versions.version + 1",
    )
    .bind(kind.as_str())
    .execute(tx)
    .await?;
    Ok(())
}

impl Store {
    /// The version of each kind of reference data.
    pub async fn reference_versions(&self) -> Result<ReferenceVersions> {
        let rows: Vec<(String, i64)> = sql("SELECT name, version FROM reference_versions")
            .fetch_all(&self.pool)
            .await?;
        let mut v = ReferenceVersions::default();
        for (name, version) in rows {
            match name.as_str() {
                "model" => v.model = version,
                "occupations" => v.occupations = version,
                "municipalities" => v.municipalities = version,
                _ => {}
            }
        }
        Ok(v)
    }

    /// Stores a model (JSON) under its version and makes it the active one as `activation`
    /// says; returns whether it was made active. A version stored before is refused.
    pub async fn save_model(
        &self,
        version: &str,
        model: &str,
        trained_at: DateTime<Utc>,
        activation: Activation<'_>,
    ) -> Result<bool> {
        let mut tx = self.write_tx().await?;
        tx.lock_key("ranker_models").await?;
        if is_stored(&mut tx, version).await? {
            return Err(StoreError::Conflict(format!(
                "a model of version {version} is stored already"
            )));
        }
        sql("INSERT INTO ranker_models (version, model, trained_at) VALUES (?, ?, ?)")
            .bind(version)
            .bind(model)
            .bind(trained_at)
            .execute(&mut tx)
            .await?;
        let activate = match activation {
            Activation::No => false,
            Activation::Always => true,
            Activation::IfActiveIs(expected) => {
                let active: Option<String> = sql("SELECT version FROM ranker_models WHERE active")
                    .fetch_scalar(&mut tx)
                    .await?;
                active.as_deref() == expected
            }
        };
        if activate {
            make_active(&mut tx, Some(version)).await?;
        }
        tx.commit().await?;
        Ok(activate)
    }

    /// Makes the stored model `version` the active one, or with `None` none (the shipped
    /// default ranks). Returns false, changing nothing, when no model of that version is stored.
    pub async fn activate_model(&self, version: Option<&str>) -> Result<bool> {
        let mut tx = self.write_tx().await?;
        tx.lock_key("ranker_models").await?;
        if let Some(version) = version {
            if !is_stored(&mut tx, version).await? {
                return Ok(false);
            }
        }
        make_active(&mut tx, version).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The active model, if one is stored as active.
    pub async fn active_model(&self) -> Result<Option<StoredModel>> {
        Ok(sql(
            "SELECT version, model, trained_at, active, activated_at FROM ranker_models WHERE active",
        )
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The stored model of `version`.
    pub async fn model(&self, version: &str) -> Result<Option<StoredModel>> {
        Ok(sql(
            "SELECT version, model, trained_at, active, activated_at FROM ranker_models \
             WHERE version = ?",
        )
        .bind(version)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Every stored model, newest first.
    pub async fn models(&self) -> Result<Vec<StoredModel>> {
        Ok(sql(
            "SELECT version, model, trained_at, active, activated_at FROM ranker_models \
             ORDER BY trained_at DESC, version DESC",
        )
        .fetch_all(&self.pool)
        .await?)
    }
}

/// Whether a model of `version` is stored.
async fn is_stored(tx: &mut Tx, version: &str) -> Result<bool> {
    let known: Option<i64> = sql("SELECT CAST(1 AS BIGINT) FROM ranker_models WHERE version = ?")
        .bind(version)
        .fetch_scalar(tx)
        .await?;
    Ok(known.is_some())
}

/// Makes `version` the one active model (none with `None`), and bumps the model's version.
async fn make_active(tx: &mut Tx, version: Option<&str>) -> Result<()> {
    sql("UPDATE ranker_models SET active = ? WHERE active")
        .bind(false)
        .execute(&mut *tx)
        .await?;
    if let Some(version) = version {
        sql("UPDATE ranker_models SET active = ?, activated_at = ? WHERE version = ?")
            .bind(true)
            .bind(Utc::now())
            .bind(version)
            .execute(&mut *tx)
            .await?;
    }
    bump_reference(tx, Reference::Model).await
}
