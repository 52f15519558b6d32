//! The seam between the store and its two databases: one statement, written once, run on
//! SQLite or PostgreSQL.
//!
//! Statements are written in SQL both databases accept and with SQLite's positional
//! placeholders (`?`, `?NNN`); on PostgreSQL [`numbered`] rewrites them to `$N` by SQLite's
//! own rule. Values are bound as [`Arg`]s and encoded by whichever driver runs the statement,
//! and rows are decoded by any type that both drivers can build from a row (tuples and
//! `#[derive(sqlx::FromRow)]` structs). What the dialects do differently is in [`Backend`].

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::format_timestamp;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{FromRow, PgPool, Postgres, SqlSafeStr, SqlStr, Sqlite, SqlitePool, Transaction};

/// Which database a store is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// The embedded file (one writer at a time).
    Sqlite,
    /// A shared server (many writers, many nodes).
    Postgres,
}

impl Backend {
    /// Seconds since the Unix epoch of a time column (a timestamp, or text in ISO 8601 form),
    /// as a 64-bit integer.
    pub(crate) fn epoch(self, column: &str) -> String {
        match self {
            Backend::Sqlite => format!("unixepoch({column})"),
            Backend::Postgres => {
                format!("CAST(EXTRACT(EPOCH FROM CAST({column} AS TIMESTAMPTZ)) AS BIGINT)")
            }
        }
    }

    /// A condition on the funnel rows (`entity`: `client_event` or `employer_contact`) whose
    /// `column` is their id: those added after state `lo` up to state `hi` (placeholders or
    /// literals). On SQLite a state is the largest id, ids being in commit order; on
    /// PostgreSQL it is a change-log number, and a row belongs to the state its log entry was
    /// numbered in. With `every`, the caller binds `lo` 0 and `hi` `i64::MAX` and wants every
    /// row there is, numbered or not (the condition still names both placeholders).
    pub(crate) fn funnel_rows_between(
        self,
        column: &str,
        entity: &str,
        (lo, hi): (&str, &str),
        every: bool,
    ) -> String {
        match (self, every) {
            (Backend::Sqlite, _) => format!("{column} > {lo} AND {column} <= {hi}"),
            // No `OR` around the subquery: PostgreSQL plans an `IN` only as a semi-join when
            // it stands alone (inside an `OR` it scans the subquery's rows once per row).
            (Backend::Postgres, true) => {
                format!("CAST({lo} AS BIGINT) IS NOT NULL AND CAST({hi} AS BIGINT) IS NOT NULL")
            }
            (Backend::Postgres, false) => format!(
                "{column} IN (SELECT entity_id FROM change_log \
                 WHERE entity = '{entity}' AND seq > {lo} AND seq <= {hi})"
            ),
        }
    }

    /// What a `SELECT` of one row ends with to lock it until the transaction ends: `share` lets
    /// other sharers in, else the lock is exclusive. Nothing on SQLite, where a write
    /// transaction already excludes every other writer.
    pub(crate) fn row_lock(self, share: bool) -> &'static str {
        match (self, share) {
            (Backend::Sqlite, _) => "",
            (Backend::Postgres, true) => " FOR SHARE",
            (Backend::Postgres, false) => " FOR UPDATE",
        }
    }

    /// A JSON array (as text) of the values of `expr` over a group.
    pub(crate) fn json_array_agg(self, expr: &str) -> String {
        match self {
            Backend::Sqlite => format!("json_group_array({expr})"),
            Backend::Postgres => format!("CAST(json_agg({expr}) AS TEXT)"),
        }
    }
}

/// A pool of connections to either database.
#[derive(Clone, Debug)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Pool {
    pub(crate) async fn close(&self) {
        match self {
            Pool::Sqlite(p) => p.close().await,
            Pool::Postgres(p) => p.close().await,
        }
    }
}

/// An open transaction on either database. Dropped without [`Tx::commit`], it rolls back.
pub(crate) enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl Tx {
    /// Commits.
    pub(crate) async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(t) => t.commit().await,
            Tx::Postgres(t) => t.commit().await,
        }
    }

    /// Waits until no other transaction holds `key`, and holds it until this one ends. On
    /// SQLite a write transaction already excludes every other writer: nothing to do. On
    /// PostgreSQL a transaction-scoped advisory lock on the key's hash keeps two nodes from
    /// interleaving a read-then-write on the same thing (two employers of one name, two
    /// events that each pass the stage rules only without the other).
    pub(crate) async fn lock_key(&mut self, key: &str) -> Result<(), sqlx::Error> {
        if let Tx::Postgres(t) = self {
            sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
                .bind(key)
                .execute(&mut **t)
                .await?;
        }
        Ok(())
    }

    /// The database this transaction is on.
    pub(crate) fn backend(&self) -> Backend {
        match self {
            Tx::Sqlite(_) => Backend::Sqlite,
            Tx::Postgres(_) => Backend::Postgres,
        }
    }
}

/// Where a statement runs: a pool (a connection of its own) or an open transaction.
pub(crate) enum Exec<'a> {
    Pool(&'a Pool),
    Tx(&'a mut Tx),
}

impl<'a> From<&'a Pool> for Exec<'a> {
    fn from(p: &'a Pool) -> Self {
        Exec::Pool(p)
    }
}

impl<'a> From<&'a mut Tx> for Exec<'a> {
    fn from(t: &'a mut Tx) -> Self {
        Exec::Tx(t)
    }
}

/// One bound value, encoded by the driver that runs the statement.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Int(Option<i64>),
    Float(Option<f64>),
    Text(Option<String>),
    Bool(Option<bool>),
    Time(Option<DateTime<Utc>>),
    Date(Option<NaiveDate>),
    Bytes(Option<Vec<u8>>),
    /// A [`Stamp`]: text on SQLite, `timestamptz` on PostgreSQL.
    Stamp(Option<DateTime<Utc>>),
    /// An [`Epoch`]: a count on SQLite (milliseconds when the flag is set, else seconds),
    /// `timestamptz` on PostgreSQL.
    Epoch(Option<DateTime<Utc>>, bool),
}

/// A moment kept to the second: `timestamptz` on PostgreSQL, and on SQLite text in one form,
/// `%Y-%m-%dT%H:%M:%SZ` ([`format_timestamp`]), whose text order is time order. The times of
/// client events, employer contacts, feedback forms and the access log (SQL compares and sorts
/// them, so both backends must keep them in an order-preserving form).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Stamp(pub DateTime<Utc>);

impl Stamp {
    /// `t` to the whole second (as SQLite's text keeps it).
    pub(crate) fn of(t: DateTime<Utc>) -> Self {
        Stamp(chrono::SubsecRound::trunc_subsecs(t, 0))
    }
}

impl std::fmt::Display for Stamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&format_timestamp(self.0))
    }
}

impl sqlx::Type<Sqlite> for Stamp {
    fn type_info() -> sqlx::sqlite::SqliteTypeInfo {
        <String as sqlx::Type<Sqlite>>::type_info()
    }

    fn compatible(ty: &sqlx::sqlite::SqliteTypeInfo) -> bool {
        <String as sqlx::Type<Sqlite>>::compatible(ty)
    }
}

impl<'r> sqlx::Decode<'r, Sqlite> for Stamp {
    fn decode(value: sqlx::sqlite::SqliteValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        let raw = <&str as sqlx::Decode<Sqlite>>::decode(value)?;
        let t = DateTime::parse_from_rfc3339(raw).map_err(|e| format!("a time '{raw}': {e}"))?;
        Ok(Stamp(t.with_timezone(&Utc)))
    }
}

impl sqlx::Type<Postgres> for Stamp {
    fn type_info() -> sqlx::postgres::PgTypeInfo {
        <DateTime<Utc> as sqlx::Type<Postgres>>::type_info()
    }

    fn compatible(ty: &sqlx::postgres::PgTypeInfo) -> bool {
        <DateTime<Utc> as sqlx::Type<Postgres>>::compatible(ty)
    }
}

impl<'r> sqlx::Decode<'r, Postgres> for Stamp {
    fn decode(value: sqlx::postgres::PgValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        Ok(Stamp(<DateTime<Utc> as sqlx::Decode<Postgres>>::decode(
            value,
        )?))
    }
}

/// A moment kept on SQLite as a count since 1970-01-01 UTC in an INTEGER (whole seconds, or
/// whole milliseconds with `MILLIS`), and as `timestamptz` on PostgreSQL: the times of tokens,
/// sessions, sign-in links, disabled users, import runs, funnel snapshots ([`Secs`]) and of
/// served match lists ([`Millis`]). Both forms compare and sort in time order in SQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Epoch<const MILLIS: bool>(pub DateTime<Utc>);

/// A moment to the whole second (an INTEGER of seconds on SQLite).
pub(crate) type Secs = Epoch<false>;

/// A moment to the whole millisecond (an INTEGER of milliseconds on SQLite).
pub(crate) type Millis = Epoch<true>;

impl<const MILLIS: bool> Epoch<MILLIS> {
    /// `t` cut to what the SQLite count keeps, so that both backends give back the same.
    pub(crate) fn of(t: DateTime<Utc>) -> Self {
        Epoch(chrono::SubsecRound::trunc_subsecs(
            t,
            if MILLIS { 3 } else { 0 },
        ))
    }

    /// The SQLite count.
    fn count(t: DateTime<Utc>) -> i64 {
        if MILLIS {
            t.timestamp_millis()
        } else {
            t.timestamp()
        }
    }

    /// The moment of an SQLite count, `None` out of chrono's range.
    pub(crate) fn from_count(n: i64) -> Option<Self> {
        if MILLIS {
            DateTime::from_timestamp_millis(n)
        } else {
            DateTime::from_timestamp(n, 0)
        }
        .map(Epoch)
    }
}

impl<const MILLIS: bool> sqlx::Type<Sqlite> for Epoch<MILLIS> {
    fn type_info() -> sqlx::sqlite::SqliteTypeInfo {
        <i64 as sqlx::Type<Sqlite>>::type_info()
    }

    fn compatible(ty: &sqlx::sqlite::SqliteTypeInfo) -> bool {
        <i64 as sqlx::Type<Sqlite>>::compatible(ty)
    }
}

impl<'r, const MILLIS: bool> sqlx::Decode<'r, Sqlite> for Epoch<MILLIS> {
    fn decode(value: sqlx::sqlite::SqliteValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        let n = <i64 as sqlx::Decode<Sqlite>>::decode(value)?;
        Ok(Self::from_count(n).ok_or_else(|| format!("time {n} out of range"))?)
    }
}

impl<const MILLIS: bool> sqlx::Type<Postgres> for Epoch<MILLIS> {
    fn type_info() -> sqlx::postgres::PgTypeInfo {
        <DateTime<Utc> as sqlx::Type<Postgres>>::type_info()
    }

    fn compatible(ty: &sqlx::postgres::PgTypeInfo) -> bool {
        <DateTime<Utc> as sqlx::Type<Postgres>>::compatible(ty)
    }
}

impl<'r, const MILLIS: bool> sqlx::Decode<'r, Postgres> for Epoch<MILLIS> {
    fn decode(value: sqlx::postgres::PgValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        Ok(Epoch(<DateTime<Utc> as sqlx::Decode<Postgres>>::decode(
            value,
        )?))
    }
}

impl<const MILLIS: bool> IntoArg for Epoch<MILLIS> {
    fn into_arg(self) -> Arg {
        Arg::Epoch(Some(Self::of(self.0).0), MILLIS)
    }
}

impl<const MILLIS: bool> IntoArg for Option<Epoch<MILLIS>> {
    fn into_arg(self) -> Arg {
        Arg::Epoch(self.map(|t| Epoch::<MILLIS>::of(t.0).0), MILLIS)
    }
}

/// A value that can be bound to a statement.
pub(crate) trait IntoArg {
    fn into_arg(self) -> Arg;
}

/// The NULL of a kind of value: PostgreSQL types every parameter, NULLs included.
pub(crate) trait Nullable {
    const NULL: Arg;
}

macro_rules! into_arg {
    ($variant:ident: $($t:ty => $conv:expr),* $(,)?) => {
        $(
            impl IntoArg for $t {
                fn into_arg(self) -> Arg {
                    #[allow(clippy::redundant_closure_call)]
                    Arg::$variant(Some(($conv)(self)))
                }
            }
            impl IntoArg for Option<$t> {
                fn into_arg(self) -> Arg {
                    #[allow(clippy::redundant_closure_call)]
                    Arg::$variant(self.map($conv))
                }
            }
            impl Nullable for $t {
                const NULL: Arg = Arg::$variant(None);
            }
        )*
    };
}

into_arg!(Int: i64 => |v| v, i32 => i64::from, u32 => i64::from, &i64 => |v: &i64| *v);
into_arg!(Float: f64 => |v| v, &f64 => |v: &f64| *v);
into_arg!(Bool: bool => |v| v, &bool => |v: &bool| *v);
into_arg!(Text: String => |v| v, &str => str::to_string, &String => |v: &String| v.clone());
into_arg!(Time: DateTime<Utc> => |v| v, &DateTime<Utc> => |v: &DateTime<Utc>| *v);
into_arg!(Date: NaiveDate => |v| v, &NaiveDate => |v: &NaiveDate| *v);
into_arg!(Bytes: Vec<u8> => |v| v, &[u8] => <[u8]>::to_vec);
into_arg!(Stamp: Stamp => |v: Stamp| Stamp::of(v.0).0, &Stamp => |v: &Stamp| Stamp::of(v.0).0);

impl<'a, T> IntoArg for &'a Option<T>
where
    &'a T: IntoArg + Nullable,
{
    fn into_arg(self) -> Arg {
        match self {
            Some(v) => v.into_arg(),
            None => <&'a T as Nullable>::NULL,
        }
    }
}

/// A row type both drivers can decode.
pub(crate) trait AnyRow:
    for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

impl<T> AnyRow for T where
    T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

/// What a statement that returns no rows did.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Done {
    rows_affected: u64,
}

impl Done {
    /// Rows inserted, updated or deleted.
    pub(crate) fn rows_affected(&self) -> u64 {
        self.rows_affected
    }
}

/// A statement with its bound values.
pub(crate) struct Sql {
    sql: SqlStr,
    args: Vec<Arg>,
}

/// Starts a statement.
pub(crate) fn sql(sql: impl SqlSafeStr) -> Sql {
    Sql {
        sql: sql.into_sql_str(),
        args: Vec::new(),
    }
}

macro_rules! bound {
    (@stamp sqlite, $q:expr, $v:expr) => {
        $q.bind($v.map(format_timestamp))
    };
    (@stamp postgres, $q:expr, $v:expr) => {
        $q.bind($v)
    };
    (@epoch sqlite, $q:expr, $v:expr, $millis:expr) => {
        $q.bind($v.map(|t| {
            if $millis {
                Millis::count(t)
            } else {
                Secs::count(t)
            }
        }))
    };
    // A timestamptz keeps either unit ([`Epoch::of`] cut the moment to it already).
    (@epoch postgres, $q:expr, $v:expr, $millis:expr) => {{
        let _ = $millis;
        $q.bind($v)
    }};
    ($q:expr, $args:expr, $dialect:ident) => {{
        let mut q = $q;
        for a in $args {
            q = match a {
                Arg::Int(v) => q.bind(v),
                Arg::Float(v) => q.bind(v),
                Arg::Text(v) => q.bind(v),
                Arg::Bool(v) => q.bind(v),
                Arg::Time(v) => q.bind(v),
                Arg::Date(v) => q.bind(v),
                Arg::Bytes(v) => q.bind(v),
                Arg::Stamp(v) => bound!(@stamp $dialect, q, v),
                Arg::Epoch(v, millis) => bound!(@epoch $dialect, q, v, millis),
            };
        }
        q
    }};
}

/// Runs `$method` of the statement built by `$make::<DB>` on whichever database `$ex` is.
macro_rules! run {
    ($self:ident, $ex:ident, |$db:ident| $make:expr, $method:ident) => {
        run!($self, $ex, |$db| $make, $method, |r| r)
    };
    ($self:ident, $ex:ident, |$db:ident| $make:expr, $method:ident, |$r:ident| $post:expr) => {{
        let Sql { sql, args } = $self;
        match $ex.into() {
            Exec::Pool(Pool::Sqlite(p)) => {
                type $db = Sqlite;
                bound!($make(sql), args, sqlite)
                    .$method(p)
                    .await
                    .map(|$r| $post)
            }
            Exec::Pool(Pool::Postgres(p)) => {
                type $db = Postgres;
                bound!($make(numbered(sql)), args, postgres)
                    .$method(p)
                    .await
                    .map(|$r| $post)
            }
            Exec::Tx(Tx::Sqlite(t)) => {
                type $db = Sqlite;
                bound!($make(sql), args, sqlite)
                    .$method(&mut **t)
                    .await
                    .map(|$r| $post)
            }
            Exec::Tx(Tx::Postgres(t)) => {
                type $db = Postgres;
                bound!($make(numbered(sql)), args, postgres)
                    .$method(&mut **t)
                    .await
                    .map(|$r| $post)
            }
        }
    }};
}

impl Sql {
    /// Binds the next value.
    pub(crate) fn bind(mut self, value: impl IntoArg) -> Self {
        self.args.push(value.into_arg());
        self
    }

    /// Binds the next value as it is.
    pub(crate) fn bind_arg(mut self, value: Arg) -> Self {
        self.args.push(value);
        self
    }

    /// Runs a statement that returns no rows.
    pub(crate) async fn execute<'e>(self, ex: impl Into<Exec<'e>>) -> Result<Done, sqlx::Error> {
        run!(self, ex, |DB| sqlx::query::<DB>, execute, |r| Done {
            rows_affected: r.rows_affected()
        })
    }

    /// Every row.
    pub(crate) async fn fetch_all<'e, T: AnyRow>(
        self,
        ex: impl Into<Exec<'e>>,
    ) -> Result<Vec<T>, sqlx::Error> {
        run!(self, ex, |DB| sqlx::query_as::<DB, T>, fetch_all)
    }

    /// Exactly one row.
    pub(crate) async fn fetch_one<'e, T: AnyRow>(
        self,
        ex: impl Into<Exec<'e>>,
    ) -> Result<T, sqlx::Error> {
        run!(self, ex, |DB| sqlx::query_as::<DB, T>, fetch_one)
    }

    /// One row or none.
    pub(crate) async fn fetch_optional<'e, T: AnyRow>(
        self,
        ex: impl Into<Exec<'e>>,
    ) -> Result<Option<T>, sqlx::Error> {
        run!(self, ex, |DB| sqlx::query_as::<DB, T>, fetch_optional)
    }

    /// The first column of one row or none.
    pub(crate) async fn fetch_scalar<'e, T>(
        self,
        ex: impl Into<Exec<'e>>,
    ) -> Result<Option<T>, sqlx::Error>
    where
        (T,): AnyRow,
    {
        Ok(self.fetch_optional::<(T,)>(ex).await?.map(|(v,)| v))
    }
}

/// [`numbered`] for a plain string: what the tests' direct SQL runs on PostgreSQL.
pub fn numbered_placeholders(sql: &str) -> String {
    numbered(sqlx::AssertSqlSafe(sql.to_string()).into_sql_str())
        .as_str()
        .to_string()
}

/// SQLite's positional placeholders as PostgreSQL's numbered ones: `?NNN` is `$NNN`, and a
/// bare `?` is one more than the largest number so far (SQLite's rule). Quoted strings and
/// identifiers are left alone.
pub(crate) fn numbered(sql: SqlStr) -> SqlStr {
    if !sql.as_str().contains('?') {
        return sql;
    }
    let src = sql.as_str();
    let mut out = String::with_capacity(src.len() + 16);
    let mut largest = 0u32;
    let mut quote: Option<char> = None;
    let mut chars = src.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                out.push(c);
                if c == q {
                    quote = None;
                }
            }
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                out.push(c);
            }
            None if c == '?' => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                let n = if digits.is_empty() {
                    largest + 1
                } else {
                    digits.parse().unwrap_or(largest + 1)
                };
                largest = largest.max(n);
                out.push('$');
                out.push_str(&n.to_string());
            }
            None => out.push(c),
        }
    }
    sqlx::AssertSqlSafe(out).into_sql_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pg(s: &'static str) -> String {
        numbered(s.into_sql_str()).as_str().to_string()
    }

    #[test]
    fn placeholders_are_numbered_by_sqlites_rule() {
        assert_eq!(pg("SELECT 1"), "SELECT 1");
        assert_eq!(
            pg("SELECT a FROM t WHERE a = ? AND b = ?"),
            "SELECT a FROM t WHERE a = $1 AND b = $2"
        );
        assert_eq!(
            pg("WHERE a > ?1 AND a <= ?2 OR b = ?1"),
            "WHERE a > $1 AND a <= $2 OR b = $1"
        );
        // A bare `?` after `?3` is the fourth (SQLite: one more than the largest so far).
        assert_eq!(pg("(?3, ?, ?1)"), "($3, $4, $1)");
        assert_eq!(
            pg("x = '?' AND y = ? AND \"q?\" = ?"),
            "x = '?' AND y = $1 AND \"q?\" = $2"
        );
    }

    #[test]
    fn a_null_keeps_its_kind() {
        assert!(matches!((&None::<f64>).into_arg(), Arg::Float(None)));
        assert!(matches!((&None::<String>).into_arg(), Arg::Text(None)));
        assert!(matches!(
            (&None::<DateTime<Utc>>).into_arg(),
            Arg::Time(None)
        ));
        assert!(matches!((&None::<i64>).into_arg(), Arg::Int(None)));
        assert!(matches!((&None::<bool>).into_arg(), Arg::Bool(None)));
        assert!(matches!((&Some(2.5)).into_arg(), Arg::Float(Some(_))));
    }
}
