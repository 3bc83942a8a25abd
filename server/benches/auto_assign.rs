//! Benchmark: auto-assigning a launched wave of 10,000 tasks (5,000 venues × 2 visits, at and around the 1,769
//! real hromada centres of `tests/fixtures/centers`) over 4,000 verified shoppers, through the service layer
//! (`Assignment::auto_assign`): the preview (read facts, pairs, optimizer) and the commit (one transaction: lock
//! the shoppers, read their facts again, check every proposal, batched conditional UPDATEs and history INSERTs).
//! SQLite in a temporary folder, or PostgreSQL with `TEST_DATABASE_URL=postgres://…`.
//!
//! `cargo bench -p fieldwork-server --bench auto_assign`

mod common;

use std::sync::Arc;
use std::time::Instant;

use fieldwork::assignment::Assignment;
use fieldwork::auth::Actor;
use fieldwork::config::Settings;
use fieldwork::db::{new_id, Db, ScratchDatabase};
use fieldwork::domain::Role;
use rand::{Rng, SeedableRng};

const VENUES: usize = 5_000;
const VISITS: usize = 2;
const SHOPPERS: usize = 4_000;

/// Multi-row INSERTs of `rows` (each a list of SQL literals already quoted), 200 rows a statement.
async fn insert(db: &Db, head: &str, rows: &[Vec<String>]) {
    for chunk in rows.chunks(200) {
        let values: Vec<String> = chunk.iter().map(|r| format!("({})", r.join(", "))).collect();
        sqlx::query(&format!("{head} VALUES {}", values.join(", ")))
            .execute(db.pool())
            .await
            .unwrap();
    }
}

fn q(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

async fn seed(db: &Db) -> (String, String) {
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let centres = common::hromada_centres();
    let now = db.now_ms();
    let coordinator = new_id();
    insert(
        db,
        "INSERT INTO users (id, email, password_hash, role, status, search_text, created_at, updated_at)",
        &[vec![
            q(&coordinator),
            q("c@bench.example"),
            q("x"),
            q("COORDINATOR"),
            q("ACTIVE"),
            q(""),
            now.to_string(),
            now.to_string(),
        ]],
    )
    .await;
    let client = new_id();
    insert(
        db,
        "INSERT INTO clients (id, name, kind, created_at, updated_at)",
        &[vec![
            q(&client),
            q("Bench"),
            q("PUBLIC_BODY"),
            now.to_string(),
            now.to_string(),
        ]],
    )
    .await;
    let checklist = new_id();
    insert(
        db,
        "INSERT INTO checklists (id, client_id, name, created_at, updated_at)",
        &[vec![
            q(&checklist),
            q(&client),
            q("Bench"),
            now.to_string(),
            now.to_string(),
        ]],
    )
    .await;
    let version = new_id();
    insert(
        db,
        "INSERT INTO checklist_versions (id, checklist_id, version, status, definition, created_at, updated_at)",
        &[vec![
            q(&version),
            q(&checklist),
            "1".into(),
            q("PUBLISHED"),
            q("{\"sections\":[]}"),
            now.to_string(),
            now.to_string(),
        ]],
    )
    .await;
    let today = chrono::Utc::now().date_naive();
    let wave = new_id();
    insert(
        db,
        "INSERT INTO waves (id, client_id, checklist_version_id, name, starts_on, ends_on, selection, visits_per_venue, \
         fee_kopiykas, reimbursement_cap_kopiykas, visiting_windows, scenario, cooloff_days, max_tasks_per_shopper, \
         claim_window_hours, status, launched_at, created_at, updated_at)",
        &[vec![
            q(&wave), q(&client), q(&version), q("Bench wave"), q(&(today - chrono::Duration::days(1)).to_string()),
            q(&(today + chrono::Duration::days(30)).to_string()), q("{\"mode\":\"ALL\"}"), VISITS.to_string(), "40000".into(),
            "0".into(), q("[]"), q(""), "0".into(), "3".into(), "72".into(), q("LAUNCHED"), now.to_string(),
            now.to_string(), now.to_string(),
        ]],
    )
    .await;
    let mut venues = Vec::new();
    let mut tasks = Vec::new();
    for i in 0..VENUES {
        let (lat, lon) = centres[i % centres.len()];
        let (lat, lon) = if i < centres.len() {
            (lat, lon)
        } else {
            (lat + rng.gen_range(-0.09..0.09), lon + rng.gen_range(-0.13..0.13))
        };
        let id = new_id();
        venues.push(vec![
            q(&id),
            q(&client),
            q(&format!("V{i}")),
            q(&format!("Venue {i}")),
            q("CNAP"),
            q(""),
            q("Oblast"),
            q(""),
            q(""),
            q(""),
            lat.to_string(),
            lon.to_string(),
            "150".into(),
            q("[]"),
            "1".into(),
            q(""),
            now.to_string(),
            now.to_string(),
        ]);
        for seq in 1..=VISITS {
            tasks.push(vec![
                q(&new_id()),
                q(&wave),
                q(&id),
                seq.to_string(),
                q("OPEN"),
                "40000".into(),
                "0".into(),
                now.to_string(),
                now.to_string(),
            ]);
        }
    }
    insert(
        db,
        "INSERT INTO venues (id, client_id, external_code, name, venue_type, address, oblast, raion, hromada, city, lat, lon, \
         geofence_m, opening_hours, active, search_text, created_at, updated_at)",
        &venues,
    )
    .await;
    insert(
        db,
        "INSERT INTO tasks (id, wave_id, venue_id, seq, state, fee_kopiykas, bonus_kopiykas, created_at, updated_at)",
        &tasks,
    )
    .await;
    let mut users = Vec::new();
    let mut profiles = Vec::new();
    for i in 0..SHOPPERS {
        let (lat, lon) = centres[rng.gen_range(0..centres.len())];
        let id = new_id();
        users.push(vec![
            q(&id),
            q(&format!("s{i}@bench.example")),
            q("x"),
            q("SHOPPER"),
            q("ACTIVE"),
            q(""),
            now.to_string(),
            now.to_string(),
            now.to_string(),
        ]);
        profiles.push(vec![
            q(&id),
            q("Олена"),
            q("+380501234567"),
            q("UK"),
            (lat + rng.gen_range(-0.03..0.03)).to_string(),
            (lon + rng.gen_range(-0.04..0.04)).to_string(),
            rng.gen_range(15.0..40.0_f64).to_string(),
            q("UA213223130000026007233566001"),
            q("Олена"),
            q(&common::tax_id(profiles.len())),
            q("2026-01"),
            now.to_string(),
            q(""),
            now.to_string(),
        ]);
    }
    insert(
        db,
        "INSERT INTO users (id, email, password_hash, role, status, search_text, created_at, updated_at, email_verified_at)",
        &users,
    )
    .await;
    insert(
        db,
        "INSERT INTO shopper_profiles (user_id, full_name, phone, language, home_lat, home_lon, travel_radius_km, iban, \
         account_holder, tax_id, code_of_conduct_version, code_of_conduct_accepted_at, conflict_declaration, updated_at)",
        &profiles,
    )
    .await;
    (coordinator, wave)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let scratch = ScratchDatabase::create().await.unwrap();
    let backend = if scratch.is_postgres() { "PostgreSQL" } else { "SQLite" };
    let db = Db::connect(&scratch.url, 4).await.unwrap();
    db.migrate().await.unwrap();
    let (coordinator, wave) = seed(&db).await;
    let assignment = Assignment::new(db.clone(), Arc::new(Settings::default()), Default::default());
    let actor = Actor {
        user_id: coordinator,
        role: Role::Coordinator,
        session_id: "bench".into(),
        email_verified: true,
        client_id: None,
    };
    let started = Instant::now();
    let preview = assignment.auto_assign(&actor, &wave, false, false).await.unwrap();
    let preview_time = started.elapsed();
    let started = Instant::now();
    let done = assignment.auto_assign(&actor, &wave, true, false).await.unwrap();
    let commit_time = started.elapsed();
    let assigned: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tasks WHERE state = 'ASSIGNED'")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(assigned as usize, done.committed);
    println!("| backend | tasks | shoppers | proposals | preview | preview + commit (one transaction) | committed |");
    println!("|---|---|---|---|---|---|---|");
    println!(
        "| {backend} | {} | {SHOPPERS} | {} | {:.2} s | {:.2} s | {} |",
        VENUES * VISITS,
        preview.proposals.len(),
        preview_time.as_secs_f64(),
        commit_time.as_secs_f64(),
        done.committed
    );
    db.close().await;
}
