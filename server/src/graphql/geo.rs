//! Places as GraphQL shows and takes them.

use async_graphql::SimpleObject;

/// A point on the map (WGS-84 degrees).
#[derive(SimpleObject, Clone, Copy)]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
}

/// A position as sent by a client (WGS-84 degrees).
#[derive(async_graphql::InputObject, Clone, Copy)]
pub struct GeoPointInput {
    pub lat: f64,
    pub lon: f64,
}
