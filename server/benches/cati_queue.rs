//! Benchmark: the phone interview queue at a national study's size. 50,000 services with a phone and consent at
//! 100 centers in 25 oblasts; a study by oblast draws all of them (2,000 per oblast); then 40 operators work in
//! rounds: in each, all 40 press "next case" at the same moment (a barrier releases them together), then each
//! records their call's outcome (mostly no answer, some busy, wrong numbers and completed interviews, as a first
//! day of calling goes), through the service layer (`Cati`) on a pool of 10 connections, the service's default.
//! Prints the draw's time and p50/p95/p99/max of "next case" (asked by 40 at once) and of recording an outcome,
//! and checks that no case was handed to two operators. `CATI_CLOSED_LOOP=1` drops the barrier: every operator
//! asks again as soon as they recorded, with no time to talk (a saturation test, not a call center).
//!
//! `TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test cargo bench -p fieldwork-server --bench cati_queue`
//! (SQLite without it). `CATI_CASES` and `CATI_OPERATORS` change the sizes; `CATI_CALLS` the calls per operator;
//! `CATI_POOL` the connections (`database_max_connections`).

mod common;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use fieldwork::auth::Actor;
use fieldwork::cati::{Answers, Cati, OutcomeInput, Strata, StudyInput};
use fieldwork::clock::Clock;
use fieldwork::db::{new_id, Db, ScratchDatabase};
use fieldwork::domain::cati::Outcome;
use fieldwork::domain::service_event::CitizenPhone;
use fieldwork::domain::Role;
use fieldwork::phones::PhoneVault;

const CENTERS: usize = 100;
const OBLASTS: usize = 25;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn actor(id: &str, role: Role) -> Actor {
    Actor {
        user_id: id.to_string(),
        role,
        session_id: "bench".into(),
        email_verified: true,
        client_id: None,
    }
}

fn report(name: &str, mut ms: Vec<f64>) {
    ms.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "| {name} | {} | {:.1} | {:.1} | {:.1} | {:.1} |",
        ms.len(),
        common::percentile(&ms, 0.5),
        common::percentile(&ms, 0.95),
        common::percentile(&ms, 0.99),
        ms.last().copied().unwrap_or(0.0)
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let cases = env("CATI_CASES", 50_000);
    let operators = env("CATI_OPERATORS", 40);
    let calls = env("CATI_CALLS", 50);
    let scratch = ScratchDatabase::create().await?;
    let clock = Clock::system();
    // Tuesday 8 December 2026, 11:00 in Kyiv: inside the calling hours.
    clock.set(1_796_720_400_000);
    let db = Db::connect(&scratch.url, env("CATI_POOL", 10) as u32)
        .await?
        .with_clock(clock);
    db.migrate().await?;
    let backend = if scratch.is_postgres() { "PostgreSQL" } else { "SQLite" };
    let now = db.now_ms();
    let pool = db.pool();

    let admin = new_id();
    for (id, role, email) in std::iter::once((admin.clone(), "ADMIN", "admin@bench".to_string()))
        .chain((0..operators).map(|i| (format!("op-{i:03}"), "OPERATOR", format!("op{i}@bench"))))
    {
        sqlx::query(
            "INSERT INTO users (id, email, password_hash, role, status, search_text, created_at, updated_at) \
             VALUES ($1, $2, 'x', $3, 'ACTIVE', $2, $4, $4)",
        )
        .bind(&id)
        .bind(&email)
        .bind(role)
        .bind(now)
        .execute(pool)
        .await?;
    }
    let client = new_id();
    sqlx::query(
        "INSERT INTO clients (id, name, kind, created_at, updated_at) VALUES ($1, 'Bench', 'PUBLIC_BODY', $2, $2)",
    )
    .bind(&client)
    .bind(now)
    .execute(pool)
    .await?;
    let mut venues = Vec::new();
    for i in 0..CENTERS {
        let id = new_id();
        sqlx::query(
            "INSERT INTO venues (id, client_id, external_code, name, venue_type, address, oblast, raion, hromada, city, \
             lat, lon, geofence_m, opening_hours, active, search_text, created_at, updated_at, time_zone) \
             VALUES ($1, $2, $3, $4, 'CNAP', '', $5, '', '', '', 50.45, 30.52, 150, '[]', 1, '', $6, $6, 'Europe/Kyiv')",
        )
        .bind(&id)
        .bind(&client)
        .bind(format!("C-{i}"))
        .bind(format!("ЦНАП {i}"))
        .bind(format!("Область {}", i % OBLASTS))
        .bind(now)
        .execute(pool)
        .await?;
        venues.push(id);
    }
    let vault = PhoneVault::new(
        &[PhoneVault::generate_key("bench")],
        PhoneVault::generate_key("h").split_once(':').unwrap().1,
    )?;
    let started = Instant::now();
    for chunk in (0..cases).collect::<Vec<_>>().chunks(500) {
        let mut tx = db.begin_write().await?;
        for &i in chunk {
            let phone = CitizenPhone::parse("phone", &format!("+38050{:07}", 1_000_000 + i)).expect("a phone");
            sqlx::query(
                "INSERT INTO service_events (id, client_id, external_id, venue_id, service_code, completed_at, \
                 phone_cipher, phone_hash, phone_masked, consent, source, received_at) \
                 VALUES ($1, $2, $3, $4, 'PASSPORT', $5, $6, $7, $8, 1, 'API', $5)",
            )
            .bind(new_id())
            .bind(&client)
            .bind(format!("E-{i}"))
            .bind(&venues[i % CENTERS])
            .bind(now - 86_400_000)
            .bind(vault.seal(&phone))
            .bind(vault.hash(&phone))
            .bind(phone.masked())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
    }
    println!(
        "{backend}: {cases} service events with phones written in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let cati = Cati::new(db.clone(), vault, 300, 30);
    let boss = actor(&admin, Role::Admin);
    let per_oblast = (cases / OBLASTS + 1) as i64;
    let study = cati
        .create_study(
            &boss,
            StudyInput {
                client_id: client.clone(),
                name: "Bench".into(),
                from: "2026-12-01".into(),
                to: "2026-12-31".into(),
                strata: Strata::Oblast,
                sample_per_stratum: per_oblast,
                target_per_stratum: per_oblast,
                quotas: Vec::new(),
                rules: None,
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let started = Instant::now();
    let drawn = cati
        .draw_sample(&boss, &study.id, Some("bench"))
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    println!(
        "{backend}: drew {} of {} eligible in {:.1} s",
        drawn.study.drawn.unwrap_or(0),
        drawn.study.eligible.unwrap_or(0),
        started.elapsed().as_secs_f64()
    );

    let next_ms = Arc::new(Mutex::new(Vec::new()));
    let record_ms = Arc::new(Mutex::new(Vec::new()));
    let handed = Arc::new(Mutex::new(Vec::new()));
    let closed_loop = std::env::var("CATI_CLOSED_LOOP").is_ok();
    let barrier = Arc::new(tokio::sync::Barrier::new(operators));
    let started = Instant::now();
    let mut workers = Vec::new();
    for o in 0..operators {
        let (cati, study, next_ms, record_ms, handed, barrier) = (
            cati.clone(),
            study.id.clone(),
            next_ms.clone(),
            record_ms.clone(),
            handed.clone(),
            barrier.clone(),
        );
        workers.push(tokio::spawn(async move {
            let me = actor(&format!("op-{o:03}"), Role::Operator);
            for c in 0..calls {
                if !closed_loop {
                    barrier.wait().await;
                }
                let t = Instant::now();
                let case = cati
                    .next_case(&me, &study)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
                next_ms.lock().unwrap().push(t.elapsed().as_secs_f64() * 1000.0);
                let Some(case) = case else { continue };
                handed.lock().unwrap().push(case.call_id.clone());
                let outcome = match (o + c) % 10 {
                    0 => Outcome::Complete,
                    1 => Outcome::Busy,
                    2 => Outcome::WrongNumber,
                    _ => Outcome::NoAnswer,
                };
                let answers = (outcome == Outcome::Complete).then(|| Answers {
                    premises: Some("4".into()),
                    recommend: Some("9".into()),
                    ..Answers::default()
                });
                let t = Instant::now();
                cati.record_outcome(
                    &me,
                    &case.call_id,
                    OutcomeInput {
                        outcome,
                        appointment_at: None,
                        answers,
                        note: None,
                    },
                )
                .await
                .map_err(|e| anyhow::anyhow!("{e:?}"))?;
                record_ms.lock().unwrap().push(t.elapsed().as_secs_f64() * 1000.0);
            }
            anyhow::Ok(())
        }));
    }
    for w in workers {
        w.await??;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let handed = handed.lock().unwrap().clone();
    let distinct: HashSet<&String> = handed.iter().collect();
    assert_eq!(distinct.len(), handed.len(), "a call handed twice");
    let open_calls: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cati_calls WHERE ended_at IS NULL")
        .fetch_one(pool)
        .await?;
    assert_eq!(open_calls, 0, "every call ended");
    let cases_called: i64 = sqlx::query_scalar("SELECT COUNT(DISTINCT case_id) FROM cati_calls")
        .fetch_one(pool)
        .await?;
    assert_eq!(
        cases_called as usize,
        handed.len(),
        "each call a different case (nobody's delay had passed)"
    );
    println!(
        "{backend}: {operators} operators, {} calls in {elapsed:.1} s ({:.0} calls a second)",
        handed.len(),
        handed.len() as f64 / elapsed
    );
    println!("| call | n | p50 ms | p95 ms | p99 ms | max ms |");
    println!("|---|---|---|---|---|---|");
    report("next case", next_ms.lock().unwrap().clone());
    report("record the outcome", record_ms.lock().unwrap().clone());
    Ok(())
}
