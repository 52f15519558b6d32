//! Building and running the service: the database, the index and its follower, the HTTP
//! server. Tests build the same `Application` on port 0.

use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;

use std::time::Duration;

use actix_http::error::DispatchError;
use actix_http::{HttpService, KeepAlive};
use actix_service::{fn_service, map_config, ServiceFactoryExt};
use actix_web::dev::{AppConfig, Server, ServerHandle};
use actix_web::middleware::from_fn;
use actix_web::{web, App};
use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

use crate::api::{self, ApiDoc, AppState, HeadGuard, Limiter, Metrics, RateLimits};
use crate::matching::{Geo, Matcher, Taxonomy};
use crate::rank::RankerModel;
use crate::search::{spawn_follower, Analyser, SearchIndex};
use crate::store::{Activation, ReferenceVersions, Store};

/// Everything the service needs to start.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Address to listen on (`127.0.0.1:8080`; port 0 picks a free port).
    pub bind: String,
    /// `sqlite://PATH` (a plain path works too).
    pub database_url: String,
    /// Index directory.
    pub index_dir: PathBuf,
    /// A ranker model file to rank with on this node, whatever the database's active model
    /// (pinned); `None`: the active model of the database, followed while running.
    pub model: Option<PathBuf>,
    /// HTTP worker threads; `None`: one per core.
    pub workers: Option<usize>,
    /// Finnish analyser (`auto`, `voikko`, `snowball`); `None`: `KOHTAAMO_ANALYSER` or auto.
    pub analyser: Option<String>,
    /// Rate limits of failed authentications and of searches and match lists.
    pub rate_limits: RateLimits,
    /// Largest index lag, in change-log changes, at which `/ready` still says ready (1000).
    pub ready_max_lag: u64,
    /// How often the index looks for writes by other processes (imports, other nodes), and the
    /// node for a newly activated model or new reference data; writes through this service's
    /// API are followed at once. 500 ms.
    pub index_poll: Duration,
    /// Whether the index follower also wakes on the database's change notices (PostgreSQL's
    /// LISTEN/NOTIFY: another node's or process's write is followed at once). Always on in
    /// service; off only to hold an index behind on purpose (a test of readiness).
    pub change_notices: bool,
    /// Days a served match list is kept for the ranker before it is deleted
    /// ([`DEFAULT_IMPRESSION_RETENTION_DAYS`] on the command line).
    pub impression_retention_days: u32,
    /// Browser sessions: the public URL (`https://` makes cookies `Secure`; the base of
    /// sign-in links), the idle and the absolute limit of a session.
    pub sessions: crate::web::SessionConfig,
    /// Whether an API or web write answers only once searches show it (off: a closed posting
    /// leaves answers at once all the same, and a new one is searchable after the index's
    /// next commit, well within a second).
    pub writes_wait_for_index: bool,
}

/// Default of [`Settings::ready_max_lag`].
pub const DEFAULT_READY_MAX_LAG: u64 = 1000;

/// How long served match lists are kept by default: past the ranker's 90-day label horizon,
/// with time to train on them.
pub const DEFAULT_IMPRESSION_RETENTION_DAYS: u32 = 180;

/// A built, not yet running service.
pub struct Application {
    port: u16,
    server: Server,
    store: Store,
    follower: JoinHandle<()>,
    shutdown: watch::Sender<bool>,
}

/// Stops a running [`Application`].
#[derive(Clone)]
pub struct AppHandle {
    server: ServerHandle,
}

impl AppHandle {
    /// Stops accepting requests, finishes the ones in flight, and lets `run_until_stopped`
    /// release the index and the database.
    pub async fn stop(&self) {
        self.server.stop(true).await;
    }
}

impl Application {
    /// Opens the database (creating and migrating it), opens the index (catching up with the
    /// database in the background), and binds the HTTP listener.
    pub async fn build(settings: &Settings) -> anyhow::Result<Self> {
        let store = Store::open(&settings.database_url).await?;
        let analyser =
            Analyser::choose(settings.analyser.as_deref()).map_err(anyhow::Error::msg)?;
        let (search, indexer) =
            SearchIndex::open_with(&settings.index_dir, store.clone(), analyser)?;
        tracing::info!(analyser = analyser.name(), "Finnish text analyser");
        // Versions first: a change made while the rest loads is loaded again at once.
        let versions = store.reference_versions().await?;
        let model = active_model(&store, settings.model.as_deref()).await?;
        tracing::info!(model = %model.version, "ranker loaded");
        let matcher = Arc::new(build_matcher(&store, &search, model).await?);
        tracing::info!(
            occupations = matcher.occupations().len(),
            "occupation taxonomy loaded"
        );
        let notify = Arc::new(Notify::new());
        let (shutdown, shutdown_rx) = watch::channel(false);
        spawn_reference_follower(
            ReferenceFollower {
                store: store.clone(),
                matcher: matcher.clone(),
                model_pinned: settings.model.is_some(),
                seen: versions,
            },
            settings.index_poll,
            shutdown_rx.clone(),
        );
        spawn_expiry(store.clone(), notify.clone(), shutdown_rx.clone());
        let retention = chrono::Duration::days(settings.impression_retention_days.into());
        spawn_impression_pruning(store.clone(), retention, shutdown_rx.clone());
        if settings.change_notices {
            let (store, wake, shutdown) = (store.clone(), notify.clone(), shutdown_rx.clone());
            tokio::spawn(async move {
                if let Err(e) = store.forward_change_notices(wake, shutdown).await {
                    tracing::warn!(error = %e, "cannot listen for change notices; polling");
                }
            });
        }
        let follower = spawn_follower(
            indexer,
            notify.clone(),
            settings.index_poll,
            shutdown_rx.clone(),
        );
        let metrics = Arc::new(Metrics::new());
        let limiter = Arc::new(Limiter::new(&settings.rate_limits, metrics.clone()));
        spawn_limiter_pruning(limiter.clone(), shutdown_rx);
        // The all-coaches figures take seconds to load from a large history; load them in
        // the background so the first dashboard visit does not wait, and say ready only
        // once they are (a load that fails is tried again by the first report).
        let funnel_loaded = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (warm, loaded) = (store.clone(), funnel_loaded.clone());
        tokio::spawn(async move {
            /// Says loaded however the load ends, a panic included.
            struct Loaded(Arc<std::sync::atomic::AtomicBool>);
            impl Drop for Loaded {
                fn drop(&mut self) {
                    self.0.store(true, std::sync::atomic::Ordering::Release);
                }
            }
            let _loaded = Loaded(loaded);
            let started = std::time::Instant::now();
            match warm
                .funnel_data(None, chrono::Utc::now().date_naive())
                .await
            {
                Ok(data) => tracing::info!(
                    events = data.events.len(),
                    ms = started.elapsed().as_millis() as u64,
                    "funnel figures loaded"
                ),
                Err(e) => tracing::warn!(error = %e, "could not load the funnel figures"),
            }
        });
        let state = web::Data::new(AppState {
            store: store.clone(),
            search,
            index_notify: notify,
            matcher,
            hires: Default::default(),
            metrics,
            limiter,
            ready_max_lag: settings.ready_max_lag,
            sessions: settings.sessions.clone(),
            writes_wait_for_index: settings.writes_wait_for_index,
            funnel_loaded,
        });
        let listener = TcpListener::bind(&settings.bind)
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", settings.bind))?;
        let port = listener.local_addr()?.port();
        let server = serve(listener, settings.workers, state)?;
        Ok(Self {
            port,
            server,
            store,
            follower,
            shutdown,
        })
    }

    /// The port the service listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A handle that stops the service.
    pub fn handle(&self) -> AppHandle {
        AppHandle {
            server: self.server.handle(),
        }
    }

    /// Serves until stopped, then stops the index follower (releasing the index writer) and
    /// closes the database.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        let _ = self.shutdown.send(true);
        let _ = self.follower.await;
        self.store.close().await;
        result
    }
}

/// The HTTP server on `listener`: HTTP/1.1 through [`HeadGuard`] (so an oversized request head
/// gets the JSON error body too) to the app, as `actix_web::HttpServer` would build it
/// otherwise (same keep-alive and timeouts, graceful stop).
fn serve(
    listener: TcpListener,
    workers: Option<usize>,
    state: web::Data<AppState>,
) -> std::io::Result<Server> {
    let addr = listener.local_addr()?;
    let mut builder = Server::build();
    let stopping = builder.graceful_shutdown_signal();
    builder = builder.listen("kohtaamo-http", listener, move || {
        let state = state.clone();
        // The last `wrap` runs first: a panic is answered inside the request's span, with its
        // id, and logged like any request.
        let app = App::new()
            .wrap(from_fn(crate::web::security::html_headers))
            .wrap(from_fn(api::json_error_bodies))
            .wrap(from_fn(api::catch_panic))
            .wrap(from_fn(api::request_id))
            .app_data(state)
            .service(
                SwaggerUi::new("/docs/{_:.*}").url("/api/v1/openapi-ui.json", ApiDoc::openapi()),
            )
            .configure(crate::web::configure)
            .configure(api::configure);
        let stopping = stopping.clone();
        let http = HttpService::build()
            .graceful_shutdown_signal(move || {
                let stopping = stopping.clone();
                async move { stopping.notified().await }
            })
            .keep_alive(KeepAlive::default())
            .client_request_timeout(Duration::from_secs(5))
            .client_disconnect_timeout(Duration::from_secs(1))
            .h1_allow_half_closed(true)
            .local_addr(addr)
            .h1(map_config(app, |_| AppConfig::default()));
        fn_service(|io: tokio::net::TcpStream| {
            let peer = io.peer_addr().ok();
            std::future::ready(Ok::<_, DispatchError>((HeadGuard::new(io), peer)))
        })
        .and_then(http)
    })?;
    if let Some(workers) = workers {
        builder = builder.workers(workers);
    }
    Ok(builder.disable_signals().run())
}

/// Where `kohtaamo train` keeps a copy of each model it fits (a record to read; the models
/// themselves, and which one is active, are in the database).
pub const MODELS_DIR: &str = "models";

/// The ranker to use: `--model FILE` when given (pinned), else the model active in the
/// database, else the shipped default.
pub async fn active_model(
    store: &Store,
    pinned: Option<&std::path::Path>,
) -> anyhow::Result<RankerModel> {
    if let Some(path) = pinned {
        return Ok(RankerModel::load(path)?);
    }
    Ok(database_model(store.active_model().await?))
}

/// The model to rank with when `stored` is the database's active one: it, or the shipped
/// default when none is active or this build cannot rank with it (said in the log; a node
/// still starts and ranks, as one that was running when the model was activated goes on with
/// the model it had).
fn database_model(stored: Option<crate::store::StoredModel>) -> RankerModel {
    let Some(stored) = stored else {
        return RankerModel::default_model();
    };
    stored_model(&stored).unwrap_or_else(|e| {
        tracing::error!(error = %e, "cannot rank with the active model; ranking with the shipped default");
        RankerModel::default_model()
    })
}

/// A model stored in the database, as this build ranks with it (or why it cannot).
pub fn stored_model(
    stored: &crate::store::StoredModel,
) -> Result<RankerModel, crate::rank::ModelError> {
    RankerModel::parse(
        &stored.model,
        &format!("the database's model {}", stored.version),
    )
}

/// Before models were kept in the database, `train` activated one as `models/active.json`: a
/// node upgraded from then stores and activates that file once, if no model was ever
/// activated in the database (a node that finds one activated meanwhile leaves it). Called by
/// `kohtaamo serve` in the directory it runs in.
pub async fn adopt_legacy_model(store: &Store) {
    let legacy = std::path::Path::new(MODELS_DIR).join("active.json");
    if !legacy.exists() {
        return;
    }
    let adopted = async {
        if store.reference_versions().await?.model != 0 {
            return Ok::<_, anyhow::Error>(false);
        }
        let model = RankerModel::load(&legacy)?;
        let at = chrono::Utc::now();
        Ok(store
            .save_model(
                &model.version,
                &model.to_json(),
                at,
                Activation::IfActiveIs(None),
            )
            .await?)
    };
    match adopted.await {
        Ok(true) => tracing::info!(
            file = %legacy.display(),
            "stored and activated the model of the file in the database, where models are kept now"
        ),
        Ok(false) => tracing::warn!(
            file = %legacy.display(),
            "is no longer read: the active model is kept in the database (`kohtaamo models`)"
        ),
        Err(e) => tracing::warn!(
            file = %legacy.display(),
            error = %e,
            "could not store the model of the file in the database; `kohtaamo models activate --file` does"
        ),
    }
}

/// A matcher over `search` with the reference data of `store`.
pub async fn build_matcher(
    store: &Store,
    search: &SearchIndex,
    model: RankerModel,
) -> anyhow::Result<Matcher> {
    Ok(Matcher::new(
        search.clone(),
        Geo::new(store.municipality_coordinates().await?),
        Taxonomy::new(store.occupations().await?),
        model,
    ))
}

/// What a node's reference follower keeps in step with the database.
struct ReferenceFollower {
    store: Store,
    matcher: Arc<Matcher>,
    /// `--model FILE`: the node keeps that model whatever the database's active one.
    model_pinned: bool,
    /// The versions of what the matcher holds now.
    seen: ReferenceVersions,
}

impl ReferenceFollower {
    /// Loads again whatever changed in the database since [`ReferenceFollower::seen`].
    async fn follow(&mut self) -> anyhow::Result<()> {
        let now = self.store.reference_versions().await?;
        if now == self.seen {
            return Ok(());
        }
        if now.model != self.seen.model && !self.model_pinned {
            // A model this build cannot read is reported once, and the node ranks on with the
            // one it has; a database that does not answer is tried again.
            let stored = self.store.active_model().await?;
            let model = match stored {
                None => Ok(RankerModel::default_model()),
                Some(s) => stored_model(&s),
            };
            match model {
                Ok(model) => {
                    tracing::info!(model = %model.version, "the active ranker changed; ranking with it");
                    self.matcher.set_model(model);
                }
                Err(e) => tracing::error!(
                    error = %e,
                    keeps = %self.matcher.model().version,
                    "cannot rank with the newly active model"
                ),
            }
        }
        // Done with the model, whatever follows.
        self.seen.model = now.model;
        if now.occupations != self.seen.occupations
            || now.municipalities != self.seen.municipalities
        {
            let geo = Geo::new(self.store.municipality_coordinates().await?);
            let taxonomy = Taxonomy::new(self.store.occupations().await?);
            let matcher = self.matcher.clone();
            tokio::task::spawn_blocking(move || matcher.set_reference(geo, taxonomy)).await?;
            tracing::info!(
                occupations = self.matcher.occupations().len(),
                "reference data changed; matching with the new"
            );
        }
        self.seen = now;
        Ok(())
    }
}

/// Follows the database's reference data and active model (see [`ReferenceFollower`]), as
/// often as the index looks for other processes' writes: a `kohtaamo train`, `import
/// occupations` or `import municipalities` reaches every node without a restart.
fn spawn_reference_follower(
    mut follower: ReferenceFollower,
    every: Duration,
    mut shutdown: watch::Receiver<bool>,
) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(every);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = every.tick() => {}
                _ = shutdown.changed() => return,
            }
            if let Err(e) = follower.follow().await {
                // Tried again at the next tick; what the node holds stays as it was.
                tracing::warn!(error = %e, "could not follow the database's reference data");
            }
        }
    });
}

/// How often the rate limiters forget addresses, accounts and users back at their full limit.
const PRUNE_LIMITERS_EVERY: Duration = Duration::from_secs(60);

/// Keeps the rate limiters' memory to the addresses, accounts and users limited lately.
fn spawn_limiter_pruning(limiter: Arc<Limiter>, mut shutdown: watch::Receiver<bool>) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(PRUNE_LIMITERS_EVERY);
        every.tick().await;
        loop {
            tokio::select! {
                _ = every.tick() => limiter.prune(),
                _ = shutdown.changed() => return,
            }
        }
    });
}

/// How often postings past their last day are closed.
const EXPIRY_EVERY: std::time::Duration = std::time::Duration::from_secs(60 * 60);

/// Closes postings past their last day to apply, at start and then every hour, each with a
/// change-log row, and wakes the index follower. (Search and matches leave them out at once
/// anyway; this keeps the database's status true.)
fn spawn_expiry(store: Store, notify: Arc<Notify>, mut shutdown: watch::Receiver<bool>) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(EXPIRY_EVERY);
        loop {
            tokio::select! {
                _ = every.tick() => {}
                _ = shutdown.changed() => return,
            }
            match store.close_expired(chrono::Utc::now()).await {
                Ok((0, 0)) => {}
                Ok((vacancies, tasks)) => {
                    tracing::info!(vacancies, tasks, "closed postings past their last day");
                    notify.notify_one();
                }
                Err(e) => tracing::warn!(error = %e, "could not close expired postings"),
            }
        }
    });
}

/// How often served match lists past their retention are deleted.
const PRUNE_EVERY: std::time::Duration = std::time::Duration::from_secs(24 * 60 * 60);

/// Deletes served match lists older than `retention`, at start and then daily: feature logs
/// are kept only as long as the ranker needs them.
fn spawn_impression_pruning(
    store: Store,
    retention: chrono::Duration,
    mut shutdown: watch::Receiver<bool>,
) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(PRUNE_EVERY);
        loop {
            tokio::select! {
                _ = every.tick() => {}
                _ = shutdown.changed() => return,
            }
            match store
                .prune_impressions(chrono::Utc::now() - retention)
                .await
            {
                Ok(0) => {}
                Ok(n) => {
                    tracing::info!(suggestions = n, "deleted match lists past their retention")
                }
                Err(e) => tracing::warn!(error = %e, "could not delete old match lists"),
            }
        }
    });
}
