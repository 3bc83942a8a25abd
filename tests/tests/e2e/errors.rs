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
                "message": "must be in international format, e.g. +380501234567"
              },
              {
                "field": "travelRadiusKm",
                "message": "must be more than 0 km"
              },
              {
                "field": "iban",
                "message": "is not a valid IBAN (wrong characters, length or check digits)"
              }
            ]
          },
          "locations": [
            {
              "column": 30,
              "line": 1
            }
          ],
          "message": "phone: must be in international format, e.g. +380501234567; travelRadiusKm: must be more than 0 km; iban: is not a valid IBAN (wrong characters, length or check digits)",
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
            "field": "email"
          },
          "locations": [
            {
              "column": 30,
              "line": 1
            }
          ],
          "message": "an account with this email address already exists",
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
            "code": "UNAUTHENTICATED"
          },
          "locations": [
            {
              "column": 3,
              "line": 1
            }
          ],
          "message": "please log in first",
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
            "code": "FORBIDDEN"
          },
          "locations": [
            {
              "column": 12,
              "line": 1
            }
          ],
          "message": "you are not allowed to do this",
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
            "code": "NOT_FOUND"
          },
          "locations": [
            {
              "column": 19,
              "line": 1
            }
          ],
          "message": "venue not found",
          "path": [
            "venue"
          ]
        }
      ]
    }
    "#);
}
