//! Fieldwork: a GraphQL service for service-quality fieldwork (mystery shopping and citizen feedback).
//!
//! Layers, from the outside in (see `docs/ARCHITECTURE.md`):
//! - [`cli`] and [`startup`]: the binary's subcommands, building and serving the application;
//! - [`http`]: the axum router (GraphQL, GraphiQL, the web apps, downloads, the citizens' feedback form and map
//!   portal, open data, the pages behind email links) and its middleware;
//! - [`graphql`]: the schema, its types, and the mapping of [`error::AppError`] to GraphQL error codes;
//! - [`accounts`]: the use cases (sign-up, verification, login, profile, suspension), the only code that writes;
//! - [`auth`]: password hashing, opaque tokens and the role × permission table;
//! - [`domain`]: validating types for everything that comes from outside; pure, no I/O;
//! - [`venues`]: clients and venues, their import from CSV/GeoJSON, and queries by place;
//! - [`checklists`]: versioned questionnaires (rules, visibility and scoring live in `domain::checklist`);
//! - [`waves`]: fieldwork projects and their tasks (one per required visit);
//! - [`assignment`]: the job board, claims, coordinator assignment and lapsed holds (rules in `domain::eligibility`);
//! - [`visits`] and [`evidence`]: check-in, answers, photo evidence, flags and review;
//! - [`results`]: what clients read of approved visits (per venue, oblast, question; trends; CSV/XLSX exports);
//! - [`feedback`] and [`quality`]: citizens' feedback (QR codes and posters, the public form, moderation) and
//!   the quality index per center that joins it with mystery shopping;
//! - [`ledger`] and [`payouts`]: the double-entry payout ledger, payout batches and bank exports;
//! - [`db`], [`mail`]: the storage handle (SQLite or PostgreSQL) and the email outbox with its delivery worker;
//! - [`audit`], [`idempotency`], [`time`], [`clock`]: the audit log, idempotency keys, Kyiv-day arithmetic and
//!   the one clock (which tests move), shared by every use case;
//! - [`throttle`] and [`metrics`]: database-backed rate limits that hold under parallel requests; Prometheus metrics;
//! - [`tabular`]: spreadsheet exports page by page (CSV streamed, XLSX in constant memory).

pub mod accounts;
pub mod apikeys;
pub mod assignment;
pub mod audit;
pub mod auth;
pub mod cati;
pub mod checklists;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod events;
pub mod evidence;
pub mod feedback;
pub mod graphql;
pub mod http;
pub mod i18n;
pub mod idempotency;
pub mod ids;
pub mod invitations;
pub mod ledger;
pub mod mail;
pub mod metrics;
pub mod payouts;
pub mod phones;
pub mod quality;
pub mod results;
pub mod startup;
pub mod tabular;
pub mod telemetry;
pub mod throttle;
pub mod time;
pub mod venues;
pub mod visits;
pub mod waves;
