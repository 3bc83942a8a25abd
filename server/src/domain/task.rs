//! A task's lifecycle: its states, the transitions allowed between them, and every named change the use cases
//! make. Reading this file tells where a task can go and which operation takes it there; the use cases in
//! `assignment/`, `visits/` and `waves.rs` write exactly these moves (conditional `UPDATE … WHERE state IN (…)`
//! built from [`TaskMove::from_sql`]).

use super::UnknownValue;

/// One required visit's state: open → offered/claimed → assigned → visited → submitted → approved/rejected,
/// or cancelled.
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum TaskState {
    Open,
    Offered,
    Claimed,
    Assigned,
    Visited,
    Submitted,
    Approved,
    Rejected,
    Cancelled,
}

impl TaskState {
    pub const ALL: [TaskState; 9] = [
        TaskState::Open,
        TaskState::Offered,
        TaskState::Claimed,
        TaskState::Assigned,
        TaskState::Visited,
        TaskState::Submitted,
        TaskState::Approved,
        TaskState::Rejected,
        TaskState::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TaskState::Open => "OPEN",
            TaskState::Offered => "OFFERED",
            TaskState::Claimed => "CLAIMED",
            TaskState::Assigned => "ASSIGNED",
            TaskState::Visited => "VISITED",
            TaskState::Submitted => "SUBMITTED",
            TaskState::Approved => "APPROVED",
            TaskState::Rejected => "REJECTED",
            TaskState::Cancelled => "CANCELLED",
        }
    }

    /// The stored form back; anything else is an error, never a default.
    pub fn parse(text: &str) -> Result<Self, UnknownValue> {
        TaskState::ALL
            .into_iter()
            .find(|s| s.as_str() == text)
            .ok_or_else(|| UnknownValue::new("task state", text))
    }

    /// The state this task is in now.
    pub fn is(self, state: TaskState) -> bool {
        self == state
    }

    /// Held by a shopper (counts against their limits and lapses at its deadline).
    pub fn is_held(self) -> bool {
        matches!(self, TaskState::Offered | TaskState::Claimed | TaskState::Assigned)
    }

    /// What may follow what. An open task is offered, claimed or assigned; a held one is passed to someone
    /// else (assigned/offered again), accepted (offer → assigned), given back (→ open: release, decline, lapse,
    /// unassign) or visited (check-in); a visited one is submitted; a submitted one approved, rejected or
    /// returned (→ visited); an approval can be revoked (→ rejected); a wave's close cancels open tasks.
    pub fn may_become(self, next: TaskState) -> bool {
        use TaskState::*;
        matches!(
            (self, next),
            (Open, Offered | Claimed | Assigned | Cancelled)
                | (Offered, Offered | Assigned | Open)
                | (Claimed | Assigned, Offered | Assigned | Open | Visited)
                | (Visited, Submitted)
                | (Submitted, Approved | Rejected | Visited)
                | (Approved, Rejected)
        )
    }
}

impl TryFrom<String> for TaskState {
    type Error = UnknownValue;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        TaskState::parse(&text)
    }
}

/// Every change of a task's state, named after the operation that makes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskMove {
    /// A shopper takes an open task from the job board (`claimTask`).
    Claim,
    /// A coordinator offers a task to a shopper, who must accept it (`offerTask`), possibly taking it from another.
    Offer,
    /// A coordinator assigns a task by hand (`assignTask`), possibly taking it from another shopper.
    Assign,
    /// The auto-assignment commits a plan: only tasks still open are assigned…
    AutoAssign,
    /// …or offered, when the coordinator commits the plan as offers.
    AutoOffer,
    /// The shopper accepts an offer (`acceptOffer`).
    AcceptOffer,
    /// A held task goes back to the job board: released, declined, unassigned, or its hold lapsed.
    GiveBack,
    /// The shopper checks in at the venue (`checkIn`); the visit begins.
    CheckIn,
    /// The shopper submits the visit (`submitVisit`).
    Submit,
    /// A reviewer approves the visit.
    Approve,
    /// A reviewer rejects the visit.
    Reject,
    /// A reviewer returns the visit for correction: visited again, editable by the shopper.
    Return,
    /// An approval is revoked (the payment is clawed back).
    Revoke,
    /// Closing the wave cancels the tasks nobody took.
    Cancel,
}

impl TaskMove {
    pub const ALL: [TaskMove; 14] = [
        TaskMove::Claim,
        TaskMove::Offer,
        TaskMove::Assign,
        TaskMove::AutoAssign,
        TaskMove::AutoOffer,
        TaskMove::AcceptOffer,
        TaskMove::GiveBack,
        TaskMove::CheckIn,
        TaskMove::Submit,
        TaskMove::Approve,
        TaskMove::Reject,
        TaskMove::Return,
        TaskMove::Revoke,
        TaskMove::Cancel,
    ];

    /// The states this move starts from.
    pub fn from(self) -> &'static [TaskState] {
        use TaskState::*;
        const HELD: &[TaskState] = &[Offered, Claimed, Assigned];
        const ASSIGNABLE: &[TaskState] = &[Open, Offered, Claimed, Assigned];
        match self {
            TaskMove::Claim | TaskMove::AutoAssign | TaskMove::AutoOffer | TaskMove::Cancel => &[Open],
            TaskMove::Offer | TaskMove::Assign => ASSIGNABLE,
            TaskMove::AcceptOffer => &[Offered],
            TaskMove::GiveBack => HELD,
            TaskMove::CheckIn => &[Claimed, Assigned],
            TaskMove::Submit => &[Visited],
            TaskMove::Approve | TaskMove::Reject | TaskMove::Return => &[Submitted],
            TaskMove::Revoke => &[Approved],
        }
    }

    /// The state this move ends in.
    pub fn to(self) -> TaskState {
        match self {
            TaskMove::Claim => TaskState::Claimed,
            TaskMove::Offer | TaskMove::AutoOffer => TaskState::Offered,
            TaskMove::Assign | TaskMove::AutoAssign | TaskMove::AcceptOffer => TaskState::Assigned,
            TaskMove::GiveBack => TaskState::Open,
            TaskMove::CheckIn | TaskMove::Return => TaskState::Visited,
            TaskMove::Submit => TaskState::Submitted,
            TaskMove::Approve => TaskState::Approved,
            TaskMove::Reject | TaskMove::Revoke => TaskState::Rejected,
            TaskMove::Cancel => TaskState::Cancelled,
        }
    }

    /// May this move start from `state`?
    pub fn applies_to(self, state: TaskState) -> bool {
        self.from().contains(&state)
    }

    /// The starting states as an SQL list of literals (`'CLAIMED', 'ASSIGNED'`) for a conditional
    /// `UPDATE … WHERE state IN (…)`; built only from the enum's own stored forms, never from input.
    pub fn from_sql(self) -> String {
        super::sql_literals(self.from().iter().map(|s| s.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_forms_round_trip_and_unknown_values_fail() {
        for state in TaskState::ALL {
            assert_eq!(TaskState::parse(state.as_str()).unwrap(), state);
        }
        assert!(TaskState::parse("open").is_err());
        assert!(TaskState::parse("").is_err());
    }

    #[test]
    fn task_states_follow_the_fieldwork_cycle() {
        use TaskState::*;
        let next = |from: TaskState| -> Vec<TaskState> {
            TaskState::ALL.into_iter().filter(|&to| from.may_become(to)).collect()
        };
        assert_eq!(next(Open), [Offered, Claimed, Assigned, Cancelled]);
        assert_eq!(next(Offered), [Open, Offered, Assigned]);
        assert_eq!(next(Claimed), [Open, Offered, Assigned, Visited]);
        assert_eq!(next(Assigned), [Open, Offered, Assigned, Visited]);
        assert_eq!(next(Visited), [Submitted]);
        assert_eq!(next(Submitted), [Visited, Approved, Rejected]);
        assert_eq!(next(Approved), [Rejected]);
        assert!(next(Rejected).is_empty() && next(Cancelled).is_empty());
        let held: Vec<TaskState> = TaskState::ALL.into_iter().filter(|s| s.is_held()).collect();
        assert_eq!(held, [Offered, Claimed, Assigned]);
    }

    #[test]
    fn every_move_is_allowed_and_every_allowed_change_has_a_move() {
        for mv in TaskMove::ALL {
            assert!(!mv.from().is_empty(), "{mv:?}");
            for &from in mv.from() {
                assert!(from.may_become(mv.to()), "{mv:?}: {from:?} → {:?}", mv.to());
            }
        }
        for from in TaskState::ALL {
            for to in TaskState::ALL.into_iter().filter(|&to| from.may_become(to)) {
                assert!(
                    TaskMove::ALL.iter().any(|mv| mv.applies_to(from) && mv.to() == to),
                    "{from:?} → {to:?} has no named move"
                );
            }
        }
    }

    #[test]
    fn sql_lists_are_the_stored_forms() {
        assert_eq!(TaskMove::CheckIn.from_sql(), "'CLAIMED', 'ASSIGNED'");
        assert_eq!(TaskMove::Claim.from_sql(), "'OPEN'");
        assert_eq!(TaskMove::GiveBack.from_sql(), "'OFFERED', 'CLAIMED', 'ASSIGNED'");
    }
}
