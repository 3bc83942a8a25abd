//! `schema.graphql` is generated from the code and committed; this fails when they drift apart.
//! To regenerate: `cargo run -p fieldwork-server -- print-schema > schema.graphql`
//! (or run this test with `UPDATE_SCHEMA=1`).

#[test]
fn committed_schema_matches_the_code() {
    let path = format!("{}/../schema.graphql", manifest_dir());
    let generated = fieldwork::graphql::sdl();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "schema.graphql is out of date: run `cargo run -p fieldwork-server -- print-schema > schema.graphql`"
    );
}

/// The package folder of the test being run (read at run time, so a test binary built from another checkout of
/// the same sources still looks in this one).
fn manifest_dir() -> String {
    std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string())
}
