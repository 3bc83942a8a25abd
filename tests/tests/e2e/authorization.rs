//! Every query and mutation × every role (and anonymous): allowed, or refused with FORBIDDEN/UNAUTHENTICATED.
//! A new root field fails this test until it is added to the table.

use std::collections::BTreeSet;

use fieldwork::domain::Role;
use fieldwork_e2e::{error_code, sign_up_json, TestApp, PASSWORD};
use serde_json::{json, Value};

/// Who: anonymous (None) or a role.
type Who = Option<Role>;

const STAFF: [Role; 3] = [Role::Admin, Role::Coordinator, Role::Payments];

struct Case {
    field: &'static str,
    query: &'static str,
    variables: fn(&Ids) -> Value,
    allowed: fn(Who) -> bool,
}

struct Ids {
    shopper_id: String,
    client_id: String,
    venue_id: String,
    checklist_id: String,
    version_id: String,
    wave_id: String,
}

fn anyone(_: Who) -> bool {
    true
}
fn logged_in(who: Who) -> bool {
    who.is_some()
}
fn shoppers_only(who: Who) -> bool {
    who == Some(Role::Shopper)
}
fn shopper_readers(who: Who) -> bool {
    matches!(who, Some(Role::Admin | Role::Coordinator | Role::Payments))
}
fn shopper_managers(who: Who) -> bool {
    matches!(who, Some(Role::Admin | Role::Coordinator))
}
fn admins(who: Who) -> bool {
    who == Some(Role::Admin)
}
fn venue_readers(who: Who) -> bool {
    matches!(
        who,
        Some(Role::Admin | Role::Coordinator | Role::Payments | Role::ClientViewer)
    )
}
fn venue_managers(who: Who) -> bool {
    matches!(who, Some(Role::Admin | Role::Coordinator))
}
fn visit_readers(who: Who) -> bool {
    matches!(
        who,
        Some(Role::Admin | Role::Coordinator | Role::Shopper | Role::ClientViewer)
    )
}
fn results_readers(who: Who) -> bool {
    matches!(who, Some(Role::Admin | Role::Coordinator | Role::ClientViewer))
}
fn money_managers(who: Who) -> bool {
    matches!(who, Some(Role::Admin | Role::Payments))
}
fn operators(who: Who) -> bool {
    who == Some(Role::Operator)
}
fn none(_: &Ids) -> Value {
    json!({})
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            field: "me",
            query: "query { me { id } }",
            variables: none,
            allowed: logged_in,
        },
        Case {
            field: "shopper",
            query: "query($id: ID!) { shopper(id: $id) { id } }",
            variables: |ids| json!({ "id": ids.shopper_id }),
            allowed: shopper_readers,
        },
        Case {
            field: "shoppers",
            query: "query { shoppers { totalCount } }",
            variables: none,
            allowed: shopper_readers,
        },
        Case {
            field: "users",
            query: "query { users { totalCount } }",
            variables: none,
            allowed: admins,
        },
        Case {
            field: "signUp",
            query: "mutation($input: SignUpInput!) { signUp(input: $input) { user { id } } }",
            variables: |_| {
                let mut input = sign_up_json("authz@example.com");
                input["taxId"] = json!("0"); // refused after the (absent) access check
                json!({ "input": input })
            },
            allowed: anyone,
        },
        Case {
            field: "verifyEmail",
            query: "mutation { verifyEmail(token: \"fwe_unknown\") { email } }",
            variables: none,
            allowed: anyone,
        },
        Case {
            field: "resendVerificationEmail",
            query: "mutation { resendVerificationEmail }",
            variables: none,
            allowed: logged_in,
        },
        Case {
            field: "login",
            query: "mutation($p: String!) { login(email: \"target@example.com\", password: $p) { token } }",
            variables: |_| json!({ "p": PASSWORD }),
            allowed: anyone,
        },
        Case {
            field: "logout",
            query: "mutation { logout }",
            variables: none,
            allowed: logged_in,
        },
        Case {
            field: "logoutEverywhere",
            query: "mutation { logoutEverywhere }",
            variables: none,
            allowed: logged_in,
        },
        Case {
            field: "requestPasswordReset",
            query: "mutation { requestPasswordReset(email: \"nobody@example.com\") }",
            variables: none,
            allowed: anyone,
        },
        Case {
            field: "resetPassword",
            query: "mutation { resetPassword(token: \"fwe_unknown\", newPassword: \"long enough password\") }",
            variables: none,
            allowed: anyone,
        },
        Case {
            field: "changePassword",
            query:
                "mutation { changePassword(currentPassword: \"not it at all\", newPassword: \"long enough password\") }",
            variables: none,
            allowed: logged_in,
        },
        Case {
            field: "updateMyProfile",
            query: "mutation { updateMyProfile(input: { travelRadiusKm: 30 }) { id } }",
            variables: none,
            allowed: shoppers_only,
        },
        Case {
            field: "setShopperStatus",
            query: "mutation($id: ID!) { setShopperStatus(shopperId: $id, status: ACTIVE) { id } }",
            variables: |ids| json!({ "id": ids.shopper_id }),
            allowed: shopper_managers,
        },
        Case {
            field: "inviteStaff",
            query: "mutation { inviteStaff(email: \"not an email\", role: COORDINATOR) { id } }",
            variables: none,
            allowed: admins,
        },
        Case {
            field: "setUserStatus",
            query: "mutation($id: ID!) { setUserStatus(userId: $id, status: ACTIVE) { id } }",
            variables: |ids| json!({ "id": ids.shopper_id }),
            allowed: admins,
        },
        Case { field: "clients", query: "query { clients { totalCount } }", variables: none, allowed: venue_readers },
        Case {
            field: "client",
            query: "query($id: ID!) { client(id: $id) { id } }",
            variables: |ids| json!({ "id": ids.client_id }),
            allowed: venue_readers,
        },
        Case { field: "venues", query: "query { venues { totalCount } }", variables: none, allowed: venue_readers },
        Case {
            field: "venue",
            query: "query($id: ID!) { venue(id: $id) { id } }",
            variables: |ids| json!({ "id": ids.venue_id }),
            allowed: venue_readers,
        },
        Case {
            field: "venuesNear",
            query: "query { venuesNear(near: { lat: 49.84, lon: 24.03 }, radiusKm: 5) { totalCount } }",
            variables: none,
            allowed: venue_readers,
        },
        Case {
            field: "setClientFeedbackModeration",
            query: "mutation($c: ID!) { setClientFeedbackModeration(clientId: $c, moderated: true) { id } }",
            variables: |ids| json!({ "c": ids.client_id }),
            allowed: venue_managers,
        },
        Case {
            field: "createClient",
            query: "mutation { createClient(name: \"x\", kind: OTHER) { id } }",
            variables: none,
            allowed: venue_managers,
        },
        Case {
            field: "createVenue",
            query: "mutation($c: ID!) { createVenue(input: { clientId: $c, externalCode: \"Z\", name: \"Z\", type: \"SHOP\", \
                    location: { lat: 49.8, lon: 24.0 }, geofenceM: 1 }) { id } }",
            variables: |ids| json!({ "c": ids.client_id }),
            allowed: venue_managers,
        },
        Case {
            field: "updateVenue",
            query: "mutation($id: ID!) { updateVenue(id: $id, input: { geofenceM: 1 }) { id } }",
            variables: |ids| json!({ "id": ids.venue_id }),
            allowed: venue_managers,
        },
        Case {
            field: "importVenues",
            query: "mutation($c: ID!, $file: Upload!) { importVenues(clientId: $c, file: $file, dryRun: true) { rowsRead } }",
            variables: |ids| json!({ "c": ids.client_id }),
            allowed: venue_managers,
        },
        Case { field: "checklists", query: "query { checklists { totalCount } }", variables: none, allowed: venue_readers },
        Case {
            field: "checklist",
            query: "query($id: ID!) { checklist(id: $id) { id } }",
            variables: |ids| json!({ "id": ids.checklist_id }),
            allowed: venue_readers,
        },
        Case {
            field: "checklistVersion",
            query: "query($id: ID!) { checklistVersion(id: $id) { id } }",
            variables: |ids| json!({ "id": ids.version_id }),
            allowed: venue_readers,
        },
        Case {
            field: "previewChecklistScore",
            query: "query($id: ID!) { previewChecklistScore(versionId: $id, answers: {Q1: true}) { score } }",
            variables: |ids| json!({ "id": ids.version_id }),
            allowed: venue_readers,
        },
        Case {
            field: "createChecklist",
            query: "mutation($c: ID!) { createChecklist(clientId: $c, name: \"x\", definition: {}) { id } }",
            variables: |ids| json!({ "c": ids.client_id }),
            allowed: venue_managers,
        },
        Case {
            field: "updateChecklistDraft",
            query: "mutation($id: ID!) { updateChecklistDraft(versionId: $id, definition: {}) { id } }",
            variables: |ids| json!({ "id": ids.version_id }),
            allowed: venue_managers,
        },
        Case {
            field: "createChecklistDraft",
            query: "mutation($id: ID!) { createChecklistDraft(checklistId: $id) { id } }",
            variables: |ids| json!({ "id": ids.checklist_id }),
            allowed: venue_managers,
        },
        Case {
            field: "publishChecklistVersion",
            query: "mutation { publishChecklistVersion(versionId: \"no-such-version\") { id } }",
            variables: none,
            allowed: venue_managers,
        },
        Case { field: "waves", query: "query { waves { totalCount } }", variables: none, allowed: venue_readers },
        Case {
            field: "wave",
            query: "query($id: ID!) { wave(id: $id) { id } }",
            variables: |ids| json!({ "id": ids.wave_id }),
            allowed: venue_readers,
        },
        Case {
            field: "createWave",
            query: "mutation($c: ID!, $v: ID!) { createWave(clientId: $c, input: { name: \"x\", checklistVersionId: $v, \
                    startsOn: \"2026-12-01\", endsOn: \"2026-12-31\", selection: { mode: ALL }, feeKopiykas: 1 }) { id } }",
            variables: |ids| json!({ "c": ids.client_id, "v": ids.version_id }),
            allowed: venue_managers,
        },
        Case {
            field: "updateWave",
            query: "mutation($id: ID!, $v: ID!) { updateWave(id: $id, input: { name: \"x\", checklistVersionId: $v, \
                    startsOn: \"2026-12-01\", endsOn: \"2026-12-31\", selection: { mode: ALL }, feeKopiykas: 1 }) { id } }",
            variables: |ids| json!({ "id": ids.wave_id, "v": ids.version_id }),
            allowed: venue_managers,
        },
        Case { field: "launchWave", query: "mutation { launchWave(id: \"none\") { tasksCreated } }", variables: none, allowed: venue_managers },
        Case { field: "pauseWave", query: "mutation { pauseWave(id: \"none\") { id } }", variables: none, allowed: venue_managers },
        Case { field: "resumeWave", query: "mutation { resumeWave(id: \"none\") { id } }", variables: none, allowed: venue_managers },
        Case {
            field: "extendWave",
            query: "mutation { extendWave(id: \"none\", endsOn: \"2027-01-01\") { id } }",
            variables: none,
            allowed: venue_managers,
        },
        Case {
            field: "closeWave",
            query: "mutation { closeWave(id: \"none\", reason: \"done\") { tasksCancelled } }",
            variables: none,
            allowed: venue_managers,
        },
        Case { field: "availableTasks", query: "query { availableTasks { totalCount } }", variables: none, allowed: shoppers_only },
        Case { field: "myTasks", query: "query { myTasks { totalCount } }", variables: none, allowed: shoppers_only },
        Case { field: "myConflicts", query: "query { myConflicts { id } }", variables: none, allowed: shoppers_only },
        Case {
            field: "taskHistory",
            query: "query { taskHistory(taskId: \"none\") { action } }",
            variables: none,
            allowed: shopper_managers,
        },
        Case { field: "claimTask", query: "mutation { claimTask(taskId: \"none\") { id } }", variables: none, allowed: shoppers_only },
        Case {
            field: "releaseTask",
            query: "mutation { releaseTask(taskId: \"none\", reason: \"because\") { id } }",
            variables: none,
            allowed: shoppers_only,
        },
        Case {
            field: "declareConflict",
            query: "mutation { declareConflict(employer: \"x\") { id } }",
            variables: none,
            allowed: shoppers_only,
        },
        Case {
            field: "assignTask",
            query: "mutation($s: ID!) { assignTask(taskId: \"none\", shopperId: $s, reason: \"because\") { id } }",
            variables: |ids| json!({ "s": ids.shopper_id }),
            allowed: shopper_managers,
        },
        Case {
            field: "unassignTask",
            query: "mutation { unassignTask(taskId: \"none\", reason: \"because\") { id } }",
            variables: none,
            allowed: shopper_managers,
        },
        Case {
            field: "autoAssignWave",
            query: "mutation($w: ID!) { autoAssignWave(waveId: $w) { committed } }",
            variables: |ids| json!({ "w": ids.wave_id }),
            allowed: shopper_managers,
        },
        Case {
            field: "offerTask",
            query: "mutation($s: ID!) { offerTask(taskId: \"none\", shopperId: $s, reason: \"because\") { id } }",
            variables: |ids| json!({ "s": ids.shopper_id }),
            allowed: shopper_managers,
        },
        Case { field: "acceptOffer", query: "mutation { acceptOffer(taskId: \"none\") { id } }", variables: none, allowed: shoppers_only },
        Case {
            field: "declineOffer",
            query: "mutation { declineOffer(taskId: \"none\", reason: \"because\") { id } }",
            variables: none,
            allowed: shoppers_only,
        },
        Case { field: "visit", query: "query { visit(id: \"none\") { id } }", variables: none, allowed: visit_readers },
        Case { field: "myVisits", query: "query { myVisits { totalCount } }", variables: none, allowed: shoppers_only },
        Case { field: "myVisit", query: "query { myVisit(taskId: \"none\") { id } }", variables: none, allowed: shoppers_only },
        Case { field: "photoTypes", query: "query { photoTypes }", variables: none, allowed: shoppers_only },
        Case {
            field: "waveResults",
            query: "query($w: ID!) { waveResults(waveId: $w) { visits } }",
            variables: |ids| json!({ "w": ids.wave_id }),
            allowed: results_readers,
        },
        Case {
            field: "scoreTrend",
            query: "query($c: ID!) { scoreTrend(clientId: $c) { waveId } }",
            variables: |ids| json!({ "c": ids.client_id }),
            allowed: results_readers,
        },
        Case {
            field: "qualityIndex",
            query: "query($c: ID!) { qualityIndex(clientId: $c) { totalCount } }",
            variables: |ids| json!({ "c": ids.client_id }),
            allowed: results_readers,
        },
        Case {
            field: "qualityPeriods",
            query: "query($c: ID!) { qualityPeriods(clientId: $c) }",
            variables: |ids| json!({ "c": ids.client_id }),
            allowed: results_readers,
        },
        Case {
            field: "feedbackCode",
            query: "query($v: ID!) { feedbackCode(venueId: $v) { link } }",
            variables: |ids| json!({ "v": ids.venue_id }),
            allowed: shopper_managers,
        },
        Case {
            field: "feedbackResponses",
            query: "query { feedbackResponses { totalCount } }",
            variables: none,
            allowed: shopper_managers,
        },
        Case {
            field: "feedbackBursts",
            query: "query { feedbackBursts { responses } }",
            variables: none,
            allowed: shopper_managers,
        },
        Case {
            field: "serviceCatalogue",
            query: "query { serviceCatalogue(venueType: \"CNAP\") { code } }",
            variables: none,
            allowed: shopper_managers,
        },
        Case {
            field: "apiKeys",
            query: "query { apiKeys { totalCount } }",
            variables: none,
            allowed: admins,
        },
        Case {
            field: "createApiKey",
            query: "mutation { createApiKey(input: { name: \"\", scopes: [] }) { secret } }",
            variables: none,
            allowed: admins,
        },
        Case {
            field: "rotateApiKey",
            query: "mutation { rotateApiKey(id: \"none\") { secret } }",
            variables: none,
            allowed: admins,
        },
        Case {
            field: "revokeApiKey",
            query: "mutation { revokeApiKey(id: \"none\") { id } }",
            variables: none,
            allowed: admins,
        },
        Case {
            field: "serviceEvents",
            query: "query($c: ID!) { serviceEvents(clientId: $c) { totalCount } }",
            variables: |ids| json!({ "c": ids.client_id }),
            allowed: venue_managers,
        },
        Case {
            field: "reportServiceEvents",
            query: "mutation($c: ID) { reportServiceEvents(clientId: $c, events: []) { accepted } }",
            variables: |ids| json!({ "c": ids.client_id }),
            allowed: venue_managers,
        },
        Case {
            field: "importServiceEvents",
            query: "mutation($c: ID!, $file: Upload!) { importServiceEvents(clientId: $c, file: $file) { accepted } }",
            variables: |ids| json!({ "c": ids.client_id }),
            allowed: venue_managers,
        },
        Case {
            field: "invitationFunnel",
            query: "query($c: ID!) { invitationFunnel(clientId: $c, from: \"2026-12-01\", to: \"2026-12-31\") { reported } }",
            variables: |ids| json!({ "c": ids.client_id }),
            allowed: venue_managers,
        },
        Case {
            field: "invitationPolicy",
            query: "query($c: ID!) { invitationPolicy(clientId: $c) { share } }",
            variables: |ids| json!({ "c": ids.client_id }),
            allowed: venue_managers,
        },
        Case {
            field: "setInvitationPolicy",
            query: "mutation($c: ID!) { setInvitationPolicy(clientId: $c, input: { share: 1, cooldownDays: 30, \
                    delayMinutes: 30, windowStart: \"09:00\", windowEnd: \"20:00\", maxWaitHours: 24 }) { share } }",
            variables: |ids| json!({ "c": ids.client_id }),
            allowed: venue_managers,
        },
        Case {
            field: "rotateFeedbackCode",
            query: "mutation($v: ID!) { rotateFeedbackCode(venueId: $v) { link } }",
            variables: |ids| json!({ "v": ids.venue_id }),
            allowed: shopper_managers,
        },
        Case {
            field: "moderateFeedback",
            query: "mutation { moderateFeedback(id: \"none\", publish: true) { id } }",
            variables: none,
            allowed: shopper_managers,
        },
        Case {
            field: "countFeedback",
            query: "mutation { countFeedback(id: \"none\", counted: true) { id } }",
            variables: none,
            allowed: shopper_managers,
        },
        Case {
            field: "saveService",
            query: "mutation { saveService(input: { venueType: \"CNAP\", code: \"X\", nameUk: \"Х\", nameEn: \"X\", position: 1 }) { code } }",
            variables: none,
            allowed: shopper_managers,
        },
        Case { field: "reviewQueue", query: "query { reviewQueue { totalCount } }", variables: none, allowed: shopper_managers },
        Case {
            field: "checkIn",
            query: "mutation { checkIn(input: { taskId: \"none\", clientId: \"authz-0001\", lat: 49.8, lon: 24.0, \
                    accuracyM: 5, deviceTime: \"2026-11-29T10:00:00Z\" }) { accepted } }",
            variables: none,
            allowed: shoppers_only,
        },
        Case {
            field: "saveVisitAnswers",
            query: "mutation { saveVisitAnswers(visitId: \"none\", answers: {}) { id } }",
            variables: none,
            allowed: shoppers_only,
        },
        Case {
            field: "uploadVisitPhoto",
            query: "mutation($file: Upload!) { uploadVisitPhoto(visitId: \"none\", clientId: \"authz-0001\", \
                    questionCode: \"Q5\", file: $file) { id } }",
            variables: none,
            allowed: shoppers_only,
        },
        Case {
            field: "requestCaptureTokens",
            query: "mutation { requestCaptureTokens(visitId: \"none\", count: 1) { token } }",
            variables: none,
            allowed: shoppers_only,
        },
        Case {
            field: "checkOut",
            query: "mutation { checkOut(visitId: \"none\", input: { lat: 49.8, lon: 24.0, accuracyM: 5, \
                    deviceTime: \"2026-11-29T10:30:00Z\" }) { id } }",
            variables: none,
            allowed: shoppers_only,
        },
        Case { field: "submitVisit", query: "mutation { submitVisit(visitId: \"none\") { id } }", variables: none, allowed: shoppers_only },
        Case { field: "myEarnings", query: "query { myEarnings { balanceKopiykas } }", variables: none, allowed: shoppers_only },
        Case {
            field: "shopperEarnings",
            query: "query($id: ID!) { shopperEarnings(shopperId: $id) { balanceKopiykas } }",
            variables: |ids| json!({ "id": ids.shopper_id }),
            allowed: money_managers,
        },
        Case {
            field: "myYearlyStatement",
            query: "query { myYearlyStatement(year: 2026) { csv } }",
            variables: none,
            allowed: shoppers_only,
        },
        Case {
            field: "yearlyStatement",
            query: "query($id: ID!) { yearlyStatement(shopperId: $id, year: 2026) { csv } }",
            variables: |ids| json!({ "id": ids.shopper_id }),
            allowed: money_managers,
        },
        Case { field: "payoutBatches", query: "query { payoutBatches { totalCount } }", variables: none, allowed: money_managers },
        Case { field: "payoutBatch", query: "query { payoutBatch(id: \"none\") { id } }", variables: none, allowed: money_managers },
        Case {
            field: "ledgerTotals",
            query: "query { ledgerTotals(from: \"2026-11-01\", to: \"2026-11-30\") { kind } }",
            variables: none,
            allowed: money_managers,
        },
        Case { field: "ledgerCheck", query: "query { ledgerCheck { ok } }", variables: none, allowed: money_managers },
        Case {
            field: "adjustBalance",
            query: "mutation($id: ID!) { adjustBalance(shopperId: $id, amountKopiykas: 100, reason: \"authz test\", \
                    idempotencyKey: \"authz-1\") { id } }",
            variables: |ids| json!({ "id": ids.shopper_id }),
            allowed: money_managers,
        },
        Case {
            field: "revokeApproval",
            query: "mutation { revokeApproval(visitId: \"none\", reason: \"authz test\") { id } }",
            variables: none,
            allowed: shopper_managers,
        },
        Case {
            field: "createPayoutBatch",
            query: "mutation { createPayoutBatch(periodFrom: \"2026-11-01\", periodTo: \"2026-11-30\") { batch { id } } }",
            variables: none,
            allowed: money_managers,
        },
        Case {
            field: "approvePayoutBatch",
            query: "mutation { approvePayoutBatch(id: \"none\") { id } }",
            variables: none,
            allowed: money_managers,
        },
        Case {
            field: "cancelPayoutBatch",
            query: "mutation { cancelPayoutBatch(id: \"none\", reason: \"authz test\") { id } }",
            variables: none,
            allowed: money_managers,
        },
        Case {
            field: "settlePayoutLine",
            query: "mutation { settlePayoutLine(lineId: \"none\", outcome: PAID) { id } }",
            variables: none,
            allowed: money_managers,
        },
        Case {
            field: "importPayoutStatus",
            query: "mutation($file: Upload!) { importPayoutStatus(batchId: \"none\", file: $file) { paid } }",
            variables: none,
            allowed: money_managers,
        },
        Case {
            field: "reviewVisit",
            query: "mutation { reviewVisit(visitId: \"none\", decision: APPROVE) { id } }",
            variables: none,
            allowed: shopper_managers,
        },
        Case {
            field: "catiStudies",
            query: "query($c: ID!) { catiStudies(clientId: $c) { id } }",
            variables: |ids| json!({ "c": ids.client_id }),
            allowed: shopper_managers,
        },
        Case {
            field: "catiOperators",
            query: "query { catiOperators { id convertsRefusals } }",
            variables: none,
            allowed: shopper_managers,
        },
        Case {
            field: "catiOpenStudies",
            query: "query { catiOpenStudies { id name } }",
            variables: none,
            allowed: operators,
        },
        Case {
            field: "catiBoard",
            query: "query { catiBoard(studyId: \"none\") { open } }",
            variables: none,
            allowed: shopper_managers,
        },
        Case {
            field: "myCatiCase",
            query: "query { myCatiCase { id } }",
            variables: none,
            allowed: operators,
        },
        Case {
            field: "createCatiStudy",
            query: "mutation($c: ID!) { createCatiStudy(input: { clientId: $c, name: \"Authz\", from: \"2026-12-01\", \
                    to: \"2026-12-31\", strata: OBLAST, samplePerStratum: 10, targetPerStratum: 5 }) { id } }",
            variables: |ids| json!({ "c": ids.client_id }),
            allowed: shopper_managers,
        },
        Case {
            field: "importCatiContacts",
            query: "mutation($file: Upload!) { importCatiContacts(studyId: \"none\", file: $file) { added } }",
            variables: none,
            allowed: shopper_managers,
        },
        Case {
            field: "drawCatiSample",
            query: "mutation { drawCatiSample(studyId: \"none\") { study { id } } }",
            variables: none,
            allowed: shopper_managers,
        },
        Case {
            field: "closeCatiStudy",
            query: "mutation { closeCatiStudy(studyId: \"none\") { id } }",
            variables: none,
            allowed: shopper_managers,
        },
        Case {
            field: "setOperatorConvertsRefusals",
            query: "mutation { setOperatorConvertsRefusals(userId: \"none\", converts: true) }",
            variables: none,
            allowed: shopper_managers,
        },
        Case {
            field: "nextCatiCase",
            query: "mutation { nextCatiCase(studyId: \"none\") { id } }",
            variables: none,
            allowed: operators,
        },
        Case {
            field: "holdCatiCase",
            query: "mutation { holdCatiCase(callId: \"none\") }",
            variables: none,
            allowed: operators,
        },
        Case {
            field: "saveCatiAnswers",
            query: "mutation { saveCatiAnswers(callId: \"none\", answers: { premises: \"4\" }) }",
            variables: none,
            allowed: operators,
        },
        Case {
            field: "revealCatiPhone",
            query: "mutation { revealCatiPhone(callId: \"none\") }",
            variables: none,
            allowed: operators,
        },
        Case {
            field: "recordCatiOutcome",
            query: "mutation { recordCatiOutcome(callId: \"none\", outcome: NO_ANSWER) { id } }",
            variables: none,
            allowed: operators,
        },
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_times_every_role() {
    let app = TestApp::spawn().await;
    let (_, shopper_id) = app.verified_shopper("target@example.com").await;
    let mut who_emails: Vec<(Who, String)> = vec![
        (None, String::new()),
        (Some(Role::Shopper), "caller@example.com".into()),
    ];
    app.verified_shopper("caller@example.com").await;
    for role in STAFF {
        who_emails.push((Some(role), app.staff(role).await.email));
    }
    let admin = app.staff(Role::Admin).await;
    let body = app
        .gql(
            Some(&admin.token),
            "mutation { createClient(name: \"Authz client\", kind: PUBLIC_BODY) { id } }",
            json!({}),
        )
        .await;
    let client_id = body["data"]["createClient"]["id"].as_str().unwrap().to_string();
    let body = app
        .gql(
            Some(&admin.token),
            "mutation($c: ID!) { createVenue(input: { clientId: $c, externalCode: \"V1\", name: \"ЦНАП\", type: \"CNAP\", \
             location: { lat: 49.84, lon: 24.03 } }) { id } }",
            json!({ "c": client_id }),
        )
        .await;
    let venue_id = body["data"]["createVenue"]["id"].as_str().unwrap().to_string();
    // The client viewer of the table belongs to this client.
    who_emails.push((Some(Role::ClientViewer), app.client_viewer(&client_id).await.email));
    who_emails.push((Some(Role::Operator), app.staff(Role::Operator).await.email));
    let body = app
        .gql(
            Some(&admin.token),
            "mutation($c: ID!, $d: JSON!) { createChecklist(clientId: $c, name: \"Authz\", definition: $d) { id versions { id } } }",
            json!({ "c": client_id, "d": fieldwork_e2e::cnap_checklist() }),
        )
        .await;
    let checklist_id = body["data"]["createChecklist"]["id"].as_str().unwrap().to_string();
    let version_id = body["data"]["createChecklist"]["versions"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.gql(
        Some(&admin.token),
        "mutation($v: ID!) { publishChecklistVersion(versionId: $v) { id } }",
        json!({ "v": version_id }),
    )
    .await;
    let body = app
        .gql(
            Some(&admin.token),
            "mutation($c: ID!, $v: ID!) { createWave(clientId: $c, input: { name: \"Authz wave\", checklistVersionId: $v, \
             startsOn: \"2026-12-01\", endsOn: \"2026-12-31\", selection: { mode: ALL }, feeKopiykas: 40000 }) { id } }",
            json!({ "c": client_id, "v": version_id }),
        )
        .await;
    let wave_id = body["data"]["createWave"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_string();
    let ids = Ids {
        shopper_id,
        client_id,
        venue_id,
        checklist_id,
        version_id,
        wave_id,
    };

    // The table covers every root field of the schema.
    let introspection = app
        .gql(
            None,
            "{ __schema { queryType { fields { name } } mutationType { fields { name } } } }",
            json!({}),
        )
        .await;
    let mut schema_fields = BTreeSet::new();
    for root in ["queryType", "mutationType"] {
        for field in introspection["data"]["__schema"][root]["fields"].as_array().unwrap() {
            schema_fields.insert(field["name"].as_str().unwrap().to_string());
        }
    }
    let table_fields: BTreeSet<String> = cases().iter().map(|c| c.field.to_string()).collect();
    assert_eq!(
        schema_fields, table_fields,
        "every query and mutation needs a row in this table"
    );

    let mut failures = Vec::new();
    for case in cases() {
        for (who, email) in &who_emails {
            // A fresh session per call, so logout and friends do not disturb the next row.
            let token = match who {
                None => None,
                Some(_) => {
                    let mut phone = app.phone();
                    phone.login(email, PASSWORD).await.unwrap();
                    phone.token().map(str::to_string)
                }
            };
            let variables = (case.variables)(&ids);
            let body = if case.field == "importVenues" {
                let csv = b"external_code,name,type,lat,lon\nX1,Shop,SHOP,49.8,24.0\n".to_vec();
                app.upload(token.as_deref(), case.query, variables, "file", "venues.csv", csv)
                    .await
                    .1
            } else if case.field == "importServiceEvents" {
                let csv = b"external_id,center,service,completed_at\nE1,X1,PASSPORT,2026-01-01T10:00:00Z\n".to_vec();
                app.upload(token.as_deref(), case.query, variables, "file", "events.csv", csv)
                    .await
                    .1
            } else if case.field == "importCatiContacts" {
                let csv = b"center,phone\nV1,0501234567\n".to_vec();
                app.upload(token.as_deref(), case.query, variables, "file", "list.csv", csv)
                    .await
                    .1
            } else if case.field == "importPayoutStatus" {
                let csv = b"end_to_end_id,status\nx,PAID\n".to_vec();
                app.upload(token.as_deref(), case.query, variables, "file", "status.csv", csv)
                    .await
                    .1
            } else if case.field == "uploadVisitPhoto" {
                let photo = fieldwork_e2e::fixture("photos/Canon_40D.jpg");
                app.upload(token.as_deref(), case.query, variables, "file", "photo.jpg", photo)
                    .await
                    .1
            } else {
                app.gql(token.as_deref(), case.query, variables).await
            };
            let code = error_code(&body);
            let refused = matches!(code, Some("FORBIDDEN" | "UNAUTHENTICATED"));
            let expected_refusal = if who.is_none() { "UNAUTHENTICATED" } else { "FORBIDDEN" };
            let ok = if (case.allowed)(*who) {
                !refused
            } else {
                code == Some(expected_refusal)
            };
            if !ok {
                failures.push(format!("{} as {:?}: {}", case.field, who, body));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "authorization table mismatches:\n{}",
        failures.join("\n")
    );
}
