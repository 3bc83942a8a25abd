//! Benchmark: the SMS and Viber channel at a busy day's volume, against the real `fieldwork` binary (release
//! build, its own process). A center system reports 100,000 services in batches of 1,000 (four systems at
//! once), a quarter of them with a phone and consent; the service plans 25,000 invitations; the clock moves
//! past their due time and the outbox hands all of them to a TurboSMS stand-in in this process, which answers
//! in 20–60 ms and allows 300 requests a second (more: 429 with Retry-After: 1). Prints events per second, the
//! intake call's p50/p95/p99, messages per second, the server's peak memory, and checks that every invitation
//! went out once (one message per idempotency key, none twice).
//!
//! `TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo bench -p fieldwork-server --bench invitations_load`
//! (SQLite without it). `INVITATIONS_LOAD_EVENTS` changes the number of services (default 100,000).

mod common;

use std::collections::HashSet;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::{Json, Router};
use fieldwork::db::{Db, ScratchDatabase};
use serde_json::{json, Value};

const CENTERS: i64 = 2_700;
const BATCH: usize = 1_000;
const TOKEN: &str = "bench-token";
const PER_SECOND: u32 = 300;

#[derive(Default)]
struct Provider {
    keys: HashSet<String>,
    requests: u64,
    limited: u64,
    window: (u64, u32),
}

async fn send(State(p): State<Arc<Mutex<Provider>>>, Json(body): Json<Value>) -> axum::response::Response {
    let key = body["sequence_id"].as_str().unwrap_or_default().to_string();
    {
        let mut p = p.lock().unwrap();
        p.requests += 1;
        let second = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        if p.window.0 != second {
            p.window = (second, 0);
        }
        p.window.1 += 1;
        if p.window.1 > PER_SECOND {
            p.limited += 1;
            return (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "1")], "slow down").into_response();
        }
    }
    let latency = 20 + (key.bytes().map(u64::from).sum::<u64>() % 41);
    tokio::time::sleep(Duration::from_millis(latency)).await;
    let phone = body["recipients"][0].clone();
    p.lock().unwrap().keys.insert(key.clone());
    Json(
        json!({ "response_code": 800, "response_status": "SUCCESS_MESSAGE_ACCEPTED", "response_result": [
            { "phone": phone, "response_code": 0, "message_id": format!("m-{key}"), "response_status": "OK" }
        ]}),
    )
    .into_response()
}

async fn status(Json(body): Json<Value>) -> Json<Value> {
    let results: Vec<Value> = body["messages"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|id| json!({ "message_id": id, "response_code": 0, "response_status": "OK", "status": "Delivered", "type": "viber" }))
        .collect();
    Json(json!({ "response_code": 0, "response_status": "OK", "response_result": results }))
}

/// The server's peak resident memory (VmHWM), MiB.
fn peak_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

#[tokio::main]
async fn main() {
    let total: usize = std::env::var("INVITATIONS_LOAD_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let scratch = ScratchDatabase::create().await.unwrap();
    let backend = if scratch.is_postgres() { "PostgreSQL" } else { "SQLite" };
    let db = Db::connect(&scratch.url, 4).await.unwrap();
    db.migrate().await.unwrap();
    common::seed_centers(&db, CENTERS).await;

    // The provider stand-in.
    let provider = Arc::new(Mutex::new(Provider::default()));
    let app = Router::new()
        .route("/message/send.json", axum::routing::post(send))
        .route("/message/status.json", axum::routing::post(status))
        .with_state(provider.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let provider_url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let envs = [
        ("DATABASE_URL", scratch.url.clone()),
        ("FIELDWORK_DATA_DIR", scratch.dir.join("data").display().to_string()),
        ("FIELDWORK_TESTING__CLOCK_CONTROL", "true".into()),
        ("FIELDWORK_INVITATIONS__PROVIDER", "turbosms".into()),
        ("FIELDWORK_INVITATIONS__TURBOSMS__BASE_URL", provider_url),
        ("FIELDWORK_INVITATIONS__TURBOSMS__TOKEN", TOKEN.into()),
        ("FIELDWORK_INVITATIONS__POLL_INTERVAL_MS", "200".into()),
        ("FIELDWORK_INVITATIONS__RETRY_BASE_MS", "1000".into()),
        ("FIELDWORK_INVITATIONS__RETRY_MAX_MS", "8000".into()),
        ("FIELDWORK_INVITATIONS__STATUS_POLL_MS", "60000".into()),
        ("RUST_LOG", "error".into()),
    ];
    let made = Command::new(env!("CARGO_BIN_EXE_fieldwork"))
        .args([
            "create-user",
            "--email",
            "admin@example.org",
            "--role",
            "ADMIN",
            "--password-stdin",
        ])
        .envs(envs.iter().cloned())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write as _;
            child.stdin.take().unwrap().write_all(b"correct horse battery\n")?;
            child.wait()
        })
        .unwrap();
    assert!(made.success());
    let server = common::Server(
        Command::new(env!("CARGO_BIN_EXE_fieldwork"))
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .envs(envs.iter().cloned())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the fieldwork binary starts"),
    );
    let pid = server.0.id();
    let client = reqwest::Client::builder().pool_max_idle_per_host(64).build().unwrap();
    for _ in 0..200 {
        if client
            .get(format!("{base}/readyz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let gql = |query: &'static str, variables: Value, token: Option<String>| {
        let client = client.clone();
        let base = base.clone();
        async move {
            let mut request = client
                .post(format!("{base}/graphql"))
                .json(&json!({ "query": query, "variables": variables }));
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            request.send().await.unwrap().json::<Value>().await.unwrap()
        }
    };
    let login = gql(
        "mutation { login(email: \"admin@example.org\", password: \"correct horse battery\") { token } }",
        json!({}),
        None,
    )
    .await;
    let admin = login["data"]["login"]["token"].as_str().unwrap().to_string();
    let issued = gql(
        "mutation { createApiKey(input: { name: \"bench\", scopes: [\"events:write\"], clientId: \"c\" }) { secret } }",
        json!({}),
        Some(admin),
    )
    .await;
    let secret = issued["data"]["createApiKey"]["secret"].as_str().unwrap().to_string();

    // 10:00 in Kyiv on a weekday: the services were at 09:55, their invitations are due at 10:25.
    let morning = chrono::NaiveDate::from_ymd_opt(2026, 12, 8)
        .unwrap()
        .and_hms_opt(8, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp_millis();
    let set_clock = |at: i64| {
        let client = client.clone();
        let base = base.clone();
        async move {
            let r = client
                .post(format!("{base}/testing/clock"))
                .json(&json!({ "atMs": at }))
                .send()
                .await
                .unwrap();
            assert!(r.status().is_success());
        }
    };
    set_clock(morning).await;
    let completed = chrono::DateTime::from_timestamp_millis(morning - 5 * 60_000)
        .unwrap()
        .to_rfc3339();

    // Intake: four systems at once, 1,000 events a call.
    let batches: Vec<Vec<Value>> = (0..total)
        .map(|i| {
            let mut event = json!({ "externalId": format!("E-{i}"), "center": format!("CNAP-{}", 1 + i as i64 % CENTERS),
                                    "service": "PASSPORT", "completedAt": completed });
            if i % 4 == 0 {
                event["phone"] = json!(format!("+38050{:07}", i / 4));
                event["consent"] = json!(true);
                event["messenger"] = json!("VIBER");
            }
            event
        })
        .collect::<Vec<_>>()
        .chunks(BATCH)
        .map(<[Value]>::to_vec)
        .collect();
    let calls = batches.len();
    let queue = Arc::new(Mutex::new(batches));
    let started = Instant::now();
    let mut systems = Vec::new();
    for _ in 0..4 {
        let queue = queue.clone();
        let client = client.clone();
        let base = base.clone();
        let secret = secret.clone();
        systems.push(tokio::spawn(async move {
            let mut times = Vec::new();
            loop {
                let Some(batch) = queue.lock().unwrap().pop() else {
                    return times;
                };
                let t = Instant::now();
                let answer: Value = client
                    .post(format!("{base}/api/v1/service-events"))
                    .bearer_auth(&secret)
                    .json(&json!({ "events": batch }))
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                times.push(t.elapsed().as_secs_f64() * 1_000.0);
                assert_eq!(answer["accepted"].as_u64(), Some(batch.len() as u64), "{answer}");
            }
        }));
    }
    let mut intake = Vec::new();
    for s in systems {
        intake.extend(s.await.unwrap());
    }
    let ingest_s = started.elapsed().as_secs_f64();
    let invited = total.div_ceil(4) as i64;

    // Planning runs beside the intake; wait until every event with a phone is decided.
    let planned_at = Instant::now();
    loop {
        let planned: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM invitation_attempts")
            .fetch_one(db.pool())
            .await
            .unwrap();
        if planned >= invited {
            break;
        }
        assert!(
            planned_at.elapsed() < Duration::from_secs(1_800),
            "planning stalled at {planned}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let planning_s = planned_at.elapsed().as_secs_f64();

    // Due: the outbox sends them all.
    set_clock(morning + 26 * 60_000).await;
    let sending = Instant::now();
    loop {
        let accepted: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM invitation_attempts WHERE state = 'ACCEPTED'")
            .fetch_one(db.pool())
            .await
            .unwrap();
        if accepted >= invited {
            break;
        }
        assert!(
            sending.elapsed() < Duration::from_secs(3_600),
            "sending stalled at {accepted}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let send_s = sending.elapsed().as_secs_f64();
    let peak = peak_mib(pid);
    let (keys, requests, limited) = {
        let p = provider.lock().unwrap();
        (p.keys.len(), p.requests, p.limited)
    };
    let queued: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM invitations WHERE sent_at IS NOT NULL")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(keys as i64, invited, "one message per invitation");
    assert_eq!(queued, invited, "every invitation recorded as sent");

    println!("Invitations load on {backend}: {total} services from {CENTERS} centers, {invited} with a phone");
    println!();
    println!("| call | p50 | p95 | p99 | max |");
    println!("|---|---|---|---|---|");
    println!(
        "{}",
        common::summary("POST /api/v1/service-events (1,000 events)", intake)
    );
    println!();
    println!(
        "Ingested {total} events in {calls} calls in {ingest_s:.1} s ({:.0} events/s); every phone planned {planning_s:.1} s \
         after the last call; {invited} messages handed over in {send_s:.1} s ({:.0} messages/s; {requests} requests, \
         {limited} answered 429, each retried after its Retry-After, one message per key); server peak memory \
         {peak:.0} MiB.",
        total as f64 / ingest_s,
        invited as f64 / send_s,
    );
    db.close().await;
}
