//! Benchmark: the staff console's heaviest reads against the real service (HTTP on a local port, the same
//! GraphQL documents the console sends, `web/console/operations`):
//!
//! - the review queue's first page (100 visits, as the console asks) with 10,000 submitted visits waiting;
//! - a visit page with 10 photos (`visit_for_review.graphql`);
//! - the visit-level results export of a wave with 1,000 and 5,000 approved visits as XLSX and CSV: time, size,
//!   and the process's peak resident memory during the download (VmHWM reset through /proc/self/clear_refs),
//!   to show memory stays flat as the wave grows.
//!
//! Rows are seeded with SQL (the stories in `tests/` cover how they come to be). SQLite by default; set
//! `TEST_DATABASE_URL` to run it on PostgreSQL.
//!
//! `cargo bench -p fieldwork-server --bench console`

use std::time::{Duration, Instant};

use fieldwork::config::Settings;
use fieldwork::db::{Db, ScratchDatabase};
use fieldwork::domain::Role;
use fieldwork::startup::Application;
use serde_json::{json, Value};

const QUEUE: &str = include_str!("../../web/console/operations/review_queue.graphql");
const VISIT: &str = include_str!("../../web/console/operations/visit_for_review.graphql");
const PASSWORD: &str = "correct horse battery staple";

fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

const DEFINITION: &str = r#"{"sections":[{"code":"VISIT","title":{"uk":"Візит"},"questions":[
{"code":"Q1","title":{"uk":"Чи є вивіска ЦНАП?"},"type":"YES_NO","weight":2,"required":true},
{"code":"Q2","title":{"uk":"Ввічливість"},"type":"SCALE","min":1,"max":5,"weight":1},
{"code":"Q3","title":{"uk":"Результат"},"type":"SINGLE_CHOICE","weight":1,"options":[
{"code":"DONE","label":{"uk":"Надано"},"score":1},{"code":"REFUSED","label":{"uk":"Відмовлено"},"score":0}]},
{"code":"Q4","title":{"uk":"Причина відмови"},"type":"TEXT","visibleIf":{"equals":{"question":"Q3","value":"REFUSED"}}},
{"code":"Q5","title":{"uk":"Скільки чекали?"},"type":"DURATION","weight":1,"bands":[{"upTo":10,"score":1},{"upTo":20,"score":0.5}]},
{"code":"Q6","title":{"uk":"Фото табло"},"type":"PHOTO","minCount":1,"caption":{"uk":"табло"}}]}]}"#;

async fn exec(db: &Db, sql: &str) {
    sqlx::query(sql)
        .execute(db.pool())
        .await
        .unwrap_or_else(|e| panic!("{e}: {sql}"));
}

/// A recursive series 1..=n, portable between SQLite and PostgreSQL.
fn series(n: i64) -> String {
    format!("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n})")
}

/// A client with 2,000 venues over 24 oblasts, 200 shoppers, a published checklist, and waves:
/// `queue` (10,000 SUBMITTED visits, a fifth of them flagged), `w1000` and `w5000` (APPROVED visits).
async fn seed(db: &Db, coordinator: &str) {
    let now = db.now_ms();
    exec(db, &format!("INSERT INTO clients (id, name, kind, created_at, updated_at) VALUES ('c', 'ЦНАП України', 'PUBLIC_BODY', {now}, {now})")).await;
    exec(
        db,
        &format!(
            "INSERT INTO venues (id, client_id, external_code, name, venue_type, address, oblast, raion, hromada, city, lat, lon, \
             geofence_m, opening_hours, active, search_text, created_at, updated_at, time_zone) {} \
             SELECT 'v' || i, 'c', 'CNAP-' || i, 'ЦНАП № ' || i, 'CNAP', 'вул. Соборна, ' || i, 'Область ' || (i % 24), \
             'Район ' || (i % 120), 'Громада ' || (i % 600), 'Місто ' || (i % 600), 48.0 + (i % 50) * 0.08, \
             24.0 + (i / 50) * 0.3, 100, '[]', 1, '', {now}, {now}, 'Europe/Kyiv' FROM n",
            series(2_000)
        ),
    )
    .await;
    exec(
        db,
        &format!(
            "INSERT INTO users (id, email, password_hash, role, status, search_text, created_at, updated_at) {} \
             SELECT 's' || i, 'shopper' || i || '@example.com', 'x', 'SHOPPER', 'ACTIVE', '', {now}, {now} FROM n",
            series(200)
        ),
    )
    .await;
    exec(db, &format!("INSERT INTO checklists (id, client_id, name, created_at, updated_at) VALUES ('cl', 'c', 'ЦНАП', {now}, {now})")).await;
    exec(
        db,
        &format!(
            "INSERT INTO checklist_versions (id, checklist_id, version, status, definition, created_at, updated_at, published_at) \
             VALUES ('cv', 'cl', 1, 'PUBLISHED', '{}', {now}, {now}, {now})",
            DEFINITION.replace('\n', "")
        ),
    )
    .await;
    for (wave, visits, state) in [
        ("queue", 10_000, "SUBMITTED"),
        ("w1000", 1_000, "APPROVED"),
        ("w5000", 5_000, "APPROVED"),
    ] {
        exec(
            db,
            &format!(
                "INSERT INTO waves (id, client_id, checklist_version_id, name, starts_on, ends_on, selection, visits_per_venue, \
                 fee_kopiykas, reimbursement_cap_kopiykas, visiting_windows, scenario, cooloff_days, max_tasks_per_shopper, \
                 claim_window_hours, status, launched_at, created_by, created_at, updated_by, updated_at) \
                 VALUES ('{wave}', 'c', 'cv', 'Хвиля {wave}', '2026-11-01', '2026-11-30', '{{\"mode\":\"ALL\"}}', 5, 40000, 0, '[]', \
                 'Сценарій', 0, 100, 48, 'LAUNCHED', {now}, '{coordinator}', {now}, '{coordinator}', {now})"
            ),
        )
        .await;
        let task_state = if state == "APPROVED" { "APPROVED" } else { "SUBMITTED" };
        exec(
            db,
            &format!(
                "INSERT INTO tasks (id, wave_id, venue_id, seq, state, fee_kopiykas, bonus_kopiykas, created_at, updated_at) {} \
                 SELECT '{wave}-t' || i, '{wave}', 'v' || (1 + i % 2000), 1 + i / 2000, '{task_state}', 40000, 0, {now}, {now} FROM n",
                series(visits)
            ),
        )
        .await;
        exec(
            db,
            &format!(
                "INSERT INTO checkin_attempts (id, client_id, task_id, shopper_id, lat, lon, accuracy_m, mock_location, device_at, \
                 server_at, verdict, passed) {} \
                 SELECT '{wave}-a' || i, '{wave}-ci-' || i, '{wave}-t' || i, 's' || (1 + i % 200), 48.5, 24.5, 10, 0, {now} - i * 60000, \
                 {now} - i * 60000, '{{}}', 1 FROM n",
                series(visits)
            ),
        )
        .await;
        // Answers vary by visit: yes/no, a scale, the result (every seventh refused, with its reason), minutes.
        exec(
            db,
            &format!(
                "INSERT INTO visits (id, task_id, shopper_id, checklist_version_id, state, checkin_attempt_id, checkin_device_at, \
                 checkin_server_at, answers, score, submitted_at, decided_at, created_at, updated_at) {} \
                 SELECT '{wave}-v' || (100000 + i), '{wave}-t' || i, 's' || (1 + i % 200), 'cv', '{state}', '{wave}-a' || i, \
                 {now} - i * 60000, {now} - i * 60000, \
                 CASE WHEN i % 7 = 0 THEN '{{\"Q1\":false,\"Q2\":2,\"Q3\":\"REFUSED\",\"Q4\":\"Немає бланків заяви, черга ' || i || '\",\"Q5\":35}}' \
                 ELSE '{{\"Q1\":true,\"Q2\":' || (1 + i % 5) || ',\"Q3\":\"DONE\",\"Q5\":' || (i % 30) || '}}' END, \
                 50 + (i % 50), {now} - i * 30000, {decided}, {now}, {now} FROM n",
                series(visits),
                decided = if state == "APPROVED" { format!("{now}") } else { "NULL".into() },
            ),
        )
        .await;
    }
    exec(
        db,
        &format!(
            "INSERT INTO visit_flags (visit_id, code, severity, message) {} \
             SELECT 'queue-v' || (100000 + i * 5), 'LOW_GPS_ACCURACY', 'WARNING', 'Точність 80 м' FROM n",
            series(2_000)
        ),
    )
    .await;
    // Ten photos on the first visit in the queue (the oldest submission: i = 10,000).
    exec(
        db,
        &format!(
            "INSERT INTO photos (id, client_id, visit_id, shopper_id, question_code, kind, content_type, bytes, sha256, phash, \
             band0, band1, band2, band3, width, height, exif, gps_verdict, time_verdict, original_key, display_key, thumbnail_key, \
             created_at) {} \
             SELECT 'p' || i, 'pc' || i, 'queue-v110000', 's1', 'Q6', 'QUESTION', 'image/jpeg', 2000000, 'sha' || i, \
             '0123456789abcdef', i, i, i, i, 4000, 3000, '{{}}', 'PASS', 'PASS', 'o/' || i || '.jpg', 'd/' || i || '.jpg', \
             't/' || i || '.jpg', {now} FROM n",
            series(10)
        ),
    )
    .await;
}

async fn timed(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    query: &str,
    variables: Value,
    runs: usize,
) -> (Vec<Duration>, Value) {
    let mut times = Vec::with_capacity(runs);
    let mut last = Value::Null;
    for _ in 0..runs {
        let start = Instant::now();
        let response = http
            .post(url)
            .bearer_auth(token)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .unwrap();
        last = response.json().await.unwrap();
        times.push(start.elapsed());
        assert!(last.get("errors").is_none(), "{last}");
    }
    times.sort();
    (times, last)
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let database = ScratchDatabase::create().await.expect("a scratch database");
    let settings = Settings {
        listen: "127.0.0.1:0".parse().unwrap(),
        database_url: Some(database.url.clone()),
        data_dir: database.dir.join("data"),
        ..Settings::default()
    };
    let app = Application::build(settings.clone()).await.expect("the service starts");
    let base = format!("http://{}", app.local_addr());
    let db = Db::connect(&database.url, 2).await.unwrap();
    let accounts = fieldwork::accounts::Accounts::new(db.clone(), std::sync::Arc::new(settings), Default::default());
    let coordinator = accounts
        .create_user_with_password("coordinator@example.org", Role::Coordinator, PASSWORD, None)
        .await
        .unwrap();
    let seeding = Instant::now();
    seed(&db, &coordinator.id).await;
    let seeded = seeding.elapsed();
    let cancel = tokio_util::sync::CancellationToken::new();
    let server = tokio::spawn(app.run_until(cancel.clone().cancelled_owned()));
    let http = reqwest::Client::new();
    let url = format!("{base}/graphql");
    let login: Value = http
        .post(&url)
        .json(
            &json!({ "query": "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
                       "variables": { "e": "coordinator@example.org", "p": PASSWORD } }),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["data"]["login"]["token"].as_str().unwrap().to_string();
    let backend = if database.url.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!("{backend}; seeded in {:.1} s\n", seeded.as_secs_f64());

    println!("| request | runs | p50 ms | p95 ms | max ms | result |");
    println!("|---|---|---|---|---|---|");
    for (name, variables) in [
        ("review queue, first 100 of 10,000", json!({ "first": 100 })),
        (
            "review queue, first 100, one wave",
            json!({ "first": 100, "waveId": "queue" }),
        ),
        (
            "review queue, first 100, flag LOW_GPS_ACCURACY",
            json!({ "first": 100, "flag": "LOW_GPS_ACCURACY" }),
        ),
    ] {
        let (times, body) = timed(&http, &url, &token, QUEUE, variables, 20).await;
        let total = body["data"]["reviewQueue"]["totalCount"].clone();
        let edges = body["data"]["reviewQueue"]["edges"].as_array().map_or(0, Vec::len);
        println!(
            "| {name} | 20 | {} | {} | {} | {edges} rows of {total} |",
            ms(times[10]),
            ms(times[18]),
            ms(times[19])
        );
    }
    let (times, body) = timed(&http, &url, &token, VISIT, json!({ "id": "queue-v110000" }), 20).await;
    let photos = body["data"]["visit"]["photos"].as_array().map_or(0, Vec::len);
    println!(
        "| visit page with {photos} photos | 20 | {} | {} | {} | answers, flags, positions, signed links |",
        ms(times[10]),
        ms(times[18]),
        ms(times[19])
    );

    println!("\n| export | visits | time | file size | peak RSS during export | RSS before |");
    println!("|---|---|---|---|---|---|");
    for (wave, visits) in [("w1000", 1_000), ("w5000", 5_000)] {
        for format in ["xlsx", "csv"] {
            let before = status_kib("VmRSS:");
            reset_peak();
            let start = Instant::now();
            let mut response = http
                .get(format!("{base}/waves/{wave}/results?format={format}"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200);
            let mut size = 0usize;
            while let Some(chunk) = response.chunk().await.unwrap() {
                size += chunk.len();
            }
            let took = start.elapsed();
            let peak = status_kib("VmHWM:");
            println!(
                "| {} | {visits} | {:.2} s | {:.2} MB | {:.1} MiB | {:.1} MiB |",
                format.to_uppercase(),
                took.as_secs_f64(),
                size as f64 / 1e6,
                peak as f64 / 1024.0,
                before as f64 / 1024.0
            );
        }
    }
    cancel.cancel();
    let _ = server.await;
}
