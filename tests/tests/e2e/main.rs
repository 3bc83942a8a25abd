//! End-to-end stories against a real server, a real SMTP server and a real database (SQLite by default;
//! PostgreSQL with `TEST_DATABASE_URL`). One binary, one module per capability.

mod assignment;
mod authorization;
mod cati;
mod checklists;
mod corpus;
mod crash;
mod errors;
mod evidence;
mod feedback;
mod hardening;
mod http;
mod integrations;
mod invitations;
mod payouts;
mod public_surface;
mod quality;
mod registration;
mod results;
mod sessions;
mod shoppers;
mod twilio;
mod venues;
mod visits;
mod waves;
