//! Every document the app sends is valid against the committed schema, and every file in `operations/` is part
//! of the client.

use apollo_compiler::{ExecutableDocument, Schema};

#[test]
fn every_operation_document_validates_against_the_schema() {
    let sdl = std::fs::read_to_string(format!("{}/../schema.graphql", manifest_dir())).unwrap();
    let schema = Schema::parse_and_validate(sdl, "schema.graphql").expect("schema.graphql is valid SDL");
    for (name, text) in fieldwork_mobile_api::DOCUMENTS {
        if let Err(errors) = ExecutableDocument::parse_and_validate(&schema, *text, *name) {
            panic!("{name} does not validate against schema.graphql:\n{}", errors.errors);
        }
    }
}

#[test]
fn every_file_in_operations_is_listed() {
    let dir = format!("{}/operations", manifest_dir());
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".graphql"))
        .collect();
    files.sort();
    let mut listed: Vec<String> = fieldwork_mobile_api::DOCUMENTS
        .iter()
        .map(|(n, _)| n.to_string())
        .collect();
    listed.sort();
    assert_eq!(
        files, listed,
        "add new operations to DOCUMENTS and to the operation! list in src/lib.rs"
    );
}

/// The package folder of the test being run (read at run time, so a test binary built from another checkout of
/// the same sources still looks in this one).
fn manifest_dir() -> String {
    std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string())
}
