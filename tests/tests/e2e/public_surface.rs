//! The public surface under attack, from outside over HTTP: a flood through a trusted proxy with made-up
//! forwarding headers cannot move a center's published index; no URL or form field with a NUL or a hidden
//! character reaches the database (404/400/422 on both databases, nothing stored); a rebuild of the index
//! racing live feedback ends equal to a recount; the map and open data count responses, not answers; a form
//! posted from another site, through the map for a company's shop, or through a retired QR code is refused; a
//! stranger guessing from many addresses cannot lock the owner's own browser out.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use fieldwork::domain::Role;
use fieldwork_e2e::{error_code, form_token, Options, TestApp, PASSWORD};
use serde_json::{json, Value};

/// Behind the test's "load balancer" (this machine), answering takes no time, and the index is recomputed
/// every second with small thresholds.
fn behind_a_proxy() -> Options {
    Options {
        tweak: Box::new(|s| {
            s.http.trusted_proxies = vec!["127.0.0.1".into()];
            s.feedback.min_fill_seconds = 0;
            s.index.refresh_secs = 1;
            s.index.method.min_responses = 3;
            s.index.method.headline_min_n = 3;
        }),
        ..Options::default()
    }
}

/// A public body's center (on the portal), made by a coordinator.
async fn public_center(app: &TestApp, code: &str) -> String {
    let coordinator = app.staff(Role::Coordinator).await.token;
    let setup = app.client_with_checklist(&coordinator, "Львівська міська рада").await;
    app.venue_at(&setup, code, "ЦНАП Личаківського району", (49.83, 24.05))
        .await
}

struct Sent {
    status: u16,
    body: String,
}

/// One visitor through the map's form: the page (which sets a new device cookie) and the answer, both with
/// this `X-Forwarded-For` (what the proxy passes on) and any extra headers on the post.
async fn respond(app: &TestApp, venue: &str, forwarded: &str, fields: &[(&str, &str)], extra: &[(&str, &str)]) -> Sent {
    let client = reqwest::Client::new();
    let page = client
        .get(format!("{}/feedback/{venue}", app.base_url))
        .header("x-forwarded-for", forwarded)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let cookie = page
        .headers()
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
        .expect("the form sets a device cookie");
    let token = form_token(&page.text().await.unwrap());
    let mut all = vec![("token", token.as_str())];
    all.extend_from_slice(fields);
    let mut post = client
        .post(format!("{}/feedback/{venue}", app.base_url))
        .header("x-forwarded-for", forwarded)
        .header("cookie", cookie)
        .form(&all);
    for (name, value) in extra {
        post = post.header(*name, *value);
    }
    let response = post.send().await.unwrap();
    Sent {
        status: response.status().as_u16(),
        body: response.text().await.unwrap(),
    }
}

const TERRIBLE: &[(&str, &str)] = &[
    ("premises", "1"),
    ("staff", "1"),
    ("waiting", "1"),
    ("result", "1"),
    ("recommend", "0"),
];

/// What the index holds for a venue, every period (time of computing left out).
async fn index_of(app: &TestApp, venue: &str) -> BTreeMap<String, (i64, Option<f64>, String)> {
    let rows: Vec<(String, i64, Option<f64>, String)> =
        sqlx::query_as("SELECT period, responses, headline, detail FROM quality_index WHERE venue_id = $1")
            .bind(venue)
            .fetch_all(app.db.pool())
            .await
            .unwrap();
    rows.into_iter().map(|(p, n, h, d)| (p, (n, h, d))).collect()
}

/// Waits until the index was recomputed after `since` (ms).
async fn recomputed_after(app: &TestApp, venue: &str, since: i64) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let at: Option<i64> = sqlx::query_scalar("SELECT MIN(computed_at) FROM quality_index WHERE venue_id = $1")
            .bind(venue)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        if at.is_some_and(|at| at > since) {
            return;
        }
        assert!(Instant::now() < deadline, "the index was not recomputed");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// `n` counted, glowing responses to the venue in the hours before (one every 5 minutes, ending 40 minutes
/// ago), as if sent one by one.
async fn seed_history(app: &TestApp, venue: &str, n: i64) {
    let now = app.db.now_ms();
    for i in 0..n {
        sqlx::query(
            "INSERT INTO feedback_responses (id, venue_id, channel, premises, staff, waiting, result, recommend, \
             masked_kinds, callback_consent, risk_score, risk_reasons, counted, moderation, device_hash, address_hash, \
             submission_key, created_at, new_device) \
             VALUES ($1, $2, 'QR', 4, 4, 3, 4, 10, '', 0, 0, '[]', 1, 'NONE', $3, $4, $5, $6, 1)",
        )
        .bind(fieldwork::db::new_id())
        .bind(venue)
        .bind(format!("device-{i}"))
        .bind(format!("address-{i}"))
        .bind(format!("history-{i}"))
        .bind(now - 40 * 60_000 - (n - 1 - i) * 300_000)
        .execute(app.db.pool())
        .await
        .unwrap();
    }
    quality(app).rebuild().await.unwrap();
}

fn quality(app: &TestApp) -> fieldwork::quality::Quality {
    fieldwork::quality::Quality::new(app.db.clone(), app.settings.index.method.clone())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_through_a_trusted_proxy_cannot_move_the_published_index() {
    let app = TestApp::spawn_with(behind_a_proxy()).await;
    let venue = public_center(&app, "L-1").await;
    seed_history(&app, &venue, 40).await;
    let started = app.db.now_ms();
    recomputed_after(&app, &venue, started - 1).await;
    let before = index_of(&app, &venue).await;
    let in_months: i64 = before
        .iter()
        .filter(|(p, _)| !p.contains('Q'))
        .map(|(_, (n, _, _))| n)
        .sum();
    assert_eq!(in_months, 40, "{before:?}");
    assert!(before.values().any(|(_, headline, _)| headline.is_some()), "{before:?}");

    // One attacker behind the proxy, each post with a made-up address where the client writes, and the proxy
    // appending the address it saw: the right-most untrusted address is the attacker's, so its hourly limit
    // holds, however many addresses are made up.
    let mut statuses = BTreeMap::new();
    for i in 0..60 {
        let forwarded = format!("10.{}.{}.{}, 203.0.113.7", i % 200, i / 200, i % 7);
        let sent = respond(&app, &venue, &forwarded, TERRIBLE, &[]).await;
        *statuses.entry(sent.status).or_insert(0) += 1;
    }
    assert_eq!(statuses.get(&200), Some(&20), "{statuses:?}");
    assert_eq!(statuses.get(&429), Some(&40), "{statuses:?}");

    // Many real addresses (a botnet) with fresh devices, in parallel: every response is kept, none counts.
    let app = Arc::new(app);
    let mut tasks = Vec::new();
    for worker in 0..6 {
        let app = app.clone();
        let venue = venue.clone();
        tasks.push(tokio::spawn(async move {
            let mut ok = 0;
            for i in 0..40 {
                let forwarded = format!("6.6.6.{i}, 198.51.{worker}.{i}");
                if respond(&app, &venue, &forwarded, TERRIBLE, &[]).await.status == 200 {
                    ok += 1;
                }
            }
            ok
        }));
    }
    let mut kept = 0;
    for task in tasks {
        kept += task.await.unwrap();
    }
    assert_eq!(kept, 240, "each address sent 1 post");
    let flood_ended = app.db.now_ms();
    let (stored, counted): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(counted), 0) AS BIGINT) FROM feedback_responses WHERE venue_id = $1 \
         AND created_at >= $2",
    )
    .bind(&venue)
    .bind(started)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(stored, 260);
    assert_eq!(
        counted, 0,
        "a burst of new devices is held, the first few of it included"
    );
    let reasons: Vec<String> =
        sqlx::query_scalar("SELECT risk_reasons FROM feedback_responses WHERE venue_id = $1 AND created_at >= $2")
            .bind(&venue)
            .bind(started)
            .fetch_all(app.db.pool())
            .await
            .unwrap();
    assert!(
        reasons.iter().all(|r| r.contains("burst")),
        "every held response says why: {reasons:?}"
    );

    // The published index, the map and open data are what they were.
    recomputed_after(&app, &venue, flood_ended).await;
    assert_eq!(index_of(&app, &venue).await, before);
    let map: Value = reqwest::get(format!("{}/map/centers.json", app.base_url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let entry = map["centers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == venue.as_str())
        .unwrap();
    assert_eq!(entry["responses"], 40, "{entry}");
    // A recount agrees with the running tallies.
    let tallies = tallies(&app).await;
    quality(&app).rebuild().await.unwrap();
    assert_eq!(tallies, self::tallies(&app).await);

    // Held is not lost: a moderator who judges one genuine counts it after all, and can take it out again;
    // each decision moves the tallies once, is audited, and repeating it changes nothing.
    let coordinator = app.staff(Role::Coordinator).await.token;
    let held: String = sqlx::query_scalar(
        "SELECT id FROM feedback_responses WHERE venue_id = $1 AND counted = 0 ORDER BY created_at LIMIT 1",
    )
    .bind(&venue)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let month_responses = |app: Arc<TestApp>| async move {
        let n: i64 = sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(responses), 0) AS BIGINT) FROM index_tallies WHERE period NOT LIKE '%Q%'",
        )
        .fetch_one(app.db.pool())
        .await
        .unwrap();
        n
    };
    for (counted, expected) in [(true, 41), (true, 41), (false, 40), (true, 41)] {
        let body = app
            .gql(
                Some(&coordinator),
                "mutation($id: ID!, $c: Boolean!) { countFeedback(id: $id, counted: $c) { id counted } }",
                json!({ "id": held, "c": counted }),
            )
            .await;
        assert_eq!(body["data"]["countFeedback"]["counted"], counted, "{body}");
        assert_eq!(month_responses(app.clone()).await, expected);
    }
    let decisions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE subject_id = $1")
        .bind(&held)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(decisions, 3);
    // The moderator's decision stands when the center is flooded again.
    respond(&app, &venue, "6.6.6.6, 198.51.200.1", TERRIBLE, &[]).await;
    assert_eq!(month_responses(app.clone()).await, 41);
    let tallies = self::tallies(&app).await;
    quality(&app).rebuild().await.unwrap();
    assert_eq!(tallies, self::tallies(&app).await);
}

/// The running tallies, as rows of text and numbers (time of writing left out).
async fn tallies(app: &TestApp) -> Vec<Vec<String>> {
    use sqlx::Row as _;
    let rows = sqlx::query(
        "SELECT period, venue_id, channel, responses, rated, premises_n, premises_pos, staff_n, staff_pos, waiting_n, \
         waiting_pos, result_n, result_pos, recommend, promoters, detractors FROM index_tallies \
         WHERE responses <> 0 OR visits <> 0 ORDER BY period, venue_id, channel",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    rows.iter()
        .map(|row| {
            (0..3)
                .map(|i| row.get::<String, _>(i))
                .chain((3..16).map(|i| row.get::<i64, _>(i).to_string()))
                .collect()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rebuild_racing_live_feedback_ends_equal_to_a_recount() {
    let app = TestApp::spawn_with(behind_a_proxy()).await;
    let coordinator = app.staff(Role::Coordinator).await.token;
    let setup = app.client_with_checklist(&coordinator, "Одеська міська рада").await;
    let mut venues = Vec::new();
    for i in 0..30 {
        venues.push(
            app.venue_at(
                &setup,
                &format!("O-{i}"),
                &format!("ЦНАП {i}"),
                (46.4 + i as f64 / 100.0, 30.7),
            )
            .await,
        );
    }
    let app = Arc::new(app);
    let mut senders = Vec::new();
    for worker in 0..4 {
        let app = app.clone();
        let venues = venues.clone();
        senders.push(tokio::spawn(async move {
            // Four responses per center at most: no burst, so every one counts.
            for (i, venue) in venues.iter().enumerate() {
                let forwarded = format!("198.51.{worker}.{i}");
                let sent = respond(&app, venue, &forwarded, &[("staff", "4"), ("recommend", "9")], &[]).await;
                assert_eq!(sent.status, 200, "{}", sent.body);
            }
        }));
    }
    let mut rebuilds = 0;
    while senders.iter().any(|s| !s.is_finished()) {
        quality(&app).rebuild().await.unwrap();
        rebuilds += 1;
    }
    for sender in senders {
        sender.await.unwrap();
    }
    assert!(rebuilds >= 2, "the rebuild ran beside the responses ({rebuilds} times)");
    let live = tallies(&app).await;
    let counted: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM feedback_responses WHERE counted = 1")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(counted, 120);
    quality(&app).rebuild().await.unwrap();
    assert_eq!(live, tallies(&app).await, "the tallies equal a recount");
    let month_total: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(responses), 0) AS BIGINT) FROM index_tallies WHERE period NOT LIKE '%Q%'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(month_total, 120);
}

#[tokio::test]
async fn nul_and_hidden_characters_in_urls_and_fields_are_refused_on_every_route() {
    let app = TestApp::spawn_with(behind_a_proxy()).await;
    let venue = public_center(&app, "N-1").await;
    let admin = app.staff(Role::Admin).await.token;
    let client_id: String = sqlx::query_scalar("SELECT client_id FROM venues WHERE id = $1")
        .bind(&venue)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let long = "a".repeat(300);
    for (method, path, expected) in [
        ("GET", "/feedback/%00".to_string(), 404),
        ("POST", "/feedback/%00".to_string(), 404),
        ("GET", "/q/%00.abc".to_string(), 404),
        ("GET", "/map/centers/%00".to_string(), 404),
        ("GET", "/map/oblast/%00".to_string(), 404),
        ("GET", "/map/oblast/%E2%80%AE".to_string(), 404),
        ("GET", format!("/feedback/{venue}%0A"), 404),
        ("GET", format!("/app/{long}"), 404),
        ("GET", format!("/console/{long}"), 404),
        ("GET", format!("/app/assets/{long}.js"), 404),
        ("GET", format!("/map/centers/{long}"), 404),
        ("GET", format!("/clients/{client_id}/posters.zip?oblast=%00"), 400),
        ("GET", "/map/search?q=%00".to_string(), 400),
        ("GET", "/open-data/quality-index.csv?period=2026-Q4%00".to_string(), 400),
    ] {
        let request = match method {
            "GET" => http.get(format!("{}{path}", app.base_url)),
            _ => http.post(format!("{}{path}", app.base_url)).form(&[("premises", "4")]),
        };
        let response = request.bearer_auth(&admin).send().await.unwrap();
        assert_eq!(response.status().as_u16(), expected, "{method} {path}");
    }

    // Form fields: every one refused in words, the form shown again, nothing stored.
    let form = |name: &'static str, value: String| -> Vec<(&'static str, String)> {
        let mut fields = vec![
            ("premises", "3".to_string()),
            ("callback", "yes".to_string()),
            ("contact_name", "Олена".to_string()),
            ("contact_phone", "+380501234567".to_string()),
        ];
        fields.retain(|(n, _)| *n != name);
        fields.push((name, value));
        fields
    };
    for (fields, field) in [
        (form("contact_name", "Оле\u{0}на".into()), "contactName"),
        (form("contact_name", "\u{200B}\u{200B}".into()), "contactName"),
        (form("contact_name", "Олена\u{202E}анеЛО".into()), "contactName"),
        (form("contact_name", "я".repeat(100_000)), "contactName"),
        (form("comment", "усе \u{202E}добре".into()), "comment"),
        (form("comment", "a\u{0}b".into()), "comment"),
        (form("contact_email", "a\u{0}@example.org".into()), "contactEmail"),
    ] {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let sent = respond(&app, &venue, "198.51.100.9", &fields, &[]).await;
        assert_eq!(sent.status, 422, "{field}: {}", &sent.body[..sent.body.len().min(400)]);
        assert!(sent.body.contains(&format!("href=\"#{field}\"")), "{field} is named");
    }
    assert_eq!(app.count("feedback_responses").await, 0);
}

#[tokio::test]
async fn the_map_and_open_data_count_responses_not_answers() {
    let app = TestApp::spawn_with(behind_a_proxy()).await;
    let venue = public_center(&app, "C-1").await;
    // One person rates only, one answers only "recommend", one does both: three responses.
    for (i, fields) in [
        vec![("premises", "4")],
        vec![("recommend", "10")],
        vec![("staff", "3"), ("recommend", "6")],
    ]
    .into_iter()
    .enumerate()
    {
        let sent = respond(&app, &venue, &format!("198.51.100.{i}"), &fields, &[]).await;
        assert_eq!(sent.status, 200, "{}", sent.body);
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let data: Value = reqwest::get(format!("{}/open-data/quality-index.json", app.base_url))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let row = data["centers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["venue_id"] == venue.as_str())
            .cloned();
        if row.as_ref().is_some_and(|r| r["responses"] == 3) {
            break;
        }
        assert!(Instant::now() < deadline, "open data should count 3 responses: {row:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let page = reqwest::get(format!("{}/map/centers/{venue}", app.base_url))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("3 відгук") || page.contains(">3<"),
        "the center page shows 3 responses"
    );
}

#[tokio::test]
async fn forms_from_another_site_a_company_s_shop_or_a_retired_code_are_refused() {
    let app = TestApp::spawn_with(behind_a_proxy()).await;
    let venue = public_center(&app, "X-1").await;
    // Another site's page posting through its visitor's browser: refused, the form shown with the answers.
    for extra in [
        vec![("origin", "https://evil.example"), ("sec-fetch-site", "cross-site")],
        vec![("origin", "https://evil.example")],
        vec![("origin", "null")],
        vec![("sec-fetch-site", "same-site")],
    ] {
        let sent = respond(
            &app,
            &venue,
            "198.51.100.20",
            &[("staff", "2"), ("comment", "черга")],
            &extra,
        )
        .await;
        assert_eq!(sent.status, 403, "{extra:?}");
        assert!(
            sent.body.contains("з іншого сайту") && sent.body.contains("черга"),
            "{extra:?}"
        );
    }
    assert_eq!(app.count("feedback_responses").await, 0);
    // The service's own page (a browser says so), and a client that is not a browser, are accepted.
    let own = app.base_url.clone();
    let sent = respond(
        &app,
        &venue,
        "198.51.100.21",
        &[("staff", "4")],
        &[("origin", &own), ("sec-fetch-site", "same-origin")],
    )
    .await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    let sent = respond(&app, &venue, "198.51.100.22", &[("staff", "4")], &[("origin", &own)]).await;
    assert_eq!(sent.status, 200, "{}", sent.body);

    // A company's shop has no public form on the map (its QR code still works).
    let coordinator = app.staff(Role::Coordinator).await.token;
    let body = app
        .gql(
            Some(&coordinator),
            "mutation { createClient(name: \"Мережа кав'ярень\", kind: RESTAURANT_CHAIN) { id } }",
            json!({}),
        )
        .await;
    let chain = body["data"]["createClient"]["id"].as_str().unwrap().to_string();
    let setup = fieldwork_e2e::ClientSetup {
        token: coordinator.clone(),
        client: chain,
        version: String::new(),
    };
    let shop = app.venue_at(&setup, "S-1", "Кав'ярня на Ринку", (49.84, 24.03)).await;
    for response in [
        reqwest::get(format!("{}/feedback/{shop}", app.base_url)).await.unwrap(),
        reqwest::Client::new()
            .post(format!("{}/feedback/{shop}", app.base_url))
            .form(&[("staff", "4")])
            .send()
            .await
            .unwrap(),
    ] {
        assert_eq!(response.status().as_u16(), 404);
    }
    let body = app
        .gql(
            Some(&coordinator),
            "query($v: ID!) { feedbackCode(venueId: $v) { link } }",
            json!({ "v": shop }),
        )
        .await;
    let link = body["data"]["feedbackCode"]["link"].as_str().unwrap().to_string();
    assert_eq!(
        reqwest::get(&link).await.unwrap().status().as_u16(),
        200,
        "the shop's QR form"
    );

    // A form shown through a QR code that is then retired: refused there (404) and through the map (shown
    // again, fresh, nothing stored).
    let body = app
        .gql(
            Some(&coordinator),
            "query($v: ID!) { feedbackCode(venueId: $v) { link } }",
            json!({ "v": venue }),
        )
        .await;
    let link = body["data"]["feedbackCode"]["link"].as_str().unwrap().to_string();
    let page = reqwest::get(&link).await.unwrap();
    let cookie = page
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let token = form_token(&page.text().await.unwrap());
    let body = app
        .gql(
            Some(&coordinator),
            "mutation($v: ID!) { rotateFeedbackCode(venueId: $v) { link } }",
            json!({ "v": venue }),
        )
        .await;
    assert!(body["data"]["rotateFeedbackCode"]["link"].is_string(), "{body}");
    let before = app.count("feedback_responses").await;
    let http = reqwest::Client::new();
    let retired = http
        .post(&link)
        .header("cookie", &cookie)
        .form(&[("token", token.as_str()), ("staff", "4")])
        .send()
        .await
        .unwrap();
    assert_eq!(retired.status().as_u16(), 404);
    let through_map = http
        .post(format!("{}/feedback/{venue}", app.base_url))
        .header("cookie", &cookie)
        .form(&[("token", token.as_str()), ("staff", "4")])
        .send()
        .await
        .unwrap();
    let text = through_map.text().await.unwrap();
    assert!(text.contains("Форма застаріла"), "{text}");
    assert_eq!(app.count("feedback_responses").await, before);
}

const LOGIN: &str = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }";

/// A login from `address` with this `fw_login` cookie (if any); the body and the device cookie it set.
async fn login(app: &TestApp, address: &str, password: &str, device: Option<&str>) -> (Value, Option<String>) {
    let mut request = reqwest::Client::new()
        .post(format!("{}/graphql", app.base_url))
        .header("x-forwarded-for", address)
        .json(&json!({ "query": LOGIN, "variables": { "e": "owner@example.com", "p": password } }));
    if let Some(device) = device {
        request = request.header("cookie", device);
    }
    let response = request.send().await.unwrap();
    let set = response
        .headers()
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().to_string());
    if let Some(set) = &set {
        assert!(set.contains("HttpOnly") && set.contains("SameSite=Strict"), "{set}");
    }
    (
        response.json().await.unwrap(),
        set.map(|s| s.split(';').next().unwrap().to_string()),
    )
}

#[tokio::test]
async fn guesses_from_many_addresses_do_not_lock_the_owner_s_own_browser_out() {
    let app = TestApp::spawn_with(Options {
        tweak: Box::new(|s| {
            s.http.trusted_proxies = vec!["127.0.0.1".into()];
            s.auth.max_failures_per_account_all_addresses = 20;
        }),
        ..Default::default()
    })
    .await;
    app.quick_shopper("owner@example.com", 49.8, 24.0, 20.0, true).await;
    // The owner logs in from home once: their browser gets a device cookie.
    let (body, device) = login(&app, "198.51.100.7", PASSWORD, None).await;
    assert!(body["data"]["login"]["token"].is_string(), "{body}");
    let device = device.expect("a device cookie");
    // A stranger guesses from rotating addresses until the account-wide limit is reached …
    for i in 0..25 {
        login(&app, &format!("203.0.113.{i}"), "guessing again!", None).await;
    }
    let (body, _) = login(&app, "203.0.113.200", PASSWORD, None).await;
    assert_eq!(error_code(&body), Some("RATE_LIMITED"), "a new browser waits: {body}");
    // … but the owner's own browser, even from a new address, logs in at once, and gets no second cookie.
    let (body, again) = login(&app, "192.0.2.50", PASSWORD, Some(&device)).await;
    assert!(body["data"]["login"]["token"].is_string(), "{body}");
    assert_eq!(again, None);
    // A cookie made for another account, or tampered with, is no device of this one.
    let last = if device.ends_with('0') { '1' } else { '0' };
    let forged = format!("{}{last}", &device[..device.len() - 1]);
    let (body, _) = login(&app, "192.0.2.51", PASSWORD, Some(&forged)).await;
    assert_eq!(error_code(&body), Some("RATE_LIMITED"), "{body}");
}

#[tokio::test]
async fn only_a_test_server_on_loopback_lets_its_clock_be_moved_over_http() {
    let app = TestApp::spawn().await;
    let http = reqwest::Client::new();
    let moved = http
        .post(format!("{}/testing/clock", app.base_url))
        .json(&json!({ "advanceMs": 86_400_000 }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        moved.status().as_u16(),
        404,
        "a service without testing.clock_control has no such route"
    );
    assert_eq!(app.clock.offset_ms(), 0);

    let test_server = TestApp::spawn_with(Options {
        tweak: Box::new(|s| s.testing.clock_control = true),
        ..Default::default()
    })
    .await;
    let moved: Value = http
        .post(format!("{}/testing/clock", test_server.base_url))
        .json(&json!({ "advanceMs": 86_400_000 }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(test_server.clock.offset_ms() >= 86_400_000);
    assert!(moved["nowMs"].as_i64().unwrap() >= test_server.db.now_ms() - 1_000);

    let mut settings = test_server.settings.clone();
    settings.listen = "0.0.0.0:0".parse().unwrap();
    let refused = fieldwork::startup::Application::build(settings)
        .await
        .err()
        .expect("refused");
    assert!(refused.to_string().contains("loopback"), "{refused}");
}
