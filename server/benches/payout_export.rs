//! Benchmark: exporting a payout batch of 10,000 and 100,000 lines (CSV and pain.001.001.09) from SQLite through
//! `Payouts::export_stream`, the stream `GET /payouts/batches/{id}/export` sends, into a byte-counting sink. Prints time, file
//! size and the peak resident memory during the export (VmHWM after resetting it through /proc/self/clear_refs),
//! to show that memory stays flat as the batch grows.
//!
//! `cargo bench -p fieldwork-server --bench payout_export`

use std::time::Instant;

use fieldwork::auth::Actor;
use fieldwork::config::PayoutSettings;
use fieldwork::db::Db;
use fieldwork::domain::Role;
use fieldwork::payouts::export::BankFileFormat;
use fieldwork::payouts::Payouts;
use futures::StreamExt;

fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

async fn seed(db: &Db, batch: &str, lines: i64) {
    let now = db.now_ms();
    sqlx::query(&format!(
        "INSERT INTO users (id, email, password_hash, role, status, search_text, created_at, updated_at) \
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {lines}) \
         SELECT '{batch}-u' || i, '{batch}-' || i || '@example.com', 'x', 'SHOPPER', 'ACTIVE', '', {now}, {now} FROM n"
    ))
    .execute(db.pool())
    .await
    .unwrap();
    sqlx::query(&format!(
        "INSERT INTO payout_batches (id, period_from, period_to, currency, state, line_count, gross_total, \
         withheld_total, net_total, created_by, created_at) \
         VALUES ('{batch}', '2026-11-01', '2026-11-30', 'UAH', 'APPROVED', {lines}, {g}, {w}, {n}, '{batch}-u1', {now})",
        g = lines * 85_000,
        w = lines * 19_550,
        n = lines * 65_450
    ))
    .execute(db.pool())
    .await
    .unwrap();
    sqlx::query(&format!(
        "INSERT INTO payout_lines (id, batch_id, seq, shopper_id, account_holder, iban, tax_id, currency, gross, \
         income_tax, military_levy, net, state, created_at) \
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {lines}) \
         SELECT '{batch}-l' || i, '{batch}', i, '{batch}-u' || i, 'Олена Петренко-' || i, 'UA213223130000026007233566001', \
         '3000000008', 'UAH', 85000, 15300, 4250, 65450, 'SENT', {now} FROM n"
    ))
    .execute(db.pool())
    .await
    .unwrap();
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let dir = std::env::temp_dir().join(format!("fw-export-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = Db::connect(&format!("sqlite://{}/bench.db?mode=rwc", dir.display()), 2)
        .await
        .unwrap();
    db.migrate().await.unwrap();
    let settings = PayoutSettings {
        debtor_iban: Some("UA903052992990004149123456789".into()),
        ..PayoutSettings::default()
    };
    let payouts = Payouts::new(db.clone(), std::sync::Arc::new(settings), Default::default());
    println!("| lines | format | time | file size | peak RSS during export | RSS before |");
    println!("|---|---|---|---|---|---|");
    for lines in [10_000i64, 100_000] {
        let batch = format!("b{lines}");
        seed(&db, &batch, lines).await;
        let actor = Actor {
            user_id: format!("{batch}-u1"),
            role: Role::Payments,
            session_id: "bench".into(),
            email_verified: true,
            client_id: None,
        };
        for format in [BankFileFormat::Csv, BankFileFormat::Pain00100109] {
            // Reset the high-water mark, so the peak is the export's own.
            let _ = std::fs::write("/proc/self/clear_refs", "5");
            let before = status_kib("VmRSS:");
            let started = Instant::now();
            let header = payouts.start_export(&actor, &batch, format).await.unwrap();
            let mut stream = std::pin::pin!(payouts.export_stream(format, header));
            let (mut bytes, mut count) = (0, 0);
            let record = match format {
                BankFileFormat::Csv => &b"\n"[..],
                _ => &b"</CdtTrfTxInf>"[..],
            };
            while let Some(chunk) = stream.next().await {
                let chunk = chunk.unwrap();
                count += chunk.windows(record.len()).filter(|w| *w == record).count();
                bytes += chunk.len();
            }
            // Every line made it into the file (CSV: plus its header row).
            assert_eq!(count as i64, lines + i64::from(format == BankFileFormat::Csv));
            let elapsed = started.elapsed();
            let peak = status_kib("VmHWM:");
            println!(
                "| {lines} | {} | {:.2} s | {:.1} MB | {:.1} MiB | {:.1} MiB |",
                format.as_str(),
                elapsed.as_secs_f64(),
                bytes as f64 / 1e6,
                peak as f64 / 1024.0,
                before as f64 / 1024.0
            );
        }
    }
    db.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
