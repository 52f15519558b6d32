//! The `kohtaamo` command: parse the command line, set up logging, run.

use clap::Parser;

/// mimalloc instead of glibc's malloc: indexing and search allocate many small, short-lived
/// buffers (tokens, terms, hits), which it serves from per-thread pages.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = kohtaamo::cli::Cli::parse();
    kohtaamo::telemetry::init();
    match kohtaamo::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
