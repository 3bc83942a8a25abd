// The operation documents are the ones the Rust client uses (mobile-api/operations): one source of truth.
import acceptOffer from "../../../mobile-api/operations/accept_offer.graphql?raw";
import availableTasks from "../../../mobile-api/operations/available_tasks.graphql?raw";
import checkIn from "../../../mobile-api/operations/check_in.graphql?raw";
import checkOut from "../../../mobile-api/operations/check_out.graphql?raw";
import claimTask from "../../../mobile-api/operations/claim_task.graphql?raw";
import declareConflict from "../../../mobile-api/operations/declare_conflict.graphql?raw";
import declineOffer from "../../../mobile-api/operations/decline_offer.graphql?raw";
import login from "../../../mobile-api/operations/login.graphql?raw";
import logout from "../../../mobile-api/operations/logout.graphql?raw";
import logoutEverywhere from "../../../mobile-api/operations/logout_everywhere.graphql?raw";
import me from "../../../mobile-api/operations/me.graphql?raw";
import myConflicts from "../../../mobile-api/operations/my_conflicts.graphql?raw";
import myEarnings from "../../../mobile-api/operations/my_earnings.graphql?raw";
import myTasks from "../../../mobile-api/operations/my_tasks.graphql?raw";
import myVisits from "../../../mobile-api/operations/my_visits.graphql?raw";
import myYearlyStatement from "../../../mobile-api/operations/my_yearly_statement.graphql?raw";
import releaseTask from "../../../mobile-api/operations/release_task.graphql?raw";
import requestCaptureTokens from "../../../mobile-api/operations/request_capture_tokens.graphql?raw";
import requestPasswordReset from "../../../mobile-api/operations/request_password_reset.graphql?raw";
import resendVerificationEmail from "../../../mobile-api/operations/resend_verification_email.graphql?raw";
import saveVisitAnswers from "../../../mobile-api/operations/save_visit_answers.graphql?raw";
import signUp from "../../../mobile-api/operations/sign_up.graphql?raw";
import submitVisit from "../../../mobile-api/operations/submit_visit.graphql?raw";
import updateMyProfile from "../../../mobile-api/operations/update_my_profile.graphql?raw";
import uploadVisitPhoto from "../../../mobile-api/operations/upload_visit_photo.graphql?raw";

export const documents = {
  acceptOffer,
  availableTasks,
  checkIn,
  checkOut,
  claimTask,
  declareConflict,
  declineOffer,
  login,
  logout,
  logoutEverywhere,
  me,
  myConflicts,
  myEarnings,
  myTasks,
  myVisits,
  myYearlyStatement,
  releaseTask,
  requestCaptureTokens,
  requestPasswordReset,
  resendVerificationEmail,
  saveVisitAnswers,
  signUp,
  submitVisit,
  updateMyProfile,
  uploadVisitPhoto,
} as const;
export type OperationName = keyof typeof documents;
