//! Reference data: municipalities with coordinates.

use super::{sql, Result, Store};

/// One municipality, as imported.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct MunicipalityRow {
    /// Statistics Finland code (`091`).
    pub code: String,
    /// Name (Finnish; Swedish on Åland).
    pub name: String,
    /// Region code.
    pub region_code: Option<String>,
    /// Region name.
    pub region_name: Option<String>,
    /// Latitude (WGS84).
    pub lat: f64,
    /// Longitude (WGS84).
    pub lon: f64,
}

impl Store {
    /// Upserts municipalities by code; returns how many rows were written.
    pub async fn upsert_municipalities(&self, rows: &[MunicipalityRow]) -> Result<usize> {
        let mut tx = self.write_tx().await?;
        for m in rows {
            sql(
                "INSERT INTO municipalities (code, name, name_lower, region_code, region_name, lat, lon) \
                 VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET name = excluded.name, \
                 name_lower = excluded.name_lower, region_code = excluded.region_code, \
                 region_name = excluded.region_name, lat = excluded.lat, lon = excluded.lon",
            )
            .bind(&m.code)
            .bind(&m.name)
            .bind(m.name.to_lowercase())
            .bind(&m.region_code)
            .bind(&m.region_name)
            .bind(m.lat)
            .bind(m.lon)
            .execute(&mut tx)
            .await?;
        }
        super::models::bump_reference(&mut tx, super::models::Reference::Municipalities).await?;
        tx.commit().await?;
        Ok(rows.len())
    }

    /// A municipality by name, case-insensitively.
    pub async fn municipality(&self, name: &str) -> Result<Option<MunicipalityRow>> {
        let row: Option<MunicipalityRow> = sql(
            "SELECT code, name, region_code, region_name, lat, lon FROM municipalities WHERE name_lower = ?",
        )
        .bind(name.to_lowercase())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row)
    }
}
