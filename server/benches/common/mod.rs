//! What several benchmarks share: the repository's place lists and percentiles.
#![allow(dead_code)] // each benchmark uses some of it

/// (lat, lon) of every row of a CSV in `tests/fixtures/centers`, from the given columns.
pub fn read_points(file: &str, lat_col: usize, lon_col: usize) -> Vec<(f64, f64)> {
    let path = format!(
        "{}/../tests/fixtures/centers/{file}",
        std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string())
    );
    let mut reader = csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    reader
        .records()
        .filter_map(|r| {
            let r = r.ok()?;
            Some((r.get(lat_col)?.parse().ok()?, r.get(lon_col)?.parse().ok()?))
        })
        .collect()
}

/// The 1,769 hromada centres of Ukraine.
pub fn hromada_centres() -> Vec<(f64, f64)> {
    read_points("ua_hromadas_centroids.csv", 8, 9)
}

/// The `p` quantile of sorted values (nearest rank).
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// A valid РНОКПП for the `n`-th person of a benchmark (one person, one account: tax ids are unique).
#[allow(dead_code)]
pub fn tax_id(n: usize) -> String {
    let first = format!("{:09}", 100_000_000 + n);
    let digits: Vec<i32> = first.bytes().map(|b| i32::from(b - b'0')).collect();
    format!("{first}{}", fieldwork::domain::TaxId::check_digit(&digits))
}

/// A `fieldwork` server process, killed when dropped.
pub struct Server(pub std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One row of a latency table: `| name | p50 | p95 | p99 | max |`.
pub fn summary(name: &str, mut ms: Vec<f64>) -> String {
    ms.sort_by(|a, b| a.partial_cmp(b).unwrap());
    format!(
        "| {name} | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} ms |",
        percentile(&ms, 0.5),
        percentile(&ms, 0.95),
        percentile(&ms, 0.99),
        ms.last().copied().unwrap_or(0.0)
    )
}

/// The client `c` (a public body) and its `centers` centers `v1`… (codes `CNAP-1`…), straight into the database.
pub async fn seed_centers(db: &fieldwork::db::Db, centers: i64) {
    let now = db.now_ms();
    for sql in [
        format!("INSERT INTO clients (id, name, kind, created_at, updated_at) VALUES ('c', 'ЦНАП України', 'PUBLIC_BODY', {now}, {now})"),
        format!(
            "INSERT INTO venues (id, client_id, external_code, name, venue_type, address, oblast, raion, hromada, city, lat, lon, \
             geofence_m, opening_hours, active, search_text, created_at, updated_at, time_zone) \
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {centers}) \
             SELECT 'v' || i, 'c', 'CNAP-' || i, 'Центр № ' || i, 'CNAP', 'вул. Соборна, ' || i, 'Область ' || (i % 24), '', '', '', \
             48.0, 24.0, 100, '[]', 1, '', {now}, {now}, 'Europe/Kyiv' FROM n"
        ),
    ] {
        sqlx::query(&sql).execute(db.pool()).await.unwrap();
    }
}
