//! Who may do what, decided in one place.
//!
//! Every protected GraphQL field names a [`Permission`]; [`allows`] is the whole role × permission table.
//! The `Require` guard in `graphql` checks it, and the end-to-end suite tests every operation × every role.

use crate::domain::Role;

/// Something a logged-in user may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Read one's own account, log out, change one's password.
    OwnAccount,
    /// Read and edit one's own shopper profile.
    OwnShopperProfile,
    /// List, search and read shoppers (not their bank details).
    ReadShoppers,
    /// Activate and suspend shoppers.
    ManageShoppers,
    /// Read any shopper's IBAN and taxpayer number.
    ReadPayoutDetails,
    /// Create staff accounts, list all users, suspend anyone.
    ManageUsers,
    /// Read clients and venues (client viewers: their own client's only).
    ReadVenues,
    /// Create and change clients, venues, checklists and waves.
    ManageVenues,
    /// See the job board, claim and release tasks, declare conflicts of interest.
    UseJobBoard,
    /// Assign and unassign tasks, read their history.
    AssignTasks,
    /// Check in, answer, upload photos, check out and submit one's own visits.
    DoVisits,
    /// Read visits: one's own (shoppers), every visit (reviewers), approved visits of one's client (client
    /// viewers, without the shopper's identity or photo originals).
    ReadVisits,
    /// Read results (scores per venue, oblast and question; exports): a client viewer only their client's.
    ReadResults,
    /// Read citizens' feedback with its raw comments and contacts, moderate comments, manage QR codes.
    ModerateFeedback,
    /// See the review queue, every visit with its originals, and decide on visits.
    ReviewVisits,
    /// See one's own earnings, payout lines and yearly statement.
    OwnEarnings,
    /// Everyone's money: adjustments, payout batches (create, approve, export, settle), totals, statements.
    ManagePayouts,
    /// Make, rotate and revoke the API keys of service accounts (machine clients).
    ManageApiKeys,
    /// Phone interviews: take the next case of an open study, see its number, record the call.
    CallCitizens,
    /// Phone interviews: studies, samples, the supervisor's view and its exports, refusal converters.
    SuperviseCalls,
}

/// The table. Anything not listed is refused.
pub fn allows(role: Role, permission: Permission) -> bool {
    use Permission::*;
    use Role::*;
    match permission {
        OwnAccount => true,
        OwnShopperProfile => role == Shopper,
        ReadShoppers => matches!(role, Admin | Coordinator | Payments),
        ManageShoppers => matches!(role, Admin | Coordinator),
        ReadPayoutDetails => matches!(role, Admin | Payments),
        ManageUsers => role == Admin,
        ReadVenues => matches!(role, Admin | Coordinator | Payments | ClientViewer),
        ManageVenues => matches!(role, Admin | Coordinator),
        UseJobBoard => role == Shopper,
        AssignTasks => matches!(role, Admin | Coordinator),
        DoVisits => role == Shopper,
        ReadVisits => matches!(role, Admin | Coordinator | Shopper | ClientViewer),
        ReadResults => matches!(role, Admin | Coordinator | ClientViewer),
        ReviewVisits => matches!(role, Admin | Coordinator),
        ModerateFeedback => matches!(role, Admin | Coordinator),
        OwnEarnings => role == Shopper,
        ManagePayouts => matches!(role, Admin | Payments),
        ManageApiKeys => role == Admin,
        CallCitizens => role == Operator,
        SuperviseCalls => matches!(role, Admin | Coordinator),
    }
}

/// The logged-in user behind a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: String,
    pub role: Role,
    pub session_id: String,
    pub email_verified: bool,
    /// For client viewers: the one client whose data they may read.
    pub client_id: Option<String>,
}

impl Actor {
    pub fn can(&self, permission: Permission) -> bool {
        allows(self.role, permission)
    }

    /// Is this the user's own data (`owner`), or does their role have the permission anyway?
    pub fn owns_or_can(&self, owner: Option<&str>, permission: Permission) -> bool {
        owner == Some(self.user_id.as_str()) || self.can(permission)
    }

    /// The one client a client viewer may read (`None` for staff, who see every client).
    pub fn client_scope(&self) -> Result<Option<&str>, crate::error::AppError> {
        match self.role {
            Role::ClientViewer => self
                .client_id
                .as_deref()
                .map(Some)
                .ok_or_else(|| crate::error::AppError::Forbidden(crate::msg!("account-no-client"))),
            _ => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shoppers_reach_only_their_own_things() {
        for permission in [
            Permission::ReadShoppers,
            Permission::ManageShoppers,
            Permission::ReadPayoutDetails,
            Permission::ManageUsers,
        ] {
            assert!(!allows(Role::Shopper, permission), "{permission:?}");
            assert!(!allows(Role::ClientViewer, permission), "{permission:?}");
        }
        assert!(allows(Role::Shopper, Permission::OwnShopperProfile));
        assert!(!allows(Role::Coordinator, Permission::OwnShopperProfile));
    }

    #[test]
    fn bank_details_are_for_payments_and_admins() {
        let readers: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| allows(*r, Permission::ReadPayoutDetails))
            .collect();
        assert_eq!(readers, vec![Role::Admin, Role::Payments]);
    }
}
