//! Benchmark: memory and latency of the real `fieldwork` binary (release build, its own process, mimalloc)
//! under the loads an outside review used:
//!
//! 1. 1,000 correct logins from 64 concurrent clients: p50/p99 latency, peak RSS, RSS right after, RSS after
//!    10 s idle;
//! 2. 600 photo uploads (real 3–9 MP phone photos from `tests/fixtures/photos`) from 32 concurrent phones, one
//!    visit each: time, peak RSS, RSS right after, and (once the phones have disconnected) RSS after 10 s and
//!    30 s idle.
//!
//! RSS is read from `/proc/<pid>/status` of the server process (VmRSS, sampled every 20 ms for the peak);
//! `LOAD_BENCH_DEBUG=1` also prints its thread count and `smaps_rollup`. The database is SQLite in a temporary
//! folder, or a scratch PostgreSQL database with `TEST_DATABASE_URL=postgres://…`.
//!
//! `cargo bench -p fieldwork-server --bench load`

mod common;

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use fieldwork::accounts::{Accounts, SignUp};
use fieldwork::config::Settings;
use fieldwork::db::{Db, ScratchDatabase};
use fieldwork::domain::{Language, Role};
use serde_json::{json, Value};

const PASSWORD: &str = "correct horse battery";
const VENUE: (f64, f64) = (60.1467, 24.9068);

fn status_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn mib(kib: u64) -> String {
    format!("{:.0} MiB", kib as f64 / 1024.0)
}

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(url: &str, dir: &std::path::Path) -> Server {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(env!("CARGO_BIN_EXE_fieldwork"))
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .env("DATABASE_URL", url)
        .env("FIELDWORK_DATA_DIR", dir)
        .env("FIELDWORK_DATABASE_MAX_CONNECTIONS", "10")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the fieldwork binary starts");
    Server {
        child,
        base: format!("http://127.0.0.1:{port}"),
    }
}

async fn wait_ready(client: &reqwest::Client, base: &str) {
    for _ in 0..200 {
        if let Ok(r) = client.get(format!("{base}/readyz")).send().await {
            if r.status().is_success() {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not become ready");
}

async fn gql(client: &reqwest::Client, base: &str, token: Option<&str>, query: &str, variables: Value) -> Value {
    let mut request = client
        .post(format!("{base}/graphql"))
        .json(&json!({ "query": query, "variables": variables }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let body: Value = request.send().await.unwrap().json().await.unwrap();
    assert!(body["errors"].is_null(), "{query}: {body}");
    body
}

async fn login(client: &reqwest::Client, base: &str, email: &str) -> String {
    let body = gql(
        client,
        base,
        None,
        "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
        json!({ "e": email, "p": PASSWORD }),
    )
    .await;
    body["data"]["login"]["token"].as_str().unwrap().to_string()
}

/// Samples the server's RSS every 20 ms until told to stop; returns the highest seen.
fn sample_peak(pid: u32) -> (Arc<std::sync::atomic::AtomicBool>, tokio::task::JoinHandle<u64>) {
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = stop.clone();
    let handle = tokio::spawn(async move {
        let mut peak = 0;
        while !flag.load(std::sync::atomic::Ordering::Relaxed) {
            peak = peak.max(status_kib(pid, "VmRSS:"));
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        peak
    });
    (stop, handle)
}

#[tokio::main]
async fn main() {
    let scratch = ScratchDatabase::create().await.unwrap();
    let backend = if scratch.is_postgres() { "PostgreSQL" } else { "SQLite" };
    let db = Db::connect(&scratch.url, 4).await.unwrap();
    db.migrate().await.unwrap();
    let settings = Arc::new(Settings::default());
    let accounts = Accounts::new(db.clone(), settings.clone(), Default::default());
    let coordinator = "coordinator@bench.example.org";
    accounts
        .create_user_with_password(coordinator, Role::Coordinator, PASSWORD, None)
        .await
        .unwrap();
    // 64 login accounts; the first 32 are the photo phones (shoppers near the venue, verified).
    for i in 0..64 {
        let shopper = accounts
            .sign_up(SignUp {
                email: format!("shopper{i}@bench.example.org"),
                password: PASSWORD.into(),
                full_name: "Олена Петренко".into(),
                phone: "+380501234567".into(),
                language: Language::Uk,
                home_lat: 60.17,
                home_lon: 24.94,
                travel_radius_km: 30.0,
                iban: "UA213223130000026007233566001".into(),
                account_holder: "Олена Петренко".into(),
                tax_id: common::tax_id(i),
                accept_code_of_conduct: true,
                conflict_declaration: None,
                idempotency_key: None,
            })
            .await
            .unwrap();
        sqlx::query("UPDATE users SET email_verified_at = 1 WHERE id = $1")
            .bind(&shopper.user.id)
            .execute(db.pool())
            .await
            .unwrap();
    }
    db.close().await;

    let server = start(&scratch.url, &scratch.dir.join("data"));
    let pid = server.child.id();
    let client = reqwest::Client::builder().pool_max_idle_per_host(64).build().unwrap();
    wait_ready(&client, &server.base).await;
    let base = server.base.clone();
    let started_rss = status_kib(pid, "VmRSS:");

    // 1. Logins.
    let (stop, peak) = sample_peak(pid);
    let started = Instant::now();
    let semaphore = Arc::new(tokio::sync::Semaphore::new(64));
    let mut tasks = Vec::new();
    for i in 0..1_000 {
        let permit = semaphore.clone().acquire_owned().await.unwrap();
        let (client, base) = (client.clone(), base.clone());
        tasks.push(tokio::spawn(async move {
            let _permit = permit;
            let t = Instant::now();
            login(&client, &base, &format!("shopper{}@bench.example.org", i % 64)).await;
            t.elapsed().as_secs_f64() * 1_000.0
        }));
    }
    let mut latencies = Vec::new();
    for t in tasks {
        latencies.push(t.await.unwrap());
    }
    let login_time = started.elapsed();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let login_peak = peak.await.unwrap();
    let after_logins = status_kib(pid, "VmRSS:");
    tokio::time::sleep(Duration::from_secs(10)).await;
    let idle_after_logins = status_kib(pid, "VmRSS:");
    latencies.sort_by(f64::total_cmp);
    println!("{backend}; server RSS at start {}", mib(started_rss));
    println!();
    println!("| load | time | p50 | p99 | peak RSS | RSS right after | RSS after 10 s idle |");
    println!("|---|---|---|---|---|---|---|");
    println!(
        "| 1,000 logins, 64 concurrent | {:.1} s | {:.0} ms | {:.0} ms | {} | {} | {} |",
        login_time.as_secs_f64(),
        common::percentile(&latencies, 0.5),
        common::percentile(&latencies, 0.99),
        mib(login_peak),
        mib(after_logins),
        mib(idle_after_logins)
    );

    // 2. Photos: two venues, a wave of 16 visits each, 32 phones checked in, 600 uploads.
    let staff = login(&client, &base, coordinator).await;
    let staff = Some(staff.as_str());
    let body = gql(
        &client,
        &base,
        staff,
        "mutation { createClient(name: \"Bench\", kind: PUBLIC_BODY) { id } }",
        json!({}),
    )
    .await;
    let client_id = body["data"]["createClient"]["id"].as_str().unwrap().to_string();
    let definition = json!({ "sections": [{ "code": "S", "title": { "uk": "Візит" }, "questions": [
        { "code": "Q", "title": { "uk": "Вивіска?" }, "type": "YES_NO", "weight": 1 },
        { "code": "P", "title": { "uk": "Фото" }, "type": "PHOTO", "minCount": 1, "caption": { "uk": "табло" } } ] }] });
    let body = gql(
        &client,
        &base,
        staff,
        "mutation($c: ID!, $d: JSON!) { createChecklist(clientId: $c, name: \"Bench\", definition: $d) { versions { id } } }",
        json!({ "c": client_id, "d": definition }),
    )
    .await;
    let version = body["data"]["createChecklist"]["versions"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    gql(
        &client,
        &base,
        staff,
        "mutation($v: ID!) { publishChecklistVersion(versionId: $v) { id } }",
        json!({ "v": version }),
    )
    .await;
    for code in ["B-1", "B-2"] {
        gql(
            &client,
            &base,
            staff,
            "mutation($c: ID!, $code: String!, $lat: Float!, $lon: Float!) { createVenue(input: { clientId: $c, \
             externalCode: $code, name: \"Bench venue\", type: \"CNAP\", oblast: \"Uusimaa\", \
             location: { lat: $lat, lon: $lon }, geofenceM: 150 }) { id } }",
            json!({ "c": client_id, "code": code, "lat": VENUE.0, "lon": VENUE.1 }),
        )
        .await;
    }
    let today = chrono::Utc::now().date_naive();
    let body = gql(
        &client,
        &base,
        staff,
        "mutation($c: ID!, $i: WaveInput!) { createWave(clientId: $c, input: $i) { id } }",
        json!({ "c": client_id, "i": {
            "name": "Bench wave", "checklistVersionId": version, "startsOn": (today - chrono::Duration::days(1)).to_string(),
            "endsOn": (today + chrono::Duration::days(30)).to_string(), "selection": { "mode": "ALL" },
            "visitsPerVenue": 16, "feeKopiykas": 40000, "maxTasksPerShopper": 1, "cooloffDays": 0 } }),
    )
    .await;
    let wave = body["data"]["createWave"]["id"].as_str().unwrap().to_string();
    gql(
        &client,
        &base,
        staff,
        "mutation($id: ID!) { launchWave(id: $id) { tasksCreated } }",
        json!({ "id": wave }),
    )
    .await;
    let body = gql(
        &client,
        &base,
        staff,
        "query($id: ID!) { wave(id: $id) { tasks(first: 100) { edges { node { id } } } } }",
        json!({ "id": wave }),
    )
    .await;
    let task_ids: Vec<String> = body["data"]["wave"]["tasks"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["id"].as_str().unwrap().to_string())
        .collect();
    let mut phones = Vec::new();
    for (i, task) in task_ids.iter().enumerate().take(32) {
        let token = login(&client, &base, &format!("shopper{i}@bench.example.org")).await;
        gql(
            &client,
            &base,
            Some(&token),
            "mutation($t: ID!) { claimTask(taskId: $t) { id } }",
            json!({ "t": task }),
        )
        .await;
        let body = gql(
            &client,
            &base,
            Some(&token),
            "mutation($i: CheckInInput!) { checkIn(input: $i) { visit { id } } }",
            json!({ "i": { "taskId": task, "clientId": format!("bench-checkin-{i}"), "lat": VENUE.0, "lon": VENUE.1,
                "accuracyM": 8.0, "deviceTime": chrono::Utc::now().to_rfc3339(), "mockLocation": false } }),
        )
        .await;
        phones.push((
            token,
            body["data"]["checkIn"]["visit"]["id"].as_str().unwrap().to_string(),
        ));
    }
    let fixtures = format!(
        "{}/../tests/fixtures/photos",
        std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string())
    );
    let photos: Vec<(String, Arc<Vec<u8>>)> = [
        "HMD_Nokia_8.3_5G.jpg",
        "Apple_iPhone_5.jpg",
        "iphone_hdr_NO.jpg",
        "Nexus_4.jpg",
    ]
    .iter()
    .map(|name| {
        (
            name.to_string(),
            Arc::new(std::fs::read(format!("{fixtures}/{name}")).unwrap()),
        )
    })
    .collect();
    let upload = "mutation($v: ID!, $c: String!, $file: Upload!) { uploadVisitPhoto(visitId: $v, clientId: $c, \
        questionCode: \"P\", file: $file) { id } }";
    let (stop, peak) = sample_peak(pid);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (p, (token, visit)) in phones.into_iter().enumerate() {
        let (client, base, photos) = (client.clone(), base.clone(), photos.clone());
        // 600 uploads over 32 phones: the first 24 send 19, the other 8 send 18.
        let count = if p < 24 { 19 } else { 18 };
        tasks.push(tokio::spawn(async move {
            for k in 0..count {
                let (name, bytes) = &photos[(p + k) % photos.len()];
                let operations = json!({ "query": upload, "variables": { "v": visit, "c": format!("bench-{p}-{k:02}"), "file": null } });
                let form = reqwest::multipart::Form::new()
                    .text("operations", operations.to_string())
                    .text("map", json!({ "0": ["variables.file"] }).to_string())
                    .part("0", reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.clone()));
                let body: Value = client
                    .post(format!("{base}/graphql"))
                    .bearer_auth(&token)
                    .multipart(form)
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                assert!(body["data"]["uploadVisitPhoto"]["id"].is_string(), "{body}");
            }
            count
        }));
    }
    let mut uploaded = 0;
    for t in tasks {
        uploaded += t.await.unwrap();
    }
    let photo_time = started.elapsed();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let photo_peak = peak.await.unwrap();
    let after_photos = status_kib(pid, "VmRSS:");
    // The phones go away (their keep-alive connections close), as they do after a day in the field.
    drop(client);
    tokio::time::sleep(Duration::from_secs(10)).await;
    let idle_after_photos = status_kib(pid, "VmRSS:");
    tokio::time::sleep(Duration::from_secs(20)).await;
    let idle_30_after_photos = status_kib(pid, "VmRSS:");
    if std::env::var("LOAD_BENCH_DEBUG").is_ok() {
        eprintln!("threads: {}", status_kib(pid, "Threads:"));
        eprintln!(
            "{}",
            std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default()
        );
    }

    println!(
        "| {uploaded} photo uploads, 32 concurrent phones | {:.1} s | {:.0} ms/photo | – | {} | {} | {} (30 s: {}) |",
        photo_time.as_secs_f64(),
        photo_time.as_secs_f64() * 1_000.0 / uploaded as f64,
        mib(photo_peak),
        mib(after_photos),
        mib(idle_after_photos),
        mib(idle_30_after_photos)
    );
    drop(server);
    drop(scratch);
}
