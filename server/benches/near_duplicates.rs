//! Benchmark: the duplicate search of an upload (`visits::find_duplicate`) against 1,000,000 stored photo hashes:
//! the exact SHA-256 lookup, then the 68 indexed band probes that make every hash within the threshold a
//! candidate, each measured exactly. Half the queries are copies (1–6 bits flipped from a stored hash) and must be
//! found; half are new pictures. SQLite in a temporary folder, or PostgreSQL with `TEST_DATABASE_URL=postgres://…`.
//!
//! `cargo bench -p fieldwork-server --bench near_duplicates` (`NEAR_DUPLICATES_ROWS` to change the size)

use std::time::Instant;

use fieldwork::db::{Db, ScratchDatabase};
use fieldwork::domain::photo::bands;
use rand::{Rng, SeedableRng};
use sqlx::Connection as _;

const QUERIES: usize = 400;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let rows: usize = std::env::var("NEAR_DUPLICATES_ROWS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let scratch = ScratchDatabase::create().await.unwrap();
    let backend = if scratch.is_postgres() { "PostgreSQL" } else { "SQLite" };
    let db = Db::connect(&scratch.url, 4).await.unwrap();
    db.migrate().await.unwrap();
    let mut rng = rand::rngs::StdRng::seed_from_u64(12);
    let hashes: Vec<u64> = (0..rows).map(|_| rng.gen()).collect();

    // Photos only, with the foreign keys off for the seeding connection (the search reads the photos table).
    let started = Instant::now();
    let mut conn = sqlx::AnyConnection::connect(&scratch.url).await.unwrap();
    let off = if scratch.is_postgres() {
        "SET session_replication_role = replica"
    } else {
        "PRAGMA foreign_keys = OFF"
    };
    sqlx::query(off).execute(&mut conn).await.unwrap();
    sqlx::query("BEGIN").execute(&mut conn).await.unwrap();
    for (chunk_no, chunk) in hashes.chunks(500).enumerate() {
        let values: Vec<String> = chunk
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let n = chunk_no * 500 + i;
                let b = bands(*h);
                format!(
                    "('p{n}', 'c{n}', 'v{}', 'u{}', 'Q5', 'QUESTION', NULL, 'image/jpeg', 1, 's{n}', '{h:016x}', \
                     {}, {}, {}, {}, 1, 1, '{{}}', 'PASS', 'PASS', NULL, 'o', 'd', 't', {n}, '')",
                    n / 4,
                    n / 40,
                    b[0],
                    b[1],
                    b[2],
                    b[3]
                )
            })
            .collect();
        sqlx::query(&format!(
            "INSERT INTO photos (id, client_id, visit_id, shopper_id, question_code, kind, receipt_kopiykas, \
             content_type, bytes, sha256, phash, band0, band1, band2, band3, width, height, exif, gps_verdict, \
             time_verdict, duplicate_of, original_key, display_key, thumbnail_key, created_at, crop_hashes) VALUES {}",
            values.join(", ")
        ))
        .execute(&mut conn)
        .await
        .unwrap();
    }
    sqlx::query("COMMIT").execute(&mut conn).await.unwrap();
    if scratch.is_postgres() {
        sqlx::query("ANALYZE photos").execute(&mut conn).await.unwrap();
    } else {
        sqlx::query("ANALYZE").execute(&mut conn).await.unwrap();
    }
    drop(conn);
    let seeded = started.elapsed();

    let mut timings = Vec::with_capacity(QUERIES);
    let (mut copies, mut found, mut false_hits) = (0, 0, 0);
    let mut pooled = db.pool().acquire().await.unwrap();
    for q in 0..QUERIES {
        let (hash, is_copy) = if q % 2 == 0 {
            let mut h = hashes[rng.gen_range(0..rows)];
            for _ in 0..rng.gen_range(1..=6) {
                h ^= 1 << rng.gen_range(0..64);
            }
            (h, true)
        } else {
            (rng.gen::<u64>(), false)
        };
        let t = Instant::now();
        let hit = fieldwork::visits::find_duplicate(&mut pooled, "query-visit", "no-such-sha", hash, &[])
            .await
            .unwrap();
        timings.push(t.elapsed().as_secs_f64() * 1000.0);
        if is_copy {
            copies += 1;
            found += usize::from(hit.is_some());
        } else {
            false_hits += usize::from(hit.is_some());
        }
    }
    timings.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| timings[((timings.len() - 1) as f64 * p).round() as usize];
    println!(
        "| {backend} | {rows} | {:.0} s | {:.1} | {:.1} | {:.1} | {found}/{copies} | {false_hits} |",
        seeded.as_secs_f64(),
        pct(0.5),
        pct(0.95),
        timings.iter().sum::<f64>() / timings.len() as f64,
    );
    assert_eq!(found, copies, "every copy within the threshold is found");
}
