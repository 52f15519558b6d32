//! The command line: `serve`, `migrate`, `users add`, `import`, `reindex`.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use crate::api::{Rate, RateLimits};
use crate::domain::{Email, Password, Role};
use crate::rank::{
    evaluate, fit, split_by_client, ImpressionList, Metrics, RankerModel, N_FEATURES,
};
use crate::search::{SearchError, SearchIndex};
use crate::startup::{Application, Settings};
use crate::store::{
    Activation, ImportCounts, ImportKind, NewAccount, Store, DEFAULT_DATABASE_URL,
    TOKEN_PREFIX_CHARS,
};
use crate::web::session::SIGN_IN_LINK_HOURS;
use crate::web::SessionConfig;

/// kohtaamo: open-market job matching for IPS supported employment.
#[derive(Debug, Parser)]
#[command(name = "kohtaamo", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Settings every command shares.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Database: a SQLite file (`sqlite://kohtaamo.db`, created when missing).
    #[arg(long, global = true, env = "KOHTAAMO_DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub database_url: String,
    /// Directory of the search index (derived from the database; rebuilt when missing).
    #[arg(
        long,
        global = true,
        env = "KOHTAAMO_INDEX_DIR",
        default_value = "index"
    )]
    pub index_dir: PathBuf,
    /// A ranker model file to use instead of the database's active model: `serve` ranks with
    /// it whatever model is activated later (pinned), `train` and `eval` compare with it.
    #[arg(long, global = true, env = "KOHTAAMO_MODEL")]
    pub model: Option<PathBuf>,
    /// Finnish analyser: `auto` (Voikko when installed), `voikko` or `snowball`.
    #[arg(long, global = true, env = "KOHTAAMO_ANALYSER", default_value = "auto")]
    pub analyser: String,
    /// The address people reach the service at: the base of sign-in links; `https://` makes
    /// the session cookie `Secure` (named with the `__Host-` prefix).
    #[arg(long, global = true, env = "KOHTAAMO_PUBLIC_URL",
          default_value = crate::web::session::DEFAULT_PUBLIC_URL, value_parser = parse_public_url)]
    pub public_url: String,
}

/// A public URL: `http://` or `https://` and a host.
fn parse_public_url(raw: &str) -> Result<String, String> {
    let url = raw.trim().trim_end_matches('/');
    let host = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("{raw:?} must start with http:// or https://"))?;
    if host.is_empty() || host.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("{raw:?} names no host"));
    }
    Ok(url.to_string())
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the REST API.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "KOHTAAMO_BIND", default_value = "127.0.0.1:8080")]
        bind: String,
        /// Seed generated demo data into an empty database and print demo users' tokens.
        #[arg(long)]
        demo: bool,
        /// HTTP worker threads (default: one per core).
        #[arg(long, env = "KOHTAAMO_WORKERS")]
        workers: Option<usize>,
        #[command(flatten)]
        ops: OpsArgs,
        #[command(flatten)]
        sessions: SessionArgs,
        /// Days served match lists are kept for the ranker (its labels look 90 days ahead);
        /// older ones are deleted at start and daily.
        #[arg(long, env = "KOHTAAMO_IMPRESSION_RETENTION_DAYS",
              default_value_t = crate::startup::DEFAULT_IMPRESSION_RETENTION_DAYS,
              value_parser = clap::value_parser!(u32).range(1..=3650))]
        impression_retention_days: u32,
    },
    /// Create the database if needed and apply migrations; with `--from` and `--to`, copy a
    /// whole SQLite database into a new PostgreSQL one (ids, change log and audit trail kept,
    /// row counts checked).
    Migrate {
        /// The database to copy from: `sqlite://FILE`.
        #[arg(long, requires = "to")]
        from: Option<String>,
        /// The database to copy into: `postgres://…`, migrated here and empty.
        #[arg(long, requires = "from")]
        to: Option<String>,
    },
    /// Manage users.
    Users {
        #[command(subcommand)]
        command: UsersCommand,
    },
    /// Import data.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Rebuild the search index from the database (stop the server first).
    Reindex,
    /// The ranker models in the database: list them, or choose the active one (every running
    /// node ranks with it within its poll interval, unless started with `--model`).
    Models {
        #[command(subcommand)]
        command: ModelsCommand,
    },
    /// Fit a ranker on logged match lists and the outcomes that followed, store it in the
    /// database, and activate it only if it beats the active model on held-out clients.
    Train {
        /// Where a copy of each fitted model is written (`ranker-<version>.json`), to read.
        #[arg(long, default_value = crate::startup::MODELS_DIR)]
        models_dir: PathBuf,
        /// Percentage of clients held out for evaluation.
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(5..=50))]
        held_out: u64,
    },
    /// Report NDCG@10 and Recall@20 of the active (or `--model`) and the shipped default model
    /// on the held-out clients of the logged outcomes.
    Eval {
        /// Percentage of clients held out (the same split as `train`).
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(5..=50))]
        held_out: u64,
        /// Evaluate on a judged dev set instead (see `src/devset.rs`): NDCG@10 and Recall@20
        /// per profile for plain BM25 and the matcher.
        #[arg(long)]
        devset: Option<PathBuf>,
        /// With `--devset`: add both systems' unjudged top 20s to this pool file to judge.
        #[arg(long, requires = "devset")]
        pool: Option<PathBuf>,
    },
}

/// Rate limits and readiness of `serve`.
#[derive(Debug, Args)]
pub struct OpsArgs {
    /// Failed authentications allowed per client address and per account (a token's first 12
    /// characters), as `N/s`, `N/min` or `N/h`; past it, 429 with `Retry-After`.
    #[arg(long, env = "KOHTAAMO_RATE_LIMIT_AUTH", default_value = "10/min")]
    pub rate_limit_auth: Rate,
    /// Searches and match lists per user, sustained (`N/s`, `N/min` or `N/h`).
    #[arg(long, env = "KOHTAAMO_RATE_LIMIT_SEARCH", default_value = "10/s")]
    pub rate_limit_search: Rate,
    /// Searches and match lists per user at once, before the sustained rate applies.
    #[arg(long, env = "KOHTAAMO_RATE_LIMIT_SEARCH_BURST", default_value = "30")]
    pub rate_limit_search_burst: NonZeroU32,
    /// `/ready` says ready while the index is at most this many change-log changes behind the
    /// database.
    #[arg(long, env = "KOHTAAMO_READY_MAX_LAG", default_value_t = crate::startup::DEFAULT_READY_MAX_LAG)]
    pub ready_max_lag: u64,
    /// How often, in milliseconds, the index looks for writes by other processes (imports,
    /// other nodes), and the node for a newly activated model or new reference data; the
    /// service's own writes are followed at once.
    #[arg(long, env = "KOHTAAMO_INDEX_POLL_MS", default_value_t = 500,
        value_parser = clap::value_parser!(u64).range(10..=60_000))]
    pub index_poll_ms: u64,
    /// Answer a write only once searches show it. Off by default: a closed posting leaves
    /// every later answer at once either way, and a new or changed one is searchable after the
    /// index's next commit (well within a second) without the write waiting for it.
    #[arg(long, env = "KOHTAAMO_WRITES_WAIT_FOR_INDEX")]
    pub writes_wait_for_index: bool,
}

/// Browser sessions of `serve`.
#[derive(Debug, Args)]
pub struct SessionArgs {
    /// A browser session unused this many minutes has ended (checked on the server).
    #[arg(long, env = "KOHTAAMO_SESSION_IDLE_MINUTES",
          default_value_t = crate::web::session::DEFAULT_SESSION_IDLE_MINUTES,
          value_parser = clap::value_parser!(u64).range(1..=24 * 60))]
    pub session_idle_minutes: u64,
    /// A browser session this many hours old has ended, however much it is used.
    #[arg(long, env = "KOHTAAMO_SESSION_MAX_HOURS",
          default_value_t = crate::web::session::DEFAULT_SESSION_MAX_HOURS,
          value_parser = clap::value_parser!(u64).range(1..=30 * 24))]
    pub session_max_hours: u64,
}

#[derive(Debug, Subcommand)]
pub enum ModelsCommand {
    /// Every stored model, newest first: version, when trained, held-out NDCG@10, which is
    /// active.
    List,
    /// Make one model the active one: a stored version, a model file (stored first), or the
    /// shipped default.
    #[command(group(clap::ArgGroup::new("which").required(true).args(["version", "file", "default"])))]
    Activate {
        /// A stored model's version (as `models list` shows it).
        version: Option<String>,
        /// A model file (`ranker-<version>.json`): stored under its version and activated.
        #[arg(long)]
        file: Option<PathBuf>,
        /// The shipped default model.
        #[arg(long)]
        default: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Create a user; its API token is printed alone on the last line.
    Add {
        /// admin, coordinator, coach, employer or auditor (reads the access log only).
        #[arg(long)]
        role: Role,
        /// Name shown in logs and the dashboard.
        #[arg(long)]
        name: String,
        /// For employer users: the employer (id in the register) they post for.
        #[arg(long)]
        employer: Option<i64>,
        /// Address the person signs in with in the browser. Without `--password-stdin` a
        /// one-time sign-in link is printed too (the person sets a password through it).
        #[arg(long)]
        email: Option<String>,
        /// Read the password (at least 12 characters) from the first line of standard input.
        #[arg(long, requires = "email")]
        password_stdin: bool,
    },
    /// List every user: id, name, role, e-mail, employer, active tokens, disabled.
    List,
    /// Revoke every API token of a user and end its browser sessions (or, with `--token`, one
    /// token).
    Revoke {
        /// The user's id.
        #[arg(long)]
        user: i64,
        /// Only the token that begins with this prefix (as `users list`/the API show it).
        #[arg(long)]
        token: Option<String>,
    },
    /// Disable a user: every token is revoked and every session ended at once; nothing it
    /// holds works until it is enabled and given new ones.
    Disable {
        /// The user's id.
        #[arg(long)]
        user: i64,
    },
    /// Enable a disabled user again (issue a token or a sign-in link afterwards).
    Enable {
        /// The user's id.
        #[arg(long)]
        user: i64,
    },
    /// Print a one-time sign-in link (valid 24 h, works once), alone on the last line.
    Link {
        /// The user's id.
        #[arg(long)]
        user: i64,
    },
    /// Issue another API token for a user; printed alone on the last line.
    Token {
        /// The user's id.
        #[arg(long)]
        user: i64,
        /// Days until the token stops working (never, when not given).
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=3650))]
        expires_in_days: Option<u32>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Vacancies as JSON Lines of schema.org JobPosting (`-` reads stdin; `.gz` is unpacked).
    Vacancies {
        /// File to read.
        file: String,
    },
    /// Municipalities with coordinates (CSV: kunta_code, kunta_name, maakunta_code,
    /// maakunta_name…, lat, lon).
    Municipalities {
        /// CSV file.
        file: PathBuf,
    },
    /// The occupation taxonomy: ISCO-08 groups and ESCO occupations with fi/sv/en labels
    /// (CSV: uri, concept_type, code, label_fi, label_sv, label_en, broader_uris).
    Occupations {
        /// CSV file.
        file: PathBuf,
    },
}

/// Runs a parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let mut g = cli.global;
    match cli.command {
        Command::Serve {
            bind,
            demo,
            workers,
            ops,
            sessions,
            impression_retention_days,
        } => {
            // Without a public URL of its own, sign-in links lead to the address served.
            if g.public_url == crate::web::session::DEFAULT_PUBLIC_URL && !bind.ends_with(":0") {
                g.public_url = format!("http://{bind}");
            }
            let sessions = SessionConfig::new(
                &g.public_url,
                Duration::from_secs(sessions.session_idle_minutes * 60),
                Duration::from_secs(sessions.session_max_hours * 60 * 60),
            );
            serve(
                g,
                bind,
                demo,
                workers,
                ops,
                sessions,
                impression_retention_days,
            )
            .await
        }
        Command::Migrate {
            from: Some(from),
            to: Some(to),
        } => copy_database(&from, &to).await,
        Command::Migrate { .. } => {
            let store = Store::open(&g.database_url).await?;
            let kept = keep_funnel_rows(&store).await;
            store.close().await;
            kept?;
            println!("database {} is up to date", g.database_url);
            Ok(())
        }
        Command::Users { command } => users(&g, command).await,
        Command::Import {
            command: ImportCommand::Vacancies { file },
        } => import_vacancies(&g, &file).await,
        Command::Import {
            command: ImportCommand::Municipalities { file },
        } => {
            let store = Store::open(&g.database_url).await?;
            let report = recorded(&store, ImportKind::Municipalities, || {
                crate::import::import_municipalities(&store, &file)
            })
            .await;
            store.close().await;
            print_reference_report(report?);
            Ok(())
        }
        Command::Import {
            command: ImportCommand::Occupations { file },
        } => {
            let store = Store::open(&g.database_url).await?;
            let report = recorded(&store, ImportKind::Occupations, || {
                crate::import::import_occupations(&store, &file)
            })
            .await?;
            // Postings' occupations are read anew with the new taxonomy.
            let changed = crate::import::reclassify_postings(&store).await?;
            eprintln!("occupations read anew for {changed} postings");
            index_if_free(&g, &store).await?;
            store.close().await;
            print_reference_report(report);
            Ok(())
        }
        Command::Reindex => reindex(&g).await,
        Command::Models { command } => models(&g, command).await,
        Command::Train {
            models_dir,
            held_out,
        } => train(&g, &models_dir, held_out).await,
        Command::Eval {
            devset: Some(file),
            pool,
            ..
        } => eval_devset(&g, &file, pool.as_deref()).await,
        Command::Eval { held_out, .. } => eval(&g, held_out).await,
    }
}

/// Runs an import of `kind`, recording the run and, once it has finished, its counts in the
/// database (the server shows them in `/metrics`). A run that fails or is killed stays
/// recorded as unfinished.
async fn recorded<F, Fut>(
    store: &Store,
    kind: ImportKind,
    run: F,
) -> anyhow::Result<crate::import::ImportReport>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<crate::import::ImportReport>>,
{
    let id = store.start_import_run(kind).await?;
    let report = run().await?;
    store
        .finish_import_run(
            id,
            ImportCounts {
                lines_read: report.lines,
                inserted: report.imported,
                updated: report.updated,
                rejected: report.rejected,
            },
        )
        .await?;
    Ok(report)
}

fn print_reference_report(report: crate::import::ImportReport) {
    for (line, message) in &report.errors {
        eprintln!("line {line}: {message}");
    }
    eprintln!("running servers match with these from their next poll of the database");
    println!("imported {}, rejected {}", report.imported, report.rejected);
}

async fn serve(
    g: GlobalArgs,
    bind: String,
    demo: bool,
    workers: Option<usize>,
    ops: OpsArgs,
    sessions: SessionConfig,
    impression_retention_days: u32,
) -> anyhow::Result<()> {
    if demo {
        let store = Store::open(&g.database_url).await?;
        let report = crate::demo::seed(&store, &sessions).await?;
        store.close().await;
        println!("{report}");
    }
    let settings = Settings {
        bind,
        database_url: g.database_url,
        index_dir: g.index_dir,
        model: g.model,
        workers,
        analyser: Some(g.analyser),
        rate_limits: RateLimits {
            auth_failures: ops.rate_limit_auth,
            search: ops.rate_limit_search,
            search_burst: ops.rate_limit_search_burst,
        },
        ready_max_lag: ops.ready_max_lag,
        index_poll: std::time::Duration::from_millis(ops.index_poll_ms),
        change_notices: true,
        impression_retention_days,
        sessions,
        writes_wait_for_index: ops.writes_wait_for_index,
    };
    {
        let store = Store::open(&settings.database_url).await?;
        crate::startup::adopt_legacy_model(&store).await;
        store.close().await;
    }
    let app = Application::build(&settings).await?;
    let handle = app.handle();
    println!(
        "kohtaamo listening on http://{}:{} (the web app: http://{}:{}/)",
        host_of(&settings.bind),
        app.port(),
        host_of(&settings.bind),
        app.port()
    );
    println!(
        "API docs: http://{}:{}/docs/",
        host_of(&settings.bind),
        app.port()
    );
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            tracing::info!("stopping");
            handle.stop().await;
        }
    });
    app.run_until_stopped().await?;
    Ok(())
}

fn host_of(bind: &str) -> &str {
    bind.rsplit_once(':').map(|(h, _)| h).unwrap_or(bind)
}

async fn users(g: &GlobalArgs, command: UsersCommand) -> anyhow::Result<()> {
    let store = Store::open(&g.database_url).await?;
    let result = users_on(g, &store, command).await;
    store.close().await;
    result
}

async fn users_on(g: &GlobalArgs, store: &Store, command: UsersCommand) -> anyhow::Result<()> {
    match command {
        UsersCommand::Add {
            role,
            name,
            employer,
            email,
            password_stdin,
        } => {
            users_add(
                g,
                store,
                role,
                &name,
                employer,
                email.as_deref(),
                password_stdin,
            )
            .await
        }
        UsersCommand::List => users_list(store).await,
        UsersCommand::Revoke { user, token: None } => {
            let (tokens, sessions) = store.revoke_user(user).await?;
            println!("user {user}: revoked {tokens} tokens, ended {sessions} sessions");
            Ok(())
        }
        UsersCommand::Revoke {
            user,
            token: Some(prefix),
        } => {
            let prefix = prefix.trim();
            if prefix.chars().count() != TOKEN_PREFIX_CHARS {
                anyhow::bail!(
                    "--token takes the token's first {TOKEN_PREFIX_CHARS} characters, as `users \
                     list` and the admin API show them (kht_ and 8 hex digits)"
                );
            }
            store.account(user).await?;
            match store.revoke_token_by_prefix(user, prefix).await? {
                0 => anyhow::bail!("user {user} has no active token beginning {prefix}"),
                n => println!("user {user}: revoked {n} token(s) beginning {prefix}"),
            }
            Ok(())
        }
        UsersCommand::Disable { user } => {
            store.set_disabled(user, true).await?;
            println!("user {user} is disabled: its tokens are revoked and its sessions ended");
            Ok(())
        }
        UsersCommand::Enable { user } => {
            store.set_disabled(user, false).await?;
            println!(
                "user {user} is enabled; give it a token (users token) or a sign-in link \
                 (users link)"
            );
            Ok(())
        }
        UsersCommand::Link { user } => {
            let link = sign_in_link(g, store, user).await?;
            println!(
                "one-time sign-in link for user {user} (works once, for {SIGN_IN_LINK_HOURS} h):"
            );
            println!("{link}");
            Ok(())
        }
        UsersCommand::Token {
            user,
            expires_in_days,
        } => {
            let expires_at =
                expires_in_days.map(|d| chrono::Utc::now() + chrono::Duration::days(d.into()));
            let token = store.issue_token(user, expires_at).await?;
            match token.expires_at {
                Some(at) => println!("token {} for user {user}, valid until {at}", token.prefix),
                None => println!(
                    "token {} for user {user}, valid until revoked",
                    token.prefix
                ),
            }
            println!("{}", token.token);
            Ok(())
        }
    }
}

/// A one-time sign-in link for `user`, based on the public URL.
async fn sign_in_link(g: &GlobalArgs, store: &Store, user: i64) -> anyhow::Result<String> {
    let expires = chrono::Utc::now() + chrono::Duration::hours(SIGN_IN_LINK_HOURS);
    let secret = store.create_sign_in_link(user, expires).await?;
    let config = SessionConfig::new(&g.public_url, Duration::ZERO, Duration::ZERO);
    Ok(config.sign_in_link(&secret))
}

#[allow(clippy::too_many_arguments)]
async fn users_add(
    g: &GlobalArgs,
    store: &Store,
    role: Role,
    name: &str,
    employer: Option<i64>,
    email: Option<&str>,
    password_stdin: bool,
) -> anyhow::Result<()> {
    if role == Role::Employer && employer.is_none() {
        anyhow::bail!("an employer user needs --employer ID (the employer it posts for)");
    }
    if role != Role::Employer && employer.is_some() {
        anyhow::bail!("--employer is only for --role employer");
    }
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        anyhow::bail!("--name must be 1–100 characters");
    }
    let email = email
        .map(|e| Email::parse("--email", e))
        .transpose()
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let password_hash = if password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .context("cannot read the password from standard input")?;
        let line = line.strip_suffix('\n').unwrap_or(&line);
        let line = line.strip_suffix('\r').unwrap_or(line);
        let password = Password::parse("password", line).map_err(|e| anyhow::anyhow!("{e}"))?;
        Some(password.hash()?)
    } else {
        None
    };
    let has_password = password_hash.is_some();
    let (user, token) = store
        .create_account(&NewAccount {
            name,
            role,
            employer_id: employer,
            email: email.as_ref(),
            password_hash,
            with_token: true,
            token_expires_at: None,
        })
        .await?;
    let token = token.context("no token was issued")?;
    println!("created {} user {} (id {})", user.role, user.name, user.id);
    if let Some(email) = &email {
        if has_password {
            println!("signs in as {email} with the password given");
        } else {
            let link = sign_in_link(g, store, user.id).await?;
            println!("one-time sign-in link for {email} (works once, for {SIGN_IN_LINK_HOURS} h): {link}");
        }
    }
    println!("{}", token.token);
    Ok(())
}

async fn users_list(store: &Store) -> anyhow::Result<()> {
    let mut rows = vec![[
        "id".to_string(),
        "name".into(),
        "role".into(),
        "email".into(),
        "employer".into(),
        "active tokens".into(),
        "disabled".into(),
    ]];
    let mut offset = 0;
    loop {
        let page = store.accounts(100, offset).await?;
        let n = page.items.len() as i64;
        for a in page.items {
            rows.push([
                a.id.to_string(),
                a.name,
                a.role.to_string(),
                a.email.unwrap_or_else(|| "-".into()),
                a.employer_id
                    .map(|e| e.to_string())
                    .unwrap_or_else(|| "-".into()),
                a.active_tokens.to_string(),
                a.disabled_at
                    .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                    .unwrap_or_else(|| "-".into()),
            ]);
        }
        offset += n;
        if n == 0 || offset >= page.total {
            break;
        }
    }
    let widths: Vec<usize> = (0..7)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    for row in &rows {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        println!("{}", line.join("  ").trim_end());
    }
    Ok(())
}

fn progress_bar(len: Option<u64>, what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = match len {
        Some(n) => ProgressBar::new(n),
        None => ProgressBar::new_spinner(),
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} {wide_bar} {pos}/{len} ({per_sec}, {eta})")
            .expect("valid template"),
    );
    bar.set_message(what.to_string());
    bar
}

/// `migrate --from sqlite://FILE --to postgres://…`: the whole database, checked.
async fn copy_database(from: &str, to: &str) -> anyhow::Result<()> {
    let source = Store::open(from).await?;
    let target = Store::open(to).await?;
    let started = std::time::Instant::now();
    let copied = source
        .copy_into(&target, |table, rows| println!("{table}: {rows} rows"))
        .await;
    source.close().await;
    // Only a finished copy is worth reading every row of.
    let kept = if copied.is_ok() {
        keep_funnel_rows(&target).await
    } else {
        Ok(())
    };
    target.close().await;
    let copied = copied?;
    kept?;
    let rows: i64 = copied.iter().map(|c| c.rows).sum();
    println!(
        "copied {rows} rows in {} tables in {:.1} s; every table's count checked. Each node \
         on the new database builds its index from the copied change log when it starts.",
        copied.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Has the database keep the funnel rows a node starts from (see
/// [`Store::keep_funnel_rows`]), saying so when they had to be read.
async fn keep_funnel_rows(store: &Store) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    if let Some(bytes) = store.keep_funnel_rows().await? {
        println!(
            "funnel rows read and kept for the next start ({bytes} bytes, {:.1} s)",
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

async fn import_vacancies(g: &GlobalArgs, file: &str) -> anyhow::Result<()> {
    let store = Store::open(&g.database_url).await?;
    let (reader, size) =
        crate::import::open_input(file).with_context(|| format!("cannot read {file}"))?;
    // Without a server holding the index, the import indexes as it goes; with one, the
    // server's follower reads the changes from the log.
    let mut indexer = match open_index(g, &store) {
        Ok((_, indexer)) => Some(indexer),
        Err(SearchError::Locked(_)) => {
            eprintln!("a running server holds the index; it indexes the changed postings itself");
            None
        }
        Err(e) => return Err(e.into()),
    };
    let bar = progress_bar(size, "importing");
    let report = recorded(&store, ImportKind::Vacancies, || async {
        Ok(crate::import::import_vacancies_into(
            &store,
            reader,
            |bytes| bar.set_position(bytes),
            indexer.as_mut(),
        )
        .await?)
    })
    .await?;
    bar.finish_and_clear();
    if let Some(indexer) = indexer {
        indexer.close().await;
    }
    for (line, message) in &report.errors {
        eprintln!("line {line}: {message}");
    }
    store.close().await;
    println!(
        "imported {}, updated {}, rejected {}",
        report.imported, report.updated, report.rejected
    );
    Ok(())
}

/// Seed of the client split shared by `train` and `eval`.
const SPLIT_SEED: u64 = 2026;

async fn logged_lists(g: &GlobalArgs) -> anyhow::Result<Vec<ImpressionList>> {
    let store = Store::open(&g.database_url).await?;
    let rows = store.labelled_impressions().await;
    store.close().await;
    let mut lists: Vec<ImpressionList> = Vec::new();
    let mut last_list = String::new();
    for row in rows? {
        let Ok(features) = <[f64; N_FEATURES]>::try_from(row.features.as_slice()) else {
            continue; // logged under another feature schema
        };
        if row.list_id != last_list {
            last_list = row.list_id.clone();
            lists.push(ImpressionList {
                client_id: row.client_id,
                items: Vec::new(),
            });
        }
        lists
            .last_mut()
            .expect("pushed")
            .items
            .push((features, row.grade));
    }
    // Only lists the client answered teach anything.
    lists.retain(|l| l.items.iter().any(|(_, g)| *g > 0));
    Ok(lists)
}

fn print_metrics(name: &str, m: &Metrics) {
    println!(
        "{name:<28} NDCG@10 {:.3}   Recall@20 {:.3}   ({} lists)",
        m.ndcg_at_10, m.recall_at_20, m.lists
    );
}

async fn train(g: &GlobalArgs, models_dir: &std::path::Path, held_out: u64) -> anyhow::Result<()> {
    let lists = logged_lists(g).await?;
    let (train_lists, test_lists) = split_by_client(lists, held_out, SPLIT_SEED);
    let store = Store::open(&g.database_url).await?;
    // The model active now: the new one replaces it only if it is still active at the end.
    let was_active = store.active_model().await?.map(|m| m.version);
    let active = crate::startup::active_model(&store, g.model.as_deref()).await?;
    let trained_at = chrono::Utc::now();
    let version = trained_at.format("%Y%m%dT%H%M%SZ").to_string();
    let started = std::time::Instant::now();
    let report = fit(&train_lists, &test_lists, &active, version)?;
    println!(
        "trained on {} suggestions in {} lists in {:.2} s; held out {} lists",
        report.model.training_size,
        report.train_lists,
        started.elapsed().as_secs_f64(),
        test_lists.len()
    );
    print_metrics(
        &format!("new ({})", report.model.version),
        &report.candidate,
    );
    print_metrics(&format!("active ({})", active.version), &report.active);
    let beats = report.beats_active();
    let activation = if beats {
        Activation::IfActiveIs(was_active.as_deref())
    } else {
        Activation::No
    };
    let activated = store
        .save_model(
            &report.model.version,
            &report.model.to_json(),
            trained_at,
            activation,
        )
        .await;
    store.close().await;
    let activated = activated?;
    std::fs::create_dir_all(models_dir)?;
    let path = models_dir.join(format!("ranker-{}.json", report.model.version));
    report.model.save(&path)?;
    println!(
        "stored {} in the database; a copy in {}",
        report.model.version,
        path.display()
    );
    if activated {
        println!(
            "activated {}: running nodes rank with it from their next poll",
            report.model.version
        );
    } else if beats {
        println!(
            "not activated: another model was activated while this one trained \
             (`kohtaamo models list`; `kohtaamo models activate {}` to use this one)",
            report.model.version
        );
    } else {
        println!(
            "kept {}: the new model does not beat it on held-out clients",
            active.version
        );
    }
    Ok(())
}

async fn eval(g: &GlobalArgs, held_out: u64) -> anyhow::Result<()> {
    let lists = logged_lists(g).await?;
    let (_, test_lists) = split_by_client(lists, held_out, SPLIT_SEED);
    let store = Store::open(&g.database_url).await?;
    let active = crate::startup::active_model(&store, g.model.as_deref()).await;
    store.close().await;
    let active = active?;
    print_metrics(
        &format!("active ({})", active.version),
        &evaluate(&active, &test_lists),
    );
    let default = RankerModel::default_model();
    print_metrics("default", &evaluate(&default, &test_lists));
    Ok(())
}

async fn models(g: &GlobalArgs, command: ModelsCommand) -> anyhow::Result<()> {
    let store = Store::open(&g.database_url).await?;
    let result = models_on(&store, command).await;
    store.close().await;
    result
}

async fn models_on(store: &Store, command: ModelsCommand) -> anyhow::Result<()> {
    match command {
        ModelsCommand::List => {
            let models = store.models().await?;
            let any_active = models.iter().any(|m| m.active);
            println!(
                "{:<3}{:<20}{:<22}{:>9}  source",
                "", "version", "trained", "NDCG@10"
            );
            for m in &models {
                // A stored model this build cannot read is listed all the same, marked.
                let parsed = crate::startup::stored_model(m);
                let ndcg = match &parsed {
                    Ok(model) => model
                        .held_out
                        .as_ref()
                        .map_or("-".to_string(), |h| format!("{:.3}", h.ndcg_at_10)),
                    Err(_) => "unusable".to_string(),
                };
                let source = parsed.map(|p| p.source).unwrap_or_default();
                println!(
                    "{:<3}{:<20}{:<22}{:>9}  {}",
                    if m.active { "*" } else { "" },
                    m.version,
                    m.trained_at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
                    ndcg,
                    source
                );
            }
            println!(
                "{:<3}{:<20}{:<22}{:>9}  shipped with the service",
                if any_active { "" } else { "*" },
                "default",
                "-",
                "-"
            );
            Ok(())
        }
        ModelsCommand::Activate { default: true, .. } => {
            store.activate_model(None).await?;
            println!("activated the shipped default model");
            Ok(())
        }
        ModelsCommand::Activate {
            file: Some(file), ..
        } => {
            let model = RankerModel::load(&file)?;
            if model.version == RankerModel::default_model().version {
                anyhow::bail!(
                    "{} has the shipped default's version: use `models activate --default`",
                    file.display()
                );
            }
            if let Some(stored) = store.model(&model.version).await? {
                // The same model stored before (a copy of it): activate that one.
                let same = crate::startup::stored_model(&stored).is_ok_and(|s| s == model);
                if !same {
                    anyhow::bail!(
                        "another model of version {} is stored already: \
                         `kohtaamo models activate {}` activates the stored one",
                        model.version,
                        model.version
                    );
                }
                store.activate_model(Some(&model.version)).await?;
                println!("activated {} (stored before)", model.version);
                return Ok(());
            }
            let trained_at = std::fs::metadata(&file)
                .and_then(|m| m.modified())
                .map(chrono::DateTime::<chrono::Utc>::from)
                .unwrap_or_else(|_| chrono::Utc::now());
            store
                .save_model(
                    &model.version,
                    &model.to_json(),
                    trained_at,
                    Activation::Always,
                )
                .await?;
            println!("stored and activated {}", model.version);
            Ok(())
        }
        ModelsCommand::Activate {
            version: Some(version),
            ..
        } => {
            let Some(stored) = store.model(&version).await? else {
                anyhow::bail!(
                    "no model of version {version} is stored (`kohtaamo models list` lists them)"
                );
            };
            // Every node would refuse it: say so here instead.
            crate::startup::stored_model(&stored)?;
            if !store.activate_model(Some(&version)).await? {
                anyhow::bail!("no model of version {version} is stored");
            }
            println!("activated {version}");
            Ok(())
        }
        ModelsCommand::Activate { .. } => {
            anyhow::bail!("name the model to activate: a version, --file FILE or --default")
        }
    }
}

async fn reindex(g: &GlobalArgs) -> anyhow::Result<()> {
    let store = Store::open(&g.database_url).await?;
    let (search, mut indexer) = match open_index(g, &store) {
        Err(SearchError::Locked(dir)) => {
            anyhow::bail!("the index in {dir} is in use by a running server: stop it first")
        }
        other => other?,
    };
    let total = store.open_posting_count().await?;
    let bar = progress_bar(Some(total), "indexing");
    let n = indexer.rebuild(|done, _| bar.set_position(done)).await?;
    indexer.close().await;
    bar.finish_and_clear();
    println!(
        "reindexed {n} postings ({} documents searchable)",
        search.num_docs()
    );
    store.close().await;
    Ok(())
}

/// Opens the index with the analyser of the settings.
fn open_index(
    g: &GlobalArgs,
    store: &Store,
) -> Result<(SearchIndex, crate::search::Indexer), SearchError> {
    let analyser =
        crate::search::Analyser::choose(Some(&g.analyser)).map_err(SearchError::Analyser)?;
    SearchIndex::open_with(&g.index_dir, store.clone(), analyser)
}

async fn eval_devset(
    g: &GlobalArgs,
    file: &std::path::Path,
    pool_file: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    use crate::devset;
    let set: devset::DevSet = serde_json::from_str(&std::fs::read_to_string(file)?)
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let store = Store::open(&g.database_url).await?;
    let (search, mut indexer) = match open_index(g, &store) {
        Err(SearchError::Locked(dir)) => {
            anyhow::bail!("the index in {dir} is in use by a running server: stop it first")
        }
        other => other?,
    };
    indexer.sync().await?;
    let model = crate::startup::active_model(&store, g.model.as_deref()).await?;
    let matcher = crate::startup::build_matcher(&store, &search, model).await?;
    let external = devset::external_ids(&store).await?;
    let results = {
        let (set, search, external) = (set.clone(), search.clone(), external.clone());
        tokio::task::spawn_blocking(move || {
            devset::evaluate(&set, &search, &matcher, &external, chrono::Utc::now())
        })
        .await??
    };
    print!("{}", devset::table(&results));
    if let Some(path) = pool_file {
        let mut pool: Vec<devset::PoolEntry> = match std::fs::read_to_string(path) {
            Ok(text) => serde_json::from_str(&text)?,
            Err(_) => Vec::new(),
        };
        let by_external: HashMap<String, i64> =
            external.iter().map(|(id, e)| (e.clone(), *id)).collect();
        devset::extend_pool(&mut pool, &set, &results, &store, &by_external).await?;
        std::fs::write(path, serde_json::to_string_pretty(&pool)?)?;
        let n: usize = pool.iter().map(|p| p.ads.len()).sum();
        println!("pool: {n} unjudged ads in {}", path.display());
    }
    indexer.close().await;
    store.close().await;
    Ok(())
}

/// Indexes what the database holds now, unless a server holds the index (it follows the change
/// log itself).
async fn index_if_free(g: &GlobalArgs, store: &Store) -> anyhow::Result<()> {
    match open_index(g, store) {
        Ok((_, mut indexer)) => {
            let bar = progress_bar(None, "indexing");
            indexer.sync().await?;
            indexer.close().await;
            bar.finish_and_clear();
        }
        Err(SearchError::Locked(_)) => {
            eprintln!("a running server holds the index; it indexes the changed postings itself");
        }
        Err(e) => return Err(e.into()),
    }
    Ok(())
}
