//! Citizens' feedback from outside over HTTP: a venue's QR code (decoded from its PNG) leads to the form; a
//! forged or altered code is refused; a response is kept once however often the form is resent (also at the
//! same moment); the device's cooldown, the honeypot and bad fields are refused in words; a comment's personal
//! data is masked before moderation; a fast response is kept out of the index with its reason; rotating a code
//! retires the old poster only.

use std::time::Duration;

use fieldwork::domain::Role;
use fieldwork_e2e::{error_code, Options, TestApp};
use serde_json::{json, Value};

struct Page {
    status: u16,
    body: String,
    cookie: Option<String>,
}

async fn get(app: &TestApp, path: &str, cookie: Option<&str>) -> Page {
    let mut request = reqwest::Client::new().get(format!("{}{path}", app.base_url));
    if let Some(c) = cookie {
        request = request.header("cookie", c);
    }
    let response = request.send().await.unwrap();
    let cookie = response
        .headers()
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string());
    let status = response.status().as_u16();
    Page {
        status,
        body: response.text().await.unwrap(),
        cookie,
    }
}

async fn post(app: &TestApp, path: &str, cookie: Option<&str>, fields: &[(&str, &str)]) -> Page {
    let mut request = reqwest::Client::new()
        .post(format!("{}{path}", app.base_url))
        .form(fields);
    if let Some(c) = cookie {
        request = request.header("cookie", c);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    Page {
        status,
        body: response.text().await.unwrap(),
        cookie: None,
    }
}

use fieldwork_e2e::form_token as token;

async fn responses(app: &TestApp) -> i64 {
    app.count("feedback_responses").await
}

/// A venue and its QR link's path, as a coordinator gets them; the PNG is decoded to prove it carries the link.
async fn venue_with_code(app: &TestApp) -> (String, String, String) {
    let coordinator = app.staff(Role::Coordinator).await.token;
    let setup = app.client_with_checklist(&coordinator, "Київська міська рада").await;
    let venue = app
        .venue_at(&setup, "K-1", "ЦНАП Деснянського району", (50.51, 30.60))
        .await;
    let body = app
        .gql(
            Some(&coordinator),
            "query($v: ID!) { feedbackCode(venueId: $v) { link posterPath qrPngPath } }",
            json!({ "v": venue }),
        )
        .await;
    let code = &body["data"]["feedbackCode"];
    let link = code["link"].as_str().unwrap_or_else(|| panic!("{body}")).to_string();
    assert!(link.starts_with(&format!("{}/q/", app.base_url)), "{link}");
    // The PNG's code decodes to the same link.
    let png = app.download(&coordinator, code["qrPngPath"].as_str().unwrap()).await;
    let image = image::load_from_memory(&png).unwrap().to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(image);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1);
    let (_, decoded) = grids[0].decode().unwrap();
    assert_eq!(decoded, link);
    // The poster names the center and types out the link.
    let poster = String::from_utf8(app.download(&coordinator, code["posterPath"].as_str().unwrap()).await).unwrap();
    assert!(poster.contains("ЦНАП Деснянського району") && poster.contains(&link));
    // The same poster as a PDF: A4, with its text in embedded fonts.
    let pdf = reqwest::Client::new()
        .get(format!("{}/venues/{venue}/poster.pdf", app.base_url))
        .bearer_auth(&coordinator)
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let pdf = pdf.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF-") && String::from_utf8_lossy(&pdf).contains("DejaVuSans"));
    let path = link.trim_start_matches(&app.base_url).to_string();
    (coordinator, venue, path)
}

fn quick_app() -> Options {
    Options {
        tweak: Box::new(|s| s.feedback.min_fill_seconds = 1),
        ..Options::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_qr_code_leads_to_the_form_and_a_response_is_kept_once() {
    let app = TestApp::spawn_with(quick_app()).await;
    let (coordinator, venue, path) = venue_with_code(&app).await;

    // Forged or altered codes are refused like unknown ones.
    let (token_part, signature) = path.trim_start_matches("/q/").split_once('.').unwrap();
    let flipped: String = signature
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i == 0 {
                if c == 'a' {
                    'b'
                } else {
                    'a'
                }
            } else {
                c
            }
        })
        .collect();
    for bad in [
        format!("/q/{token_part}.{flipped}"),
        "/q/aaaaaaaaaa.aaaaaaaa".to_string(),
        "/q/nonsense".to_string(),
    ] {
        let page = get(&app, &bad, None).await;
        assert_eq!(page.status, 404, "{bad}");
        assert!(page.body.contains("Код не дійсний"));
    }

    // The form: Ukrainian, its CSP, a device cookie.
    let page = get(&app, &path, None).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<html lang=\"uk\"") && page.body.contains("ЦНАП Деснянського району"));
    assert!(page.body.contains("чудово") && page.body.contains("жахливо"));
    assert!(
        page.body.contains("Реєстрація місця проживання"),
        "the CNAP service catalogue"
    );
    let device = page.cookie.clone().expect("a device cookie");
    let form_token = token(&page.body);
    let english = get(&app, &format!("{path}?lang=en"), Some(&device)).await;
    assert!(english.body.contains("How were you served?") && english.cookie.is_none());

    // Bad fields are named; nothing is kept.
    let bad = post(
        &app,
        &path,
        Some(&device),
        &[("token", &form_token), ("recommend", "11"), ("staff", "7")],
    )
    .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.body.contains("має бути цілим числом від 0 до 10") && bad.body.contains("оберіть одну з чотирьох оцінок"),
        "{}",
        bad.body
    );
    assert_eq!(responses(&app).await, 0);

    // The same form sent twice at once, and again later: one response.
    app.clock.advance(Duration::from_secs(2)); // the visitor answers
    let fields = [
        ("token", form_token.as_str()),
        ("service", "RESIDENCE"),
        ("premises", "4"),
        ("staff", "3"),
        ("waiting", "1"),
        ("result", "4"),
        ("recommend", "9"),
        (
            "comment",
            "Чекала 50 хв. Мене звати Олена Коваль, мій телефон 067 123 45 67.",
        ),
    ];
    let (a, b) = tokio::join!(
        post(&app, &path, Some(&device), &fields),
        post(&app, &path, Some(&device), &fields)
    );
    assert_eq!((a.status, b.status), (200, 200), "{}", a.body);
    assert!(a.body.contains("Дякуємо за відгук!"));
    let again = post(&app, &path, Some(&device), &fields).await;
    assert_eq!(again.status, 200);
    assert_eq!(responses(&app).await, 1);

    // A new form from the same device the same day: the cooldown says so.
    let page = get(&app, &path, Some(&device)).await;
    let second = post(
        &app,
        &path,
        Some(&device),
        &[("token", &token(&page.body)), ("premises", "1")],
    )
    .await;
    assert_eq!(second.status, 409);
    assert!(second.body.contains("Відгук уже є"));
    // A bot fills the honeypot: refused, nothing kept.
    let fresh = get(&app, &path, None).await;
    let bot = post(
        &app,
        &path,
        fresh.cookie.as_deref(),
        &[
            ("token", &token(&fresh.body)),
            ("premises", "4"),
            ("website", "http://spam.example"),
        ],
    )
    .await;
    assert_eq!(bot.status, 400);
    // A form without its token (a script posting straight to the link) is shown again, nothing kept.
    let stale = post(&app, &path, fresh.cookie.as_deref(), &[("premises", "4")]).await;
    assert_eq!(stale.status, 200);
    assert!(stale.body.contains("Форма застаріла"));
    assert_eq!(responses(&app).await, 1);
    // Another person on the same network, answering at once: kept, but too fast to count.
    let other = get(&app, &path, None).await;
    let fast = post(
        &app,
        &path,
        other.cookie.as_deref(),
        &[("token", &token(&other.body)), ("premises", "1")],
    )
    .await;
    assert_eq!(fast.status, 200);
    assert_eq!(responses(&app).await, 2);

    // Staff: the masked comment waits for moderation; the fast one is suspicious, with its reason.
    let list =
        "query($v: ID!, $s: Boolean) { feedbackResponses(venueId: $v, suspicious: $s) { totalCount edges { node { \
                id channel serviceCode premises waiting recommend comment commentMasked masked moderation counted \
                riskScore riskReasons } } } }";
    let body = app
        .gql(Some(&coordinator), list, json!({ "v": venue, "s": false }))
        .await;
    let node = &body["data"]["feedbackResponses"]["edges"][0]["node"];
    assert_eq!(body["data"]["feedbackResponses"]["totalCount"], 1, "{body}");
    assert_eq!(node["channel"], "QR");
    assert_eq!(node["serviceCode"], "RESIDENCE");
    assert_eq!(
        (
            node["premises"].clone(),
            node["waiting"].clone(),
            node["recommend"].clone()
        ),
        (json!(4), json!(1), json!(9))
    );
    assert_eq!(
        node["commentMasked"],
        "Чекала 50 хв. Мене звати [ім'я], мій телефон [телефон]."
    );
    assert_eq!(node["masked"], json!(["Phone", "Name"]));
    assert_eq!(node["moderation"], "PENDING");
    let body = app
        .gql(Some(&coordinator), list, json!({ "v": venue, "s": true }))
        .await;
    let suspicious = &body["data"]["feedbackResponses"]["edges"][0]["node"];
    assert_eq!(suspicious["counted"], false, "{body}");
    assert!(
        suspicious["riskReasons"][0]
            .as_str()
            .unwrap()
            .starts_with("форму заповнено за 0 с"),
        "{body}"
    );

    // Moderation: publish once (repeating is harmless), then a different decision is a conflict.
    let id = node["id"].as_str().unwrap();
    let moderate = "mutation($id: ID!, $p: Boolean!) { moderateFeedback(id: $id, publish: $p) { moderation } }";
    for _ in 0..2 {
        let body = app
            .gql(Some(&coordinator), moderate, json!({ "id": id, "p": true }))
            .await;
        assert_eq!(body["data"]["moderateFeedback"]["moderation"], "PUBLISHED", "{body}");
    }
    let body = app
        .gql(Some(&coordinator), moderate, json!({ "id": id, "p": false }))
        .await;
    assert_eq!(error_code(&body), Some("CONFLICT"), "{body}");

    // Rotation retires the old poster's code; the new one works.
    let body = app
        .gql(
            Some(&coordinator),
            "mutation($v: ID!) { rotateFeedbackCode(venueId: $v) { link } }",
            json!({ "v": venue }),
        )
        .await;
    let new_link = body["data"]["rotateFeedbackCode"]["link"].as_str().unwrap().to_string();
    assert_ne!(new_link.trim_start_matches(&app.base_url), path);
    assert_eq!(get(&app, &path, None).await.status, 404);
    assert_eq!(
        get(&app, new_link.trim_start_matches(&app.base_url), None).await.status,
        200
    );

    // Nobody else reads or manages feedback.
    let viewer = app.client_viewer(&fieldwork_client(&app, &venue).await).await.token;
    let body = app
        .gql(Some(&viewer), list, json!({ "v": venue, "s": Value::Null }))
        .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    let response = reqwest::Client::new()
        .get(format!("{}/venues/{venue}/poster.svg", app.base_url))
        .bearer_auth(&viewer)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
}

async fn fieldwork_client(app: &TestApp, venue: &str) -> String {
    sqlx::query_scalar("SELECT client_id FROM venues WHERE id = $1")
        .bind(venue)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_map_channel_takes_a_venue_by_id_and_staff_edit_the_service_catalogue() {
    let app = TestApp::spawn_with(quick_app()).await;
    let (coordinator, venue, _) = venue_with_code(&app).await;
    let body = app
        .gql(
            Some(&coordinator),
            "mutation { saveService(input: { venueType: \"CNAP\", code: \"pension\", nameUk: \"Пенсійні питання\", nameEn: \"Pensions\", position: 3 }) { code } }",
            json!({}),
        )
        .await;
    assert_eq!(body["data"]["saveService"]["code"], "PENSION", "{body}");
    let body = app
        .gql(
            Some(&coordinator),
            "mutation { saveService(input: { venueType: \"CNAP\", code: \"bad code!\", nameUk: \"x\", nameEn: \"x\", position: 1 }) { code } }",
            json!({}),
        )
        .await;
    assert_eq!(fieldwork_e2e::error_field(&body), Some("code"), "{body}");
    let page = get(&app, &format!("/feedback/{venue}"), None).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Пенсійні питання"));
    app.clock.advance(Duration::from_secs(2)); // the visitor answers
    let sent = post(
        &app,
        &format!("/feedback/{venue}"),
        page.cookie.as_deref(),
        &[
            ("token", &token(&page.body)),
            ("service", "PENSION"),
            ("recommend", "10"),
            ("lang", "en"),
        ],
    )
    .await;
    assert_eq!(sent.status, 200);
    assert!(sent.body.contains("Thank you for your feedback!"));
    let channel: String = sqlx::query_scalar("SELECT channel FROM feedback_responses")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(channel, "WEB_MAP");
    assert_eq!(get(&app, "/feedback/no-such-venue", None).await.status, 404);

    // Taken off the form, the service stays in the staff's catalogue (past responses name it).
    let body = app
        .gql(
            Some(&coordinator),
            "mutation { saveService(input: { venueType: \"cnap\", code: \"PENSION\", nameUk: \"Пенсійні питання\", nameEn: \"Pensions\", position: 3, active: false }) { code active position } }",
            json!({}),
        )
        .await;
    assert_eq!(
        body["data"]["saveService"],
        json!({"code": "PENSION", "active": false, "position": 3}),
        "{body}"
    );
    assert!(!get(&app, &format!("/feedback/{venue}"), None)
        .await
        .body
        .contains("Пенсійні питання"));
    let listed = |body: &serde_json::Value| -> Vec<(String, bool)> {
        body["data"]["serviceCatalogue"]
            .as_array()
            .unwrap_or_else(|| panic!("{body}"))
            .iter()
            .map(|s| (s["code"].as_str().unwrap().to_string(), s["active"].as_bool().unwrap()))
            .collect()
    };
    let catalogue =
        "query($hidden: Boolean!) { serviceCatalogue(venueType: \"CNAP\", includeHidden: $hidden) { code active } }";
    let shown = listed(&app.gql(Some(&coordinator), catalogue, json!({"hidden": false})).await);
    assert!(
        !shown.iter().any(|(code, _)| code == "PENSION") && !shown.is_empty(),
        "{shown:?}"
    );
    let all = listed(&app.gql(Some(&coordinator), catalogue, json!({"hidden": true})).await);
    assert!(all.contains(&("PENSION".to_string(), false)), "{all:?}");
    assert_eq!(all.len(), shown.len() + 1);
    for (query, field) in [
        (
            "mutation { saveService(input: { venueType: \"CNAP\", code: \"X\", nameUk: \"Х\", nameEn: \"X\", position: -1 }) { code } }",
            "position",
        ),
        (
            "mutation { saveService(input: { venueType: \"CNAP\", code: \"X\", nameUk: \" \", nameEn: \"X\", position: 1 }) { code } }",
            "nameUk",
        ),
        ("query { serviceCatalogue(venueType: \"!\") { code } }", "venueType"),
    ] {
        let body = app.gql(Some(&coordinator), query, json!({})).await;
        assert_eq!(fieldwork_e2e::error_field(&body), Some(field), "{body}");
    }

    // Every poster of the client as one ZIP: one SVG per center carrying its live link, and an index.
    let client = fieldwork_client(&app, &venue).await;
    let path = format!("/clients/{client}/posters.zip");
    let url = format!("{}{path}", app.base_url);
    let http = reqwest::Client::new();
    let bytes = app.download(&coordinator, &path).await;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(archive.len(), 2);
    let mut index = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("index.csv").unwrap(), &mut index).unwrap();
    let link = index.lines().nth(1).unwrap().split(',').nth(3).unwrap().to_string();
    assert!(link.contains("/q/"), "{index}");
    let svg_name = archive.file_names().find(|n| n.ends_with(".svg")).unwrap().to_string();
    let mut svg = String::new();
    std::io::Read::read_to_string(&mut archive.by_name(&svg_name).unwrap(), &mut svg).unwrap();
    assert!(svg.contains(&link) && svg.contains("ЦНАП Деснянського району"));
    assert_eq!(
        get(&app, link.trim_start_matches(&app.base_url), None).await.status,
        200
    );
    // The same as PDFs; an unknown format is named.
    let pdfs = app.download(&coordinator, &format!("{path}?format=pdf")).await;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(pdfs)).unwrap();
    let pdf_name = archive.file_names().find(|n| n.ends_with(".pdf")).unwrap().to_string();
    let mut pdf = Vec::new();
    std::io::Read::read_to_end(&mut archive.by_name(&pdf_name).unwrap(), &mut pdf).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let bad = http
        .get(format!("{url}?format=docx"))
        .bearer_auth(&coordinator)
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let body: Value = bad.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["field"], "format", "{body}");
    // Only staff who manage venues; an unknown client is not found.
    let viewer = app.client_viewer(&client).await.token;
    assert_eq!(http.get(&url).bearer_auth(&viewer).send().await.unwrap().status(), 403);
    let unknown = format!("{}/clients/none/posters.zip", app.base_url);
    assert_eq!(
        http.get(&unknown)
            .bearer_auth(&coordinator)
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_against_one_center_shows_to_staff_as_one_stretch() {
    let app = TestApp::spawn_with(quick_app()).await;
    let (coordinator, venue, path) = venue_with_code(&app).await;
    let bursts = "query($h: Int!) { feedbackBursts(hours: $h) { venueId venueName from to responses suspicious usualPer10Minutes } }";
    let body = app.gql(Some(&coordinator), bursts, json!({"h": 24})).await;
    assert_eq!(body["data"]["feedbackBursts"], json!([]), "{body}");

    // Eight "visitors" from one address within seconds, each on a new device.
    let mut forms = Vec::new();
    for _ in 0..8 {
        let page = get(&app, &path, None).await;
        assert_eq!(page.status, 200);
        forms.push(page);
    }
    app.clock.advance(Duration::from_secs(2)); // the visitor answers
    for page in &forms {
        let sent = post(
            &app,
            &path,
            page.cookie.as_deref(),
            &[("token", &token(&page.body)), ("premises", "4"), ("recommend", "10")],
        )
        .await;
        assert_eq!(sent.status, 200, "{}", sent.body);
    }
    let body = app.gql(Some(&coordinator), bursts, json!({"h": 24})).await;
    let list = body["data"]["feedbackBursts"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"));
    assert_eq!(list.len(), 1, "{body}");
    let burst = &list[0];
    assert_eq!(burst["venueId"], venue.as_str());
    assert_eq!(burst["venueName"], "ЦНАП Деснянського району");
    assert_eq!(burst["responses"], 8);
    // Those after the first few from one address, and those inside the burst, are kept out of the index.
    let kept_out: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM feedback_responses WHERE counted = 0")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert!(kept_out > 0);
    assert_eq!(burst["suspicious"].as_i64(), Some(kept_out), "{body}");
    assert!(burst["usualPer10Minutes"].as_f64().unwrap() < 0.01);
    let (from, to) = (
        chrono::DateTime::parse_from_rfc3339(burst["from"].as_str().unwrap()).unwrap(),
        chrono::DateTime::parse_from_rfc3339(burst["to"].as_str().unwrap()).unwrap(),
    );
    assert!(from < to && (to - from).num_minutes() <= 10, "{from} … {to}");

    // Bad input is named (who may look is in the authorization matrix).
    let body = app.gql(Some(&coordinator), bursts, json!({"h": 0})).await;
    assert_eq!(fieldwork_e2e::error_field(&body), Some("hours"), "{body}");
    let body = app.gql(Some(&coordinator), bursts, json!({"h": 721})).await;
    assert_eq!(fieldwork_e2e::error_field(&body), Some("hours"), "{body}");
}

/// Time is the service's clock, which the test moves: the device's cooldown ends a day later, a form shown a
/// day ago is stale, and the minimum fill time is met by answering "two seconds" later, without waiting.
#[tokio::test]
async fn a_day_later_by_the_clock_a_device_may_answer_again_and_an_old_form_is_stale() {
    let app = TestApp::spawn_with(quick_app()).await;
    let (_, _, path) = venue_with_code(&app).await;
    let first = get(&app, &path, None).await;
    let cookie = first.cookie.clone().expect("a device cookie");
    app.clock.advance(Duration::from_secs(2));
    let sent = post(
        &app,
        &path,
        Some(&cookie),
        &[("token", &token(&first.body)), ("staff", "4")],
    )
    .await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    let again = get(&app, &path, Some(&cookie)).await;
    app.clock.advance(Duration::from_secs(2));
    let refused = post(
        &app,
        &path,
        Some(&cookie),
        &[("token", &token(&again.body)), ("staff", "4")],
    )
    .await;
    assert_eq!(refused.status, 409, "the cooldown holds the same day");

    app.clock.advance(Duration::from_secs(25 * 3_600));
    let next_day = get(&app, &path, Some(&cookie)).await;
    app.clock.advance(Duration::from_secs(2));
    let sent = post(
        &app,
        &path,
        Some(&cookie),
        &[("token", &token(&next_day.body)), ("staff", "3")],
    )
    .await;
    assert_eq!(
        sent.status, 200,
        "a day later the device may answer again: {}",
        sent.body
    );

    let shown = get(&app, &path, None).await;
    app.clock.advance(Duration::from_secs(25 * 3_600));
    let stale = post(
        &app,
        &path,
        shown.cookie.as_deref(),
        &[("token", &token(&shown.body)), ("staff", "3")],
    )
    .await;
    assert!(stale.body.contains("Форма застаріла"), "{}", stale.body);
    assert_eq!(responses(&app).await, 2);
}
