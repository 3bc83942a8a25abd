//! Benchmark: every poster of a client with 2,700 centers as one streamed ZIP, of SVGs and of PDFs (`Feedback::posters_zip`, what
//! `GET /clients/{id}/posters.zip` sends): the codes made for centers that had none, then the archive written
//! center by center. Prints the time, the archive's size and the peak resident memory during the run
//! (VmHWM after resetting it through /proc/self/clear_refs), then checks the archive holds every poster.
//!
//! `cargo bench -p fieldwork-server --bench posters`

use std::time::Instant;

use fieldwork::auth::Actor;
use fieldwork::config::FeedbackSettings;
use fieldwork::db::Db;
use fieldwork::domain::Role;
use fieldwork::feedback::{Feedback, PosterFormat};
use futures::StreamExt;

fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

const CENTERS: i64 = 2_700;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = std::env::temp_dir().join(format!("fw-posters-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = Db::connect(&format!("sqlite://{}/bench.db?mode=rwc", dir.display()), 4)
        .await
        .unwrap();
    db.migrate().await.unwrap();
    let now = db.now_ms();
    for sql in [
        format!("INSERT INTO users (id, email, password_hash, role, status, search_text, created_at, updated_at) \
                 VALUES ('u1', 'coordinator@example.org', 'x', 'COORDINATOR', 'ACTIVE', '', {now}, {now})"),
        format!("INSERT INTO clients (id, name, kind, created_at, updated_at) VALUES ('c', 'ЦНАП України', 'PUBLIC_BODY', {now}, {now})"),
        format!(
            "INSERT INTO venues (id, client_id, external_code, name, venue_type, address, oblast, raion, hromada, city, lat, lon, \
             geofence_m, opening_hours, active, search_text, created_at, updated_at, time_zone) \
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {CENTERS}) \
             SELECT 'v' || i, 'c', 'CNAP-' || i, 'Центр надання адміністративних послуг № ' || i || ' Громади ' || (i % 600), \
             'CNAP', 'вул. Соборна, ' || i, 'Область ' || (i % 24), '', '', '', 48.0, 24.0, 100, '[]', 1, '', {now}, {now}, \
             'Europe/Kyiv' FROM n"
        ),
    ] {
        sqlx::query(&sql).execute(db.pool()).await.unwrap();
    }
    let feedback = Feedback::new(
        db.clone(),
        "https://fieldwork.example.org".into(),
        &FeedbackSettings::default(),
    )
    .await
    .unwrap();
    let actor = Actor {
        user_id: "u1".into(),
        role: Role::Coordinator,
        session_id: "bench".into(),
        email_verified: true,
        client_id: None,
    };
    println!("| centers | run | time | archive | peak RSS during the run | RSS before |");
    println!("|---|---|---|---|---|---|");
    let saved = dir.join("posters.zip");
    for (run, format) in [
        ("SVG, first (codes made)", PosterFormat::Svg),
        ("SVG, again (codes exist)", PosterFormat::Svg),
        ("PDF (text embedded)", PosterFormat::Pdf),
    ] {
        let before = status_kib("VmRSS:");
        let _ = std::fs::write("/proc/self/clear_refs", "5");
        let started = Instant::now();
        let mut stream = Box::pin(feedback.posters_zip(&actor, "c", None, format).await.unwrap());
        let mut size = 0usize;
        // To disk as it comes, so the bench itself holds no archive in memory.
        let mut file = std::fs::File::create(&saved).unwrap();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.unwrap();
            size += chunk.len();
            std::io::Write::write_all(&mut file, &chunk).unwrap();
        }
        let took = started.elapsed();
        let peak = status_kib("VmHWM:");
        println!(
            "| {CENTERS} | {run} | {:.2} s | {:.1} MB | {:.1} MiB | {:.1} MiB |",
            took.as_secs_f64(),
            size as f64 / 1e6,
            peak as f64 / 1024.0,
            before as f64 / 1024.0
        );
    }
    // Every center's poster is in the archive, with the index.
    let archive = zip::ZipArchive::new(std::fs::File::open(&saved).unwrap()).unwrap();
    assert_eq!(archive.len() as i64, CENTERS + 1);
    db.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
