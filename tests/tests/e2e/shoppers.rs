//! Coordinators list and search shoppers; shoppers edit their own profile and see nobody else's.

use fieldwork::domain::Role;
use fieldwork_e2e::{error_code, error_field, sign_up_input, TestApp};
use fieldwork_mobile_api::{update_my_profile, UpdateMyProfile};
use serde_json::json;

const SHOPPERS: &str = "query($first: Int, $after: String, $search: String, $verified: Boolean) { \
    shoppers(first: $first, after: $after, search: $search, emailVerified: $verified) { \
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id email fullName emailVerified } } } }";

#[tokio::test]
async fn coordinators_page_through_and_search_shoppers() {
    let app = TestApp::spawn().await;
    let coordinator = app.staff(Role::Coordinator).await;
    for (email, name) in [
        ("a@example.com", "Андрій Коваль"),
        ("b@example.com", "Богдана Шевченко"),
        ("c@example.com", "Charles Smith"),
    ] {
        let mut input = sign_up_input(email);
        input.full_name = name.into();
        app.phone().sign_up(input).await.unwrap();
    }
    let (_, verified_id) = app.verified_shopper("d@example.com").await;

    let page1 = app.gql(Some(&coordinator.token), SHOPPERS, json!({ "first": 2 })).await;
    let list = &page1["data"]["shoppers"];
    assert_eq!(list["totalCount"], 4, "{page1}");
    assert_eq!(list["edges"].as_array().unwrap().len(), 2);
    assert_eq!(list["pageInfo"]["hasNextPage"], true);
    assert_eq!(list["edges"][0]["node"]["email"], "a@example.com");

    let after = list["pageInfo"]["endCursor"].as_str().unwrap();
    let page2 = app
        .gql(
            Some(&coordinator.token),
            SHOPPERS,
            json!({ "first": 2, "after": after }),
        )
        .await;
    let emails: Vec<&str> = page2["data"]["shoppers"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["email"].as_str().unwrap())
        .collect();
    assert_eq!(emails, ["c@example.com", "d@example.com"]);
    assert_eq!(page2["data"]["shoppers"]["pageInfo"]["hasNextPage"], false);

    // Case-insensitive search in Cyrillic, on SQLite as on PostgreSQL.
    let found = app
        .gql(Some(&coordinator.token), SHOPPERS, json!({ "search": "шевч" }))
        .await;
    assert_eq!(found["data"]["shoppers"]["totalCount"], 1, "{found}");
    assert_eq!(
        found["data"]["shoppers"]["edges"][0]["node"]["fullName"],
        "Богдана Шевченко"
    );
    // LIKE wildcards in the search text match literally.
    let none = app
        .gql(Some(&coordinator.token), SHOPPERS, json!({ "search": "%" }))
        .await;
    assert_eq!(none["data"]["shoppers"]["totalCount"], 0);

    let verified = app
        .gql(Some(&coordinator.token), SHOPPERS, json!({ "verified": true }))
        .await;
    assert_eq!(verified["data"]["shoppers"]["totalCount"], 1);
    assert_eq!(
        verified["data"]["shoppers"]["edges"][0]["node"]["id"],
        verified_id.as_str()
    );

    // Bad paging input.
    let body = app
        .gql(Some(&coordinator.token), SHOPPERS, json!({ "first": 1000 }))
        .await;
    assert_eq!(
        (error_code(&body), error_field(&body)),
        (Some("BAD_USER_INPUT"), Some("first"))
    );
    let body = app
        .gql(Some(&coordinator.token), SHOPPERS, json!({ "after": "garbage" }))
        .await;
    assert_eq!(
        (error_code(&body), error_field(&body)),
        (Some("BAD_USER_INPUT"), Some("after"))
    );
}

#[tokio::test]
async fn bank_details_are_for_the_shopper_payments_and_admins_only() {
    let app = TestApp::spawn().await;
    let (_, shopper_id) = app.verified_shopper("bank@example.com").await;
    let (other, _) = app.verified_shopper("other@example.com").await;
    let query = "query($id: ID!) { shopper(id: $id) { fullName payoutDetails { iban } } }";
    for role in [Role::Payments, Role::Admin] {
        let staff = app.staff(role).await;
        let body = app.gql(Some(&staff.token), query, json!({ "id": shopper_id })).await;
        assert_eq!(
            body["data"]["shopper"]["payoutDetails"]["iban"], "UA213223130000026007233566001",
            "{role:?}: {body}"
        );
    }
    let coordinator = app.staff(Role::Coordinator).await;
    let body = app
        .gql(Some(&coordinator.token), query, json!({ "id": shopper_id }))
        .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    // Another shopper cannot read this shopper at all.
    let body = app.gql(other.token(), query, json!({ "id": shopper_id })).await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    assert!(body["data"].is_null());
    // Unknown ids are NOT_FOUND for those who may look.
    let body = app
        .gql(
            Some(&coordinator.token),
            "query { shopper(id: \"nope\") { id } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"));
}

#[tokio::test]
async fn shoppers_edit_their_own_profile_with_the_same_rules_as_sign_up() {
    let app = TestApp::spawn().await;
    let (phone, _) = app.verified_shopper("edit@example.com").await;
    let updated = phone
        .execute::<UpdateMyProfile>(update_my_profile::Variables {
            input: update_my_profile::UpdateProfileInput {
                full_name: Some("Олена Коваленко".into()),
                phone: Some("+380671112233".into()),
                language: Some(update_my_profile::Language::EN),
                home_location: Some(update_my_profile::GeoPointInput { lat: 50.45, lon: 30.52 }),
                travel_radius_km: Some(10.0),
                iban: Some("UA43 3052 9900 0002 6201 2345 6789 0".into()),
                account_holder: None,
                conflict_declaration: Some(String::new()),
            },
        })
        .await
        .unwrap()
        .update_my_profile;
    assert_eq!(updated.full_name, "Олена Коваленко");
    assert_eq!(updated.phone, "+380671112233");
    assert_eq!(updated.language, update_my_profile::Language::EN);
    assert_eq!(updated.travel_radius_km, 10.0);
    assert_eq!(updated.payout_details.iban, "UA433052990000026201234567890");
    assert_eq!(updated.payout_details.account_holder, "Олена Петренко");
    assert_eq!(updated.conflict_declaration, "");

    let err = phone
        .execute::<UpdateMyProfile>(update_my_profile::Variables {
            input: update_my_profile::UpdateProfileInput {
                full_name: None,
                phone: None,
                language: None,
                home_location: None,
                travel_radius_km: None,
                iban: Some("UA00".into()),
                account_holder: None,
                conflict_declaration: None,
            },
        })
        .await
        .unwrap_err();
    assert_eq!((err.code(), err.field()), (Some("BAD_USER_INPUT"), Some("iban")));
    let me = phone.me().await.unwrap().shopper.unwrap();
    assert_eq!(
        me.payout_details.iban, "UA433052990000026201234567890",
        "a refused edit changes nothing"
    );
}
