//! Benchmark: citizens' feedback under load, against the real `fieldwork` binary (release build, its own
//! process): 5,000 people in one minute (one every 12 ms, open loop: a slow answer does not slow the arrivals),
//! each opening a center's form (`GET /feedback/<venue>`, which sets the device cookie and the form's token),
//! answering for 6 seconds, and sending it (`POST`, which checks, scores, keeps the response and adds it to the
//! index's tallies). 2,700 centers; every person at their own address (behind a proxy that sets
//! `X-Forwarded-For`). Prints p50/p95/p99/max of both requests, the rate reached, and checks every response was
//! kept and counted once.
//!
//! The target (issue 15) is 5,000 submissions a minute sustained on PostgreSQL with p99 < 200 ms:
//! `TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo bench -p fieldwork-server --bench feedback_load`
//! (SQLite without it). `FEEDBACK_LOAD_PEOPLE` changes the number of people (default 5,000) and
//! `FEEDBACK_LOAD_EVERY_MS` the gap between two arrivals (default 12 ms: 5,000 a minute).

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fieldwork::db::{Db, ScratchDatabase};

const CENTERS: i64 = 2_700;
const ANSWERING: Duration = Duration::from_secs(6);

fn token(page: &str) -> String {
    let at = page.find("name=\"token\" value=\"").expect("the form's token") + 20;
    page[at..at + page[at..].find('"').unwrap()].to_string()
}

/// One person: the form, a pause to answer, the answer. Returns (GET ms, POST ms).
async fn person(client: reqwest::Client, base: String, n: usize) -> (f64, f64) {
    let venue = format!("v{}", 1 + n as i64 % CENTERS);
    let address = format!("10.{}.{}.{}", (n >> 16) & 255, (n >> 8) & 255, n & 255);
    let t = Instant::now();
    let form = client
        .get(format!("{base}/feedback/{venue}"))
        .header("x-forwarded-for", &address)
        .send()
        .await
        .unwrap();
    assert_eq!(form.status().as_u16(), 200);
    let cookie = form
        .headers()
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
        .unwrap();
    let page = form.text().await.unwrap();
    let get_ms = t.elapsed().as_secs_f64() * 1_000.0;
    let token = token(&page);
    tokio::time::sleep(ANSWERING).await;
    let level = |k: usize| ((n * k) % 4 + 1).to_string();
    let recommend = (n % 11).to_string();
    let fields = [
        ("token", token.as_str()),
        ("premises", &level(7)),
        ("staff", &level(11)),
        ("waiting", &level(13)),
        ("result", &level(17)),
        ("recommend", &recommend),
        (
            "comment",
            if n % 10 == 0 {
                "Довго чекали, але все зробили."
            } else {
                ""
            },
        ),
    ];
    let t = Instant::now();
    let sent = client
        .post(format!("{base}/feedback/{venue}"))
        .header("x-forwarded-for", &address)
        .header("cookie", cookie)
        .form(&fields)
        .send()
        .await
        .unwrap();
    let status = sent.status().as_u16();
    let body = sent.text().await.unwrap();
    assert_eq!(status, 200, "{body}");
    (get_ms, t.elapsed().as_secs_f64() * 1_000.0)
}

#[tokio::main]
async fn main() {
    let people: usize = std::env::var("FEEDBACK_LOAD_PEOPLE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000);
    let every = Duration::from_millis(
        std::env::var("FEEDBACK_LOAD_EVERY_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(12),
    );
    let scratch = ScratchDatabase::create().await.unwrap();
    let backend = if scratch.is_postgres() { "PostgreSQL" } else { "SQLite" };
    let db = Db::connect(&scratch.url, 4).await.unwrap();
    db.migrate().await.unwrap();
    common::seed_centers(&db, CENTERS).await;

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let _server = common::Server(
        Command::new(env!("CARGO_BIN_EXE_fieldwork"))
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .env("DATABASE_URL", &scratch.url)
            .env("FIELDWORK_DATA_DIR", scratch.dir.join("data"))
            .env("FIELDWORK_HTTP__TRUSTED_PROXIES", "[\"127.0.0.1\"]")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the fieldwork binary starts"),
    );
    let client = reqwest::Client::builder().pool_max_idle_per_host(256).build().unwrap();
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

    let started = Instant::now();
    let mut arrivals = tokio::time::interval(every);
    arrivals.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let mut tasks = Vec::with_capacity(people);
    for n in 0..people {
        arrivals.tick().await;
        tasks.push(tokio::spawn(person(client.clone(), base.clone(), n)));
    }
    let (mut gets, mut posts) = (Vec::new(), Vec::new());
    for t in tasks {
        let (g, p) = t.await.unwrap();
        gets.push(g);
        posts.push(p);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let sending = elapsed - ANSWERING.as_secs_f64();

    let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM feedback_responses")
        .fetch_one(db.pool())
        .await
        .unwrap();
    let counted: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM feedback_responses WHERE counted = 1")
        .fetch_one(db.pool())
        .await
        .unwrap();
    let tallied: i64 = sqlx::query_scalar(
        // Every person answered the 0–10 question, so the quarter's tallies hold one answer per counted response.
        "SELECT CAST(COALESCE(SUM(recommend), 0) AS BIGINT) FROM index_tallies WHERE period LIKE '%Q%'",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(kept, people as i64, "every response kept once");
    assert_eq!(tallied, counted, "every counted response in the tallies once");

    println!(
        "Feedback load on {backend}: {people} people, one every {} ms ({:.0} a minute), {CENTERS} centers",
        every.as_millis(),
        60_000.0 / every.as_millis() as f64
    );
    println!();
    println!("| request | p50 | p95 | p99 | max |");
    println!("|---|---|---|---|---|");
    println!("{}", common::summary("GET the form", gets));
    println!("{}", common::summary("POST the response", posts));
    println!();
    println!(
        "Sent {people} responses in {sending:.1} s ({:.0} a minute); kept {kept}, counted {counted} (the rest \
         scored suspicious), {tallied} in the quarter's tallies.",
        people as f64 / sending * 60.0
    );
    db.close().await;
}
