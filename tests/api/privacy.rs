//! Privacy by design: private database files.

use kohtaamo::domain::Role;

use crate::funnel::client;
use crate::helpers::spawn_app;

#[cfg(unix)]
#[tokio::test]
async fn the_database_and_the_index_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    client(&app, &coach, "A", "2025-01-10").await;
    let db = app.dir.path().join("kohtaamo.db");

    assert_eq!(mode(&db), 0o600);
    let wal = app.dir.path().join("kohtaamo.db-wal");
    if wal.exists() {
        assert_eq!(mode(&wal), 0o600);
    }
    assert_eq!(mode(&app.index_dir()), 0o700);
    // The command line creates it the same way.
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("fresh.db");
    let out = crate::cli::kohtaamo(
        &format!("sqlite://{}", fresh.display()),
        &dir.path().join("index"),
        &["users", "add", "--role", "coach", "--name", "Aino"],
    );
    assert!(out.status.success());
    assert_eq!(mode(&fresh), 0o600);
}
