//! Builders for the set-ups the stories share, so each test says what it needs in a line instead of copying
//! GraphQL set-up: a client with the published ЦНАП checklist, venues (created or imported from a fixture), and
//! a launched wave with its tasks.
//!
//! ```ignore
//! let wave = app.with_launched_wave().await;               // 7 Lviv offices, one visit each, running today
//! let field = app.client_with_checklist(&token, "ЦНАП").await;
//! let wave = app.wave(&field).set("visitsPerVenue", 2).launch().await;
//! ```

use fieldwork::domain::Role;
use serde_json::{json, Map, Value};

use crate::{fixture, TestApp};

/// The checklist the stories use: every common question type, a condition and a photo question.
pub fn cnap_checklist() -> Value {
    json!({ "sections": [
        { "code": "VISIT", "title": { "uk": "Візит", "en": "Visit" }, "questions": [
            { "code": "Q1", "title": { "uk": "Чи є вивіска ЦНАП?" }, "type": "YES_NO", "weight": 2, "required": true },
            { "code": "Q2", "title": { "uk": "Ввічливість адміністратора" }, "type": "SCALE", "min": 1, "max": 5, "weight": 1 },
            { "code": "Q3", "title": { "uk": "Результат" }, "type": "SINGLE_CHOICE", "weight": 1, "options": [
                { "code": "DONE", "label": { "uk": "Послугу надано" }, "score": 1 },
                { "code": "REFUSED", "label": { "uk": "Відмовлено" }, "score": 0 } ] },
            { "code": "Q4", "title": { "uk": "Причина відмови" }, "type": "TEXT", "required": true,
              "visibleIf": { "equals": { "question": "Q3", "value": "REFUSED" } } },
            { "code": "Q5", "title": { "uk": "Фото табло черги" }, "type": "PHOTO", "minCount": 1,
              "caption": { "uk": "табло черги", "en": "queue display" } }
        ]}
    ]})
}

/// A client and the published version of its ЦНАП checklist, made by `token`.
#[derive(Debug, Clone)]
pub struct ClientSetup {
    pub token: String,
    pub client: String,
    pub version: String,
}

/// A launched wave and its tasks.
#[derive(Debug, Clone)]
pub struct LaunchedWave {
    /// The coordinator who made it.
    pub coordinator: String,
    pub client: String,
    pub version: String,
    pub wave: String,
    /// (venue external code, task id), in the wave's order.
    pub tasks: Vec<(String, String)>,
}

impl LaunchedWave {
    /// The task ids.
    pub fn task_ids(&self) -> Vec<String> {
        self.tasks.iter().map(|(_, id)| id.clone()).collect()
    }

    /// Task ids by venue external code.
    pub fn tasks_by_venue(&self) -> std::collections::HashMap<String, String> {
        self.tasks.iter().cloned().collect()
    }
}

/// A wave being described; `launch` creates and launches it.
pub struct WaveBuilder<'a> {
    app: &'a TestApp,
    setup: ClientSetup,
    input: Map<String, Value>,
}

impl WaveBuilder<'_> {
    /// Sets one field of `WaveInput` (e.g. `visitsPerVenue`, `visitRules`, `maxTasksPerShopper`).
    pub fn set(mut self, field: &str, value: impl Into<Value>) -> Self {
        self.input.insert(field.to_string(), value.into());
        self
    }

    /// Creates the wave (a draft) and returns its id.
    pub async fn create(self) -> (String, ClientSetup) {
        let setup = self.setup.clone();
        let (wave, refused) = self.create_checked().await;
        (wave.unwrap_or_else(|| panic!("createWave refused: {refused:?}")), setup)
    }

    /// Tries to create the wave: its id, or the field of the error when it was refused.
    pub async fn create_checked(self) -> (Option<String>, Option<String>) {
        let body = self
            .app
            .gql(
                Some(&self.setup.token),
                "mutation($c: ID!, $i: WaveInput!) { createWave(clientId: $c, input: $i) { id } }",
                json!({ "c": self.setup.client, "i": Value::Object(self.input) }),
            )
            .await;
        (
            body["data"]["createWave"]["id"].as_str().map(str::to_string),
            crate::error_field(&body).map(str::to_string),
        )
    }

    /// Creates and launches the wave; returns it with its tasks.
    pub async fn launch(self) -> LaunchedWave {
        let app = self.app;
        let (wave, setup) = self.create().await;
        let token = Some(setup.token.as_str());
        let body = app
            .gql(
                token,
                "mutation($id: ID!) { launchWave(id: $id) { tasksCreated } }",
                json!({ "id": wave }),
            )
            .await;
        let created = body["data"]["launchWave"]["tasksCreated"]
            .as_i64()
            .unwrap_or_else(|| panic!("launchWave: {body}"));
        let body = app
            .gql(
                token,
                "query($id: ID!, $n: Int!) { wave(id: $id) { tasks(first: $n) { edges { node { id venue { externalCode } } } } } }",
                json!({ "id": wave, "n": created.clamp(1, 100) }),
            )
            .await;
        let tasks: Vec<(String, String)> = body["data"]["wave"]["tasks"]["edges"]
            .as_array()
            .unwrap_or_else(|| panic!("wave tasks: {body}"))
            .iter()
            .map(|e| {
                (
                    e["node"]["venue"]["externalCode"].as_str().unwrap().to_string(),
                    e["node"]["id"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(tasks.len() as i64, created.min(100), "{body}");
        LaunchedWave {
            coordinator: setup.token,
            client: setup.client,
            version: setup.version,
            wave,
            tasks,
        }
    }
}

impl TestApp {
    /// A new client (`name`) with the ЦНАП checklist published, made by `token` (a coordinator or admin).
    pub async fn client_with_checklist(&self, token: &str, name: &str) -> ClientSetup {
        let body = self
            .gql(
                Some(token),
                "mutation($n: String!) { createClient(name: $n, kind: PUBLIC_BODY) { id } }",
                json!({ "n": name }),
            )
            .await;
        let client = body["data"]["createClient"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("createClient: {body}"))
            .to_string();
        let body = self
            .gql(
                Some(token),
                "mutation($c: ID!, $d: JSON!) { createChecklist(clientId: $c, name: \"ЦНАП 2026\", definition: $d) { versions { id } } }",
                json!({ "c": client, "d": cnap_checklist() }),
            )
            .await;
        let version = body["data"]["createChecklist"]["versions"][0]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("createChecklist: {body}"))
            .to_string();
        let body = self
            .gql(
                Some(token),
                "mutation($v: ID!) { publishChecklistVersion(versionId: $v) { status } }",
                json!({ "v": version }),
            )
            .await;
        assert_eq!(body["data"]["publishChecklistVersion"]["status"], "PUBLISHED", "{body}");
        ClientSetup {
            token: token.to_string(),
            client,
            version,
        }
    }

    /// One venue of the client at (lat, lon) with a 150 m geofence; returns its id.
    pub async fn venue_at(&self, setup: &ClientSetup, code: &str, name: &str, (lat, lon): (f64, f64)) -> String {
        let body = self
            .gql(
                Some(&setup.token),
                "mutation($c: ID!, $code: String!, $name: String!, $lat: Float!, $lon: Float!) { createVenue(input: { \
                 clientId: $c, externalCode: $code, name: $name, type: \"CNAP\", location: { lat: $lat, lon: $lon }, \
                 geofenceM: 150 }) { id } }",
                json!({ "c": setup.client, "code": code, "name": name, "lat": lat, "lon": lon }),
            )
            .await;
        body["data"]["createVenue"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("createVenue: {body}"))
            .to_string()
    }

    /// Imports a venue file from `tests/fixtures/centers/` with the column mapping; returns how many were created.
    pub async fn import_centers(&self, setup: &ClientSetup, file: &str, mapping: Value) -> i64 {
        let (_, body) = self
            .upload(
                Some(&setup.token),
                "mutation($c: ID!, $file: Upload!, $m: VenueColumnMappingInput!) { importVenues(clientId: $c, \
                 file: $file, defaultType: \"CNAP\", mapping: $m) { created } }",
                json!({ "c": setup.client, "m": mapping }),
                "file",
                file,
                fixture(&format!("centers/{file}")),
            )
            .await;
        body["data"]["importVenues"]["created"]
            .as_i64()
            .unwrap_or_else(|| panic!("importVenues: {body}"))
    }

    /// A wave of the client's checklist over all its venues, running from today (Kyiv) for 30 days, 400 UAH a
    /// visit; change any field with `set` before `launch`.
    pub fn wave(&self, setup: &ClientSetup) -> WaveBuilder<'_> {
        let today = self.clock.kyiv_today();
        let input = json!({
            "name": "Хвиля для перевірки", "checklistVersionId": setup.version,
            "startsOn": today.to_string(), "endsOn": (today + chrono::Duration::days(30)).to_string(),
            "selection": { "mode": "ALL" }, "feeKopiykas": 40000,
        });
        WaveBuilder {
            app: self,
            setup: setup.clone(),
            input: input.as_object().cloned().unwrap_or_default(),
        }
    }

    /// The common story's start: a coordinator, the seven Lviv ЦНАП offices, and a launched wave with one visit
    /// of each (at most 2 tasks per shopper, 72 h to visit after claiming).
    pub async fn with_launched_wave(&self) -> LaunchedWave {
        let coordinator = self.staff(Role::Coordinator).await.token;
        let setup = self.client_with_checklist(&coordinator, "Львівська міська рада").await;
        let created = self
            .import_centers(
                &setup,
                "lviv_cnap_offices.csv",
                json!({ "externalCode": "short_name", "name": "title_as_published" }),
            )
            .await;
        assert_eq!(created, 7);
        self.wave(&setup)
            .set("name", "Львів, поточна хвиля")
            .set("maxTasksPerShopper", 2)
            .set("claimWindowHours", 72)
            .set("scenario", "Запитайте про реєстрацію місця проживання.")
            .launch()
            .await
    }
}
