//! What an outside review found, each as a story that failed before the fix: bounded hashing and repeated
//! mutations, sign-up limits per address, a heavy request cannot starve a bystander, login throttling that holds
//! in parallel and cannot lock the owner out, bulk assignment all-or-nothing, one rule for bad text everywhere,
//! resends in flight, the photo cap under parallel uploads, unfinished uploads swept, and protocol hygiene
//! (introspection, security headers, CORS, CSRF, metrics).

use std::collections::HashSet;
use std::time::Duration;

use fieldwork::domain::Role;
use fieldwork_e2e::{error_code, error_field, fixture, sign_up_json, Options, TestApp, PASSWORD};
use fieldwork_mobile_api::{check_in, CheckIn};
use serde_json::{json, Value};

use super::visits::{check_in_input, checked_in_visit, field, shopper_with_task, upload};

const SIGN_UP: &str = "mutation($i: SignUpInput!) { signUp(input: $i) { user { id } } }";
const LOGIN: &str = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }";

/// `count` aliases of one field in one operation.
fn aliased(kind: &str, count: usize, field: &str) -> String {
    let body: String = (0..count).map(|i| format!(" a{i}: {field}")).collect();
    format!("{kind} {{{body} }}")
}

// ---- 2. Memory and CPU bounded under load --------------------------------------------------------------

#[tokio::test]
async fn a_password_mutation_appears_once_per_request_and_others_a_few_times() {
    let app = TestApp::spawn().await;
    app.phone()
        .sign_up(fieldwork_e2e::sign_up_input("alias@example.com"))
        .await
        .unwrap();
    let sessions_before = app.count("sessions").await;
    let query = aliased(
        "mutation",
        1_000,
        "login(email: \"alias@example.com\", password: \"correct horse battery\") { token }",
    );
    let (status, body) = app.post(None, &query, json!({})).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
    assert_eq!(error_field(&body), Some("login"), "{body}");
    assert_eq!(app.count("sessions").await, sessions_before, "no login ran");

    let mut input = sign_up_json("many@example.com");
    input["idempotencyKey"] = json!("k");
    let two =
        "mutation($i: SignUpInput!) { a: signUp(input: $i) { user { id } } b: signUp(input: $i) { user { id } } }";
    let (status, body) = app.post(None, two, json!({ "i": input })).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(error_field(&body), Some("signUp"), "{body}");
    assert_eq!(app.count("users").await, 1);

    // Other mutations may repeat a little (a phone batching answers), not without bound.
    let eleven = aliased("mutation", 11, "logout");
    let (_, body) = app.post(None, &eleven, json!({})).await;
    assert_eq!(error_field(&body), Some("logout"), "{body}");
    assert_eq!(
        body["errors"][0]["extensions"]["messageCode"], "request-repeats",
        "{body}"
    );
    assert_eq!(body["errors"][0]["extensions"]["params"]["limit"], 10, "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("щонайбільше 10 разів"),
        "{body}"
    );
}

#[tokio::test]
async fn sign_ups_from_one_address_are_limited_even_in_parallel() {
    let app = TestApp::spawn_with(Options {
        tweak: Box::new(|s| s.auth.max_signups_per_ip_per_hour = 3),
        ..Default::default()
    })
    .await;
    let input = |i: usize| {
        let mut input = sign_up_json(&format!("wave{i}@example.com"));
        input["idempotencyKey"] = json!(format!("wave-{i}"));
        input
    };
    let attempts = (0..12).map(|i| app.post(None, SIGN_UP, json!({ "i": input(i) })));
    let results = futures::future::join_all(attempts).await;
    let created = results
        .iter()
        .filter(|(_, b)| b["data"]["signUp"]["user"]["id"].is_string())
        .count();
    let limited = results
        .iter()
        .filter(|(_, b)| error_code(b) == Some("RATE_LIMITED"))
        .count();
    assert_eq!(created, 3, "{results:?}");
    assert_eq!(limited, 9, "{results:?}");
    assert_eq!(app.count("users").await, 3);
    // A phone resending an accepted sign-up (its idempotency key) still gets its account; a new one waits.
    let accepted = results
        .iter()
        .position(|(_, b)| b["data"]["signUp"]["user"]["id"].is_string())
        .unwrap();
    let (_, body) = app.post(None, SIGN_UP, json!({ "i": input(accepted) })).await;
    assert_eq!(
        body["data"]["signUp"]["user"]["id"], results[accepted].1["data"]["signUp"]["user"]["id"],
        "{body}"
    );
    let (_, body) = app.post(None, SIGN_UP, json!({ "i": input(99) })).await;
    assert_eq!(error_code(&body), Some("RATE_LIMITED"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_storm_queues_for_hashing_and_overflow_is_told_to_retry() {
    // One hashing slot and a short wait: of many logins at once, some run, the rest are told to come back.
    let app = TestApp::spawn_with(Options {
        tweak: Box::new(|s| {
            s.auth.hash_concurrency = 1;
            s.auth.hash_wait_ms = 50;
        }),
        ..Default::default()
    })
    .await;
    // One login per account: this is about the hashing queue, not about one account's throttle.
    for i in 0..24 {
        app.quick_shopper(&format!("storm{i}@example.com"), 49.8, 24.0, 20.0, true)
            .await;
    }
    let client = reqwest::Client::new();
    let attempts = (0..24).map(|i| {
        let client = client.clone();
        let url = format!("{}/graphql", app.base_url);
        async move {
            let response = client
                .post(url)
                .json(&json!({ "query": LOGIN, "variables": { "e": format!("storm{i}@example.com"), "p": PASSWORD } }))
                .send()
                .await
                .unwrap();
            let retry_after = response.headers().get("retry-after").cloned();
            let status = response.status().as_u16();
            (status, retry_after, response.json::<Value>().await.unwrap())
        }
    });
    let results = futures::future::join_all(attempts).await;
    let ok = results
        .iter()
        .filter(|(_, _, b)| b["data"]["login"]["token"].is_string())
        .count();
    let busy: Vec<_> = results
        .iter()
        .filter(|(_, _, b)| error_code(b) == Some("RATE_LIMITED"))
        .collect();
    assert!(ok >= 1, "{results:?}");
    assert_eq!(ok + busy.len(), 24, "only successes and retry-laters: {results:?}");
    assert!(!busy.is_empty(), "one slot cannot serve 24 hashes within 50 ms");
    for (status, retry_after, body) in busy {
        assert_eq!(*status, 200);
        assert_eq!(retry_after.as_ref().unwrap(), "1", "{body}");
        assert_eq!(
            body["errors"][0]["extensions"]["messageCode"], "service-busy-passwords",
            "{body}"
        );
    }
    // Busy refusals are not failed logins: the accounts are not throttled afterwards.
    let (_, body) = app
        .post(None, LOGIN, json!({ "e": "storm0@example.com", "p": PASSWORD }))
        .await;
    assert!(body["data"]["login"]["token"].is_string(), "{body}");
}

// ---- 3. No request can starve the others -------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heavy_requests_cannot_starve_a_bystander() {
    let app = TestApp::spawn_with(Options {
        tweak: Box::new(|s| {
            s.database_max_connections = 1;
            s.database_acquire_timeout_secs = 1;
        }),
        ..Default::default()
    })
    .await;
    let coordinator = app.staff(Role::Coordinator).await.token;
    let (shopper, _) = app.quick_shopper("bystander@example.com", 49.8, 24.0, 20.0, true).await;
    let bystander = shopper.token().unwrap().to_string();
    let near = "venuesNear(near: { lat: 49.84, lon: 24.03 }, radiusKm: 500, first: 1) { totalCount }";

    // A thousand aliases: refused before anything runs, naming why.
    let (status, body) = app
        .post(Some(&coordinator), &aliased("query", 1_000, near), json!({}))
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
    // The radius costs: 40 of them are over the complexity limit, though each asks for one row.
    let (status, body) = app
        .post(Some(&coordinator), &aliased("query", 40, near), json!({}))
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["errors"][0]["extensions"]["messageCode"], "request-too-complex",
        "{body}"
    );
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Запит заскладний"),
        "{body}"
    );

    // Many admitted requests at once on a pool of one connection: whoever finds no connection in time is told
    // to retry; nobody gets an internal error, and the bystander is answered (or told to retry).
    let admitted = aliased(
        "query",
        20,
        "venuesNear(near: { lat: 49.84, lon: 24.03 }, radiusKm: 50, first: 5) { totalCount }",
    );
    let heavy = (0..40).map(|_| app.post(Some(&coordinator), &admitted, json!({})));
    let me = async {
        tokio::time::sleep(Duration::from_millis(20)).await;
        app.post(Some(&bystander), "{ me { id } }", json!({})).await
    };
    let (heavy, (me_status, me_body)) = tokio::join!(futures::future::join_all(heavy), me);
    assert!(me_status == 200 || me_status == 429, "{me_status} {me_body}");
    assert!(
        me_body["data"]["me"]["id"].is_string() || error_code(&me_body) == Some("RATE_LIMITED"),
        "{me_body}"
    );
    for (status, body) in heavy {
        assert!(status == 200 || status == 429, "{status} {body}");
        for error in body["errors"].as_array().into_iter().flatten() {
            assert_eq!(error["extensions"]["code"], "RATE_LIMITED", "{body}");
        }
    }
}

// ---- 4. Throttling that holds in parallel and cannot lock people out ---------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_wrong_passwords_get_no_more_checks_than_allowed() {
    let app = TestApp::spawn().await;
    app.quick_shopper("target@example.com", 49.8, 24.0, 20.0, true).await;
    let free = app.settings.auth.max_failures_per_account as usize;
    let attempts = (0..40).map(|_| {
        app.post(
            None,
            LOGIN,
            json!({ "e": "target@example.com", "p": "wrong password!!" }),
        )
    });
    let results = futures::future::join_all(attempts).await;
    let checked = results
        .iter()
        .filter(|(_, b)| error_code(b) == Some("UNAUTHENTICATED"))
        .count();
    let limited = results
        .iter()
        .filter(|(_, b)| error_code(b) == Some("RATE_LIMITED"))
        .count();
    assert!(checked <= free, "{checked} password checks got through");
    assert_eq!(checked + limited, 40, "{results:?}");
}

#[tokio::test]
async fn a_stranger_cannot_lock_the_owner_out() {
    let app = TestApp::spawn_with(Options {
        tweak: Box::new(|s| s.http.trusted_proxies = vec!["127.0.0.1".into()]),
        ..Default::default()
    })
    .await;
    app.quick_shopper("owner@example.com", 49.8, 24.0, 20.0, true).await;
    let client = reqwest::Client::new();
    let login_from = |address: &'static str, password: &'static str| {
        let client = client.clone();
        let url = format!("{}/graphql", app.base_url);
        async move {
            client
                .post(url)
                .header("x-forwarded-for", address)
                .json(&json!({ "query": LOGIN, "variables": { "e": "owner@example.com", "p": password } }))
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    // The stranger guesses until refused …
    for _ in 0..8 {
        login_from("203.0.113.66", "guessing again!").await;
    }
    let body = login_from("203.0.113.66", PASSWORD).await;
    assert_eq!(
        error_code(&body),
        Some("RATE_LIMITED"),
        "even the right password waits: {body}"
    );
    let retry = body["errors"][0]["extensions"]["retryAfterSeconds"].as_u64().unwrap();
    assert!((1..=15 * 60).contains(&retry), "{retry}");
    // … while the owner, from their own address, logs in at once.
    let body = login_from("198.51.100.7", PASSWORD).await;
    assert!(body["data"]["login"]["token"].is_string(), "{body}");
}

// ---- 5. Bulk assignment is all or nothing ------------------------------------------------------------------

#[tokio::test]
async fn auto_assign_commits_all_of_the_plan_or_none_of_it() {
    let app = TestApp::spawn().await;
    let board = super::assignment::board(&app).await;
    let rynok = super::assignment::RYNOK;
    for i in 0..4 {
        app.quick_shopper(&format!("auto{i}@example.com"), rynok.0, rynok.1, 30.0, true)
            .await;
    }
    let auto = "mutation($w: ID!, $c: Boolean!) { autoAssignWave(waveId: $w, commit: $c) { committed \
         proposals { taskId shopperId } notCommitted { taskId reason } } }";
    let preview = app
        .gql(Some(&board.coordinator), auto, json!({ "w": board.wave, "c": false }))
        .await;
    let proposals = preview["data"]["autoAssignWave"]["proposals"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(proposals.len(), 7, "{preview}");

    // The database refuses the history row of the last task: the whole commit fails and nothing is written.
    let last = proposals.last().unwrap()["taskId"].as_str().unwrap().to_string();
    let sql = if app.is_postgres() {
        vec![
            "CREATE FUNCTION refuse_event() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql".to_string(),
            format!("CREATE TRIGGER refuse BEFORE INSERT ON task_events FOR EACH ROW WHEN (NEW.task_id = '{last}') EXECUTE FUNCTION refuse_event()"),
        ]
    } else {
        vec![format!(
            "CREATE TRIGGER refuse BEFORE INSERT ON task_events WHEN NEW.task_id = '{last}' BEGIN SELECT RAISE(ABORT, 'refused'); END"
        )]
    };
    for statement in &sql {
        sqlx::query(statement).execute(app.db.pool()).await.unwrap();
    }
    let failed = app
        .gql(Some(&board.coordinator), auto, json!({ "w": board.wave, "c": true }))
        .await;
    assert_eq!(error_code(&failed), Some("INTERNAL"), "{failed}");
    let assigned: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tasks WHERE state <> 'OPEN'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(assigned, 0, "nothing half-written");
    let drop = if app.is_postgres() {
        "DROP TRIGGER refuse ON task_events"
    } else {
        "DROP TRIGGER refuse"
    };
    sqlx::query(drop).execute(app.db.pool()).await.unwrap();

    // A task taken meanwhile is reported, the rest of the plan is written, with one history row each.
    let (phone, _) = app
        .quick_shopper("quick@example.com", rynok.0, rynok.1, 30.0, true)
        .await;
    let first = proposals[0]["taskId"].as_str().unwrap();
    phone.claim_task(first).await.unwrap();
    let done = app
        .gql(Some(&board.coordinator), auto, json!({ "w": board.wave, "c": true }))
        .await;
    let result = &done["data"]["autoAssignWave"];
    let committed = result["committed"].as_i64().unwrap_or_else(|| panic!("{done}"));
    let not_committed = result["notCommitted"].as_array().unwrap();
    assert_eq!(
        committed as usize + not_committed.len(),
        result["proposals"].as_array().unwrap().len()
    );
    let assigned: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tasks WHERE state = 'ASSIGNED'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(assigned, committed, "{done}");
    let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM task_events WHERE action = 'ASSIGN'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(events, committed);
    assert!(committed >= 5, "{done}");
}

// ---- 6. Bad input, everywhere the same --------------------------------------------------------------------

#[tokio::test]
async fn control_characters_are_refused_in_every_text_input_naming_the_field() {
    let app = TestApp::spawn().await;
    let coordinator = app.staff(Role::Coordinator).await.token;
    for (token, query, variables, field) in [
        (None, LOGIN, json!({ "e": "a\u{0}b@example.com", "p": "x" }), "e"),
        (
            Some(coordinator.as_str()),
            "query($s: String) { shoppers(search: $s) { totalCount } }",
            json!({ "s": "Олена\u{0}" }),
            "s",
        ),
        (
            Some(coordinator.as_str()),
            "query($o: String) { venues(oblast: $o) { totalCount } }",
            json!({ "o": "Lviv\u{1b}" }),
            "o",
        ),
        (
            Some(coordinator.as_str()),
            "query($id: ID!) { wave(id: $id) { id } }",
            json!({ "id": "\u{0}" }),
            "id",
        ),
        (
            Some(coordinator.as_str()),
            "query { venues(search: \"a\\u0000b\") { totalCount } }",
            json!({}),
            "search",
        ),
        (None, SIGN_UP, json!({ "i": { "fullName": "x\u{0}" } }), "fullName"),
    ] {
        let (status, body) = app.post(token, query, variables).await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{query}: {body}");
        assert_eq!(error_field(&body), Some(field), "{query}: {body}");
        assert_eq!(status, 400, "{body}");
    }
}

#[tokio::test]
async fn names_are_normalised_and_refuse_invisible_and_bidi_characters() {
    let app = TestApp::spawn().await;
    for (field, value) in [
        ("fullName", "Олена\u{202E}анеЛО"),
        ("accountHolder", "Олена\u{200D}"),
        ("accountHolder", "\u{FEFF}Олена Петренко"),
        ("email", "ol\u{200B}ena@example.com"),
    ] {
        let mut input = sign_up_json("names@example.com");
        input[field] = json!(value);
        let (_, body) = app.post(None, SIGN_UP, json!({ "i": input })).await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{field}: {body}");
        assert_eq!(error_field(&body), Some(field), "{body}");
    }
    // Decomposed letters are stored composed (NFC).
    let mut input = sign_up_json("nfc@example.com");
    input["fullName"] = json!("Андрі\u{0438}\u{0306} Ковал\u{044C}");
    let (_, body) = app.post(None, SIGN_UP, json!({ "i": input })).await;
    assert!(body["data"]["signUp"]["user"]["id"].is_string(), "{body}");
    let stored: String = sqlx::query_scalar("SELECT full_name FROM shopper_profiles")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(stored, "Андрій Коваль");
}

#[tokio::test]
async fn searches_are_bounded() {
    let app = TestApp::spawn().await;
    let coordinator = app.staff(Role::Coordinator).await.token;
    let long = "я".repeat(50_001);
    for query in [
        "query($s: String) { shoppers(search: $s) { totalCount } }",
        "query($s: String) { venues(search: $s) { totalCount } }",
    ] {
        let (_, body) = app.post(Some(&coordinator), query, json!({ "s": long })).await;
        assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
        assert_eq!(error_field(&body), Some("search"), "{body}");
    }
}

// ---- 7. Idempotency under concurrent resends, and no orphans ---------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resends_in_flight_get_the_first_result() {
    let app = TestApp::spawn().await;
    let f = field(&app, json!({})).await;
    let phone = shopper_with_task(&app, "resender@example.com", &f.tasks[0]).await;
    let input = check_in::Variables {
        input: check_in_input(&f.tasks[0], "same-check-in-1", 10.0, 8.0),
    };
    let results = futures::future::join_all((0..10).map(|_| phone.execute::<CheckIn>(input.clone()))).await;
    let mut visits = HashSet::new();
    for result in &results {
        let done = result.as_ref().unwrap_or_else(|e| panic!("{e:?}"));
        visits.insert(done.check_in.visit.as_ref().unwrap().id.clone());
    }
    assert_eq!(visits.len(), 1);
    assert_eq!(app.count("checkin_attempts").await, 1);
    assert_eq!(app.count("visits").await, 1);
    let visit = visits.into_iter().next().unwrap();

    let checkout = "mutation($v: ID!) { checkOut(visitId: $v, input: { lat: 60.1467, lon: 24.9068, accuracyM: 6, \
        deviceTime: \"2022-08-14T11:30:00Z\" }) { state } }";
    let token = phone.token();
    let (_, body) = app.post(token, checkout, json!({ "v": visit })).await;
    assert!(body["errors"].is_null(), "{body}");
    let upload_done = upload(&phone, &visit, "queue-photo-1", Some("Q5"), None, "Canon_40D.jpg").await;
    assert!(upload_done.is_ok(), "{upload_done:?}");
    let answers = "mutation($v: ID!, $a: JSON!) { saveVisitAnswers(visitId: $v, answers: $a) { id } }";
    let (_, body) = app
        .post(
            token,
            answers,
            json!({ "v": visit, "a": { "Q1": true, "Q2": 4, "Q3": "DONE" } }),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    let submit = "mutation($v: ID!) { submitVisit(visitId: $v) { state submittedAt } }";
    let results = futures::future::join_all((0..10).map(|_| app.post(token, submit, json!({ "v": visit })))).await;
    let mut submitted_at = HashSet::new();
    for (_, body) in &results {
        assert_eq!(body["data"]["submitVisit"]["state"], "SUBMITTED", "{body}");
        submitted_at.insert(body["data"]["submitVisit"]["submittedAt"].to_string());
    }
    assert_eq!(submitted_at.len(), 1, "one submission");
    let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM visit_events WHERE visit_id = $1 AND action = 'SUBMIT'")
        .bind(&visit)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(events, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_photo_cap_holds_under_parallel_uploads() {
    let app = TestApp::spawn_with(Options {
        tweak: Box::new(|s| s.photos.max_per_visit = 4),
        ..Default::default()
    })
    .await;
    let f = field(&app, json!({})).await;
    let phone = shopper_with_task(&app, "uploader@example.com", &f.tasks[0]).await;
    let visit = checked_in_visit(&phone, &f.tasks[0]).await;
    let uploads = (0..12).map(|i| {
        let phone = &phone;
        let visit = &visit;
        async move {
            upload(
                phone,
                visit,
                &format!("parallel-photo-{i:02}"),
                Some("Q5"),
                None,
                "Canon_40D.jpg",
            )
            .await
        }
    });
    let results = futures::future::join_all(uploads).await;
    let stored = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(stored, 4, "{results:?}");
    for err in results.iter().filter_map(|r| r.as_ref().err()) {
        assert_eq!(err.code(), Some("CONFLICT"), "{err:?}");
    }
    assert_eq!(app.count("photos").await, 4);
    // The refused uploads left no objects behind: exactly the stored photos' three files each.
    let files = walk(&app.settings.data_dir.join("photos"));
    assert_eq!(files.len(), 4 * 3, "{files:?}");
    assert_eq!(app.count("pending_uploads").await, 0);
}

/// A crash between storing a photo's files and inserting its row leaves a pending upload; the sweeper removes
/// its files (and never a stored photo's), and a resend stores the photo under the same keys, once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn objects_of_an_unfinished_upload_are_swept() {
    let app = TestApp::spawn_with(Options {
        tweak: Box::new(|s| {
            s.photos.abandoned_upload_secs = 3;
            s.assignment.expiry_interval_secs = 1;
        }),
        ..Default::default()
    })
    .await;
    let f = field(&app, json!({})).await;
    let phone = shopper_with_task(&app, "crash@example.com", &f.tasks[0]).await;
    let visit = checked_in_visit(&phone, &f.tasks[0]).await;
    upload(&phone, &visit, "kept-photo-01", Some("Q5"), None, "Canon_40D.jpg")
        .await
        .unwrap();
    // What a `kill -9` after the files were written leaves: the files, and the pending row naming them.
    let photos_dir = app.settings.data_dir.join("photos");
    let keys: Vec<String> = ["original.jpg", "display.jpg", "thumbnail.jpg"]
        .iter()
        .map(|f| format!("visits/{visit}/crashed-photo-1/{f}"))
        .collect();
    for key in &keys {
        let path = photos_dir.join(key);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, fixture("photos/Canon_40D.jpg")).unwrap();
    }
    // A `kill -9` in the middle of writing a file leaves object_store's staged copy (`<name>#<n>`, renamed only
    // once complete), with the photo's place and time in its EXIF: for the crashed upload, and beside the
    // files of an upload that a resend then finished (its first attempt's pending row still names them).
    let kept_keys: Vec<String> = ["original.jpg", "display.jpg", "thumbnail.jpg"]
        .iter()
        .map(|f| format!("visits/{visit}/kept-photo-01/{f}"))
        .collect();
    let staged = [
        format!("visits/{visit}/crashed-photo-1/original.jpg#1"),
        format!("visits/{visit}/crashed-photo-1/display.jpg#23"),
        format!("visits/{visit}/kept-photo-01/original.jpg#1"),
    ];
    for name in &staged {
        std::fs::write(photos_dir.join(name), fixture("photos/Canon_40D.jpg")).unwrap();
    }
    for object_keys in [&keys, &kept_keys] {
        sqlx::query("INSERT INTO pending_uploads (id, visit_id, object_keys, created_at) VALUES ($1, $2, $3, $4)")
            .bind(fieldwork::db::new_id())
            .bind(&visit)
            .bind(serde_json::to_string(object_keys).unwrap())
            .bind(app.db.now_ms() - 60_000)
            .execute(app.db.pool())
            .await
            .unwrap();
    }
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while app.count("pending_uploads").await > 0 {
        assert!(std::time::Instant::now() < deadline, "the sweeper did not run");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    for key in keys.iter().chain(&staged) {
        assert!(!photos_dir.join(key).exists(), "{key} was left behind");
    }
    assert_eq!(walk(&photos_dir).len(), 3, "the stored photo's files stay");
    // The phone resends the crashed photo: stored once, under its client id's keys.
    upload(&phone, &visit, "crashed-photo-1", Some("Q5"), None, "Canon_40D.jpg")
        .await
        .unwrap();
    upload(&phone, &visit, "crashed-photo-1", Some("Q5"), None, "Canon_40D.jpg")
        .await
        .unwrap();
    assert_eq!(app.count("photos").await, 2);
    assert_eq!(walk(&photos_dir).len(), 6);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(walk(&path));
            } else {
                out.push(path);
            }
        }
    }
    out
}

// ---- 8. Protocol and browser hygiene ------------------------------------------------------------------------

/// The introspection query code generators and GraphiQL send (graphql-js `getIntrospectionQuery()`).
const INTROSPECTION: &str = r#"
query IntrospectionQuery {
  __schema {
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) {
    name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason
  }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name
    ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }
}
"#;

#[tokio::test]
async fn the_standard_introspection_query_reads_the_whole_schema() {
    let app = TestApp::spawn().await;
    let (status, body) = app.post(None, INTROSPECTION, json!({})).await;
    assert_eq!(status, 200, "{body}");
    let types: HashSet<&str> = body["data"]["__schema"]["types"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    let sdl = fieldwork::graphql::sdl();
    for line in sdl.lines() {
        for keyword in ["type ", "input ", "enum ", "scalar "] {
            if let Some(rest) = line.strip_prefix(keyword) {
                let name = rest.split([' ', '{']).next().unwrap();
                assert!(types.contains(name), "{name} missing from introspection");
            }
        }
    }
    // Anything beside introspection keeps the depth limit.
    let deep = format!(
        "{{ me {{ id }} __type(name: \"Shopper\") {{ fields {{ type {}{{ name }}{} }} }} }}",
        "{ ofType ".repeat(12),
        " }".repeat(12)
    );
    let (status, body) = app.post(None, &deep, json!({})).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["errors"][0]["extensions"]["messageCode"], "request-too-deep",
        "{body}"
    );
}

#[tokio::test]
async fn pages_carry_security_headers() {
    let app = TestApp::spawn().await;
    let client = reqwest::Client::new();
    for path in ["/graphql", "/reset-password?token=abc", "/verify-email", "/healthz"] {
        let response = client.get(format!("{}{path}", app.base_url)).send().await.unwrap();
        let h = response.headers();
        let csp = h
            .get("content-security-policy")
            .unwrap_or_else(|| panic!("{path}: no CSP"))
            .to_str()
            .unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff", "{path}");
        assert_eq!(h.get("x-frame-options").unwrap(), "DENY", "{path}");
        assert_eq!(h.get("referrer-policy").unwrap(), "no-referrer", "{path}");
    }
}

#[tokio::test]
async fn cors_is_closed_unless_an_origin_is_allowed_and_simple_posts_are_refused() {
    let app = TestApp::spawn_with(Options {
        tweak: Box::new(|s| s.http.cors_allowed_origins = vec!["https://console.example.org".into()]),
        ..Default::default()
    })
    .await;
    let client = reqwest::Client::new();
    let preflight = |origin: &'static str| {
        client
            .request(reqwest::Method::OPTIONS, format!("{}/graphql", app.base_url))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "authorization, content-type")
            .send()
    };
    let allowed = preflight("https://console.example.org").await.unwrap();
    assert_eq!(
        allowed.headers().get("access-control-allow-origin").unwrap(),
        "https://console.example.org"
    );
    let evil = preflight("https://evil.example").await.unwrap();
    assert!(evil.headers().get("access-control-allow-origin").is_none());

    // What a cross-site form can send without a preflight is refused, and nothing runs.
    let response = client
        .post(format!("{}/graphql", app.base_url))
        .header("content-type", "text/plain")
        .body(json!({ "query": SIGN_UP, "variables": { "i": sign_up_json("csrf@example.com") } }).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 415);
    let form = reqwest::multipart::Form::new()
        .text("operations", json!({ "query": "mutation { logout }" }).to_string())
        .text("map", "{}");
    let response = client
        .post(format!("{}/graphql", app.base_url))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 401);
    assert_eq!(app.count("users").await, 0);

    // Without an allow-list nobody else is admitted.
    let closed = TestApp::spawn().await;
    let response = client
        .request(reqwest::Method::OPTIONS, format!("{}/graphql", closed.base_url))
        .header("origin", "https://console.example.org")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert!(response.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn metrics_are_off_by_default_and_behind_a_token_when_on() {
    let off = TestApp::spawn().await;
    let client = reqwest::Client::new();
    let response = client.get(format!("{}/metrics", off.base_url)).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 404);

    let app = TestApp::spawn_with(Options {
        tweak: Box::new(|s| {
            s.metrics.enabled = true;
            s.metrics.token = Some("scrape-secret".to_string().into());
        }),
        ..Default::default()
    })
    .await;
    app.post(None, "query Probe { __typename }", json!({})).await;
    app.post(
        None,
        LOGIN,
        json!({ "e": "nobody@example.com", "p": "wrong password!" }),
    )
    .await;
    let response = client.get(format!("{}/metrics", app.base_url)).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 401);
    let text = client
        .get(format!("{}/metrics", app.base_url))
        .bearer_auth("scrape-secret")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for needle in [
        "fieldwork_graphql_requests_total{operation=\"Probe\"} 1",
        "fieldwork_graphql_request_duration_seconds_bucket{",
        "fieldwork_graphql_errors_total{code=\"UNAUTHENTICATED\"} 1",
        "fieldwork_http_responses_total{route=\"/graphql\",status=\"2xx\"}",
        "fieldwork_db_pool_in_use ",
        "fieldwork_db_pool_max 5",
        "fieldwork_db_pool_timeouts_total ",
        "fieldwork_mail_outbox_backlog ",
        "fieldwork_photo_queue 0",
        "fieldwork_password_hashing_queue 0",
    ] {
        assert!(text.contains(needle), "{needle} missing:\n{text}");
    }
}
