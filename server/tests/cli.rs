//! The `fieldwork` binary as an operator uses it: migrate, create the first admin, serve on port 0, answer,
//! and shut down gracefully on SIGTERM while a request is in flight. On SQLite, or PostgreSQL with
//! `TEST_DATABASE_URL`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fieldwork::db::ScratchDatabase;

const BIN: &str = env!("CARGO_BIN_EXE_fieldwork");

fn fieldwork(db: &ScratchDatabase) -> Command {
    let mut command = Command::new(BIN);
    command
        .env("DATABASE_URL", &db.url)
        .env("FIELDWORK_DATA_DIR", db.dir.join("data"))
        .env("RUST_LOG", "info")
        .current_dir(&db.dir);
    command
}

fn create_user(db: &ScratchDatabase, email: &str, role: &str, password: &str) -> std::process::Output {
    let mut child = fieldwork(db)
        .args(["create-user", "--email", email, "--role", role, "--password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{password}\n").as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Starts `fieldwork serve --listen 127.0.0.1:0` and returns it with the address from its log.
fn serve(db: &ScratchDatabase) -> (Child, String) {
    let mut child = fieldwork(db)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let address = loop {
        let line = lines.next().expect("the server logs its address").unwrap();
        if let Some(rest) = line.split("listening on http://").nth(1) {
            break rest.split('/').next().unwrap().to_string();
        }
    };
    // Keep draining the log so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, address)
}

#[tokio::test]
async fn migrate_create_the_first_admin_and_log_in() {
    let db = ScratchDatabase::create().await.unwrap();
    let out = fieldwork(&db).arg("migrate").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("migrations applied"));

    let out = create_user(&db, "Admin@Fieldwork.example", "admin", "a long admin passphrase");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("created ADMIN admin@fieldwork.example"));

    let out = create_user(&db, "admin@fieldwork.example", "coordinator", "another long passphrase");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
    let out = create_user(&db, "weak@fieldwork.example", "admin", "short");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Password: is too short"));
    let out = create_user(&db, "root@fieldwork.example", "root", "a long admin passphrase");
    assert!(!out.status.success());

    let (mut server, address) = serve(&db);
    let body: serde_json::Value = reqwest::Client::new()
        .post(format!("http://{address}/graphql"))
        .json(&serde_json::json!({
            "query": "mutation { login(email: \"admin@fieldwork.example\", password: \"a long admin passphrase\") { user { role emailVerified } } }"
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["data"]["login"]["user"]["role"], "ADMIN", "{body}");
    assert_eq!(body["data"]["login"]["user"]["emailVerified"], true);
    server.kill().unwrap();
    server.wait().unwrap();
}

#[tokio::test]
async fn serve_finishes_in_flight_requests_on_sigterm() {
    let db = ScratchDatabase::create().await.unwrap();
    let (mut server, address) = serve(&db);
    assert_eq!(
        reqwest::get(format!("http://{address}/healthz"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "ok"
    );
    assert_eq!(
        reqwest::get(format!("http://{address}/readyz")).await.unwrap().status(),
        200
    );

    // A request whose body is still on its way when the signal arrives.
    let body = r#"{"query":"{ __typename }"}"#;
    let (head, tail) = body.split_at(10);
    let mut stream = TcpStream::connect(&address).unwrap();
    write!(
        stream,
        "POST /graphql HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{head}",
        body.len()
    )
    .unwrap();
    stream.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let killed = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    std::thread::sleep(Duration::from_millis(300));
    stream.write_all(tail.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains(r#"{"data":{"__typename":"Query"}}"#), "{response}");

    let status = server.wait().unwrap();
    assert!(status.success(), "the server exits cleanly after SIGTERM: {status:?}");
    // New connections are refused once it has stopped.
    assert!(TcpStream::connect(&address).is_err());
}

#[test]
fn help_lists_the_subcommands() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for command in ["serve", "migrate", "create-user", "print-schema"] {
        assert!(text.contains(command), "{text}");
    }
}

#[tokio::test]
async fn import_venues_from_the_command_line() {
    let db = ScratchDatabase::create().await.unwrap();
    let out = fieldwork(&db)
        .args(["create-client", "--name", "Мінцифри"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let file = format!(
        "{}/../tests/fixtures/centers/ua_hromadas_centroids.csv",
        std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string())
    );
    let file = file.as_str();
    let import = |dry: bool| {
        let mut command = fieldwork(&db);
        command.args(["import-venues", file, "--client", "Мінцифри", "--default-type", "CNAP"]);
        for map in [
            "external_code=hromada_pcode",
            "name=hromada_ua",
            "hromada=hromada_ua",
            "raion=raion_ua",
            "oblast=oblast_en",
        ] {
            command.args(["--map", map]);
        }
        if dry {
            command.arg("--dry-run");
        }
        command.output().unwrap()
    };
    let out = import(true);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "dry run: 1769 rows read: 1769 created, 0 updated, 0 unchanged, 0 errors"
    );
    let out = import(false);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "1769 rows read: 1769 created, 0 updated, 0 unchanged, 0 errors"
    );
    let out = import(false);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "1769 rows read: 0 created, 0 updated, 1769 unchanged, 0 errors"
    );

    // A bad mapping fails with a clear message and a non-zero exit.
    let out = fieldwork(&db)
        .args(["import-venues", file, "--client", "Мінцифри", "--map", "name=nope"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not in the file"));
}
