//! Benchmark: the quality index at the first customer's scale: 2,700 centers (24 oblasts × 3 size classes) and
//! 1,000,000 counted citizens' responses over twelve months.
//!
//! 1. A full rebuild (`Quality::rebuild`, what `fieldwork rebuild-index` runs): the tallies from every response,
//!    then every month and quarter recomputed.
//! 2. The per-response update: one response's tallies (its month and its quarter) added in its own transaction,
//!    1,000 times; mean and p99.
//! 3. A refresh after those: the changed period of the client recomputed (2,700 centers).
//!
//! SQLite in a temporary folder, or a scratch PostgreSQL database with `TEST_DATABASE_URL=postgres://…`.
//! `cargo bench -p fieldwork-server --bench quality_index`

mod common;

use std::time::Instant;

use fieldwork::db::{Db, ScratchDatabase};
use fieldwork::domain::quality_index::{IndexSettings, Tally};
use fieldwork::quality::Quality;

const CENTERS: i64 = 2_700;
const RESPONSES: i64 = 1_000_000;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let scratch = ScratchDatabase::create().await.unwrap();
    let backend = if scratch.is_postgres() { "PostgreSQL" } else { "SQLite" };
    let db = Db::connect(&scratch.url, 4).await.unwrap();
    db.migrate().await.unwrap();
    let now = db.now_ms();
    let year_ago = now - 365 * 86_400_000;
    let setup = Instant::now();
    for sql in [
        format!("INSERT INTO clients (id, name, kind, created_at, updated_at) VALUES ('c', 'ЦНАП України', 'PUBLIC_BODY', {now}, {now})"),
        format!(
            "INSERT INTO venues (id, client_id, external_code, name, venue_type, address, oblast, raion, hromada, city, lat, lon, \
             geofence_m, opening_hours, active, search_text, created_at, updated_at, time_zone, size_class) \
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {CENTERS}) \
             SELECT 'v' || i, 'c', 'CNAP-' || i, 'Центр № ' || i, 'CNAP', '', 'Область ' || (i % 24), '', '', '', 48.0, 24.0, \
             100, '[]', 1, '', {now}, {now}, 'Europe/Kyiv', CASE i % 3 WHEN 0 THEN 'SMALL' WHEN 1 THEN 'MEDIUM' ELSE 'LARGE' END FROM n"
        ),
    ] {
        sqlx::query(&sql).execute(db.pool()).await.unwrap();
    }
    // A million responses in batches of 100,000: every center, both channels, every day of the year, ratings and
    // the 0–10 answer spread by the row number.
    for batch in 0..(RESPONSES / 100_000) {
        let from = batch * 100_000;
        sqlx::query(&format!(
            "INSERT INTO feedback_responses (id, venue_id, channel, premises, staff, waiting, result, recommend, \
             callback_consent, risk_score, risk_reasons, counted, moderation, device_hash, address_hash, submission_key, \
             created_at) WITH RECURSIVE n(i) AS (SELECT CAST({from} AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i < {from} + 99999) \
             SELECT 'r' || i, 'v' || (1 + i % {CENTERS}), CASE i % 5 WHEN 0 THEN 'WEB_MAP' ELSE 'QR' END, \
             1 + (i * 7) % 4, 1 + (i * 11) % 4, 1 + (i * 13) % 4, 1 + (i * 17) % 4, (i * 19) % 11, 0, 0, '[]', 1, 'NONE', \
             'd' || i, 'a' || i, 'k' || i, {year_ago} + (i % 365) * 86400000 + (i % 86400) * 1000 FROM n"
        ))
        .execute(db.pool())
        .await
        .unwrap();
    }
    let setup = setup.elapsed();
    let quality = Quality::new(db.clone(), IndexSettings::default());

    let started = Instant::now();
    let report = quality.rebuild().await.unwrap();
    let rebuild = started.elapsed();
    assert_eq!(report.responses, RESPONSES as u64);
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM quality_index")
        .fetch_one(db.pool())
        .await
        .unwrap();
    let published: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM quality_index WHERE headline IS NOT NULL")
        .fetch_one(db.pool())
        .await
        .unwrap();

    // 2. One response at a time, each in its own transaction, as `Feedback::submit` does.
    let tally = Tally::of_response([Some(4), Some(3), Some(2), Some(4)], Some(9));
    let mut latencies = Vec::new();
    for i in 0..1_000 {
        let t = Instant::now();
        let mut tx = db.begin_write().await.unwrap();
        fieldwork::quality::tally_response(&mut tx, "c", &format!("v{}", 1 + i % CENTERS), "QR", now, &tally, 1)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        latencies.push(t.elapsed().as_secs_f64() * 1_000.0);
    }
    latencies.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let mean = latencies.iter().sum::<f64>() / latencies.len() as f64;

    // 3. What the refresh then does for the changed periods: the current month and quarter recomputed.
    let [month, quarter] = fieldwork::domain::quality_index::periods_of(db.clock().kyiv_today());
    let started = Instant::now();
    for period in [&month, &quarter] {
        quality.recompute("c", period).await.unwrap();
    }
    let refresh = started.elapsed();
    let periods = 2;

    println!(
        "Quality index on {backend}: {CENTERS} centers, {RESPONSES} responses over a year (set-up {:.1} s)",
        setup.as_secs_f64()
    );
    println!();
    println!("| step | result |");
    println!("|---|---|");
    println!(
        "| full rebuild (tallies from 1 M responses, {} periods recomputed) | {:.1} s; {rows} center-periods, {published} with a headline |",
        report.periods,
        rebuild.as_secs_f64()
    );
    println!(
        "| one response's tallies (month + quarter, own transaction), 1,000× | mean {mean:.2} ms, p99 {:.2} ms |",
        common::percentile(&latencies, 0.99)
    );
    println!(
        "| refresh after them ({periods} changed periods × {CENTERS} centers) | {:.0} ms |",
        refresh.as_millis()
    );
    db.close().await;
}
