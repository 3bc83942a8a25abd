//! Who is on the other end of a request. Behind a load balancer the TCP peer is the balancer, and the client's
//! address is in a header the balancer writes; but anyone can send that header too. So the header is read only
//! when the peer is one of the configured trusted proxies (`http.trusted_proxies`: addresses or CIDRs), and
//! then from the right: each hop a trusted proxy appended is skipped, and the first address that is not a
//! trusted proxy is the client. Whatever a client wrote to the left of that is ignored. Without a list, the
//! headers are ignored and the peer is the client.
//!
//! `http.forwarded_header` says which header the proxies write: `x-forwarded-for` (the default) or `forwarded`
//! (RFC 7239). Only that one is read, so a client cannot pick the header the proxies leave alone.

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use forwarded_header_value::ForwardedStanza;
use ipnet::IpNet;

/// The header trusted proxies write the client's address into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForwardedHeader {
    XForwardedFor,
    /// RFC 7239 `Forwarded: for=…`.
    Forwarded,
}

/// The proxies whose forwarding headers are believed, and which header they write.
#[derive(Debug, Clone)]
pub struct TrustedProxies {
    networks: Vec<IpNet>,
    header: ForwardedHeader,
}

/// The client's address, resolved once per request by [`resolve_client`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

impl TrustedProxies {
    /// From the settings: each entry an address (`10.0.0.7`, `::1`) or a network (`10.0.0.0/8`); a bad entry
    /// is named.
    pub fn parse(entries: &[String], header: &str) -> Result<Self, String> {
        let networks = entries
            .iter()
            .map(|entry| {
                let entry = entry.trim();
                IpNet::from_str(entry)
                    .or_else(|_| IpAddr::from_str(entry).map(IpNet::from))
                    .map_err(|_| format!("http.trusted_proxies: {entry:?} is not an address or a network (CIDR)"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let header = match header.trim().to_ascii_lowercase().as_str() {
            "x-forwarded-for" => ForwardedHeader::XForwardedFor,
            "forwarded" => ForwardedHeader::Forwarded,
            other => {
                return Err(format!(
                    "http.forwarded_header: {other:?} must be \"x-forwarded-for\" or \"forwarded\""
                ))
            }
        };
        Ok(Self { networks, header })
    }

    /// Nobody is trusted: the peer is always the client.
    pub fn none() -> Self {
        Self {
            networks: Vec::new(),
            header: ForwardedHeader::XForwardedFor,
        }
    }

    fn trusts(&self, address: IpAddr) -> bool {
        let address = canonical(address);
        self.networks.iter().any(|n| n.contains(&address))
    }

    /// The client's address: the right-most address of the forwarding chain that is not a trusted proxy, when
    /// the peer is a trusted proxy; otherwise the peer.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = canonical(peer);
        if !self.trusts(peer) {
            return peer;
        }
        // The chain as the proxies reported it, nearest hop last; `None` for an entry that is not an address.
        let chain: Vec<Option<IpAddr>> = match self.header {
            ForwardedHeader::XForwardedFor => header_values(headers, "x-forwarded-for")
                .map(|entry| parse_address(entry.trim_matches('"')))
                .collect(),
            ForwardedHeader::Forwarded => header_values(headers, "forwarded")
                .map(|stanza| {
                    ForwardedStanza::from_str(stanza)
                        .ok()
                        .and_then(|s| s.forwarded_for_ip())
                })
                .collect(),
        };
        let mut nearest = peer;
        for hop in chain.iter().rev() {
            match hop {
                Some(address) if self.trusts(*address) => nearest = canonical(*address),
                Some(address) => return canonical(*address),
                // Something other than an address where a trusted proxy would have written its peer: the
                // nearest trusted hop is as far as the chain can be believed.
                None => return nearest,
            }
        }
        nearest
    }
}

/// Every comma-separated entry of every line of a header, in order.
fn header_values<'a>(headers: &'a HeaderMap, name: &str) -> impl Iterator<Item = &'a str> {
    headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// An address as proxies write it: bare, with a port, or bracketed IPv6 with a port.
fn parse_address(text: &str) -> Option<IpAddr> {
    IpAddr::from_str(text)
        .ok()
        .or_else(|| SocketAddr::from_str(text).ok().map(|s| s.ip()))
}

/// IPv4-mapped IPv6 addresses (`::ffff:203.0.113.7`) as the IPv4 address they are.
fn canonical(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(address),
        v4 => v4,
    }
}

/// Middleware: resolves the client's address once and puts it in the request's extensions.
pub async fn resolve_client(
    State(proxies): State<std::sync::Arc<TrustedProxies>>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(IpAddr::from([0, 0, 0, 0]));
    let client = proxies.client(peer, request.headers());
    request.extensions_mut().insert(ClientAddr(client));
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                value.parse().unwrap(),
            );
        }
        map
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn balancer() -> TrustedProxies {
        TrustedProxies::parse(&["10.0.0.0/8".into(), "192.0.2.1".into()], "x-forwarded-for").unwrap()
    }

    #[test]
    fn without_a_list_the_headers_are_ignored() {
        let h = headers(&[("x-forwarded-for", "1.2.3.4"), ("forwarded", "for=1.2.3.4")]);
        assert_eq!(TrustedProxies::none().client(ip("10.0.0.1"), &h), ip("10.0.0.1"));
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_says() {
        let h = headers(&[("x-forwarded-for", "1.2.3.4")]);
        assert_eq!(balancer().client(ip("203.0.113.9"), &h), ip("203.0.113.9"));
    }

    #[test]
    fn the_right_most_untrusted_address_is_the_client() {
        // The client sent a made-up value; the balancer appended the address it saw.
        let h = headers(&[("x-forwarded-for", "6.6.6.6, 203.0.113.7")]);
        assert_eq!(balancer().client(ip("10.0.0.1"), &h), ip("203.0.113.7"));
        // Two proxies, both trusted, and a value split over two header lines.
        let h = headers(&[
            ("x-forwarded-for", "6.6.6.6"),
            ("x-forwarded-for", "203.0.113.7, 10.1.2.3"),
        ]);
        assert_eq!(balancer().client(ip("192.0.2.1"), &h), ip("203.0.113.7"));
        // Ports, brackets and IPv4-mapped IPv6 are understood.
        let h = headers(&[("x-forwarded-for", "garbage, [2001:db8::1]:443")]);
        assert_eq!(balancer().client(ip("10.0.0.1"), &h), ip("2001:db8::1"));
        let h = headers(&[("x-forwarded-for", "203.0.113.8:5000")]);
        assert_eq!(balancer().client(ip("::ffff:10.0.0.1"), &h), ip("203.0.113.8"));
    }

    #[test]
    fn garbage_or_a_missing_header_leaves_the_nearest_trusted_hop() {
        let h = headers(&[("x-forwarded-for", "not-an-address")]);
        assert_eq!(balancer().client(ip("10.0.0.1"), &h), ip("10.0.0.1"));
        let h = headers(&[("x-forwarded-for", "nonsense, 10.9.9.9")]);
        assert_eq!(balancer().client(ip("10.0.0.1"), &h), ip("10.9.9.9"));
        assert_eq!(balancer().client(ip("10.0.0.1"), &HeaderMap::new()), ip("10.0.0.1"));
    }

    #[test]
    fn only_the_configured_header_is_read() {
        let xff = balancer();
        let h = headers(&[("forwarded", "for=1.2.3.4"), ("x-forwarded-for", "203.0.113.7")]);
        assert_eq!(xff.client(ip("10.0.0.1"), &h), ip("203.0.113.7"));
        let rfc = TrustedProxies::parse(&["10.0.0.0/8".into()], "Forwarded").unwrap();
        let h = headers(&[
            (
                "forwarded",
                "for=6.6.6.6;proto=https, for=\"[2001:db8::7]:4711\";by=10.0.0.1",
            ),
            ("x-forwarded-for", "1.2.3.4"),
        ]);
        assert_eq!(rfc.client(ip("10.0.0.2"), &h), ip("2001:db8::7"));
        let h = headers(&[("forwarded", "for=_hidden, for=10.0.0.3")]);
        assert_eq!(rfc.client(ip("10.0.0.2"), &h), ip("10.0.0.3"));
    }

    #[test]
    fn bad_settings_are_named() {
        let err = TrustedProxies::parse(&["10.0.0.0/40".into()], "x-forwarded-for").unwrap_err();
        assert!(err.contains("10.0.0.0/40"), "{err}");
        let err = TrustedProxies::parse(&[], "x-real-ip").unwrap_err();
        assert!(err.contains("x-real-ip"), "{err}");
    }
}
