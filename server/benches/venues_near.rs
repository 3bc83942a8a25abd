//! Benchmark: "venues near a point" and the venue import at 100,000 venues.
//!
//! `cargo bench -p fieldwork-server --bench venues_near` (SQLite; set `TEST_DATABASE_URL=postgres://…` for
//! PostgreSQL). Venues are the 1,769 real hromada centres, each with 56 more scattered within ~15 km of it, so the
//! density follows Ukraine's settlement pattern. Prints a Markdown table row per radius for docs/benchmarks.md.

mod common;

use std::time::Instant;

use fieldwork::auth::Actor;
use fieldwork::db::{Db, ScratchDatabase};
use fieldwork::domain::{Coordinates, GeofenceRadius, Role, VenueType};
use fieldwork::venues::import::Parsed;
use fieldwork::venues::{ClientKind, VenueFields, Venues};

const PER_CENTRE: usize = 57; // 1,769 × 57 = 100,833 venues
const QUERIES: usize = 1_000;

/// A small deterministic generator (no dependency, same venues every run).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let scratch = ScratchDatabase::create().await?;
    let db = Db::connect(&scratch.url, 4).await?;
    db.migrate().await?;
    let backend = if scratch.is_postgres() { "PostgreSQL" } else { "SQLite" };
    let venues = Venues::new(db.clone());
    let client = venues
        .create_client(None, "Benchmark client", ClientKind::PublicBody, None)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;

    let centres = common::hromada_centres();
    let mut rng = Lcg(42);
    let mut drafts = Vec::new();
    for (i, (lat, lon)) in centres.iter().enumerate() {
        for j in 0..PER_CENTRE {
            let (dlat, dlon) = ((rng.next() - 0.5) * 0.27, (rng.next() - 0.5) * 0.4);
            drafts.push((
                drafts.len() + 2,
                VenueFields {
                    external_code: format!("B{i}-{j}"),
                    name: format!("Venue {i}-{j}"),
                    venue_type: VenueType::parse("type", "CNAP").unwrap(),
                    address: String::new(),
                    oblast: String::new(),
                    raion: String::new(),
                    hromada: String::new(),
                    city: String::new(),
                    location: Coordinates::parse("location", lat + dlat, lon + dlon).unwrap(),
                    geofence: GeofenceRadius::DEFAULT,
                    opening_hours: Default::default(),
                    active: true,
                    time_zone: None,
                    size_class: None,
                },
            ));
        }
    }
    let count = drafts.len();
    let parsed = Parsed {
        rows_read: count,
        drafts,
        errors: Vec::new(),
    };
    let started = Instant::now();
    let report = venues
        .import(None, &client.id, parsed, false, &|_| {})
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let import_secs = started.elapsed().as_secs_f64();
    assert_eq!(report.created, count);

    let actor = Actor {
        user_id: "bench".into(),
        role: Role::Coordinator,
        session_id: "bench".into(),
        email_verified: true,
        client_id: None,
    };
    println!("{backend}: imported {count} venues in one transaction in {import_secs:.2} s");
    println!();
    println!("| backend | venues | radius | queries | mean ms | p50 ms | p95 ms | p99 ms | mean results |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for radius_km in [2.0, 10.0, 50.0] {
        let mut times = Vec::with_capacity(QUERIES);
        let mut results = 0usize;
        for q in 0..QUERIES {
            let (lat, lon) = centres[(q * 7919) % centres.len()];
            let center =
                Coordinates::parse("near", lat + (rng.next() - 0.5) * 0.1, lon + (rng.next() - 0.5) * 0.1).unwrap();
            let started = Instant::now();
            let found = venues
                .venues_near(&actor, center, radius_km * 1000.0, None, None)
                .await
                .map_err(|e| anyhow::anyhow!("{e:?}"))?;
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            results += found.len();
        }
        times.sort_by(f64::total_cmp);
        let mean = times.iter().sum::<f64>() / times.len() as f64;
        println!(
            "| {backend} | {count} | {radius_km} km | {QUERIES} | {mean:.2} | {:.2} | {:.2} | {:.2} | {:.0} |",
            common::percentile(&times, 0.5),
            common::percentile(&times, 0.95),
            common::percentile(&times, 0.99),
            results as f64 / QUERIES as f64
        );
    }
    db.close().await;
    Ok(())
}
