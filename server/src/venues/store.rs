//! Writing venues: one or many rows in one statement, and updates; in the caller's transaction.

use super::VenueFields;

/// Venues per multi-row INSERT: 100 × 16 parameters stays far below both databases' limits.
pub(super) const INSERT_BATCH: usize = 100;
/// Parameters per row in `insert_venues`.
const ROW_PARAMS: usize = 17;

pub(super) async fn insert_venue(
    tx: &mut crate::db::Tx,
    id: &str,
    client_id: &str,
    f: &VenueFields,
    actor_id: Option<&str>,
) -> Result<(), sqlx::Error> {
    insert_venues(tx, client_id, &[(id.to_string(), f.clone())], actor_id).await
}

/// Inserts venues in one statement: 16 parameters per row, then the client, the actor and the time, shared.
pub(super) async fn insert_venues(
    tx: &mut crate::db::Tx,
    client_id: &str,
    rows: &[(String, VenueFields)],
    actor_id: Option<&str>,
) -> Result<(), sqlx::Error> {
    let shared = rows.len() * ROW_PARAMS;
    let (client_p, actor_p, now_p) = (shared + 1, shared + 2, shared + 3);
    let mut sql = String::from(
        "INSERT INTO venues (id, external_code, name, venue_type, address, oblast, raion, hromada, city, lat, lon, \
         geofence_m, opening_hours, active, search_text, time_zone, size_class, client_id, created_by, updated_by, created_at, \
         updated_at) VALUES ",
    );
    for i in 0..rows.len() {
        let params: Vec<String> = (1..=ROW_PARAMS).map(|k| format!("${}", i * ROW_PARAMS + k)).collect();
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!(
            "({}, ${client_p}, ${actor_p}, ${actor_p}, ${now_p}, ${now_p})",
            params.join(", ")
        ));
    }
    let mut query = sqlx::query(&sql);
    for (id, f) in rows {
        query = bind_fields(query.bind(id), f).bind(f.zone_name()).bind(&f.size_class);
    }
    query
        .bind(client_id)
        .bind(actor_id)
        .bind(tx.now_ms())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub(super) async fn update_venue(
    tx: &mut crate::db::Tx,
    id: &str,
    f: &VenueFields,
    actor_id: Option<&str>,
) -> Result<(), sqlx::Error> {
    bind_fields(
        sqlx::query(
            "UPDATE venues SET external_code = $1, name = $2, venue_type = $3, address = $4, oblast = $5, raion = $6, \
             hromada = $7, city = $8, lat = $9, lon = $10, geofence_m = $11, opening_hours = $12, active = $13, \
             search_text = $14, updated_by = $15, updated_at = $16, time_zone = $18, size_class = $19 WHERE id = $17",
        ),
        f,
    )
    .bind(actor_id)
    .bind(tx.now_ms())
    .bind(id)
    .bind(f.zone_name())
    .bind(&f.size_class)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Binds a venue's fields in column order (`external_code` … `search_text`): the same 14 parameters for the
/// INSERT and the UPDATE.
fn bind_fields<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    f: &'q VenueFields,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    query
        .bind(&f.external_code)
        .bind(&f.name)
        .bind(f.venue_type.as_str())
        .bind(&f.address)
        .bind(&f.oblast)
        .bind(&f.raion)
        .bind(&f.hromada)
        .bind(&f.city)
        .bind(f.location.lat())
        .bind(f.location.lon())
        .bind(f.geofence.metres())
        .bind(f.opening_hours.to_json())
        .bind(i64::from(f.active))
        .bind(f.search_text())
}
