//! What a client reads when something is wrong: one representative body per error code, pinned as inline
//! snapshots so a change of wording, code or shape is a visible diff (request ids are masked; they differ per
//! request by design).

use fieldwork::domain::Role;
use fieldwork_e2e::{sign_up_json, TestApp};
use serde_json::{json, Value};

/// The body with every `requestId` replaced, so it can be compared.
fn masked(mut body: Value) -> Value {
    if let Some(errors) = body["errors"].as_array_mut() {
        for e in errors {
            if e["extensions"].get("requestId").is_some() {
                e["extensions"]["requestId"] = json!("[request id]");
            }
        }
    }
    body
}

#[tokio::test]
async fn every_error_code_has_a_stable_readable_body() {
    let app = TestApp::spawn().await;
    const SIGN_UP: &str = "mutation($i: SignUpInput!) { signUp(input: $i) { user { id } } }";

    // Several bad fields at once: each named, with its reason.
    let mut input = sign_up_json("errors@example.com");
    input["iban"] = json!("UA213223130000026007233566002");
    input["phone"] = json!("0501234567");
    input["travelRadiusKm"] = json!(0);
    let body = app.gql(None, SIGN_UP, json!({ "i": input })).await;
    insta::assert_json_snapshot!(masked(body), @r#"
    {
      "data": null,
      "errors": [
        {
          "extensions": {
            "code": "BAD_USER_INPUT",
            "field": "phone",
            "fieldErrors": [
              {
                "field": "phone",
                "message": "має бути в міжнародному форматі, наприклад +380501234567",
                "messageCode": "phone-invalid",
                "params": {}
              },
              {
                "field": "travelRadiusKm",
                "message": "має бути більше 0 км",
                "messageCode": "km-positive",
                "params": {}
              },
              {
                "field": "iban",
                "message": "не є правильним IBAN (неправильні символи, довжина чи контрольні цифри)",
                "messageCode": "iban-invalid",
                "params": {}
              }
            ],
            "messageCode": "invalid-fields",
            "params": {
              "count": 3
            }
          },
          "locations": [
            {
              "column": 30,
              "line": 1
            }
          ],
          "message": "Телефон: має бути в міжнародному форматі, наприклад +380501234567; Радіус поїздок, км: має бути більше 0 км; IBAN: не є правильним IBAN (неправильні символи, довжина чи контрольні цифри)",
          "path": [
            "signUp"
          ]
        }
      ]
    }
    "#);

    // The same email twice.
    app.gql(None, SIGN_UP, json!({ "i": sign_up_json("twice@example.com") }))
        .await;
    let body = app
        .gql(None, SIGN_UP, json!({ "i": sign_up_json("twice@example.com") }))
        .await;
    insta::assert_json_snapshot!(masked(body), @r#"
    {
      "data": null,
      "errors": [
        {
          "extensions": {
            "code": "CONFLICT",
            "field": "email",
            "messageCode": "email-taken",
            "params": {}
          },
          "locations": [
            {
              "column": 30,
              "line": 1
            }
          ],
          "message": "обліковий запис із цією адресою вже існує",
          "path": [
            "signUp"
          ]
        }
      ]
    }
    "#);

    // No token, a shopper where staff belong, and an id that is nobody's.
    let body = app.gql(None, "{ me { id } }", json!({})).await;
    insta::assert_json_snapshot!(masked(body), @r#"
    {
      "data": null,
      "errors": [
        {
          "extensions": {
            "code": "UNAUTHENTICATED",
            "messageCode": "login-needed",
            "params": {}
          },
          "locations": [
            {
              "column": 3,
              "line": 1
            }
          ],
          "message": "Спершу увійдіть.",
          "path": [
            "me"
          ]
        }
      ]
    }
    "#);
    let (shopper, _) = app
        .quick_shopper("errors-shopper@example.com", 50.45, 30.52, 20.0, true)
        .await;
    let body = app
        .gql(
            shopper.token(),
            "mutation { createClient(name: \"Не моє\", kind: OTHER) { id } }",
            json!({}),
        )
        .await;
    insta::assert_json_snapshot!(masked(body), @r#"
    {
      "data": null,
      "errors": [
        {
          "extensions": {
            "code": "FORBIDDEN",
            "messageCode": "forbidden",
            "params": {}
          },
          "locations": [
            {
              "column": 12,
              "line": 1
            }
          ],
          "message": "У вас немає права на цю дію.",
          "path": [
            "createClient"
          ]
        }
      ]
    }
    "#);
    let coordinator = app.staff(Role::Coordinator).await.token;
    let body = app
        .gql(
            Some(&coordinator),
            "query($id: ID!) { venue(id: $id) { name } }",
            json!({ "id": "019300000000700080000000000000ff" }),
        )
        .await;
    insta::assert_json_snapshot!(masked(body), @r#"
    {
      "data": null,
      "errors": [
        {
          "extensions": {
            "code": "NOT_FOUND",
            "messageCode": "not-found",
            "params": {
              "what": "venue"
            }
          },
          "locations": [
            {
              "column": 19,
              "line": 1
            }
          ],
          "message": "Заклад не знайдено.",
          "path": [
            "venue"
          ]
        }
      ]
    }
    "#);
}

/// Sends a GraphQL request with an `Accept-Language` of its own.
async fn in_language(app: &TestApp, language: Option<&str>, query: &str, variables: Value) -> Value {
    let mut request = reqwest::Client::new()
        .post(format!("{}/graphql", app.base_url))
        .json(&json!({ "query": query, "variables": variables }));
    if let Some(language) = language {
        request = request.header("accept-language", language);
    }
    request.send().await.unwrap().json().await.unwrap()
}

#[tokio::test]
async fn messages_speak_the_readers_language_and_carry_their_code() {
    let app = TestApp::spawn().await;
    const SIGN_UP: &str = "mutation($i: SignUpInput!) { signUp(input: $i) { user { id } } }";
    let mut input = sign_up_json("words@example.com");
    input["password"] = json!("short");
    // Ukrainian by default and for a Ukrainian reader; English when the reader prefers it.
    for (language, expected) in [
        (None, "Пароль: закороткий: потрібно щонайменше 10 символів"),
        (
            Some("uk-UA,uk;q=0.9,en;q=0.8"),
            "Пароль: закороткий: потрібно щонайменше 10 символів",
        ),
        (
            Some("en-GB,en;q=0.9"),
            "Password: is too short: use at least 10 characters",
        ),
        (
            Some("de-DE,en;q=0.5"),
            "Password: is too short: use at least 10 characters",
        ),
    ] {
        let body = in_language(&app, language, SIGN_UP, json!({ "i": input })).await;
        let error = &body["errors"][0];
        assert_eq!(error["message"], expected, "{language:?}: {body}");
        assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT");
        assert_eq!(error["extensions"]["field"], "password");
        assert_eq!(error["extensions"]["messageCode"], "password-too-short");
        assert_eq!(error["extensions"]["params"], json!({ "min": 10 }));
    }
    // A refusal that is not about a field: the same code and parameters, words in each language.
    let refused = |language| in_language(&app, language, "{ me { id } }", json!({}));
    let uk = refused(None).await;
    let en = refused(Some("en")).await;
    assert_eq!(uk["errors"][0]["message"], "Спершу увійдіть.");
    assert_eq!(en["errors"][0]["message"], "Please log in first.");
    assert_eq!(
        uk["errors"][0]["extensions"]["messageCode"],
        en["errors"][0]["extensions"]["messageCode"]
    );

    // A download's error (a plain HTTP endpoint) speaks the reader's language too.
    let coordinator = app.staff(Role::Coordinator).await;
    let get = |language: &'static str| {
        reqwest::Client::new()
            .get(format!("{}/waves/nowhere/results?format=pdf", app.base_url))
            .bearer_auth(&coordinator.token)
            .header("accept-language", language)
            .send()
    };
    let uk: Value = get("uk").await.unwrap().json().await.unwrap();
    let en: Value = get("en").await.unwrap().json().await.unwrap();
    assert_eq!(uk["errors"][0]["extensions"]["messageCode"], "one-of", "{uk}");
    assert_eq!(
        uk["errors"][0]["message"], "Формат: має бути одним із: csv, xlsx",
        "{uk}"
    );
    assert_eq!(en["errors"][0]["message"], "Format: must be one of csv, xlsx", "{en}");
    app.stop().await;
}
