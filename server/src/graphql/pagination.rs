//! Relay-style pagination: opaque cursors over time-ordered ids.

use async_graphql::connection::{Connection, Edge};
use async_graphql::{OutputType, SimpleObject};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

use crate::db::Page;
use crate::error::AppError;

/// Extra fields on every connection.
#[derive(SimpleObject)]
pub struct ListInfo {
    /// How many items match the filters, over all pages.
    pub total_count: i64,
}

/// A page of a list with its total count.
pub type List<N> = Connection<String, N, ListInfo>;

/// A keyset page (items after the `after` id, in id order) as a connection; `id` names each item's cursor.
pub fn keyset_connection<T, N: OutputType>(
    page: Page<T>,
    after_given: bool,
    id: impl Fn(&T) -> String,
    node: impl Fn(T) -> N,
) -> List<N> {
    let mut connection = Connection::with_additional_fields(
        after_given,
        page.has_next,
        ListInfo {
            total_count: page.total,
        },
    );
    connection.edges.extend(
        page.items
            .into_iter()
            .map(|item| Edge::new(encode_cursor(&id(&item)), node(item))),
    );
    connection
}

/// A list computed in full (e.g. sorted by distance), paged by position: cursors carry the offset.
pub fn offset_connection<T, N: OutputType>(
    items: Vec<T>,
    first: Option<i32>,
    after: Option<&str>,
    node: impl Fn(T) -> N,
) -> Result<List<N>, AppError> {
    let limit = page_size(first)?;
    let offset = decode_offset(after)?;
    let total = items.len();
    let mut connection = Connection::with_additional_fields(
        offset > 0,
        offset + limit < total,
        ListInfo {
            total_count: total as i64,
        },
    );
    connection.edges.extend(
        items
            .into_iter()
            .enumerate()
            .skip(offset)
            .take(limit)
            .map(|(i, item)| Edge::new(encode_cursor(&(i + 1).to_string()), node(item))),
    );
    Ok(connection)
}

pub const DEFAULT_PAGE: i32 = 20;
pub const MAX_PAGE: i32 = 100;

/// `first`, checked: 0 to 100, default 20.
pub fn page_size(first: Option<i32>) -> Result<usize, AppError> {
    match first.unwrap_or(DEFAULT_PAGE) {
        n if (0..=MAX_PAGE).contains(&n) => Ok(n as usize),
        _ => Err(AppError::bad_input(
            "first",
            crate::msg!("whole-number-range", min = 0, max = MAX_PAGE),
        )),
    }
}

pub fn encode_cursor(id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("v1:{id}"))
}

/// The id behind an `after` cursor.
pub fn decode_cursor(cursor: Option<&str>) -> Result<Option<String>, AppError> {
    let Some(cursor) = cursor else {
        return Ok(None);
    };
    let bad = || AppError::bad_input("after", crate::msg!("cursor-invalid"));
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    text.strip_prefix("v1:").map(|id| Some(id.to_string())).ok_or_else(bad)
}

/// A page fetched by offset (the service applied `offset` and `limit`) as a connection: cursors carry positions.
pub fn offset_page<T, N: OutputType>(page: Page<T>, offset: usize, node: impl Fn(T) -> N) -> List<N> {
    let mut connection = Connection::with_additional_fields(
        offset > 0,
        page.has_next,
        ListInfo {
            total_count: page.total,
        },
    );
    connection.edges.extend(
        page.items
            .into_iter()
            .enumerate()
            .map(|(i, item)| Edge::new(encode_cursor(&(offset + i + 1).to_string()), node(item))),
    );
    connection
}

/// The offset an `after` cursor of `offset_page` stands for.
pub fn decode_offset(after: Option<&str>) -> Result<usize, AppError> {
    match decode_cursor(after)? {
        Some(n) => n
            .parse()
            .map_err(|_| AppError::bad_input("after", crate::msg!("cursor-invalid"))),
        None => Ok(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let c = encode_cursor("0190-abc");
        assert_eq!(decode_cursor(Some(&c)).unwrap().as_deref(), Some("0190-abc"));
        assert!(decode_cursor(Some("%%%")).is_err());
        assert!(decode_cursor(Some(&URL_SAFE_NO_PAD.encode("v2:x"))).is_err());
        assert_eq!(decode_cursor(None).unwrap(), None);
    }

    #[test]
    fn page_size_is_bounded() {
        assert_eq!(page_size(None).unwrap(), 20);
        assert_eq!(page_size(Some(100)).unwrap(), 100);
        assert!(page_size(Some(101)).is_err());
        assert!(page_size(Some(-1)).is_err());
    }
}
