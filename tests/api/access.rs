use kohtaamo::domain::Role;
use serde_json::{json, Value};

use crate::helpers::{hit_ids, spawn_app};

#[tokio::test]
async fn requests_without_a_valid_token_are_401() {
    let app = spawn_app().await;
    let r = app
        .client
        .get(app.url("/api/v1/vacancies"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(
        r.json::<Value>().await.unwrap()["error"]["code"],
        "unauthorized"
    );
    let r = app.get("/api/v1/vacancies", "kht_not-a-real-token").await;
    assert_eq!(r.status(), 401);
    let r = app
        .client
        .get(app.url("/api/v1/search?q=x"))
        .header("Authorization", "Basic dXNlcjpwYXNz")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn coach_cannot_read_another_coachs_client() {
    let app = spawn_app().await;
    let aino = app.token(Role::Coach, None).await;
    let mikko = app.token(Role::Coach, None).await;
    let r = app
        .post(
            "/api/v1/clients",
            &aino,
            &json!({"display_name": "A", "home_municipality": "Lahti"}),
        )
        .await;
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();

    assert_eq!(
        app.get(&format!("/api/v1/clients/{id}"), &mikko)
            .await
            .status(),
        404
    );
    let patch = app
        .patch(
            &format!("/api/v1/clients/{id}"),
            &mikko,
            &json!({"display_name": "X"}),
        )
        .await;
    assert_eq!(patch.status(), 404);
    let still: Value = app
        .get(&format!("/api/v1/clients/{id}"), &aino)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(still["display_name"], "A");
}

#[tokio::test]
async fn coordinators_employers_and_admins_cannot_read_clients() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer_id = app.employer(&coach, "Oy").await;
    let r = app
        .post(
            "/api/v1/clients",
            &coach,
            &json!({"display_name": "A", "home_municipality": "Lahti"}),
        )
        .await;
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();

    for token in [
        app.token(Role::Coordinator, None).await,
        app.token(Role::Employer, Some(employer_id)).await,
        app.token(Role::Admin, None).await,
    ] {
        assert_eq!(
            app.get(&format!("/api/v1/clients/{id}"), &token)
                .await
                .status(),
            403
        );
        assert_eq!(app.get("/api/v1/clients", &token).await.status(), 403);
        let create = app
            .post(
                "/api/v1/clients",
                &token,
                &json!({"display_name": "B", "home_municipality": "Lahti"}),
            )
            .await;
        assert_eq!(create.status(), 403);
    }
}

#[tokio::test]
async fn employer_posts_only_for_its_own_employer() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let own = app.employer(&coach, "Oma Oy").await;
    let other = app.employer(&coach, "Muu Oy").await;
    let employer = app.token(Role::Employer, Some(own)).await;

    let body = |eid: i64| json!({"employer_id": eid, "title": "Myyjä", "description": "Myyntiä.", "municipality": "Pori"});
    assert_eq!(
        app.post("/api/v1/vacancies", &employer, &body(other))
            .await
            .status(),
        403
    );
    assert_eq!(
        app.post("/api/v1/vacancies", &employer, &body(own))
            .await
            .status(),
        201
    );
    let task =
        json!({"employer_id": other, "title": "T", "description": "D", "municipality": "Pori"});
    assert_eq!(
        app.post("/api/v1/tasks", &employer, &task).await.status(),
        403
    );
    // Nor may it add employers to the register.
    assert_eq!(
        app.post("/api/v1/employers", &employer, &json!({"name": "Uusi"}))
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn employer_cannot_see_or_change_another_employers_postings() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let own = app.employer(&coach, "Oma Oy").await;
    let other = app.employer(&coach, "Muu Oy").await;
    let theirs = app
        .vacancy(&coach, other, "Siivooja", "Siivousta.", "Pori")
        .await["id"]
        .as_i64()
        .unwrap();
    let mine = app
        .vacancy(&coach, own, "Siivooja", "Siivousta myös.", "Pori")
        .await["id"]
        .as_i64()
        .unwrap();
    let employer = app.token(Role::Employer, Some(own)).await;

    assert_eq!(
        app.get(&format!("/api/v1/vacancies/{theirs}"), &employer)
            .await
            .status(),
        404
    );
    let patch = app
        .patch(
            &format!("/api/v1/vacancies/{theirs}"),
            &employer,
            &json!({"title": "X"}),
        )
        .await;
    assert_eq!(patch.status(), 404);
    assert_eq!(
        app.delete(&format!("/api/v1/vacancies/{theirs}"), &employer)
            .await
            .status(),
        404
    );
    // Moving its own posting to another employer is not allowed either.
    let moved = app
        .patch(
            &format!("/api/v1/vacancies/{mine}"),
            &employer,
            &json!({"employer_id": other}),
        )
        .await;
    assert_eq!(moved.status(), 403);

    let list: Value = app
        .get("/api/v1/vacancies", &employer)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(
        app.get(&format!("/api/v1/employers/{other}"), &employer)
            .await
            .status(),
        404
    );
    let found = app
        .search_until(&coach, "siivooja", |r| hit_ids(r).len() == 2)
        .await;
    assert_eq!(found["total"], 2);
    let own_search = app.search(&employer, "siivooja").await;
    assert_eq!(hit_ids(&own_search), vec![mine]);
}

#[tokio::test]
async fn coordinator_reads_postings_but_cannot_write_them() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let coordinator = app.token(Role::Coordinator, None).await;
    let employer = app.employer(&coach, "Oy").await;
    let id = app
        .vacancy(&coach, employer, "Kokki", "Ruokaa.", "Vaasa")
        .await["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        app.get(&format!("/api/v1/vacancies/{id}"), &coordinator)
            .await
            .status(),
        200
    );
    let body = json!({"employer_id": employer, "title": "Kokki", "description": "Ruokaa.", "municipality": "Vaasa"});
    assert_eq!(
        app.post("/api/v1/vacancies", &coordinator, &body)
            .await
            .status(),
        403
    );
    assert_eq!(
        app.delete(&format!("/api/v1/vacancies/{id}"), &coordinator)
            .await
            .status(),
        403
    );
    assert_eq!(
        app.post("/api/v1/employers", &coordinator, &json!({"name": "X"}))
            .await
            .status(),
        403
    );
}
