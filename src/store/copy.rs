//! Moving a county: every table of one database copied into an empty other one, ids, change
//! log and audit trail intact (`kohtaamo migrate --from sqlite://FILE --to postgres://…`).

use futures_util::TryStreamExt;
use sqlx::{Column, Row};

use super::db::{Arg, Exec, IntoArg};
use super::text::StoredText;
use super::{sql, Backend, Millis, Pool, Result, Store, StoreError};

/// Every table, parents before the tables that refer to them. A table the target has and this
/// list lacks stops the copy (a new migration must say where its table goes).
const TABLES: &[&str] = &[
    "employers",
    "users",
    "api_tokens",
    "vacancies",
    "tasks",
    "clients",
    "change_log",
    "municipalities",
    "occupations",
    "client_events",
    "employer_contacts",
    "feedback_forms",
    "match_impressions",
    "match_lists",
    "access_log",
    "access_log_clients",
    "sessions",
    "sign_in_links",
    "import_runs",
    "ranker_models",
    "reference_versions",
];

/// Tables of derived data, which the target builds again itself: not copied.
const DERIVED: &[&str] = &["funnel_snapshots"];

/// Values per INSERT statement (PostgreSQL takes at most 65,535 parameters).
const VALUES_PER_STATEMENT: usize = 20_000;

/// What one table's copy did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopiedTable {
    /// The table.
    pub table: &'static str,
    /// Rows in the source, and (verified equal) in the target.
    pub rows: i64,
}

/// How a target column's values are read from the source and bound.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Int,
    Float,
    Text,
    Bool,
    Time,
    /// A `timestamptz` kept in SQLite as an INTEGER of milliseconds ([`Millis`]); every other
    /// time is text or an INTEGER of seconds there, which sqlx's DateTime reads as such.
    Millis,
    Date,
    Bytes,
}

/// The times that SQLite keeps as milliseconds since 1970 (`table`, `column`).
const MILLISECOND_COLUMNS: &[(&str, &str)] = &[("match_lists", "served_at")];

impl Kind {
    fn of(table: &str, column: &str, data_type: &str) -> Result<Self> {
        if data_type == "timestamp with time zone" && MILLISECOND_COLUMNS.contains(&(table, column))
        {
            return Ok(Kind::Millis);
        }
        Ok(match data_type {
            "bigint" | "integer" | "smallint" => Kind::Int,
            "double precision" | "real" => Kind::Float,
            "text" | "character varying" => Kind::Text,
            "boolean" => Kind::Bool,
            "timestamp with time zone" => Kind::Time,
            "date" => Kind::Date,
            "bytea" => Kind::Bytes,
            other => {
                return Err(StoreError::Unsupported(format!(
                    "cannot copy a column of type {other}"
                )))
            }
        })
    }

    fn read(self, row: &sqlx::sqlite::SqliteRow, i: usize) -> Result<Arg, sqlx::Error> {
        Ok(match self {
            Kind::Int => Arg::Int(row.try_get(i)?),
            Kind::Float => Arg::Float(row.try_get(i)?),
            // A description may be a compressed frame on SQLite: copied as its text.
            Kind::Text => Arg::Text(row.try_get::<Option<StoredText>, _>(i)?.map(String::from)),
            Kind::Bool => Arg::Bool(row.try_get(i)?),
            Kind::Time => Arg::Time(row.try_get(i)?),
            Kind::Millis => row.try_get::<Option<Millis>, _>(i)?.into_arg(),
            Kind::Date => Arg::Date(row.try_get(i)?),
            Kind::Bytes => Arg::Bytes(row.try_get(i)?),
        })
    }
}

impl Store {
    /// Copies every table of this store (SQLite) into `to` (PostgreSQL, migrated and empty)
    /// in one transaction: ids kept, identities moved past them, the change log with its
    /// numbers (so replicas that follow `to` index everything), the access log and the
    /// append-only events as they are. Checks that each table then holds as many rows as here;
    /// on any failure nothing is left in `to`. `progress(table, rows)` after each table.
    pub async fn copy_into(
        &self,
        to: &Store,
        mut progress: impl FnMut(&str, i64),
    ) -> Result<Vec<CopiedTable>> {
        let Pool::Sqlite(source) = &self.pool else {
            return Err(StoreError::Unsupported(
                "the source of a copy must be a SQLite database (sqlite://FILE)".into(),
            ));
        };
        if to.backend() != Backend::Postgres {
            return Err(StoreError::Unsupported(
                "the target of a copy must be a PostgreSQL database (postgres://…)".into(),
            ));
        }
        let tables: Vec<(String,)> = sql("SELECT table_name FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
               AND table_name <> '_sqlx_migrations' ORDER BY table_name")
        .fetch_all(&to.pool)
        .await?;
        if let Some((unknown,)) = tables
            .iter()
            .find(|(t,)| !TABLES.contains(&t.as_str()) && !DERIVED.contains(&t.as_str()))
        {
            return Err(StoreError::Unsupported(format!(
                "the target has a table {unknown} that the copy does not know"
            )));
        }
        let mut tx = to.write_tx().await?;
        for table in TABLES {
            let rows: Option<i64> = sql(sqlx::AssertSqlSafe(format!(
                "SELECT CAST(1 AS BIGINT) FROM {table} LIMIT 1"
            )))
            .fetch_scalar(&mut tx)
            .await?;
            if rows.is_some() {
                return Err(StoreError::Conflict(format!(
                    "the target database is not empty (table {table} has rows): \
                     a copy goes into a new database only"
                )));
            }
        }
        // Derived rows the target may hold from a node started on it before: built again.
        for table in DERIVED {
            sql(sqlx::AssertSqlSafe(format!("DELETE FROM {table}")))
                .execute(&mut tx)
                .await?;
        }
        // One read transaction on the source: every table as of one moment, even if the
        // service still writes (it should be stopped; then this changes nothing).
        let mut snapshot = source.begin().await?;
        let mut copied = Vec::with_capacity(TABLES.len());
        for &table in TABLES {
            let rows = copy_table(&mut snapshot, &mut tx, table).await?;
            progress(table, rows);
            copied.push(CopiedTable { table, rows });
        }
        // Identities go on after the copied ids; the change log's own numbers too.
        let identities: Vec<(String, String)> = sql(
            "SELECT table_name, column_name FROM information_schema.columns \
             WHERE table_schema = current_schema() AND is_identity = 'YES'",
        )
        .fetch_all(&mut tx)
        .await?;
        for (table, column) in identities {
            sql(sqlx::AssertSqlSafe(format!(
                "SELECT setval(pg_get_serial_sequence('{table}', '{column}'), \
                 COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)"
            )))
            .execute(&mut tx)
            .await?;
        }
        for c in &copied {
            let (n,): (i64,) = sql(sqlx::AssertSqlSafe(format!(
                "SELECT COUNT(*) FROM {}",
                c.table
            )))
            .fetch_one(&mut tx)
            .await?;
            if n != c.rows {
                return Err(StoreError::Corrupt(format!(
                    "table {}: {} rows copied, {n} in the target",
                    c.table, c.rows
                )));
            }
        }
        // On PostgreSQL the funnel rows follow the change log ([`super::Backend`]): log the
        // copied events and contacts, as if each had just been written. They are numbered
        // here, after the copied log: nothing else writes to the new database, and a million
        // rows numbered later would leave as many dead rows and stale statistics behind.
        for (entity, table) in [
            ("client_event", "client_events"),
            ("employer_contact", "employer_contacts"),
        ] {
            sql(sqlx::AssertSqlSafe(format!(
                "INSERT INTO change_log (entity, entity_id, op, at, seq) \
                 SELECT '{entity}', id, 'create', now(), \
                        (SELECT COALESCE(MAX(seq), 0) FROM change_log) + row_number() OVER (ORDER BY id) \
                 FROM {table} ORDER BY id"
            )))
            .execute(&mut tx)
            .await?;
        }
        tx.commit().await?;
        // The planner's statistics of the filled tables (autovacuum would take its time). The
        // copy is done whatever happens here.
        for c in &copied {
            let analyzed = sql(sqlx::AssertSqlSafe(format!("ANALYZE {}", c.table)))
                .execute(&to.pool)
                .await;
            if let Err(e) = analyzed {
                tracing::warn!(table = c.table, error = %e, "could not ANALYZE a copied table");
            }
        }
        Ok(copied)
    }
}

/// Copies one table's rows (the columns both databases have, in the target's types);
/// returns how many there were in the source.
async fn copy_table(
    source: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    tx: &mut super::Tx,
    table: &'static str,
) -> Result<i64> {
    // The target's columns, less those it fills itself (an always-generated identity, the
    // writing transaction of a change).
    let target: Vec<(String, String)> = sql(
        "SELECT column_name, data_type FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name = ? \
           AND identity_generation IS DISTINCT FROM 'ALWAYS' AND data_type <> 'xid8' \
         ORDER BY ordinal_position",
    )
    .bind(table)
    .fetch_all(&mut *tx)
    .await?;
    let here: Vec<(String,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT name FROM pragma_table_info('{table}')"
    )))
    .fetch_all(&mut **source)
    .await?;
    let here: Vec<String> = here.into_iter().map(|(n,)| n).collect();
    let mut columns = Vec::new();
    for (name, data_type) in target {
        if here.contains(&name) {
            let kind = Kind::of(table, &name, &data_type)?;
            columns.push((name, kind));
        } else {
            return Err(StoreError::Unsupported(format!(
                "{table}.{name} is in the target but not in the source"
            )));
        }
    }
    let names: Vec<&str> = columns.iter().map(|(n, _)| n.as_str()).collect();
    let list = names.join(", ");
    let per_statement = (VALUES_PER_STATEMENT / columns.len().max(1)).max(1);
    let row_marks = format!("({})", vec!["?"; columns.len()].join(", "));
    let (in_source,): (i64,) =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
            .fetch_one(&mut **source)
            .await?;
    // In key order (the first column): an event that corrects another comes after it.
    let mut read = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {list} FROM {table} ORDER BY 1"
    )))
    .fetch(&mut **source);
    let mut batch: Vec<Vec<Arg>> = Vec::with_capacity(per_statement);
    let mut total = 0i64;
    loop {
        let row = read.try_next().await?;
        if let Some(row) = &row {
            let mut values = Vec::with_capacity(columns.len());
            for (i, (_, kind)) in columns.iter().enumerate() {
                values.push(kind.read(row, i).map_err(|e| {
                    StoreError::Corrupt(format!(
                        "{table}.{}: {e}",
                        row.columns().get(i).map(|c| c.name()).unwrap_or("?")
                    ))
                })?);
            }
            batch.push(values);
        }
        if batch.len() >= per_statement || (row.is_none() && !batch.is_empty()) {
            let marks = vec![row_marks.as_str(); batch.len()].join(", ");
            let mut insert = sql(sqlx::AssertSqlSafe(format!(
                "INSERT INTO {table} ({list}) VALUES {marks}"
            )));
            total += batch.len() as i64;
            for values in batch.drain(..) {
                for v in values {
                    insert = insert.bind_arg(v);
                }
            }
            insert.execute(Exec::Tx(&mut *tx)).await?;
        }
        if row.is_none() {
            if total != in_source {
                return Err(StoreError::Corrupt(format!(
                    "table {table}: {in_source} rows in the source, {total} read"
                )));
            }
            return Ok(total);
        }
    }
}
