//! Email: messages are written to the `outbox_emails` table in the same transaction as the change that causes
//! them ([`outbox::enqueue`]); a background worker ([`outbox::Worker`]) delivers them over SMTP, or as `.eml`
//! files under `data/mail/` when no SMTP server is configured, retrying with exponential backoff. An SMTP outage
//! delays mail; it never loses it or fails the request that caused it.

pub mod outbox;
pub mod templates;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;
use lettre::message::{header::ContentType, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{Settings, SmtpTls};

/// A message ready to send.
#[derive(Debug, Clone)]
pub struct OutgoingEmail {
    pub id: String,
    pub to: String,
    pub subject: String,
    pub body_text: String,
}

/// Where mail goes.
#[derive(Clone)]
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// One `.eml` file per message in this folder.
    Files(PathBuf),
}

/// Delivers single messages; used only by the outbox worker.
#[derive(Clone)]
pub struct Mailer {
    from: Mailbox,
    transport: Transport,
}

impl Mailer {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        let from: Mailbox = settings.mail.from.parse().context("mail.from is not a valid mailbox")?;
        let transport = match &settings.smtp {
            Some(smtp) => {
                let timeout = Some(Duration::from_millis(settings.mail.send_timeout_ms));
                let mut builder = match smtp.tls {
                    SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host),
                    SmtpTls::Starttls => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host).tls(
                        Tls::Required(TlsParameters::new(smtp.host.clone()).context("SMTP TLS parameters")?),
                    ),
                    SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host).tls(
                        Tls::Wrapper(TlsParameters::new(smtp.host.clone()).context("SMTP TLS parameters")?),
                    ),
                }
                .port(smtp.port)
                .timeout(timeout);
                if let (Some(user), Some(password)) = (&smtp.username, smtp.password()) {
                    builder = builder.credentials(Credentials::new(user.clone(), password.to_string()));
                }
                Transport::Smtp(builder.build())
            }
            None => Transport::Files(settings.mail_dir()),
        };
        Ok(Self { from, transport })
    }

    pub fn describe(&self) -> String {
        match &self.transport {
            Transport::Smtp(_) => "SMTP".to_string(),
            Transport::Files(dir) => format!("files in {}", dir.display()),
        }
    }

    /// Sends one message; returns where it went (the file path for the file transport).
    pub async fn send(&self, email: &OutgoingEmail) -> anyhow::Result<String> {
        let to: Mailbox = email.to.parse().context("recipient address")?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&email.subject)
            .message_id(Some(format!("<{}@fieldwork>", email.id)))
            .header(ContentType::TEXT_PLAIN)
            .body(email.body_text.clone())
            .context("building the message")?;
        match &self.transport {
            Transport::Smtp(smtp) => {
                smtp.send(message).await.context("SMTP delivery")?;
                Ok("smtp".into())
            }
            Transport::Files(dir) => {
                tokio::fs::create_dir_all(dir)
                    .await
                    .with_context(|| format!("creating {}", dir.display()))?;
                let id = AsyncFileTransport::<Tokio1Executor>::new(dir)
                    .send(message)
                    .await
                    .context("writing mail")?;
                Ok(dir.join(format!("{id}.eml")).display().to_string())
            }
        }
    }
}
