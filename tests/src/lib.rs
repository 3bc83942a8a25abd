//! The end-to-end harness: a real server on port 0 (the library's own `Application`, as the binary runs it), a
//! real SMTP server receiving real mail, and a fresh database per test: a SQLite file by default, or a new
//! PostgreSQL database when `TEST_DATABASE_URL=postgres://…` is set.

pub mod scenario;
pub mod smtp;
pub mod turbosms;
pub mod twilio;

use std::sync::Arc;
use std::time::Duration;

use fieldwork::accounts::Accounts;
use fieldwork::clock::Clock;
use fieldwork::config::{Settings, SmtpSettings, SmtpTls};
use fieldwork::db::{Db, ScratchDatabase};
use fieldwork::domain::Role;
use fieldwork::startup::Application;
use fieldwork_mobile_api::{sign_up, Client};
use serde_json::{json, Value};
use tokio_util::sync::CancellationToken;

pub use scenario::{cnap_checklist, ClientSetup, LaunchedWave, WaveBuilder};
pub use smtp::{Mailbox, ReceivedMail};

/// The signed token a citizens' feedback form carries in its hidden `token` field.
pub fn form_token(page: &str) -> String {
    let at = page
        .find("name=\"token\" value=\"")
        .expect("the form carries its token")
        + 20;
    page[at..page[at..].find('"').unwrap() + at].to_string()
}

/// The `fieldwork` binary of this build (cargo builds it beside the test binaries: `target/<profile>/`), for
/// tests that need a server in a process of its own (to `kill -9` it).
pub fn fieldwork_binary() -> std::path::PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>/deps");
    let binary = profile_dir.join(format!("fieldwork{}", std::env::consts::EXE_SUFFIX));
    assert!(
        binary.exists(),
        "{} is missing: build it first (cargo build -p fieldwork-server, or cargo test --workspace)",
        binary.display()
    );
    binary
}

/// A password that meets the policy, used by test accounts.
pub const PASSWORD: &str = "correct horse battery";

/// How a test wants its server.
pub struct Options {
    /// Start the SMTP server with the app (false: the SMTP port is reserved but nothing listens yet).
    pub smtp_up: bool,
    /// Adjust settings before the server starts.
    pub tweak: Box<dyn FnOnce(&mut Settings) + Send>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            smtp_up: true,
            tweak: Box::new(|_| {}),
        }
    }
}

/// A running server with its database and mailbox.
pub struct TestApp {
    pub base_url: String,
    pub mailbox: Mailbox,
    pub settings: Settings,
    /// The server's database; its handle reads the server's clock.
    pub db: Db,
    /// The server's clock: a test moves it (`advance`) instead of waiting for time to pass.
    pub clock: Clock,
    cancel: CancellationToken,
    server: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    database: ScratchDatabase,
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(Options::default()).await
    }

    pub async fn spawn_with(options: Options) -> Self {
        fieldwork::telemetry::init_for_tests();
        let database = ScratchDatabase::create().await.expect("a scratch database");
        let mailbox = Mailbox::reserve();
        if options.smtp_up {
            mailbox.start();
        }
        let mut settings = Settings {
            listen: "127.0.0.1:0".parse().unwrap(),
            database_url: Some(database.url.clone()),
            database_max_connections: 5,
            data_dir: database.dir.join("data"),
            smtp: Some(SmtpSettings {
                host: "127.0.0.1".into(),
                port: mailbox.port(),
                tls: SmtpTls::None,
                username: None,
                password: None,
            }),
            ..Settings::default()
        };
        settings.mail.poll_interval_ms = 200;
        settings.mail.retry_base_ms = 100;
        settings.mail.retry_max_ms = 400;
        settings.mail.send_timeout_ms = 3_000;
        (options.tweak)(&mut settings);

        let app = Application::build(settings.clone())
            .await
            .expect("the application starts");
        let addr = app.local_addr();
        let clock = app.clock();
        let cancel = CancellationToken::new();
        let server = tokio::spawn(app.run_until(cancel.clone().cancelled_owned()));
        let db = Db::connect(&database.url, 2)
            .await
            .expect("test connection")
            .with_clock(clock.clone());
        TestApp {
            base_url: format!("http://{addr}"),
            mailbox,
            settings,
            db,
            clock,
            cancel,
            server: Some(server),
            database,
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.database.is_postgres()
    }

    /// A new phone (the shopper app's client), not logged in.
    pub fn phone(&self) -> Client {
        Client::new(&self.base_url)
    }

    /// Sends any GraphQL request; returns the HTTP status and the JSON body.
    pub async fn post(&self, token: Option<&str>, query: &str, variables: Value) -> (u16, Value) {
        let mut request = reqwest::Client::new()
            .post(format!("{}/graphql", self.base_url))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        let body = response.json().await.expect("a JSON body");
        (status, body)
    }

    /// GETs a download (`path` on this server) with a session token; asserts 200 and returns the body.
    pub async fn download(&self, token: &str, path: &str) -> Vec<u8> {
        let response = reqwest::Client::new()
            .get(format!("{}{path}", self.base_url))
            .bearer_auth(token)
            .send()
            .await
            .expect("the server answers");
        assert_eq!(response.status(), 200, "GET {path}");
        response.bytes().await.expect("a body").to_vec()
    }

    /// Sends a GraphQL multipart request (the upload spec) with one file in the variable `file_var`.
    pub async fn upload(
        &self,
        token: Option<&str>,
        query: &str,
        mut variables: Value,
        file_var: &str,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> (u16, Value) {
        variables[file_var] = Value::Null;
        let operations = json!({ "query": query, "variables": variables });
        let map = json!({ "0": [format!("variables.{file_var}")] });
        let form = reqwest::multipart::Form::new()
            .text("operations", operations.to_string())
            .text("map", map.to_string())
            .part(
                "0",
                reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string()),
            );
        let mut request = reqwest::Client::new()
            .post(format!("{}/graphql", self.base_url))
            .multipart(form);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        (status, response.json().await.expect("a JSON body"))
    }

    /// `post` and return the body.
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        self.post(token, query, variables).await.1
    }

    /// Creates a verified staff account directly (as `fieldwork create-user` does) and logs it in.
    pub async fn staff(&self, role: Role) -> Staff {
        self.staff_of(role, None).await
    }

    /// Like `staff`, for a client viewer of this client.
    pub async fn client_viewer(&self, client_id: &str) -> Staff {
        self.staff_of(Role::ClientViewer, Some(client_id)).await
    }

    async fn staff_of(&self, role: Role, client_id: Option<&str>) -> Staff {
        let accounts = Accounts::new(self.db.clone(), Arc::new(self.settings.clone()), Default::default());
        let email = format!(
            "{}-{}@staff.example.org",
            role.as_str().to_lowercase(),
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        );
        let user = accounts
            .create_user_with_password(&email, role, PASSWORD, client_id)
            .await
            .expect("staff user created");
        let mut phone = self.phone();
        phone.login(&email, PASSWORD).await.expect("staff login");
        Staff {
            id: user.id,
            email,
            token: phone.token().unwrap().to_string(),
        }
    }

    /// Signs a shopper up, verifies the email through the real mail, logs in. Returns the logged-in phone.
    pub async fn verified_shopper(&self, email: &str) -> (Client, String) {
        let phone = self.phone();
        let user = phone.sign_up(sign_up_input(email)).await.expect("sign-up");
        let mail = self.mailbox.wait_for(email, Duration::from_secs(10)).await;
        let token = mail.link_token("/verify-email").expect("a verification link");
        phone.verify_email(&token).await.expect("verification");
        let mut phone = phone;
        phone.login(email, PASSWORD).await.expect("login");
        (phone, user.id)
    }

    /// A shopper made directly through the service (fast, for tests that need many), verified or not, living
    /// at (lat, lon) with a travel radius; returns the logged-in phone and the id.
    pub async fn quick_shopper(
        &self,
        email: &str,
        lat: f64,
        lon: f64,
        radius_km: f64,
        verified: bool,
    ) -> (Client, String) {
        let accounts = Accounts::new(self.db.clone(), Arc::new(self.settings.clone()), Default::default());
        let input = fieldwork::accounts::SignUp {
            email: email.into(),
            password: PASSWORD.into(),
            full_name: "Тест Тестенко".into(),
            phone: "+380501234567".into(),
            language: fieldwork::domain::Language::Uk,
            home_lat: lat,
            home_lon: lon,
            travel_radius_km: radius_km,
            iban: "UA213223130000026007233566001".into(),
            account_holder: "Тест Тестенко".into(),
            tax_id: tax_id_for(email),
            accept_code_of_conduct: true,
            conflict_declaration: None,
            idempotency_key: None,
        };
        let shopper = accounts.sign_up(input).await.expect("sign-up");
        if verified {
            sqlx::query("UPDATE users SET email_verified_at = $1 WHERE id = $2")
                .bind(self.db.now_ms())
                .bind(&shopper.user.id)
                .execute(self.db.pool())
                .await
                .unwrap();
        }
        let mut phone = self.phone();
        phone.login(email, PASSWORD).await.expect("login");
        (phone, shopper.user.id)
    }

    /// How many rows a table has (for "nothing was written" checks).
    pub async fn count(&self, table: &str) -> i64 {
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(self.db.pool())
            .await
            .unwrap()
    }

    /// Stops the server gracefully and waits for it.
    pub async fn stop(mut self) {
        self.cancel.cancel();
        if let Some(server) = self.server.take() {
            server.await.expect("server task").expect("server stopped cleanly");
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}

/// A logged-in member of staff.
pub struct Staff {
    pub id: String,
    pub email: String,
    pub token: String,
}

/// A valid РНОКПП that belongs to `seed` alone (one person, one account: a tax id already registered is refused).
pub fn tax_id_for(seed: &str) -> String {
    let n = u64::from(crc32fast::hash(seed.trim().to_lowercase().as_bytes())) % 900_000_000 + 100_000_000;
    let first = n.to_string();
    let digits: Vec<i32> = first.bytes().map(|b| i32::from(b - b'0')).collect();
    format!("{first}{}", fieldwork::domain::TaxId::check_digit(&digits))
}

/// A valid sign-up for `email`.
pub fn sign_up_input(email: &str) -> sign_up::SignUpInput {
    sign_up::SignUpInput {
        email: email.into(),
        password: PASSWORD.into(),
        full_name: "Олена Петренко".into(),
        phone: "+380 50 123 45 67".into(),
        language: sign_up::Language::UK,
        home_location: sign_up::GeoPointInput {
            lat: 49.8397,
            lon: 24.0297,
        },
        travel_radius_km: 25.0,
        iban: "UA213223130000026007233566001".into(),
        account_holder: "Олена Петренко".into(),
        tax_id: tax_id_for(email),
        accept_code_of_conduct: true,
        conflict_declaration: Some("Працюю в ЦНАП Франківського району до 2025 року".into()),
        idempotency_key: None,
    }
}

/// The same sign-up as JSON variables, for tests that break one field at a time.
pub fn sign_up_json(email: &str) -> Value {
    json!({
        "email": email,
        "password": PASSWORD,
        "fullName": "Олена Петренко",
        "phone": "+380501234567",
        "language": "UK",
        "homeLocation": { "lat": 49.8397, "lon": 24.0297 },
        "travelRadiusKm": 25.0,
        "iban": "UA213223130000026007233566001",
        "accountHolder": "Олена Петренко",
        "taxId": tax_id_for(email),
        "acceptCodeOfConduct": true
    })
}

/// The first error's `extensions.code` in a GraphQL response body.
pub fn error_code(body: &Value) -> Option<&str> {
    body["errors"][0]["extensions"]["code"].as_str()
}

pub fn error_field(body: &Value) -> Option<&str> {
    body["errors"][0]["extensions"]["field"].as_str()
}

/// The path of a file in the repository's test fixtures (`tests/fixtures`).
pub fn fixture_path(relative: &str) -> std::path::PathBuf {
    std::path::PathBuf::from(
        std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string()),
    )
    .join("fixtures")
    .join(relative)
}

/// The bytes of a file from the repository's test fixtures (`tests/fixtures`, origins in `tests/fixtures/SOURCES.md`).
pub fn fixture(relative: &str) -> Vec<u8> {
    let path = fixture_path(relative);
    std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// A valid PNG header claiming `width` × `height` pixels (with a correct CRC), followed by a tiny image body: a
/// decompression bomb as far as any header check can tell.
pub fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut png = Vec::new();
    image::ImageEncoder::write_image(
        image::codecs::png::PngEncoder::new(&mut png),
        &[0u8; 3],
        1,
        1,
        image::ExtendedColorType::Rgb8,
    )
    .expect("a 1-pixel PNG");
    png[16..20].copy_from_slice(&width.to_be_bytes());
    png[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = crc32fast::hash(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
    png
}

/// How a phone sends a photo: a picked file, or one the app's camera took (the capture token, and the phone's
/// position and RFC 3339 time at capture).
pub enum PhotoSend<'a> {
    Gallery,
    Live {
        token: &'a str,
        at: (f64, f64),
        time: &'a str,
    },
}

/// Uploads `bytes` as the photo of question `Q5` of the checklist the stories use.
pub async fn send_photo(
    phone: &Client,
    visit: &str,
    client_id: &str,
    bytes: Vec<u8>,
    how: PhotoSend<'_>,
) -> Result<fieldwork_mobile_api::upload_visit_photo::UploadVisitPhotoUploadVisitPhoto, fieldwork_mobile_api::ClientError>
{
    use fieldwork_mobile_api::upload_visit_photo::{CaptureInput, PhotoSource, Variables};
    let (source, capture) = match how {
        PhotoSend::Gallery => (None, None),
        PhotoSend::Live { token, at, time } => (
            Some(PhotoSource::LIVE_CAMERA),
            Some(CaptureInput {
                token: token.into(),
                lat: at.0,
                lon: at.1,
                accuracy_m: 10.0,
                device_time: time.into(),
            }),
        ),
    };
    phone
        .upload_visit_photo(
            Variables {
                visit_id: visit.into(),
                client_id: client_id.into(),
                question_code: Some("Q5".into()),
                receipt_kopiykas: None,
                file: None,
                source,
                capture,
            },
            "photo.jpg",
            bytes,
        )
        .await
}

/// Checks the visit out at `place` (with `accuracy_m`, the phone's RFC 3339 clock at `time`) and submits it.
pub async fn check_out_and_submit_at(
    phone: &Client,
    visit: &str,
    place: (f64, f64),
    accuracy_m: f64,
    time: &str,
) -> fieldwork_mobile_api::submit_visit::SubmitVisitSubmitVisit {
    use fieldwork_mobile_api::{check_out, submit_visit, CheckOut, SubmitVisit};
    phone
        .execute::<CheckOut>(check_out::Variables {
            visit_id: visit.into(),
            input: check_out::CheckOutInput {
                lat: place.0,
                lon: place.1,
                accuracy_m,
                device_time: time.into(),
            },
        })
        .await
        .unwrap();
    phone
        .execute::<SubmitVisit>(submit_visit::Variables { visit_id: visit.into() })
        .await
        .unwrap()
        .submit_visit
}

/// Answers `Q1`, the one required question of the checklist the stories use, then checks out and submits as
/// [`check_out_and_submit_at`].
pub async fn answer_and_submit_at(
    phone: &Client,
    visit: &str,
    place: (f64, f64),
    accuracy_m: f64,
    time: &str,
) -> fieldwork_mobile_api::submit_visit::SubmitVisitSubmitVisit {
    use fieldwork_mobile_api::{save_visit_answers, SaveVisitAnswers};
    phone
        .execute::<SaveVisitAnswers>(save_visit_answers::Variables {
            visit_id: visit.into(),
            answers: json!({ "Q1": true }),
        })
        .await
        .unwrap();
    check_out_and_submit_at(phone, visit, place, accuracy_m, time).await
}
