//! Integrations from outside over HTTP: an admin makes an API key for a center's system (scopes, one client, one
//! oblast, expiry), the system reports completed services in batches at `POST /api/v1/service-events` and over
//! GraphQL (every bad event named by index and field, good ones kept, repeats answered as duplicates, also when
//! sent twice at once), staff upload a CSV; citizens' phones are kept sealed and masked and erased after the
//! retention period; rotation, revocation and expiry stop a key; every change is audited.

use std::time::{Duration, Instant};

use fieldwork::domain::Role;
use fieldwork_e2e::{error_code, error_field, ClientSetup, Options, TestApp};
use serde_json::{json, Value};

const LVIV: (f64, f64) = (49.8397, 24.0297);
const KYIV: (f64, f64) = (50.4501, 30.5234);

struct World {
    app: TestApp,
    admin: String,
    setup: ClientSetup,
    lviv: String,
    lviv_oblast: String,
}

async fn world(options: Options) -> World {
    let app = TestApp::spawn_with(options).await;
    let admin = app.staff(Role::Admin).await.token;
    let setup = app.client_with_checklist(&admin, "ЦНАП України").await;
    let lviv = venue_in(&app, &setup, "LV-1", LVIV, "Львівська").await;
    venue_in(&app, &setup, "KY-1", KYIV, "Київська").await;
    let lviv_oblast = "Львівська".to_string();
    World {
        app,
        admin,
        setup,
        lviv,
        lviv_oblast,
    }
}

/// A center of the client in an oblast; returns its id.
async fn venue_in(app: &TestApp, setup: &ClientSetup, code: &str, (lat, lon): (f64, f64), oblast: &str) -> String {
    let body = app
        .gql(
            Some(&setup.token),
            "mutation($c: ID!, $code: String!, $lat: Float!, $lon: Float!, $o: String!) { createVenue(input: { \
             clientId: $c, externalCode: $code, name: $code, type: \"CNAP\", oblast: $o, location: { lat: $lat, lon: $lon }, \
             geofenceM: 150 }) { id } }",
            json!({ "c": setup.client, "code": code, "lat": lat, "lon": lon, "o": oblast }),
        )
        .await;
    body["data"]["createVenue"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_string()
}

async fn create_key(w: &World, input: Value) -> Value {
    let body = w
        .app
        .gql(
            Some(&w.admin),
            "mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret key { id name prefix scopes \
             clientId oblast status expiresAt lastUsedAt } } }",
            json!({ "i": input }),
        )
        .await;
    body["data"]["createApiKey"].clone()
}

/// `POST /api/v1/service-events`; returns the status and the body.
async fn post_events(app: &TestApp, key: Option<&str>, body: Value, lang: &str) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .post(format!("{}/api/v1/service-events", app.base_url))
        .header("accept-language", lang)
        .json(&body);
    if let Some(key) = key {
        request = request.bearer_auth(key);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).unwrap().to_rfc3339()
}

fn event(id: &str, center: &str, minutes_ago: i64, now: i64) -> Value {
    json!({
        "externalId": id, "center": center, "service": "PASSPORT",
        "completedAt": rfc3339(now - minutes_ago * 60_000),
    })
}

fn statuses(body: &Value) -> Vec<String> {
    body["results"]
        .as_array()
        .unwrap_or_else(|| panic!("results: {body}"))
        .iter()
        .map(|r| r["status"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_center_system_reports_services_with_its_key() {
    let w = world(Options::default()).await;
    let app = &w.app;
    let issued = create_key(
        &w,
        json!({ "name": "Черга ЦНАП Львова", "scopes": ["events:write"], "clientId": w.setup.client,
                "oblast": w.lviv_oblast, "expiresInDays": 365 }),
    )
    .await;
    let secret = issued["secret"]
        .as_str()
        .unwrap_or_else(|| panic!("{issued}"))
        .to_string();
    assert!(secret.starts_with("fwk_") && secret.len() > 40);
    assert!(secret.starts_with(issued["key"]["prefix"].as_str().unwrap()));
    assert_eq!(issued["key"]["scopes"], json!(["events:write"]));
    assert_eq!(issued["key"]["status"], "ACTIVE");
    let stored: String = sqlx::query_scalar("SELECT secret_hash FROM api_keys")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert!(!stored.contains(&secret[4..]), "only the secret's hash is kept");

    let now = app.clock.now_ms();
    let mut with_phone = event("Q-1", "LV-1", 20, now);
    with_phone["phone"] = json!("050 123 45 67");
    with_phone["messenger"] = json!("viber");
    with_phone["consent"] = json!(true);
    let mut no_consent = event("Q-2", "LV-1", 10, now);
    no_consent["phone"] = json!("+380671112233");
    let mut landline = event("Q-5", "LV-1", 5, now);
    landline["phone"] = json!("+380442223344");
    landline["consent"] = json!(true);
    let mut wrong_type = event("Q-6", "LV-1", 5, now);
    wrong_type["consent"] = json!("так");
    let batch = json!({ "events": [
        with_phone,
        no_consent,
        event("Q-3", "NOPE", 5, now),
        event("Q-4", "KY-1", 5, now),
        landline,
        wrong_type,
        { "externalId": "Q-7", "center": "LV-1", "service": "PASSPORT", "completedAt": "вчора" },
    ]});
    let (status, body) = post_events(app, Some(&secret), batch.clone(), "uk").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        statuses(&body),
        ["ACCEPTED", "ACCEPTED", "REFUSED", "REFUSED", "REFUSED", "REFUSED", "REFUSED"]
    );
    assert_eq!(
        (body["accepted"].as_i64(), body["refused"].as_i64()),
        (Some(2), Some(5))
    );
    let error = |i: usize| body["results"][i]["errors"][0].clone();
    assert_eq!(
        (error(2)["field"].as_str(), error(2)["code"].as_str()),
        (Some("center"), Some("event-center-unknown"))
    );
    assert_eq!(
        error(3)["code"],
        "event-center-outside-key",
        "Kyiv is outside the key's oblast"
    );
    assert_eq!(
        (error(4)["field"].as_str(), error(4)["code"].as_str()),
        (Some("phone"), Some("phone-not-mobile"))
    );
    assert_eq!(error(5)["field"], "consent");
    assert_eq!(
        (error(6)["field"].as_str(), error(6)["code"].as_str()),
        (Some("completedAt"), Some("event-time-format"))
    );
    let words = error(2)["message"].as_str().unwrap().to_string();
    assert!(
        words.starts_with("Центр: ") && words.contains("центру з таким кодом"),
        "{words}"
    );
    let first_ids: Vec<Value> = body["results"].as_array().unwrap()[..2]
        .iter()
        .map(|r| r["eventId"].clone())
        .collect();

    // The same batch again: the good ones are duplicates with their first ids; nothing new is written.
    let (_, again) = post_events(app, Some(&secret), batch, "en").await;
    assert_eq!(&statuses(&again)[..2], ["DUPLICATE", "DUPLICATE"]);
    assert_eq!(again["results"][0]["eventId"], first_ids[0]);
    assert_eq!(again["results"][1]["eventId"], first_ids[1]);
    let words = again["results"][2]["errors"][0]["message"].as_str().unwrap();
    assert!(words.starts_with("Center: "), "the reader's language: {words}");
    assert_eq!(app.count("service_events").await, 2);

    // The same id for another service is refused, naming the id.
    let mut changed = event("Q-1", "LV-1", 20, now);
    changed["service"] = json!("RESIDENCE");
    let (_, body) = post_events(app, Some(&secret), json!({ "events": [changed] }), "uk").await;
    assert_eq!(body["results"][0]["errors"][0]["field"], "externalId");
    assert_eq!(body["results"][0]["errors"][0]["code"], "event-id-reused");

    // The phone: sealed with its keyed hash and mask, only with consent; never readable in the database.
    type Row = (String, Option<String>, Option<String>, Option<String>, Option<String>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT external_id, phone_cipher, phone_hash, phone_masked, messenger FROM service_events ORDER BY external_id",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    let (_, cipher, hash, masked, messenger) = &rows[0];
    let cipher = cipher.as_deref().unwrap();
    assert!(!cipher.contains("501234567") && cipher.contains(':'), "{cipher}");
    assert_eq!(hash.as_deref().map(str::len), Some(64));
    assert_eq!(masked.as_deref(), Some("+380 50 *** ** 67"));
    assert_eq!(messenger.as_deref(), Some("VIBER"));
    assert_eq!(rows[1].1, None, "no consent, no phone");
    assert_eq!(rows[1].2, None);

    // Staff see the masked number only.
    let coordinator = app.staff(Role::Coordinator).await.token;
    let body = app
        .gql(
            Some(&coordinator),
            "query($c: ID!, $v: ID) { serviceEvents(clientId: $c, centerId: $v) { totalCount edges { node { \
             externalId centerName service phoneMasked messenger consent source } } } }",
            json!({ "c": w.setup.client, "v": w.lviv }),
        )
        .await;
    assert_eq!(body["data"]["serviceEvents"]["totalCount"], 2, "{body}");
    assert!(!body.to_string().contains("501234567"));
    let newest = &body["data"]["serviceEvents"]["edges"][0]["node"];
    assert_eq!(newest["source"], "API");

    // The key's last use is recorded; the admin sees it.
    let body = app
        .gql(
            Some(&w.admin),
            "query { apiKeys { totalCount edges { node { lastUsedAt status } } } }",
            json!({}),
        )
        .await;
    assert_eq!(body["data"]["apiKeys"]["totalCount"], 1);
    assert!(
        body["data"]["apiKeys"]["edges"][0]["node"]["lastUsedAt"].is_string(),
        "{body}"
    );

    // The same over GraphQL with the key; the key cannot act as a user.
    let body = app
        .gql(
            Some(&secret),
            "mutation($e: [ServiceEventInput!]!) { reportServiceEvents(events: $e) { accepted duplicates results { \
             status eventId errors { field code message } } } }",
            json!({ "e": [event("G-1", "LV-1", 3, now), event("Q-2", "LV-1", 10, now)] }),
        )
        .await;
    let batch = &body["data"]["reportServiceEvents"];
    assert_eq!(
        (batch["accepted"].as_i64(), batch["duplicates"].as_i64()),
        (Some(1), Some(1)),
        "{body}"
    );
    let body = app.gql(Some(&secret), "query { me { id } }", json!({})).await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    let body = app
        .gql(Some(&secret), "query { apiKeys { totalCount } }", json!({}))
        .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");

    // Bad bodies are named; no key, or a made-up one, is a 401.
    let (status, body) = post_events(app, Some(&secret), json!({ "events": "many" }), "uk").await;
    assert_eq!((status, error_field(&body)), (400, Some("events")), "{body}");
    let too_many: Vec<Value> = (0..1001).map(|i| event(&format!("M-{i}"), "LV-1", 1, now)).collect();
    let (status, body) = post_events(app, Some(&secret), json!({ "events": too_many }), "uk").await;
    assert_eq!((status, error_field(&body)), (400, Some("events")), "{body}");
    let (status, body) = post_events(app, None, json!({ "events": [] }), "uk").await;
    assert_eq!((status, error_code(&body)), (401, Some("UNAUTHENTICATED")), "{body}");
    let (status, _) = post_events(app, Some("fwk_made-up"), json!({ "events": [] }), "uk").await;
    assert_eq!(status, 401);
    assert_eq!(app.count("service_events").await, 3);

    // Within one batch: a repeat with the same content follows its first event; other content is refused.
    let mut other = event("B-1", "LV-1", 2, now);
    other["service"] = json!("RESIDENCE");
    let repeated = json!({ "events": [event("B-1", "LV-1", 2, now), event("B-1", "LV-1", 2, now), other] });
    let (status, body) = post_events(app, Some(&secret), repeated, "uk").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(statuses(&body), ["ACCEPTED", "DUPLICATE", "REFUSED"]);
    assert_eq!(body["results"][1]["eventId"], body["results"][0]["eventId"]);
    assert_eq!(body["results"][2]["errors"][0]["code"], "event-id-reused");
    assert_eq!(app.count("service_events").await, 4);
}

#[tokio::test]
async fn the_same_batch_sent_twice_at_once_is_kept_once() {
    let w = world(Options::default()).await;
    let app = &w.app;
    let issued = create_key(
        &w,
        json!({ "name": "Черга", "scopes": ["events:write"], "clientId": w.setup.client }),
    )
    .await;
    let secret = issued["secret"].as_str().unwrap().to_string();
    let now = app.clock.now_ms();
    let events: Vec<Value> = (0..300).map(|i| event(&format!("R-{i}"), "LV-1", 1, now)).collect();
    let batch = json!({ "events": events });
    let (a, b) = tokio::join!(
        post_events(app, Some(&secret), batch.clone(), "uk"),
        post_events(app, Some(&secret), batch.clone(), "uk"),
    );
    assert_eq!((a.0, b.0), (200, 200), "{} {}", a.1, b.1);
    assert_eq!(app.count("service_events").await, 300);
    let accepted = a.1["accepted"].as_i64().unwrap() + b.1["accepted"].as_i64().unwrap();
    let duplicates = a.1["duplicates"].as_i64().unwrap() + b.1["duplicates"].as_i64().unwrap();
    assert_eq!((accepted, duplicates), (300, 300));
    for i in 0..300 {
        assert_eq!(a.1["results"][i]["eventId"], b.1["results"][i]["eventId"], "event {i}");
    }
}

#[tokio::test]
async fn keys_are_rotated_revoked_and_expire() {
    let w = world(Options::default()).await;
    let app = &w.app;
    let coordinator = app.staff(Role::Coordinator).await.token;
    let body = app
        .gql(
            Some(&coordinator),
            "mutation { createApiKey(input: { name: \"x\", scopes: [\"events:write\"] }) { secret } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"));
    let body = app
        .gql(
            Some(&w.admin),
            "mutation { createApiKey(input: { name: \"x\", scopes: [\"events:write\", \"events:delete\"], expiresInDays: 0 }) { secret } }",
            json!({}),
        )
        .await;
    let fields: Vec<&str> = body["errors"][0]["extensions"]["fieldErrors"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["scopes", "expiresInDays"], "{body}");
    let body = app
        .gql(
            Some(&w.admin),
            "mutation { createApiKey(input: { name: \"x\", scopes: [\"events:write\"] }) { secret } }",
            json!({}),
        )
        .await;
    assert_eq!(
        error_field(&body),
        Some("clientId"),
        "events:write needs a client: {body}"
    );

    let now = app.clock.now_ms();
    let report = |key: String, id: &'static str| async move {
        post_events(
            app,
            Some(&key),
            json!({ "events": [event(id, "LV-1", 1, app.clock.now_ms())] }),
            "uk",
        )
        .await
    };
    let old = create_key(
        &w,
        json!({ "name": "Черга", "scopes": ["events:write"], "clientId": w.setup.client, "expiresInDays": 30 }),
    )
    .await;
    let old_secret = old["secret"].as_str().unwrap().to_string();
    let old_id = old["key"]["id"].as_str().unwrap().to_string();
    assert_eq!(report(old_secret.clone(), "K-1").await.0, 200);

    // Revocation stops a key at once; repeating it changes nothing.
    let fresh = create_key(
        &w,
        json!({ "name": "Друга черга", "scopes": ["events:write"], "clientId": w.setup.client }),
    )
    .await;
    let fresh_secret = fresh["secret"].as_str().unwrap().to_string();
    let fresh_id = fresh["key"]["id"].as_str().unwrap().to_string();
    let (status, body) = report(fresh_secret.clone(), "K-7").await;
    assert_eq!(status, 200, "{body}");
    for _ in 0..2 {
        let body = app
            .gql(
                Some(&w.admin),
                "mutation($id: ID!) { revokeApiKey(id: $id) { status revokedAt } }",
                json!({ "id": fresh_id }),
            )
            .await;
        assert_eq!(body["data"]["revokeApiKey"]["status"], "REVOKED", "{body}");
    }
    let (status, body) = report(fresh_secret, "K-8").await;
    assert_eq!((status, error_code(&body)), (401, Some("UNAUTHENTICATED")));
    // Rotation: a new secret at once; the old one works through its grace period, then stops.
    let body = app
        .gql(
            Some(&w.admin),
            "mutation($id: ID!) { rotateApiKey(id: $id, graceHours: 2) { secret key { id name rotatedFrom expiresAt } } }",
            json!({ "id": old_id }),
        )
        .await;
    let rotated = &body["data"]["rotateApiKey"];
    let new_secret = rotated["secret"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_string();
    assert_eq!(rotated["key"]["rotatedFrom"], old_id);
    assert_eq!(rotated["key"]["name"], "Черга");
    let again = app
        .gql(
            Some(&w.admin),
            "mutation($id: ID!) { rotateApiKey(id: $id) { secret } }",
            json!({ "id": old_id }),
        )
        .await;
    assert_eq!(error_code(&again), Some("CONFLICT"), "a key is rotated once: {again}");
    assert_eq!(report(new_secret.clone(), "K-2").await.0, 200);
    assert_eq!(report(old_secret.clone(), "K-3").await.0, 200, "the grace period");
    app.clock.advance(Duration::from_secs(2 * 3600 + 1));
    assert_eq!(report(old_secret.clone(), "K-4").await.0, 401, "after the grace period");
    assert_eq!(report(new_secret.clone(), "K-5").await.0, 200);

    // Expiry: the new key lives as long as the old one was meant to (30 days).
    app.clock.advance(Duration::from_secs(31 * 86_400));
    assert_eq!(report(new_secret.clone(), "K-6").await.0, 401, "expired");

    // (The admin's session expired with the jumps of the clock.)
    let admin = app.staff(Role::Admin).await.token;
    let body = app
        .gql(
            Some(&admin),
            "query { apiKeys { totalCount } all: apiKeys(includeInactive: true) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(
        (
            body["data"]["apiKeys"]["totalCount"].as_i64(),
            body["data"]["all"]["totalCount"].as_i64()
        ),
        (Some(0), Some(3)),
        "{body}"
    );

    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE action LIKE 'api_key.%' ORDER BY at, id")
            .fetch_all(app.db.pool())
            .await
            .unwrap();
    assert_eq!(
        actions,
        ["api_key.create", "api_key.create", "api_key.revoke", "api_key.rotate"]
    );
    let _ = now;
}

#[tokio::test]
async fn phones_are_erased_after_the_retention_period() {
    let w = world(Options {
        tweak: Box::new(|s| {
            s.assignment.expiry_interval_secs = 1;
            s.privacy.phone_retention_days = 90;
        }),
        ..Options::default()
    })
    .await;
    let app = &w.app;
    let issued = create_key(
        &w,
        json!({ "name": "Черга", "scopes": ["events:write"], "clientId": w.setup.client }),
    )
    .await;
    let secret = issued["secret"].as_str().unwrap().to_string();
    let now = app.clock.now_ms();
    let mut e = event("P-1", "LV-1", 1, now);
    e["phone"] = json!("+380501234567");
    e["consent"] = json!(true);
    let (status, body) = post_events(app, Some(&secret), json!({ "events": [e] }), "uk").await;
    assert_eq!((status, body["accepted"].as_i64()), (200, Some(1)), "{body}");
    app.clock.advance(Duration::from_secs(91 * 86_400));
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let row: (Option<String>, Option<String>, Option<String>, Option<i64>) =
            sqlx::query_as("SELECT phone_cipher, phone_hash, phone_masked, phone_erased_at FROM service_events")
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        if row.0.is_none() {
            assert_eq!((row.1, row.2), (None, None));
            assert!(row.3.is_some());
            break;
        }
        assert!(Instant::now() < deadline, "the phone was not erased");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(app.count("service_events").await, 1, "the event itself stays");
}

#[tokio::test]
async fn staff_upload_a_csv_of_services() {
    let w = world(Options::default()).await;
    let app = &w.app;
    let coordinator = app.staff(Role::Coordinator).await.token;
    let today = chrono::DateTime::from_timestamp_millis(app.clock.now_ms() - 3_600_000)
        .unwrap()
        .with_timezone(&chrono_tz::Europe::Kyiv)
        .format("%Y-%m-%d %H:%M")
        .to_string();
    let csv = format!(
        "external_id;center;service;completed_at;phone;messenger;consent\n\
         C-1;LV-1;PASSPORT;{today};050 123 45 67;SMS;так\n\
         C-2;LV-1;НЕМАЄ;{today};;;\n\
         C-3;LV-1;PASSPORT;{today};;;\n"
    );
    let query =
        "mutation($c: ID!, $file: Upload!) { importServiceEvents(clientId: $c, file: $file) { accepted refused \
                 results { index status errors { field code } } } }";
    let (status, body) = app
        .upload(
            Some(&coordinator),
            query,
            json!({ "c": w.setup.client }),
            "file",
            "events.csv",
            csv.into_bytes(),
        )
        .await;
    assert_eq!(status, 200);
    let batch = &body["data"]["importServiceEvents"];
    assert_eq!(
        (batch["accepted"].as_i64(), batch["refused"].as_i64()),
        (Some(2), Some(1)),
        "{body}"
    );
    assert_eq!(batch["results"][1]["index"], 3, "rows as a spreadsheet numbers them");
    assert_eq!(batch["results"][1]["errors"][0]["field"], "service");
    let source: String = sqlx::query_scalar("SELECT source FROM service_events WHERE external_id = 'C-1'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(source, "CSV");
}
