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
