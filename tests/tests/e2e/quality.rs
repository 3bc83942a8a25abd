//! The quality index from outside over HTTP: citizens' responses and approved visits make one index per center,
//! recomputed by the service on its own; the public portal (oblast list, search, a center's page) and the open
//! data show it with its counts; a comment appears publicly only masked and after moderation; staff read the
//! same numbers over GraphQL; a revoked approval leaves the index; a rebuild from scratch agrees.

use std::time::{Duration, Instant};

use fieldwork::domain::Role;
use fieldwork_e2e::{error_code, Options, TestApp};
use serde_json::{json, Value};

fn app_options() -> Options {
    Options {
        tweak: Box::new(|s| {
            s.feedback.min_fill_seconds = 1;
            // Each response comes from its own address, as behind the load balancer.
            s.http.trusted_proxies = vec!["127.0.0.1".into()];
            s.index.refresh_secs = 1;
            s.index.method.min_responses = 3;
            s.index.method.headline_min_n = 3;
        }),
        ..Options::default()
    }
}

async fn page(app: &TestApp, path: &str) -> (u16, String) {
    let response = reqwest::get(format!("{}{path}", app.base_url)).await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn json_at(app: &TestApp, path: &str) -> Value {
    let (status, body) = page(app, path).await;
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap()
}

/// One citizen's response through the map's form: a new device (cookie) at its own address.
async fn respond(app: &TestApp, venue: &str, address: &str) -> (String, String) {
    let client = reqwest::Client::new();
    let form = client
        .get(format!("{}/feedback/{venue}", app.base_url))
        .header("x-forwarded-for", address)
        .send()
        .await
        .unwrap();
    let cookie = form
        .headers()
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
        .expect("the form sets the device cookie");
    (cookie, fieldwork_e2e::form_token(&form.text().await.unwrap()))
}

async fn send(app: &TestApp, venue: &str, address: &str, cookie: &str, token: &str, fields: &[(&str, &str)]) {
    let mut all = vec![("token", token)];
    all.extend_from_slice(fields);
    let response = reqwest::Client::new()
        .post(format!("{}/feedback/{venue}", app.base_url))
        .header("x-forwarded-for", address)
        .header("cookie", cookie)
        .form(&all)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    assert_eq!(status, 200, "{text}");
}

/// The map's entry for a venue, once the index shows `responses` responses (the service recomputes on its own).
async fn wait_for_count(app: &TestApp, venue: &str, responses: i64, visits: i64) -> Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let map = json_at(app, "/map/centers.json").await;
        let entry = map["centers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == venue)
            .cloned()
            .unwrap_or_else(|| panic!("the venue is on the map: {map}"));
        if entry["responses"] == responses && entry["visits"] == visits {
            return entry;
        }
        assert!(
            Instant::now() < deadline,
            "the index never showed {responses}/{visits}: {entry}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn responses_and_visits_make_one_index_on_the_public_map_and_in_open_data() {
    let app = TestApp::spawn_with(app_options()).await;
    // Two approved visits of "HEL-1" (scores 100 and 12.5) of a public body.
    let (f, _wave) = crate::results::approved_wave(&app).await;
    let venue: String = sqlx::query_scalar("SELECT venue_id FROM tasks WHERE id = $1")
        .bind(&f.tasks[0])
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let venue_name: String = sqlx::query_scalar("SELECT name FROM venues WHERE id = $1")
        .bind(&venue)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    // Its oblast and size class make its stratum (the size class is taken in any case, stored upper case).
    let body = app
        .gql(
            Some(&f.coordinator),
            "mutation($v: ID!) { updateVenue(id: $v, input: { oblast: \"Київська\", sizeClass: \"large\" }) { oblast sizeClass } }",
            json!({ "v": venue }),
        )
        .await;
    assert_eq!(body["data"]["updateVenue"]["sizeClass"], "LARGE", "{body}");
    let body = app
        .gql(
            Some(&f.coordinator),
            "mutation($v: ID!) { updateVenue(id: $v, input: { sizeClass: \"huge\" }) { sizeClass } }",
            json!({ "v": venue }),
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["field"], "sizeClass", "{body}");

    // Four citizens: every dimension чудово (4), would recommend 10; one writes a comment with a phone number.
    let mut forms = Vec::new();
    for i in 0..4 {
        let address = format!("198.51.100.{}", i + 1);
        let (cookie, token) = respond(&app, &venue, &address).await;
        forms.push((address, cookie, token));
    }
    app.clock.advance(Duration::from_secs(2)); // people take more than the minimum fill time
    for (i, (address, cookie, token)) in forms.iter().enumerate() {
        let comment = if i == 0 {
            "Швидко і ввічливо. Мій телефон 067 123 45 67, передзвоніть."
        } else {
            ""
        };
        send(
            &app,
            &venue,
            address,
            cookie,
            token,
            &[
                ("premises", "4"),
                ("staff", "4"),
                ("waiting", "4"),
                ("result", "4"),
                ("recommend", "10"),
                ("comment", comment),
            ],
        )
        .await;
    }

    // The map shows the center with its counts and its index. By hand (one center, so its own pool is the
    // prior): ratings 100, loyalty 100, mystery (100 + 12.5)/2 = 56.25; headline 0.4·100 + 0.2·100 +
    // 0.4·56.25 = 82.5.
    let entry = wait_for_count(&app, &venue, 4, 2).await;
    assert_eq!(entry["index"], 82.5, "{entry}");

    let open = json_at(&app, "/open-data/quality-index.json").await;
    assert_eq!(open["licence"], "CC BY 4.0");
    let row = open["centers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["venue_id"] == venue.as_str())
        .cloned()
        .unwrap();
    assert_eq!(
        (
            &row["responses"],
            &row["visits"],
            &row["ratings"],
            &row["ratings_n"],
            &row["loyalty"],
            &row["mystery"]
        ),
        (
            &json!(4),
            &json!(2),
            &json!(100.0),
            &json!(4),
            &json!(100.0),
            &json!(56.25)
        ),
        "{row}"
    );
    assert_eq!((&row["rank"], &row["rank_of"]), (&json!(1), &json!(1)));
    let (status, csv) = page(&app, "/open-data/quality-index.csv").await;
    assert_eq!(status, 200);
    let mut lines = csv.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("period,venue_id,code,name,oblast,hromada"));
    assert!(lines.any(|l| l.contains(&venue) && l.contains(",82.5,")), "{csv}");

    // The no-JavaScript way in: oblasts → the oblast's centers → the center's page.
    let (status, home) = page(&app, "/map/").await;
    assert_eq!(status, 200);
    let oblast = "Київська".to_string();
    assert!(home.contains(&oblast), "{home}");
    let oblast_path = format!(
        "/map/oblast/{}",
        percent_encoding::utf8_percent_encode(&oblast, percent_encoding::NON_ALPHANUMERIC)
    );
    let (status, list) = page(&app, &oblast_path).await;
    assert_eq!(status, 200, "{list}");
    assert!(list.contains(&venue_name) && list.contains("4 відгуків"), "{list}");
    let word = venue_name.split_whitespace().last().unwrap().to_lowercase();
    let (_, found) = page(
        &app,
        &format!(
            "/map/search?q={}",
            percent_encoding::utf8_percent_encode(&word, percent_encoding::NON_ALPHANUMERIC)
        ),
    )
    .await;
    assert!(found.contains(&format!("/map/centers/{venue}")), "{found}");
    let center_path = format!("/map/centers/{venue}");
    let (status, center) = page(&app, &center_path).await;
    assert_eq!(status, 200);
    assert!(
        center.contains(&format!("href=\"/feedback/{venue}\"")),
        "the page offers the form"
    );
    assert!(
        center.contains("4 відгуків") && center.contains("2 візитів"),
        "{center}"
    );
    assert!(
        center.contains("Опублікованих відгуків ще немає"),
        "nothing before moderation"
    );
    assert!(!center.contains("067 123"));
    let (_, english) = page(&app, &format!("{center_path}?lang=en")).await;
    assert!(english.contains("Leave feedback") && english.contains("lang=\"en\""));

    // A moderator publishes the comment: it shows masked.
    let coordinator = f.coordinator.clone();
    let body = app
        .gql(
            Some(&coordinator),
            "query($v: ID) { feedbackResponses(venueId: $v, moderation: PENDING) { edges { node { id } } } }",
            json!({ "v": venue }),
        )
        .await;
    let id = body["data"]["feedbackResponses"]["edges"][0]["node"]["id"].clone();
    let body = app
        .gql(
            Some(&coordinator),
            "mutation($id: ID!) { moderateFeedback(id: $id, publish: true) { moderation } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(body["data"]["moderateFeedback"]["moderation"], "PUBLISHED", "{body}");
    let (_, center) = page(&app, &center_path).await;
    assert!(center.contains("Швидко і ввічливо. Мій телефон [телефон]"), "{center}");
    assert!(!center.contains("067 123"));

    // Staff read the same numbers; bad input names its field; another client's viewer sees nothing.
    let table = "query($c: ID!, $p: String) { qualityIndex(clientId: $c, period: $p) { totalCount edges { node { \
        venueId responses visits headline { value low high } rank rankOf ratings { n estimate { value raw prior } } \
        mystery { n estimate { value low high } } breakdowns { channel measure n value } } } } }";
    let body = app.gql(Some(&coordinator), table, json!({ "c": f.client })).await;
    let node = &body["data"]["qualityIndex"]["edges"][0]["node"];
    assert_eq!(node["venueId"], venue.as_str(), "{body}");
    assert_eq!(node["headline"]["value"], 82.5);
    assert_eq!(node["mystery"]["n"], 2);
    assert_eq!(node["mystery"]["estimate"]["value"], 56.25);
    // Four answers per dimension are under the breakdown floor (10): none shown.
    assert_eq!(node["breakdowns"], json!([]));
    let body = app
        .gql(Some(&coordinator), table, json!({ "c": f.client, "p": "2026-13" }))
        .await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"), "{body}");
    assert_eq!(body["errors"][0]["extensions"]["field"], "period");
    let other = app.staff(Role::Coordinator).await.token;
    let elsewhere = app.client_with_checklist(&other, "Інша рада").await;
    let viewer = app.client_viewer(&elsewhere.client).await.token;
    let body = app.gql(Some(&viewer), table, json!({ "c": f.client })).await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");

    // A company's shop is measured for its owner only: not on the public map.
    let shop_client = app
        .gql(
            Some(&coordinator),
            "mutation { createClient(name: \"Мережа магазинів\", kind: RETAIL_CHAIN) { id } }",
            json!({}),
        )
        .await["data"]["createClient"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let shop = app
        .venue_at(
            &fieldwork_e2e::scenario::ClientSetup {
                token: coordinator.clone(),
                client: shop_client,
                version: String::new(),
            },
            "S-1",
            "Магазин на Соборній",
            (50.45, 30.52),
        )
        .await;
    let (status, _) = page(&app, &format!("/map/centers/{shop}")).await;
    assert_eq!(status, 404);
    let (status, missing) = page(&app, "/map/oblast/Nowhere").await;
    assert_eq!(status, 404);
    assert!(missing.contains("До карти центрів"));

    // Revoking an approval takes the visit out (only the 12.5 visit is left: mystery 12.5).
    let visit: String = sqlx::query_scalar("SELECT v.id FROM visits v WHERE v.task_id = $1 AND v.state = 'APPROVED'")
        .bind(&f.tasks[0])
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let body = app
        .gql(
            Some(&coordinator),
            "mutation($v: ID!) { revokeApproval(visitId: $v, reason: \"photo reused from another visit\") { state } }",
            json!({ "v": visit }),
        )
        .await;
    assert_eq!(body["data"]["revokeApproval"]["state"], "REJECTED", "{body}");
    let entry = wait_for_count(&app, &venue, 4, 1).await;
    // One visit is never certain: its interval is wide (docs/INDEX.md: the prior variance, ν = 4).
    let body = app.gql(Some(&coordinator), table, json!({ "c": f.client })).await;
    let mystery = &body["data"]["qualityIndex"]["edges"][0]["node"]["mystery"];
    assert_eq!(mystery["n"], 1, "{body}");
    let (low, high) = (
        mystery["estimate"]["low"].as_f64().unwrap(),
        mystery["estimate"]["high"].as_f64().unwrap(),
    );
    assert!(high - low > 25.0, "one visit's interval {low}…{high}");

    // A center moved to another size class is recomputed in its new stratum, with no new response.
    app.gql(
        Some(&coordinator),
        "mutation($v: ID!) { updateVenue(id: $v, input: { sizeClass: \"SMALL\" }) { sizeClass } }",
        json!({ "v": venue }),
    )
    .await;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let details: Vec<String> = sqlx::query_scalar("SELECT detail FROM quality_index WHERE venue_id = $1")
            .bind(&venue)
            .fetch_all(app.db.pool())
            .await
            .unwrap();
        if !details.is_empty() && details.iter().all(|d| d.contains("\"size_class\":\"SMALL\"")) {
            break;
        }
        assert!(Instant::now() < deadline, "the stratum never changed: {details:?}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let stored: Vec<(String, Option<f64>)> =
        sqlx::query_as("SELECT period, headline FROM quality_index WHERE venue_id = $1 ORDER BY period")
            .bind(&venue)
            .fetch_all(app.db.pool())
            .await
            .unwrap();

    // Starting over from the responses and visits themselves gives the same index.
    let report = fieldwork::quality::Quality::new(app.db.clone(), app.settings.index.method.clone())
        .rebuild()
        .await
        .unwrap();
    assert_eq!((report.responses, report.visits), (4, 1));
    let rebuilt: Vec<(String, Option<f64>)> =
        sqlx::query_as("SELECT period, headline FROM quality_index WHERE venue_id = $1 ORDER BY period")
            .bind(&venue)
            .fetch_all(app.db.pool())
            .await
            .unwrap();
    assert_eq!(stored, rebuilt);
    assert!(
        rebuilt.iter().any(|(_, h)| *h == entry["index"].as_f64()),
        "{rebuilt:?} {entry}"
    );

    // Staff who moderate download the period's responses as CSV and XLSX (raw comment beside the masked one).
    let http = reqwest::Client::new();
    let url = format!("{}/clients/{}/feedback", app.base_url, f.client);
    let csv = http.get(&url).bearer_auth(&coordinator).send().await.unwrap();
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("feedback-"));
    let csv = csv.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(&header[..4], ["id", "created_at", "venue_id", "venue_name"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 4, "{csv}");
    let commented = rows.iter().find(|r| !r[11].is_empty()).unwrap();
    assert!(commented[11].contains("067 123 45 67") && commented[12].contains("[телефон]"));
    assert_eq!(&commented[13], "PUBLISHED");
    let xlsx = app
        .download(&coordinator, &format!("/clients/{}/feedback?format=xlsx", f.client))
        .await;
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
    let sheet = calamine::Reader::worksheet_range(&mut workbook, "responses").unwrap();
    assert_eq!(sheet.height(), 5);
    for (query, field) in [("?period=2026-13", "period"), ("?format=pdf", "format")] {
        let bad = http
            .get(format!("{url}{query}"))
            .bearer_auth(&coordinator)
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), 400);
        let body: Value = bad.json().await.unwrap();
        assert_eq!(body["errors"][0]["extensions"]["field"], field, "{body}");
    }
    let reader_only = app.client_viewer(&f.client).await.token;
    let refused = http.get(&url).bearer_auth(&reader_only).send().await.unwrap();
    assert_eq!(refused.status(), 403);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_without_moderation_has_masked_comments_published_at_once_but_not_suspicious_ones() {
    let app = TestApp::spawn_with(app_options()).await;
    let coordinator = app.staff(Role::Coordinator).await.token;
    let setup = app.client_with_checklist(&coordinator, "Громада без модерації").await;
    let venue = app.venue_at(&setup, "N-1", "ЦНАП Нової громади", (48.5, 35.0)).await;
    let body = app
        .gql(
            Some(&coordinator),
            "mutation($c: ID!) { setClientFeedbackModeration(clientId: $c, moderated: false) { feedbackModerated } }",
            json!({ "c": setup.client }),
        )
        .await;
    assert_eq!(
        body["data"]["setClientFeedbackModeration"]["feedbackModerated"], false,
        "{body}"
    );

    // A person who took their time: published at once, masked.
    let (cookie, token) = respond(&app, &venue, "203.0.113.1").await;
    app.clock.advance(Duration::from_secs(2)); // the visitor answers
    let fields = [("staff", "3"), ("comment", "Дякую! Пишіть на olena@example.com")];
    send(&app, &venue, "203.0.113.1", &cookie, &token, &fields).await;
    // A script that answers at once: kept, but it waits for a moderator like before.
    let (cookie, token) = respond(&app, &venue, "203.0.113.2").await;
    let fields = [("staff", "1"), ("comment", "Жахливо, жахливо, жахливо")];
    send(&app, &venue, "203.0.113.2", &cookie, &token, &fields).await;

    let states: Vec<(String, i64)> =
        sqlx::query_as("SELECT moderation, counted FROM feedback_responses ORDER BY created_at")
            .fetch_all(app.db.pool())
            .await
            .unwrap();
    assert_eq!(states, vec![("PUBLISHED".to_string(), 1), ("PENDING".to_string(), 0)]);
    let (_, center) = page(&app, &format!("/map/centers/{venue}")).await;
    assert!(center.contains("Дякую! Пишіть на [e-mail]"), "{center}");
    assert!(!center.contains("olena@") && !center.contains("Жахливо, жахливо"));
    app.stop().await;
}
