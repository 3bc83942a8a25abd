//! Clients and venues: importing the real national lists, re-importing, queries by place, validation, and a
//! client viewer who sees only their own client.

use fieldwork::domain::Role;
use fieldwork_e2e::{error_code, error_field, fixture, TestApp};
use serde_json::{json, Value};

const IMPORT: &str =
    "mutation($client: ID!, $file: Upload!, $mapping: VenueColumnMappingInput, $type: String, $dry: Boolean! = false) { \
    importVenues(clientId: $client, file: $file, mapping: $mapping, defaultType: $type, dryRun: $dry) { \
    dryRun applied rowsRead created updated unchanged errors { row column message } } }";

const VENUES: &str = "query($client: ID, $search: String, $oblast: String, $first: Int) { \
    venues(clientId: $client, search: $search, oblast: $oblast, first: $first) { totalCount \
    edges { node { id externalCode name type hromada raion oblast location { lat lon } geofenceM } } } }";

async fn create_client(app: &TestApp, token: &str, name: &str) -> String {
    let body = app
        .gql(
            Some(token),
            "mutation($n: String!) { createClient(name: $n, kind: PUBLIC_BODY) { id name kind } }",
            json!({ "n": name }),
        )
        .await;
    body["data"]["createClient"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_string()
}

fn hromada_mapping() -> Value {
    json!({ "externalCode": "hromada_pcode", "name": "hromada_ua", "hromada": "hromada_ua", "raion": "raion_ua", "oblast": "oblast_en" })
}

async fn import(app: &TestApp, token: &str, client: &str, file: &str, mapping: Value, kind: &str, dry: bool) -> Value {
    let (status, body) = app
        .upload(
            Some(token),
            IMPORT,
            json!({ "client": client, "mapping": mapping, "type": kind, "dry": dry }),
            "file",
            file.rsplit('/').next().unwrap(),
            fixture(file),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body["data"]["importVenues"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_national_hromada_list_imports_cleanly_and_reimports_without_duplicates() {
    let app = TestApp::spawn().await;
    let coordinator = app.staff(Role::Coordinator).await;
    let client = create_client(&app, &coordinator.token, "Мінцифри").await;
    let csv = "centers/ua_hromadas_centroids.csv";

    let dry = import(&app, &coordinator.token, &client, csv, hromada_mapping(), "CNAP", true).await;
    assert_eq!(
        dry,
        json!({ "dryRun": true, "applied": false, "rowsRead": 1769, "created": 1769, "updated": 0, "unchanged": 0, "errors": [] })
    );
    assert_eq!(app.count("venues").await, 0, "a dry run writes nothing");

    let first = import(&app, &coordinator.token, &client, csv, hromada_mapping(), "CNAP", false).await;
    assert_eq!(
        (first["applied"].as_bool(), first["created"].as_i64()),
        (Some(true), Some(1769)),
        "{first}"
    );
    assert_eq!(app.count("venues").await, 1769);

    let again = import(&app, &coordinator.token, &client, csv, hromada_mapping(), "CNAP", false).await;
    assert_eq!(
        (
            again["created"].as_i64(),
            again["updated"].as_i64(),
            again["unchanged"].as_i64()
        ),
        (Some(0), Some(0), Some(1769))
    );
    // The GeoJSON edition of the same list is the same venues.
    let geojson = import(
        &app,
        &coordinator.token,
        &client,
        "centers/ua_hromadas_centroids.geojson",
        hromada_mapping(),
        "CNAP",
        false,
    )
    .await;
    assert_eq!(
        (
            geojson["rowsRead"].as_i64(),
            geojson["created"].as_i64(),
            geojson["unchanged"].as_i64()
        ),
        (Some(1769), Some(0), Some(1769)),
        "{geojson}"
    );
    assert_eq!(app.count("venues").await, 1769);

    // Known rows, read back exactly.
    let body = app
        .gql(
            Some(&coordinator.token),
            VENUES,
            json!({ "client": client, "search": "UA0102003" }),
        )
        .await;
    let venue = &body["data"]["venues"]["edges"][0]["node"];
    assert_eq!(body["data"]["venues"]["totalCount"], 1, "{body}");
    assert_eq!(venue["name"], "Ароматненська");
    assert_eq!(venue["raion"], "Бахчисарайський");
    assert_eq!(venue["oblast"], "Autonomous Republic of Crimea");
    assert_eq!(venue["location"], json!({ "lat": 44.80935611, "lon": 33.84020707 }));
    assert_eq!(
        (venue["type"].as_str(), venue["geofenceM"].as_i64()),
        (Some("CNAP"), Some(150))
    );
    // Apostrophes are one character whatever the file used, and search finds either spelling.
    for spelling in ["Мар'ївська", "Мар’ївська", "марʼївська"] {
        let body = app
            .gql(
                Some(&coordinator.token),
                VENUES,
                json!({ "client": client, "search": spelling }),
            )
            .await;
        assert_eq!(
            body["data"]["venues"]["edges"][0]["node"]["name"], "Мар’ївська",
            "{spelling}: {body}"
        );
    }
    let lviv = app
        .gql(
            Some(&coordinator.token),
            VENUES,
            json!({ "client": client, "oblast": "Lvivska", "first": 1 }),
        )
        .await;
    assert!(lviv["data"]["venues"]["totalCount"].as_i64().unwrap() > 50, "{lviv}");
}

#[tokio::test]
async fn venues_near_a_point_come_nearest_first() {
    let app = TestApp::spawn().await;
    let coordinator = app.staff(Role::Coordinator).await;
    let client = create_client(&app, &coordinator.token, "Львівська міська рада").await;
    let mapping = json!({ "externalCode": "short_name", "name": "title_as_published" });
    let report = import(
        &app,
        &coordinator.token,
        &client,
        "centers/lviv_cnap_offices.csv",
        mapping,
        "CNAP_BRANCH",
        false,
    )
    .await;
    assert_eq!(report["created"], 7, "{report}");

    let near = "query($lat: Float!, $lon: Float!, $r: Float!, $first: Int, $after: String) { \
        venuesNear(near: { lat: $lat, lon: $lon }, radiusKm: $r, first: $first, after: $after) { totalCount \
        pageInfo { hasNextPage endCursor } edges { node { distanceM venue { externalCode city } } } } }";
    // Standing on Rynok Square.
    let body = app
        .gql(
            Some(&coordinator.token),
            near,
            json!({ "lat": 49.84195, "lon": 24.03160, "r": 2.0 }),
        )
        .await;
    let edges = body["data"]["venuesNear"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"));
    assert_eq!(
        edges[0]["node"]["venue"]["externalCode"],
        "ЦНАП м. Львова (головний офіс)"
    );
    assert!(edges[0]["node"]["distanceM"].as_f64().unwrap() < 10.0);
    assert!(edges.iter().all(|e| e["node"]["distanceM"].as_f64().unwrap() <= 2000.0));

    let all = app
        .gql(
            Some(&coordinator.token),
            near,
            json!({ "lat": 49.84195, "lon": 24.03160, "r": 50.0, "first": 4 }),
        )
        .await;
    let list = &all["data"]["venuesNear"];
    assert_eq!(list["totalCount"], 7);
    assert_eq!(list["pageInfo"]["hasNextPage"], true);
    let rest = app
        .gql(
            Some(&coordinator.token),
            near,
            json!({ "lat": 49.84195, "lon": 24.03160, "r": 50.0, "after": list["pageInfo"]["endCursor"] }),
        )
        .await;
    let mut distances: Vec<f64> = list["edges"]
        .as_array()
        .unwrap()
        .iter()
        .chain(rest["data"]["venuesNear"]["edges"].as_array().unwrap())
        .map(|e| e["node"]["distanceM"].as_f64().unwrap())
        .collect();
    assert_eq!(distances.len(), 7);
    let sorted = {
        let mut d = distances.clone();
        d.sort_by(f64::total_cmp);
        d
    };
    assert_eq!(distances, sorted, "nearest first across pages");
    distances.dedup();

    let bad = app
        .gql(
            Some(&coordinator.token),
            near,
            json!({ "lat": 91.0, "lon": 24.0, "r": 1.0 }),
        )
        .await;
    assert_eq!(
        (error_code(&bad), error_field(&bad)),
        (Some("BAD_USER_INPUT"), Some("near.lat"))
    );
    let bad = app
        .gql(
            Some(&coordinator.token),
            near,
            json!({ "lat": 49.0, "lon": 24.0, "r": 0.0 }),
        )
        .await;
    assert_eq!(error_field(&bad), Some("radiusKm"));
}

#[tokio::test]
async fn a_file_with_bad_rows_is_reported_row_by_row_and_imports_nothing() {
    let app = TestApp::spawn().await;
    let coordinator = app.staff(Role::Coordinator).await;
    let client = create_client(&app, &coordinator.token, "Мережа супермаркетів").await;
    // Windows-1251, semicolons, decimal commas: a typical spreadsheet export.
    let text =
        "external_code;name;type;lat;lon;geofence_m\nS1;Супермаркет на Личаківській;SUPERMARKET;49,8361;24,0532;80\n\
                S2;Без широти;SUPERMARKET;;24,0;\nS3;Завеликий радіус;SHOP;49,8;24,0;5000\nS1;Дубль;SHOP;49,8;24,0;\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(text);
    for dry in [true, false] {
        let (_, body) = app
            .upload(
                Some(&coordinator.token),
                IMPORT,
                json!({ "client": client, "dry": dry }),
                "file",
                "shops.csv",
                bytes.to_vec(),
            )
            .await;
        let report = &body["data"]["importVenues"];
        assert_eq!(report["applied"], false, "{body}");
        let errors: Vec<(i64, &str)> = report["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["row"].as_i64().unwrap(), e["column"].as_str().unwrap()))
            .collect();
        assert_eq!(errors, [(3, "lat"), (4, "geofence_m"), (5, "external_code")], "{body}");
    }
    assert_eq!(app.count("venues").await, 0);

    // A mapping to a column the file lacks is a clear input error.
    let (_, body) = app
        .upload(
            Some(&coordinator.token),
            IMPORT,
            json!({ "client": client, "mapping": { "name": "title" } }),
            "file",
            "shops.csv",
            bytes.to_vec(),
        )
        .await;
    assert_eq!(
        (error_code(&body), error_field(&body)),
        (Some("BAD_USER_INPUT"), Some("mapping")),
        "{body}"
    );
    // A text file that is not CSV or GeoJSON by name needs a format.
    let (_, body) = app
        .upload(
            Some(&coordinator.token),
            IMPORT,
            json!({ "client": client }),
            "file",
            "venues.xlsx",
            b"PK..".to_vec(),
        )
        .await;
    assert_eq!(error_field(&body), Some("format"), "{body}");
}

#[tokio::test]
async fn venues_are_validated_and_every_change_is_recorded() {
    let app = TestApp::spawn().await;
    let coordinator = app.staff(Role::Coordinator).await;
    let client = create_client(&app, &coordinator.token, "Ресторанна мережа").await;
    let create = "mutation($input: VenueInput!) { createVenue(input: $input) { id name geofenceM openingHours { weekday opens closes } } }";
    let input = json!({
        "clientId": client, "externalCode": "R-1", "name": "Ресторан «Кам'яниця»", "type": "restaurant",
        "city": "Львів", "location": { "lat": 49.8425, "lon": 24.0322 }, "geofenceM": 60,
        "openingHours": [
            { "weekday": "MON", "opens": "09:00", "closes": "13:00" },
            { "weekday": "MON", "opens": "14:00", "closes": "22:00" }
        ]
    });
    let body = app
        .gql(Some(&coordinator.token), create, json!({ "input": input }))
        .await;
    let venue = &body["data"]["createVenue"];
    assert_eq!(venue["name"], "Ресторан «Кам’яниця»", "{body}");
    assert_eq!(venue["openingHours"].as_array().unwrap().len(), 2);
    let id = venue["id"].as_str().unwrap().to_string();

    let cases = [
        ("geofenceM", json!(5), "geofenceM"),
        ("location", json!({ "lat": 49.0, "lon": 200.0 }), "location.lon"),
        ("type", json!("ресторан"), "type"),
        (
            "openingHours",
            json!([{ "weekday": "TUE", "opens": "10:00", "closes": "09:00" }]),
            "openingHours[0]",
        ),
        ("name", json!(""), "name"),
    ];
    for (key, value, field) in cases {
        let mut bad = input.clone();
        bad[key] = value;
        bad["externalCode"] = json!("R-bad");
        let body = app.gql(Some(&coordinator.token), create, json!({ "input": bad })).await;
        assert_eq!(
            (error_code(&body), error_field(&body)),
            (Some("BAD_USER_INPUT"), Some(field)),
            "{key}: {body}"
        );
    }
    let body = app
        .gql(Some(&coordinator.token), create, json!({ "input": input }))
        .await;
    assert_eq!(
        (error_code(&body), error_field(&body)),
        (Some("CONFLICT"), Some("externalCode"))
    );
    assert_eq!(app.count("venues").await, 1);

    let update = "mutation($id: ID!, $input: VenueUpdateInput!) { updateVenue(id: $id, input: $input) { name geofenceM active } }";
    let body = app
        .gql(
            Some(&coordinator.token),
            update,
            json!({ "id": id, "input": { "geofenceM": 120, "active": false } }),
        )
        .await;
    assert_eq!(
        body["data"]["updateVenue"],
        json!({ "name": "Ресторан «Кам’яниця»", "geofenceM": 120, "active": false }),
        "{body}"
    );
    let who: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT action, actor_id FROM audit_log WHERE subject_id = $1 ORDER BY at, id")
            .bind(&id)
            .fetch_all(app.db.pool())
            .await
            .unwrap();
    assert_eq!(
        who.iter().map(|(a, _)| a.as_str()).collect::<Vec<_>>(),
        ["venue.create", "venue.update"]
    );
    assert!(who.iter().all(|(_, by)| by.as_deref() == Some(coordinator.id.as_str())));
}

#[tokio::test]
async fn a_client_viewer_sees_only_their_own_client() {
    let app = TestApp::spawn().await;
    let admin = app.staff(Role::Admin).await;
    let ours = create_client(&app, &admin.token, "Наш клієнт").await;
    let theirs = create_client(&app, &admin.token, "Чужий клієнт").await;
    let create = "mutation($input: VenueInput!) { createVenue(input: $input) { id } }";
    let mut ids = Vec::new();
    for (client, code) in [(&ours, "A"), (&theirs, "B")] {
        let body = app
            .gql(Some(&admin.token), create, json!({ "input": { "clientId": client, "externalCode": code, "name": code, "type": "SHOP", "location": { "lat": 50.45, "lon": 30.52 } } }))
            .await;
        ids.push(body["data"]["createVenue"]["id"].as_str().unwrap().to_string());
    }
    let viewer = app.client_viewer(&ours).await;
    let body = app.gql(Some(&viewer.token), VENUES, json!({})).await;
    assert_eq!(body["data"]["venues"]["totalCount"], 1);
    // Asking for the other client's venues still gives only their own.
    let body = app.gql(Some(&viewer.token), VENUES, json!({ "client": theirs })).await;
    assert_eq!(body["data"]["venues"]["edges"][0]["node"]["externalCode"], "A");
    let body = app
        .gql(
            Some(&viewer.token),
            "query($id: ID!) { venue(id: $id) { id } }",
            json!({ "id": ids[1] }),
        )
        .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"));
    let body = app
        .gql(
            Some(&viewer.token),
            "query { clients { totalCount edges { node { name } } } }",
            json!({}),
        )
        .await;
    assert_eq!(body["data"]["clients"]["totalCount"], 1);
    let body = app
        .gql(
            Some(&viewer.token),
            "query { venuesNear(near: { lat: 50.45, lon: 30.52 }, radiusKm: 1) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(body["data"]["venuesNear"]["totalCount"], 1);

    // A client viewer needs a client; other roles have none.
    let invite = "mutation($role: Role!, $client: ID) { inviteStaff(email: \"v@client.example\", role: $role, clientId: $client) { id } }";
    let body = app
        .gql(Some(&admin.token), invite, json!({ "role": "CLIENT_VIEWER" }))
        .await;
    assert_eq!(error_field(&body), Some("clientId"));
    let body = app
        .gql(
            Some(&admin.token),
            invite,
            json!({ "role": "COORDINATOR", "client": ours }),
        )
        .await;
    assert_eq!(error_field(&body), Some("clientId"));
    let body = app
        .gql(
            Some(&admin.token),
            invite,
            json!({ "role": "CLIENT_VIEWER", "client": ours }),
        )
        .await;
    assert!(body["data"]["inviteStaff"]["id"].is_string(), "{body}");
}

/// Edits of one venue at the same moment, each changing another field: every change lands (the venue is read,
/// changed and written in one transaction holding its row, so no edit overwrites another with what it read).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_at_the_same_moment_all_land() {
    let app = std::sync::Arc::new(TestApp::spawn().await);
    let coordinator = app.staff(Role::Coordinator).await.token;
    let setup = app.client_with_checklist(&coordinator, "Житомирська міська рада").await;
    let venue = app.venue_at(&setup, "Z-1", "ЦНАП Житомира", (50.25, 28.66)).await;
    let changes = [
        json!({ "name": "ЦНАП м. Житомира" }),
        json!({ "address": "майдан Корольова, 4/2" }),
        json!({ "oblast": "Житомирська" }),
        json!({ "raion": "Житомирський" }),
        json!({ "hromada": "Житомирська" }),
        json!({ "city": "Житомир" }),
        json!({ "geofenceM": 210 }),
        json!({ "sizeClass": "large" }),
    ];
    let edits = changes.iter().cloned().map(|input| {
        let (app, token, venue) = (app.clone(), coordinator.clone(), venue.clone());
        tokio::spawn(async move {
            app.gql(
                Some(&token),
                "mutation($v: ID!, $i: VenueUpdateInput!) { updateVenue(id: $v, input: $i) { id } }",
                json!({ "v": venue, "i": input }),
            )
            .await
        })
    });
    for edit in futures::future::join_all(edits).await {
        let body = edit.unwrap();
        assert!(body["data"]["updateVenue"]["id"].is_string(), "{body}");
    }
    let body = app
        .gql(
            Some(&coordinator),
            "query($v: ID!) { venue(id: $v) { name address oblast raion hromada city geofenceM sizeClass timeZone } }",
            json!({ "v": venue }),
        )
        .await;
    assert_eq!(
        body["data"]["venue"],
        json!({
            "name": "ЦНАП м. Житомира", "address": "майдан Корольова, 4/2", "oblast": "Житомирська",
            "raion": "Житомирський", "hromada": "Житомирська", "city": "Житомир", "geofenceM": 210,
            "sizeClass": "LARGE", "timeZone": "Europe/Kyiv"
        }),
        "{body}"
    );
}

#[tokio::test]
async fn excels_unicode_text_imports_and_utf16_without_its_mark_is_refused_in_words() {
    let app = TestApp::spawn().await;
    let coordinator = app.staff(Role::Coordinator).await;
    let client = create_client(&app, &coordinator.token, "Київська міська рада").await;
    // What Excel writes as "Unicode text": UTF-16 LE with its byte-order mark, tab-separated.
    let text = "external_code\tname\ttype\tlat\tlon\nK1\tЦНАП Києва\tCNAP\t50.45\t30.52\n";
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let (_, body) = app
        .upload(
            Some(&coordinator.token),
            IMPORT,
            json!({ "client": client, "dry": false }),
            "file",
            "centers.txt.csv",
            utf16.clone(),
        )
        .await;
    let report = &body["data"]["importVenues"];
    assert_eq!(
        (report["applied"].as_bool(), report["created"].as_i64()),
        (Some(true), Some(1)),
        "{body}"
    );
    let name: String = sqlx::query_scalar("SELECT name FROM venues WHERE external_code = 'K1'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(name, "ЦНАП Києва");

    // Without its mark the file cannot be read for sure: refused, naming the encoding and how to save it, with no
    // NUL characters in the answer, and nothing written.
    let (_, body) = app
        .upload(
            Some(&coordinator.token),
            IMPORT,
            json!({ "client": client, "dry": false }),
            "file",
            "centers.csv",
            utf16[2..].to_vec(),
        )
        .await;
    assert_eq!(
        (error_code(&body), error_field(&body)),
        (Some("BAD_USER_INPUT"), Some("file")),
        "{body}"
    );
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("UTF-16") && message.contains("CSV UTF-8"), "{message}");
    assert!(!body.to_string().contains("\\u0000"), "{body}");
    assert_eq!(app.count("venues").await, 1);
}
