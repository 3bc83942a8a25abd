//! Waves: from "visit every center of Lviv oblast twice in December for 400 UAH" to concrete tasks, launched
//! once however often it is asked, then paused, extended and closed.

use fieldwork::domain::Role;
use fieldwork_e2e::{error_code, error_field, TestApp};
use serde_json::{json, Value};

const CREATE: &str =
    "mutation($client: ID!, $input: WaveInput!) { createWave(clientId: $client, input: $input) { id status } }";
const LAUNCH: &str = "mutation($id: ID!) { launchWave(id: $id) { tasksCreated wave { status launchedAt } } }";
const PROGRESS: &str = "query($id: ID!) { wave(id: $id) { status endsOn closeReason progress { total byState { state count } \
    byRegion { oblast total } } tasks(first: 2) { totalCount edges { node { state visitNumber feeKopiykas cancelReason venue { oblast } } } } } }";

struct Setup {
    token: String,
    client: String,
    version: String,
    lviv_venues: i64,
}

async fn setup(app: &TestApp) -> Setup {
    let coordinator = app.staff(Role::Coordinator).await;
    let field = app.client_with_checklist(&coordinator.token, "Мінцифри").await;
    let mapping = json!({ "externalCode": "hromada_pcode", "name": "hromada_ua", "oblast": "oblast_en" });
    assert_eq!(
        app.import_centers(&field, "ua_hromadas_centroids.csv", mapping).await,
        1769
    );
    let body = app
        .gql(
            Some(&field.token),
            "query($c: ID!) { venues(clientId: $c, oblast: \"Lvivska\") { totalCount } }",
            json!({ "c": field.client }),
        )
        .await;
    let lviv_venues = body["data"]["venues"]["totalCount"].as_i64().unwrap();
    assert!(lviv_venues > 50);
    Setup {
        token: field.token,
        client: field.client,
        version: field.version,
        lviv_venues,
    }
}

fn december_in_lviv(version: &str) -> Value {
    json!({
        "name": "Грудень 2026, Львівщина", "checklistVersionId": version,
        "startsOn": "2026-12-01", "endsOn": "2026-12-31",
        "selection": { "mode": "FILTER", "oblast": "Lvivska" },
        "visitsPerVenue": 2, "feeKopiykas": 40000, "reimbursementCapKopiykas": 15000,
        "scenario": "Запитайте про оформлення паспорта для дитини."
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wave_becomes_tasks_once_and_closing_cancels_the_open_ones() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let token = Some(s.token.as_str());

    // A draft checklist version cannot be used.
    let body = app
        .gql(
            token,
            "mutation($c: ID!, $d: JSON!) { createChecklist(clientId: $c, name: \"Чернетка\", definition: $d) { versions { id } } }",
            json!({ "c": s.client, "d": fieldwork_e2e::cnap_checklist() }),
        )
        .await;
    let draft = body["data"]["createChecklist"]["versions"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let body = app
        .gql(
            token,
            CREATE,
            json!({ "client": s.client, "input": december_in_lviv(&draft) }),
        )
        .await;
    assert_eq!(error_field(&body), Some("checklistVersionId"), "{body}");

    let body = app
        .gql(
            token,
            CREATE,
            json!({ "client": s.client, "input": december_in_lviv(&s.version) }),
        )
        .await;
    assert_eq!(body["data"]["createWave"]["status"], "DRAFT", "{body}");
    let wave = body["data"]["createWave"]["id"].as_str().unwrap().to_string();

    // Five launches at once, then one more: the tasks exist exactly once.
    let launches: Vec<_> = (0..5)
        .map(|_| {
            let (base, token, wave) = (app.base_url.clone(), s.token.clone(), wave.clone());
            tokio::spawn(async move {
                let body: Value = reqwest::Client::new()
                    .post(format!("{base}/graphql"))
                    .bearer_auth(token)
                    .json(&json!({ "query": LAUNCH, "variables": { "id": wave } }))
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                body["data"]["launchWave"]["tasksCreated"]
                    .as_i64()
                    .unwrap_or_else(|| panic!("{body}"))
            })
        })
        .collect();
    let mut created = 0;
    for launch in launches {
        created += launch.await.unwrap();
    }
    assert_eq!(created, 2 * s.lviv_venues);
    let again = app.gql(token, LAUNCH, json!({ "id": wave })).await;
    assert_eq!(again["data"]["launchWave"]["tasksCreated"], 0);
    assert_eq!(again["data"]["launchWave"]["wave"]["status"], "LAUNCHED");
    assert_eq!(app.count("tasks").await, 2 * s.lviv_venues);

    let body = app.gql(token, PROGRESS, json!({ "id": wave })).await;
    let progress = &body["data"]["wave"]["progress"];
    assert_eq!(progress["total"], 2 * s.lviv_venues, "{body}");
    assert_eq!(
        progress["byState"],
        json!([{ "state": "OPEN", "count": 2 * s.lviv_venues }])
    );
    assert_eq!(
        progress["byRegion"],
        json!([{ "oblast": "Lvivska", "total": 2 * s.lviv_venues }])
    );
    let task = &body["data"]["wave"]["tasks"]["edges"][0]["node"];
    assert_eq!(
        (task["state"].as_str(), task["feeKopiykas"].as_i64()),
        (Some("OPEN"), Some(40000))
    );
    assert_eq!(task["venue"]["oblast"], "Lvivska");

    // Settings are frozen once launched; pause, resume and extend work.
    let body = app
        .gql(
            token,
            "mutation($id: ID!, $i: WaveInput!) { updateWave(id: $id, input: $i) { id } }",
            json!({ "id": wave, "i": december_in_lviv(&s.version) }),
        )
        .await;
    assert_eq!(error_code(&body), Some("CONFLICT"));
    let body = app
        .gql(
            token,
            "mutation($id: ID!) { pauseWave(id: $id) { status } }",
            json!({ "id": wave }),
        )
        .await;
    assert_eq!(body["data"]["pauseWave"]["status"], "PAUSED");
    let body = app.gql(token, LAUNCH, json!({ "id": wave })).await;
    assert_eq!(
        error_code(&body),
        Some("CONFLICT"),
        "a paused wave is resumed, not launched: {body}"
    );
    let body = app
        .gql(
            token,
            "mutation($id: ID!) { resumeWave(id: $id) { status } }",
            json!({ "id": wave }),
        )
        .await;
    assert_eq!(body["data"]["resumeWave"]["status"], "LAUNCHED");
    let extend = "mutation($id: ID!, $d: String!) { extendWave(id: $id, endsOn: $d) { endsOn } }";
    let body = app.gql(token, extend, json!({ "id": wave, "d": "2026-12-20" })).await;
    assert_eq!(error_field(&body), Some("endsOn"));
    let body = app.gql(token, extend, json!({ "id": wave, "d": "2027-01-15" })).await;
    assert_eq!(body["data"]["extendWave"]["endsOn"], "2027-01-15");

    // Closing cancels the open tasks with the reason; closing again changes nothing.
    let close =
        "mutation($id: ID!) { closeWave(id: $id, reason: \"Бюджет вичерпано\") { tasksCancelled wave { status } } }";
    let body = app.gql(token, close, json!({ "id": wave })).await;
    assert_eq!(body["data"]["closeWave"]["tasksCancelled"], 2 * s.lviv_venues, "{body}");
    let body = app.gql(token, close, json!({ "id": wave })).await;
    assert_eq!(body["data"]["closeWave"]["tasksCancelled"], 0);
    let body = app.gql(token, PROGRESS, json!({ "id": wave })).await;
    assert_eq!(body["data"]["wave"]["status"], "CLOSED");
    assert_eq!(body["data"]["wave"]["closeReason"], "Бюджет вичерпано");
    assert_eq!(
        body["data"]["wave"]["progress"]["byState"],
        json!([{ "state": "CANCELLED", "count": 2 * s.lviv_venues }])
    );
    assert_eq!(
        body["data"]["wave"]["tasks"]["edges"][0]["node"]["cancelReason"],
        "Бюджет вичерпано"
    );
    assert_eq!(
        error_code(&app.gql(token, LAUNCH, json!({ "id": wave })).await),
        Some("CONFLICT")
    );

    // The client's analyst follows the wave.
    let viewer = app.client_viewer(&s.client).await;
    let body = app
        .gql(
            Some(&viewer.token),
            "query { waves { totalCount edges { node { name progress { total } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        body["data"]["waves"]["edges"][0]["node"]["progress"]["total"],
        2 * s.lviv_venues,
        "{body}"
    );
}

#[tokio::test]
async fn wave_settings_are_validated() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let token = Some(s.token.as_str());
    app.gql(
        token,
        "mutation($v: ID!) { publishChecklistVersion(versionId: $v) { id } }",
        json!({ "v": s.version }),
    )
    .await;
    let cases = [
        ("endsOn", json!("2026-11-01"), "endsOn"),
        ("startsOn", json!("грудень"), "startsOn"),
        ("feeKopiykas", json!(-100), "feeKopiykas"),
        ("visitsPerVenue", json!(0), "visitsPerVenue"),
        ("claimWindowHours", json!(0), "claimWindowHours"),
        ("selection", json!({ "mode": "LIST" }), "selection.venueIds"),
        (
            "selection",
            json!({ "mode": "LIST", "venueIds": ["not-a-venue"] }),
            "selection.venueIds[0]",
        ),
        (
            "visitingWindows",
            json!([{ "weekday": "MON", "opens": "18:00", "closes": "09:00" }]),
            "visitingWindows[0]",
        ),
    ];
    for (key, value, field) in cases {
        let mut input = december_in_lviv(&s.version);
        input[key] = value.clone();
        let body = app
            .gql(token, CREATE, json!({ "client": s.client, "input": input }))
            .await;
        assert_eq!(
            (error_code(&body), error_field(&body)),
            (Some("BAD_USER_INPUT"), Some(field)),
            "{key}={value}: {body}"
        );
    }
    // A selection that matches nothing cannot launch.
    let mut input = december_in_lviv(&s.version);
    input["selection"] = json!({ "mode": "FILTER", "oblast": "Atlantis" });
    let body = app
        .gql(token, CREATE, json!({ "client": s.client, "input": input }))
        .await;
    let wave = body["data"]["createWave"]["id"].as_str().unwrap().to_string();
    let body = app.gql(token, LAUNCH, json!({ "id": wave })).await;
    assert_eq!(error_field(&body), Some("selection"), "{body}");
    // A draft's settings change, every one of them.
    let mut input = december_in_lviv(&s.version);
    input["name"] = json!("Січень 2027, Львівщина");
    input["startsOn"] = json!("2027-01-10");
    input["endsOn"] = json!("2027-01-31");
    input["visitsPerVenue"] = json!(3);
    input["feeKopiykas"] = json!(45000);
    input["claimWindowHours"] = json!(48);
    input["bonusSteps"] = json!([{ "afterDays": 5, "bonusKopiykas": 7000 }]);
    input["bonusCapKopiykas"] = json!(7000);
    let update = "mutation($id: ID!, $i: WaveInput!) { updateWave(id: $id, input: $i) { name startsOn endsOn \
        visitsPerVenue feeKopiykas reimbursementCapKopiykas claimWindowHours cooloffDays bonusSteps { afterDays bonusKopiykas } \
        bonusCapKopiykas selection { mode oblast } status } }";
    let body = app.gql(token, update, json!({ "id": wave, "i": input })).await;
    assert_eq!(
        body["data"]["updateWave"],
        json!({
            "name": "Січень 2027, Львівщина", "startsOn": "2027-01-10", "endsOn": "2027-01-31", "visitsPerVenue": 3,
            "feeKopiykas": 45000, "reimbursementCapKopiykas": 15000, "claimWindowHours": 48, "cooloffDays": 90,
            "bonusSteps": [{ "afterDays": 5, "bonusKopiykas": 7000 }], "bonusCapKopiykas": 7000,
            "selection": { "mode": "FILTER", "oblast": "Lvivska" }, "status": "DRAFT"
        }),
        "{body}"
    );
    assert_eq!(app.count("waves").await, 1);
    assert_eq!(app.count("tasks").await, 0);
}
