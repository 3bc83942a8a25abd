//! Versioned checklists: drafts, publishing rules with paths, immutability, new versions, scoring preview.

use fieldwork::domain::Role;
use fieldwork_e2e::{cnap_checklist, error_code, error_field, TestApp};
use serde_json::json;

const CREATE: &str = "mutation($client: ID!, $name: String!, $def: JSON!) { createChecklist(clientId: $client, name: $name, definition: $def) { \
    id name versions { id version status questionCount } } }";

#[tokio::test]
async fn a_checklist_is_drafted_checked_published_and_then_immutable() {
    let app = TestApp::spawn().await;
    let coordinator = app.staff(Role::Coordinator).await;
    let token = Some(coordinator.token.as_str());
    let body = app
        .gql(
            token,
            "mutation { createClient(name: \"Клієнт\", kind: PUBLIC_BODY) { id } }",
            json!({}),
        )
        .await;
    let client = body["data"]["createClient"]["id"].as_str().unwrap().to_string();

    // A shape error names the path.
    let mut broken = cnap_checklist();
    broken["sections"][0]["questions"][0]["type"] = json!("ESSAY");
    let body = app
        .gql(
            token,
            CREATE,
            json!({ "client": client, "name": "Зламаний", "def": broken }),
        )
        .await;
    assert_eq!(error_code(&body), Some("BAD_USER_INPUT"));
    assert!(
        error_field(&body)
            .unwrap()
            .starts_with("definition.sections[0].questions[0]"),
        "{body}"
    );

    // A draft may be incomplete; publishing checks every rule.
    let mut draft = cnap_checklist();
    draft["sections"][0]["questions"][3]["visibleIf"] = json!({ "equals": { "question": "Q9", "value": "REFUSED" } });
    let body = app
        .gql(
            token,
            CREATE,
            json!({ "client": client, "name": "ЦНАП 2026", "def": draft }),
        )
        .await;
    let checklist = &body["data"]["createChecklist"];
    assert_eq!(checklist["versions"][0]["status"], "DRAFT", "{body}");
    assert_eq!(checklist["versions"][0]["questionCount"], 5);
    let checklist_id = checklist["id"].as_str().unwrap().to_string();
    let v1 = checklist["versions"][0]["id"].as_str().unwrap().to_string();
    let publish = "mutation($v: ID!) { publishChecklistVersion(versionId: $v) { status version publishedAt } }";
    let body = app.gql(token, publish, json!({ "v": v1 })).await;
    assert_eq!(
        error_field(&body),
        Some("definition.sections[0].questions[3].visibleIf"),
        "{body}"
    );
    let ext = &body["errors"][0]["extensions"];
    assert_eq!(ext["messageCode"], "checklist-unknown-question", "{body}");
    assert_eq!(ext["params"]["question"], "Q9", "{body}");
    assert!(body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("посилається на невідоме запитання Q9"));

    let update = "mutation($v: ID!, $def: JSON!) { updateChecklistDraft(versionId: $v, definition: $def) { status } }";
    let body = app
        .gql(token, update, json!({ "v": v1, "def": cnap_checklist() }))
        .await;
    assert_eq!(body["data"]["updateChecklistDraft"]["status"], "DRAFT", "{body}");
    let body = app.gql(token, publish, json!({ "v": v1 })).await;
    assert_eq!(body["data"]["publishChecklistVersion"]["status"], "PUBLISHED", "{body}");
    // Publishing again is harmless.
    let body = app.gql(token, publish, json!({ "v": v1 })).await;
    assert_eq!(body["data"]["publishChecklistVersion"]["version"], 1);

    // A published version never changes, through the API or behind it.
    let body = app
        .gql(token, update, json!({ "v": v1, "def": cnap_checklist() }))
        .await;
    assert_eq!(error_code(&body), Some("CONFLICT"), "{body}");
    let direct = sqlx::query("UPDATE checklist_versions SET definition = '{}' WHERE id = $1")
        .bind(&v1)
        .execute(app.db.pool())
        .await;
    assert!(direct.is_err(), "the database refuses to edit a published version");

    // Editing means a new draft version, copied from the latest; asking twice gives the same draft.
    let new_draft = "mutation($c: ID!) { createChecklistDraft(checklistId: $c) { id version status definition } }";
    let first = app.gql(token, new_draft, json!({ "c": checklist_id })).await;
    let second = app.gql(token, new_draft, json!({ "c": checklist_id })).await;
    assert_eq!(first["data"]["createChecklistDraft"]["version"], 2, "{first}");
    assert_eq!(first["data"]["createChecklistDraft"]["status"], "DRAFT");
    assert_eq!(first["data"]["createChecklistDraft"]["definition"], cnap_checklist());
    assert_eq!(
        first["data"]["createChecklistDraft"]["id"],
        second["data"]["createChecklistDraft"]["id"]
    );
    let body = app
        .gql(
            token,
            "query($c: ID!) { checklist(id: $c) { versions { version status } latestPublished { version } } }",
            json!({ "c": checklist_id }),
        )
        .await;
    assert_eq!(
        body["data"]["checklist"]["versions"],
        json!([{ "version": 1, "status": "PUBLISHED" }, { "version": 2, "status": "DRAFT" }])
    );
    assert_eq!(body["data"]["checklist"]["latestPublished"]["version"], 1);
}

#[tokio::test]
async fn answers_are_scored_and_checked_against_the_version() {
    let app = TestApp::spawn().await;
    let coordinator = app.staff(Role::Coordinator).await;
    let token = Some(coordinator.token.as_str());
    let setup = app.client_with_checklist(&coordinator.token, "ЦНАП мережа").await;
    let (client, version) = (setup.client, setup.version);
    let preview =
        "query($v: ID!, $a: JSON!) { previewChecklistScore(versionId: $v, answers: $a) { score visibleQuestions } }";
    // 100 · (2·1 + 1·0.75) / 3 with Q3 not applicable.
    let body = app
        .gql(
            token,
            preview,
            json!({ "v": version, "a": { "Q1": true, "Q2": 4, "Q3": { "na": true } } }),
        )
        .await;
    assert_eq!(body["data"]["previewChecklistScore"]["score"], 91.67, "{body}");
    assert_eq!(
        body["data"]["previewChecklistScore"]["visibleQuestions"],
        json!(["Q1", "Q2", "Q3", "Q5"])
    );
    let body = app
        .gql(
            token,
            preview,
            json!({ "v": version, "a": { "Q3": "REFUSED", "Q4": "Не було бланків" } }),
        )
        .await;
    assert_eq!(
        body["data"]["previewChecklistScore"]["visibleQuestions"],
        json!(["Q1", "Q2", "Q3", "Q4", "Q5"])
    );
    assert_eq!(body["data"]["previewChecklistScore"]["score"], 0.0);
    // Hidden questions refuse answers; wrong types and ranges too.
    for (answers, field) in [
        (json!({ "Q3": "DONE", "Q4": "?" }), "answers.Q4"),
        (json!({ "Q2": 7 }), "answers.Q2"),
        (json!({ "Q1": "так" }), "answers.Q1"),
    ] {
        let body = app.gql(token, preview, json!({ "v": version, "a": answers })).await;
        assert_eq!(
            (error_code(&body), error_field(&body)),
            (Some("BAD_USER_INPUT"), Some(field)),
            "{body}"
        );
    }

    // A client viewer reads their client's checklists only.
    let viewer = app.client_viewer(&client).await;
    let body = app
        .gql(Some(&viewer.token), "query { checklists { totalCount } }", json!({}))
        .await;
    assert_eq!(body["data"]["checklists"]["totalCount"], 1);
    let body = app
        .gql(
            Some(&coordinator.token),
            "mutation { createClient(name: \"Інший\", kind: OTHER) { id } }",
            json!({}),
        )
        .await;
    let other = body["data"]["createClient"]["id"].as_str().unwrap().to_string();
    let body = app
        .gql(
            Some(&coordinator.token),
            CREATE,
            json!({ "client": other, "name": "Інший", "def": cnap_checklist() }),
        )
        .await;
    let other_version = body["data"]["createChecklist"]["versions"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let body = app
        .gql(
            Some(&viewer.token),
            "query($v: ID!) { checklistVersion(id: $v) { id } }",
            json!({ "v": other_version }),
        )
        .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"));
}
