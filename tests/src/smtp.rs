//! A real SMTP server (mailin-embedded) inside the test process, collecting what it receives.

use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mailin_embedded::{response, Handler, Response, Server, SslConfig};

/// One delivered message, parsed.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub from: String,
    pub to: Vec<String>,
    pub subject: String,
    pub message_id: String,
    pub body: String,
}

impl ReceivedMail {
    /// The `token` query parameter of the first link in the body whose path is `path`.
    pub fn link_token(&self, path: &str) -> Option<String> {
        self.link(path).and_then(|link| {
            url::Url::parse(&link)
                .ok()?
                .query_pairs()
                .find(|(k, _)| k == "token")
                .map(|(_, v)| v.into_owned())
        })
    }

    /// The first link in the body whose path is `path`.
    pub fn link(&self, path: &str) -> Option<String> {
        self.body
            .split_whitespace()
            .filter(|word| word.starts_with("http://") || word.starts_with("https://"))
            .find(|word| url::Url::parse(word).map(|u| u.path() == path).unwrap_or(false))
            .map(str::to_string)
    }
}

#[derive(Clone, Default)]
struct Collector {
    received: Arc<Mutex<Vec<ReceivedMail>>>,
    from: String,
    to: Vec<String>,
    data: Vec<u8>,
}

impl Handler for Collector {
    fn data_start(&mut self, _domain: &str, from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.from = from.to_string();
        self.to = to.to_vec();
        self.data.clear();
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let parsed = match mailparse::parse_mail(&self.data) {
            Ok(parsed) => parsed,
            Err(_) => return response::INTERNAL_ERROR,
        };
        let header = |name: &str| {
            use mailparse::MailHeaderMap as _;
            parsed.headers.get_first_value(name).unwrap_or_default()
        };
        let mail = ReceivedMail {
            from: self.from.clone(),
            to: self.to.clone(),
            subject: header("Subject"),
            message_id: header("Message-ID"),
            body: parsed.get_body().unwrap_or_default(),
        };
        self.received.lock().unwrap().push(mail);
        response::OK
    }
}

/// The test's mail server. Its port is chosen at once; the server may start later (to test an outage).
#[derive(Clone)]
pub struct Mailbox {
    received: Arc<Mutex<Vec<ReceivedMail>>>,
    port: u16,
}

impl Mailbox {
    /// Picks a free port without listening on it yet.
    pub fn reserve() -> Self {
        let probe = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let port = probe.local_addr().unwrap().port();
        drop(probe);
        Self {
            received: Default::default(),
            port,
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Starts accepting mail on the reserved port.
    pub fn start(&self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port)).expect("the reserved SMTP port is free");
        let handler = Collector {
            received: self.received.clone(),
            ..Default::default()
        };
        std::thread::spawn(move || {
            let mut server = Server::new(handler);
            server
                .with_name("mail.test")
                .with_ssl(SslConfig::None)
                .expect("no TLS")
                .with_tcp_listener(listener);
            let _ = server.serve();
        });
    }

    /// Everything received so far.
    pub fn all(&self) -> Vec<ReceivedMail> {
        self.received.lock().unwrap().clone()
    }

    /// Messages to `address` received so far.
    pub fn to(&self, address: &str) -> Vec<ReceivedMail> {
        self.all()
            .into_iter()
            .filter(|m| m.to.iter().any(|t| t == address))
            .collect()
    }

    /// Waits for the next message to `address` (the newest one when several came).
    pub async fn wait_for(&self, address: &str, timeout: Duration) -> ReceivedMail {
        self.wait_for_count(address, 1, timeout).await.pop().unwrap()
    }

    /// Waits until at least `n` messages to `address` have arrived.
    pub async fn wait_for_count(&self, address: &str, n: usize, timeout: Duration) -> Vec<ReceivedMail> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let got = self.to(address);
            if got.len() >= n {
                return got;
            }
            if tokio::time::Instant::now() > deadline {
                panic!(
                    "expected {n} message(s) to {address} within {timeout:?}; got {}: {got:?}",
                    got.len()
                );
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}
