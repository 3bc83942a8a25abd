/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** What the app's own camera view sends with its photo: a capture token and the phone's fix at that moment. */
export type CaptureInput = {
  accuracyM: number;
  /** The phone's clock when the photo was taken. */
  deviceTime: string;
  lat: number;
  lon: number;
  /** From `requestCaptureTokens`; each is spent on one photo. */
  token: string;
};

/** A position reported by the phone. */
export type CheckInInput = {
  /** The reported accuracy radius, metres. */
  accuracyM: number;
  /** Generated on the phone once per check-in; resending it returns the first result. */
  clientId: string;
  /**
   * The app's own id of this phone (random, kept in the app's storage); one phone used by several accounts
   * is shown to coordinators.
   */
  deviceId?: string | null | undefined;
  /** The phone's clock at check-in (visits done offline are sent later with their own times). */
  deviceTime: string;
  lat: number;
  lon: number;
  /** What the OS says about a simulated location. */
  mockLocation?: boolean;
  taskId: string | number;
};

export type CheckOutInput = {
  accuracyM: number;
  deviceTime: string;
  lat: number;
  lon: number;
};

/** Why a reviewer should look. */
export type FlagCode =
  /** A live-camera photo was taken before its capture token was issued (the visit began offline). */
  | 'CAPTURE_BEFORE_TOKEN'
  /** A live-camera photo's own EXIF contradicts the phone's position or clock at capture. */
  | 'CAPTURE_MISMATCH'
  /** The shopper declared a conflict of interest with the venue or its client (at any time). */
  | 'CONFLICT_OF_INTEREST'
  /** The shopper evaluated the same venue again within the wave's cool-off (only possible by override). */
  | 'COOL_OFF_BREACHED'
  | 'DEVICE_TIME_GAP'
  | 'DUPLICATE_PHOTO'
  | 'IMPOSSIBLE_TRAVEL'
  | 'LATE_SUBMISSION'
  | 'LOW_GPS_ACCURACY'
  | 'MOCK_LOCATION'
  | 'NEAR_DUPLICATE_PHOTO'
  | 'OUTSIDE_GEOFENCE'
  | 'OUTSIDE_VISITING_WINDOW'
  | 'PHOTO_GPS_MISSING'
  | 'PHOTO_GPS_OUTSIDE'
  | 'PHOTO_TIME_MISSING'
  | 'PHOTO_TIME_OUTSIDE'
  | 'TOO_LONG'
  | 'TOO_SHORT';

/** A position as sent by a client (WGS-84 degrees). */
export type GeoPointInput = {
  lat: number;
  lon: number;
};

/** The language of emails and of the app. */
export type Language =
  /** English. */
  | 'EN'
  /** Ukrainian (the default). */
  | 'UK';

/** Why money moved. */
export type LedgerKind =
  /** A manual correction by the payments team. */
  | 'ADJUSTMENT'
  /** An approval was revoked: its earnings were clawed back. */
  | 'APPROVAL_REVOKED'
  /** Paid out (gross: net to the bank, tax withheld). */
  | 'PAYOUT'
  /** A payout the bank refused: the money came back. */
  | 'PAYOUT_FAILED'
  /** A visit was approved: fee, bonus and receipt reimbursement. */
  | 'VISIT_APPROVAL';

/**
 * One payment's state: pending in a draft → sent when the batch is approved (or cancelled with it) → paid or
 * failed by the bank's answer.
 */
export type PayoutLineState =
  | 'CANCELLED'
  /** The bank refused; the money is back on the shopper's balance. */
  | 'FAILED'
  | 'PAID'
  /** In a draft batch. */
  | 'PENDING'
  /** Batch approved; waiting for the bank's answer. */
  | 'SENT';

/** A photo's role in the visit. */
export type PhotoKind =
  /** The answer to a photo question. */
  | 'QUESTION'
  | 'RECEIPT';

/**
 * Where a photo came from: the app's own camera view (with a capture token and the phone's fix at that
 * moment), or picked from the phone's gallery (whose EXIF browsers and Android now strip of GPS).
 */
export type PhotoSource =
  | 'GALLERY'
  | 'LIVE_CAMERA';

/** What a user may do is decided by their role (see `auth::policy`). */
export type Role =
  /** Runs the platform: staff accounts, everything coordinators can do. */
  | 'ADMIN'
  /** A client's analyst: reads only that client's results. */
  | 'CLIENT_VIEWER'
  /** The fieldwork company's staff: shoppers, venues, waves, assignment, review. */
  | 'COORDINATOR'
  /** A call center's interviewer: phones citizens for a study (phone interviews, docs/PHONE.md). */
  | 'OPERATOR'
  /** The payments team: ledgers, payout batches, bank exports. */
  | 'PAYMENTS'
  /** A mystery shopper, using the mobile app. */
  | 'SHOPPER';

/** How much a flag matters. */
export type Severity =
  | 'CRITICAL'
  | 'INFO'
  | 'WARNING';

/** Everything a shopper gives to sign up. */
export type SignUpInput = {
  /** Must be true. */
  acceptCodeOfConduct: boolean;
  accountHolder: string;
  /** Workplaces, relatives' workplaces, other ties to venues or clients. */
  conflictDeclaration?: string | null | undefined;
  email: string;
  fullName: string;
  homeLocation: GeoPointInput;
  /** Where fees are paid: an IBAN (Ukrainian: 29 characters). */
  iban: string;
  /** Client-generated; a retried sign-up with the same key returns the first result. */
  idempotencyKey?: string | null | undefined;
  language?: Language;
  /** 10 to 128 characters. */
  password: string;
  /** International format, e.g. `+380501234567`. */
  phone: string;
  /** Taxpayer number (РНОКПП), 10 digits. */
  taxId: string;
  travelRadiusKm: number;
};

/**
 * One required visit's state: open → offered/claimed → assigned → visited → submitted → approved/rejected,
 * or cancelled.
 */
export type TaskState =
  | 'APPROVED'
  | 'ASSIGNED'
  | 'CANCELLED'
  | 'CLAIMED'
  | 'OFFERED'
  | 'OPEN'
  | 'REJECTED'
  | 'SUBMITTED'
  | 'VISITED';

/** What a shopper may change in their profile; omitted fields stay as they are. */
export type UpdateProfileInput = {
  accountHolder?: string | null | undefined;
  conflictDeclaration?: string | null | undefined;
  fullName?: string | null | undefined;
  homeLocation?: GeoPointInput | null | undefined;
  iban?: string | null | undefined;
  language?: Language | null | undefined;
  phone?: string | null | undefined;
  travelRadiusKm?: number | null | undefined;
};

/** Suspended users cannot log in and their tokens are revoked. */
export type UserStatus =
  | 'ACTIVE'
  | 'SUSPENDED';

/** A verdict on one fact of a photo. */
export type Verdict =
  | 'FAIL'
  | 'NO_DATA'
  | 'PASS';

/**
 * Where a visit stands: in progress → submitted → approved or rejected; a submitted visit may be returned for
 * correction (then in progress again in all but name: it is edited and submitted anew).
 */
export type VisitState =
  | 'APPROVED'
  | 'IN_PROGRESS'
  | 'REJECTED'
  /** Sent back to the shopper for correction. */
  | 'RETURNED'
  | 'SUBMITTED';

/** Days of the week, Monday first. */
export type Weekday =
  | 'FRI'
  | 'MON'
  | 'SAT'
  | 'SUN'
  | 'THU'
  | 'TUE'
  | 'WED';

export type AcceptOfferMutationVariables = Exact<{
  taskId: string | number;
}>;


export type AcceptOfferMutation = { acceptOffer: { id: string, state: TaskState, deadlineAt: string | null } };

export type AvailableTasksQueryVariables = Exact<{
  near?: GeoPointInput | null | undefined;
  radiusKm?: number | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type AvailableTasksQuery = { availableTasks: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { taskId: string, waveName: string, venueId: string, venueName: string, venueAddress: string, venueCity: string, clientId: string, clientName: string, distanceM: number, feeKopiykas: number, bonusKopiykas: number, deadlineAt: string, scenarioSummary: string, venueLocation: { lat: number, lon: number } } }> } };

export type ChangePasswordMutationVariables = Exact<{
  currentPassword: string;
  newPassword: string;
}>;


export type ChangePasswordMutation = { changePassword: boolean };

export type CheckInMutationVariables = Exact<{
  input: CheckInInput;
}>;


export type CheckInMutation = { checkIn: { accepted: boolean, attempt: { id: string, deviceTime: string, serverTime: string, verdict: { distanceM: number, geofenceM: number, insideGeofence: boolean, accuracyOk: boolean, inVisitingWindow: boolean, mockLocation: boolean, passed: boolean, reasons: Array<string> } | null }, visit: { id: string, state: VisitState } | null } };

export type CheckOutMutationVariables = Exact<{
  visitId: string | number;
  input: CheckOutInput;
}>;


export type CheckOutMutation = { checkOut: { id: string, state: VisitState, durationMinutes: number | null } };

export type ClaimTaskMutationVariables = Exact<{
  taskId: string | number;
}>;


export type ClaimTaskMutation = { claimTask: { id: string, state: TaskState, deadlineAt: string | null, feeKopiykas: number, bonusKopiykas: number } };

export type DeclareConflictMutationVariables = Exact<{
  venueId?: string | number | null | undefined;
  clientId?: string | number | null | undefined;
  employer?: string | null | undefined;
}>;


export type DeclareConflictMutation = { declareConflict: { id: string, venueId: string | null, clientId: string | null, employer: string | null, name: string | null, createdAt: string } };

export type DeclineOfferMutationVariables = Exact<{
  taskId: string | number;
  reason: string;
}>;


export type DeclineOfferMutation = { declineOffer: { id: string, state: TaskState } };

export type LoginMutationVariables = Exact<{
  email: string;
  password: string;
}>;


export type LoginMutation = { login: { token: string, expiresAt: string, user: { id: string, email: string, role: Role, emailVerified: boolean } } };

export type LogoutMutationVariables = Exact<{ [key: string]: never; }>;


export type LogoutMutation = { logout: boolean };

export type LogoutEverywhereMutationVariables = Exact<{ [key: string]: never; }>;


export type LogoutEverywhereMutation = { logoutEverywhere: number };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { id: string, email: string, role: Role, status: UserStatus, emailVerified: boolean, shopper: { id: string, fullName: string, phone: string, language: Language, travelRadiusKm: number, codeOfConductVersion: string, codeOfConductAcceptedAt: string, conflictDeclaration: string, homeLocation: { lat: number, lon: number }, payoutDetails: { iban: string, ibanDisplay: string, accountHolder: string, taxId: string } } | null } };

export type ProfileFieldsFragment = { id: string, fullName: string, phone: string, language: Language, travelRadiusKm: number, codeOfConductVersion: string, codeOfConductAcceptedAt: string, conflictDeclaration: string, homeLocation: { lat: number, lon: number }, payoutDetails: { iban: string, ibanDisplay: string, accountHolder: string, taxId: string } };

export type MyConflictsQueryVariables = Exact<{ [key: string]: never; }>;


export type MyConflictsQuery = { myConflicts: Array<{ id: string, venueId: string | null, clientId: string | null, employer: string | null, name: string | null, createdAt: string }> };

export type MyEarningsQueryVariables = Exact<{
  first?: number | null | undefined;
}>;


export type MyEarningsQuery = { myEarnings: { currency: string, balanceKopiykas: number, pendingKopiykas: number, availableKopiykas: number, history: { edges: Array<{ node: { id: string, kind: LedgerKind, memo: string, amountKopiykas: number, visitId: string | null, createdAt: string } }> }, payoutLines: { edges: Array<{ node: { id: string, batchId: string, grossKopiykas: number, incomeTaxKopiykas: number, militaryLevyKopiykas: number, netKopiykas: number, state: PayoutLineState, failureReason: string | null, settledAt: string | null } }> } } };

export type MyTasksQueryVariables = Exact<{
  state?: TaskState | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type MyTasksQuery = { myTasks: { totalCount: number, edges: Array<{ node: { id: string, state: TaskState, deadlineAt: string | null, feeKopiykas: number, bonusKopiykas: number, visitNumber: number, venue: { id: string, name: string, address: string, geofenceM: number, location: { lat: number, lon: number } }, brief: { waveId: string, waveName: string, scenario: string, startsOn: string, endsOn: string, reimbursementCapKopiykas: number, visitingWindows: Array<{ weekday: Weekday, opens: string, closes: string }>, visitRules: { failedCheckinBlocks: boolean, maxAccuracyM: number, minMinutes: number, maxMinutes: number, liveCaptureQuestions: Array<string> }, checklist: { id: string, definition: unknown } } } }> } };

export type BriefFieldsFragment = { waveId: string, waveName: string, scenario: string, startsOn: string, endsOn: string, reimbursementCapKopiykas: number, visitingWindows: Array<{ weekday: Weekday, opens: string, closes: string }>, visitRules: { failedCheckinBlocks: boolean, maxAccuracyM: number, minMinutes: number, maxMinutes: number, liveCaptureQuestions: Array<string> }, checklist: { id: string, definition: unknown } };

export type MyVisitQueryVariables = Exact<{
  taskId: string | number;
}>;


export type MyVisitQuery = { photoTypes: Array<string>, myVisit: { id: string, state: VisitState, taskId: string, venueName: string, checkedInAt: string, submittedAt: string | null, answers: unknown, startedBy: { id: string, deviceTime: string, serverTime: string, verdict: { distanceM: number, geofenceM: number, insideGeofence: boolean, accuracyOk: boolean, inVisitingWindow: boolean, mockLocation: boolean, passed: boolean, reasons: Array<string> } | null } | null, checkOut: { deviceTime: string } | null, photos: Array<{ id: string, clientId: string | null, questionCode: string | null, kind: PhotoKind, receiptKopiykas: number | null, source: PhotoSource, thumbnailUrl: string }>, history: Array<{ action: string, reason: string | null, at: string, comments: Array<{ questionCode: string, comment: string }> }> } | null };

export type MyVisitsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type MyVisitsQuery = { myVisits: { totalCount: number, edges: Array<{ node: { id: string, state: VisitState, taskId: string, venueName: string, waveName: string, checkedInAt: string, submittedAt: string | null, score: number | null, answers: unknown, photos: Array<{ id: string, questionCode: string | null, kind: PhotoKind, receiptKopiykas: number | null, source: PhotoSource }>, flags: Array<{ code: FlagCode, severity: Severity, message: string }>, history: Array<{ action: string, reason: string | null, at: string, comments: Array<{ questionCode: string, comment: string }> }>, brief: { waveId: string, checklist: { id: string, definition: unknown }, visitRules: { liveCaptureQuestions: Array<string> } } } }> } };

export type MyYearlyStatementQueryVariables = Exact<{
  year: number;
}>;


export type MyYearlyStatementQuery = { myYearlyStatement: { year: number, currency: string, csv: string, months: Array<{ month: number, grossKopiykas: number, incomeTaxKopiykas: number, militaryLevyKopiykas: number, netKopiykas: number }> } };

export type ReleaseTaskMutationVariables = Exact<{
  taskId: string | number;
  reason: string;
}>;


export type ReleaseTaskMutation = { releaseTask: { id: string, state: TaskState } };

export type RequestCaptureTokensMutationVariables = Exact<{
  visitId: string | number;
  count?: number | null | undefined;
}>;


export type RequestCaptureTokensMutation = { requestCaptureTokens: Array<{ token: string, expiresAt: string }> };

export type RequestPasswordResetMutationVariables = Exact<{
  email: string;
}>;


export type RequestPasswordResetMutation = { requestPasswordReset: boolean };

export type ResendVerificationEmailMutationVariables = Exact<{ [key: string]: never; }>;


export type ResendVerificationEmailMutation = { resendVerificationEmail: boolean };

export type ResetPasswordMutationVariables = Exact<{
  token: string;
  newPassword: string;
}>;


export type ResetPasswordMutation = { resetPassword: boolean };

export type SaveVisitAnswersMutationVariables = Exact<{
  visitId: string | number;
  answers: unknown;
}>;


export type SaveVisitAnswersMutation = { saveVisitAnswers: { id: string, state: VisitState, answers: unknown } };

export type SignUpMutationVariables = Exact<{
  input: SignUpInput;
}>;


export type SignUpMutation = { signUp: { user: { id: string, email: string, role: Role, emailVerified: boolean } } };

export type SubmitVisitMutationVariables = Exact<{
  visitId: string | number;
}>;


export type SubmitVisitMutation = { submitVisit: { id: string, state: VisitState, score: number | null, submittedAt: string | null, flags: Array<{ code: FlagCode, severity: Severity, message: string }> } };

export type UpdateMyProfileMutationVariables = Exact<{
  input: UpdateProfileInput;
}>;


export type UpdateMyProfileMutation = { updateMyProfile: { id: string, fullName: string, phone: string, language: Language, travelRadiusKm: number, conflictDeclaration: string, homeLocation: { lat: number, lon: number }, payoutDetails: { iban: string, accountHolder: string } } };

export type UploadVisitPhotoMutationVariables = Exact<{
  visitId: string | number;
  clientId: string;
  questionCode?: string | null | undefined;
  receiptKopiykas?: number | null | undefined;
  file: File;
  source?: PhotoSource | null | undefined;
  capture?: CaptureInput | null | undefined;
}>;


export type UploadVisitPhotoMutation = { uploadVisitPhoto: { id: string, kind: PhotoKind, questionCode: string | null, width: number, height: number, sha256: string | null, source: PhotoSource, gpsVerdict: Verdict, gpsNote: string | null, timeVerdict: Verdict, timeNote: string, thumbnailUrl: string, displayUrl: string } };

export type VerifyEmailMutationVariables = Exact<{
  token: string;
}>;


export type VerifyEmailMutation = { verifyEmail: { email: string, alreadyVerified: boolean } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const ProfileFieldsFragmentDoc = new TypedDocumentString(`
    fragment ProfileFields on Shopper {
  id
  fullName
  phone
  language
  homeLocation {
    lat
    lon
  }
  travelRadiusKm
  payoutDetails {
    iban
    ibanDisplay
    accountHolder
    taxId
  }
  codeOfConductVersion
  codeOfConductAcceptedAt
  conflictDeclaration
}
    `, {"fragmentName":"ProfileFields"}) as unknown as TypedDocumentString<ProfileFieldsFragment, unknown>;
export const BriefFieldsFragmentDoc = new TypedDocumentString(`
    fragment BriefFields on TaskBrief {
  waveId
  waveName
  scenario
  startsOn
  endsOn
  visitingWindows {
    weekday
    opens
    closes
  }
  reimbursementCapKopiykas
  visitRules {
    failedCheckinBlocks
    maxAccuracyM
    minMinutes
    maxMinutes
    liveCaptureQuestions
  }
  checklist {
    id
    definition
  }
}
    `, {"fragmentName":"BriefFields"}) as unknown as TypedDocumentString<BriefFieldsFragment, unknown>;
export const AcceptOfferDocument = new TypedDocumentString(`
    mutation AcceptOffer($taskId: ID!) {
  acceptOffer(taskId: $taskId) {
    id
    state
    deadlineAt
  }
}
    `) as unknown as TypedDocumentString<AcceptOfferMutation, AcceptOfferMutationVariables>;
export const AvailableTasksDocument = new TypedDocumentString(`
    query AvailableTasks($near: GeoPointInput, $radiusKm: Float, $first: Int, $after: String) {
  availableTasks(near: $near, radiusKm: $radiusKm, first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        taskId
        waveName
        venueId
        venueName
        venueAddress
        venueCity
        venueLocation {
          lat
          lon
        }
        clientId
        clientName
        distanceM
        feeKopiykas
        bonusKopiykas
        deadlineAt
        scenarioSummary
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AvailableTasksQuery, AvailableTasksQueryVariables>;
export const ChangePasswordDocument = new TypedDocumentString(`
    mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
  changePassword(currentPassword: $currentPassword, newPassword: $newPassword)
}
    `) as unknown as TypedDocumentString<ChangePasswordMutation, ChangePasswordMutationVariables>;
export const CheckInDocument = new TypedDocumentString(`
    mutation CheckIn($input: CheckInInput!) {
  checkIn(input: $input) {
    accepted
    attempt {
      id
      deviceTime
      serverTime
      verdict {
        distanceM
        geofenceM
        insideGeofence
        accuracyOk
        inVisitingWindow
        mockLocation
        passed
        reasons
      }
    }
    visit {
      id
      state
    }
  }
}
    `) as unknown as TypedDocumentString<CheckInMutation, CheckInMutationVariables>;
export const CheckOutDocument = new TypedDocumentString(`
    mutation CheckOut($visitId: ID!, $input: CheckOutInput!) {
  checkOut(visitId: $visitId, input: $input) {
    id
    state
    durationMinutes
  }
}
    `) as unknown as TypedDocumentString<CheckOutMutation, CheckOutMutationVariables>;
export const ClaimTaskDocument = new TypedDocumentString(`
    mutation ClaimTask($taskId: ID!) {
  claimTask(taskId: $taskId) {
    id
    state
    deadlineAt
    feeKopiykas
    bonusKopiykas
  }
}
    `) as unknown as TypedDocumentString<ClaimTaskMutation, ClaimTaskMutationVariables>;
export const DeclareConflictDocument = new TypedDocumentString(`
    mutation DeclareConflict($venueId: ID, $clientId: ID, $employer: String) {
  declareConflict(venueId: $venueId, clientId: $clientId, employer: $employer) {
    id
    venueId
    clientId
    employer
    name
    createdAt
  }
}
    `) as unknown as TypedDocumentString<DeclareConflictMutation, DeclareConflictMutationVariables>;
export const DeclineOfferDocument = new TypedDocumentString(`
    mutation DeclineOffer($taskId: ID!, $reason: String!) {
  declineOffer(taskId: $taskId, reason: $reason) {
    id
    state
  }
}
    `) as unknown as TypedDocumentString<DeclineOfferMutation, DeclineOfferMutationVariables>;
export const LoginDocument = new TypedDocumentString(`
    mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) {
    token
    expiresAt
    user {
      id
      email
      role
      emailVerified
    }
  }
}
    `) as unknown as TypedDocumentString<LoginMutation, LoginMutationVariables>;
export const LogoutDocument = new TypedDocumentString(`
    mutation Logout {
  logout
}
    `) as unknown as TypedDocumentString<LogoutMutation, LogoutMutationVariables>;
export const LogoutEverywhereDocument = new TypedDocumentString(`
    mutation LogoutEverywhere {
  logoutEverywhere
}
    `) as unknown as TypedDocumentString<LogoutEverywhereMutation, LogoutEverywhereMutationVariables>;
export const MeDocument = new TypedDocumentString(`
    query Me {
  me {
    id
    email
    role
    status
    emailVerified
    shopper {
      ...ProfileFields
    }
  }
}
    fragment ProfileFields on Shopper {
  id
  fullName
  phone
  language
  homeLocation {
    lat
    lon
  }
  travelRadiusKm
  payoutDetails {
    iban
    ibanDisplay
    accountHolder
    taxId
  }
  codeOfConductVersion
  codeOfConductAcceptedAt
  conflictDeclaration
}`) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const MyConflictsDocument = new TypedDocumentString(`
    query MyConflicts {
  myConflicts {
    id
    venueId
    clientId
    employer
    name
    createdAt
  }
}
    `) as unknown as TypedDocumentString<MyConflictsQuery, MyConflictsQueryVariables>;
export const MyEarningsDocument = new TypedDocumentString(`
    query MyEarnings($first: Int) {
  myEarnings {
    currency
    balanceKopiykas
    pendingKopiykas
    availableKopiykas
    history(first: $first) {
      edges {
        node {
          id
          kind
          memo
          amountKopiykas
          visitId
          createdAt
        }
      }
    }
    payoutLines(first: $first) {
      edges {
        node {
          id
          batchId
          grossKopiykas
          incomeTaxKopiykas
          militaryLevyKopiykas
          netKopiykas
          state
          failureReason
          settledAt
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<MyEarningsQuery, MyEarningsQueryVariables>;
export const MyTasksDocument = new TypedDocumentString(`
    query MyTasks($state: TaskState, $first: Int, $after: String) {
  myTasks(state: $state, first: $first, after: $after) {
    totalCount
    edges {
      node {
        id
        state
        deadlineAt
        feeKopiykas
        bonusKopiykas
        visitNumber
        venue {
          id
          name
          address
          location {
            lat
            lon
          }
          geofenceM
        }
        brief {
          ...BriefFields
        }
      }
    }
  }
}
    fragment BriefFields on TaskBrief {
  waveId
  waveName
  scenario
  startsOn
  endsOn
  visitingWindows {
    weekday
    opens
    closes
  }
  reimbursementCapKopiykas
  visitRules {
    failedCheckinBlocks
    maxAccuracyM
    minMinutes
    maxMinutes
    liveCaptureQuestions
  }
  checklist {
    id
    definition
  }
}`) as unknown as TypedDocumentString<MyTasksQuery, MyTasksQueryVariables>;
export const MyVisitDocument = new TypedDocumentString(`
    query MyVisit($taskId: ID!) {
  photoTypes
  myVisit(taskId: $taskId) {
    id
    state
    taskId
    venueName
    checkedInAt
    submittedAt
    answers
    startedBy {
      id
      deviceTime
      serverTime
      verdict {
        distanceM
        geofenceM
        insideGeofence
        accuracyOk
        inVisitingWindow
        mockLocation
        passed
        reasons
      }
    }
    checkOut {
      deviceTime
    }
    photos {
      id
      clientId
      questionCode
      kind
      receiptKopiykas
      source
      thumbnailUrl
    }
    history {
      action
      reason
      comments {
        questionCode
        comment
      }
      at
    }
  }
}
    `) as unknown as TypedDocumentString<MyVisitQuery, MyVisitQueryVariables>;
export const MyVisitsDocument = new TypedDocumentString(`
    query MyVisits($first: Int, $after: String) {
  myVisits(first: $first, after: $after) {
    totalCount
    edges {
      node {
        id
        state
        taskId
        venueName
        waveName
        checkedInAt
        submittedAt
        score
        answers
        photos {
          id
          questionCode
          kind
          receiptKopiykas
          source
        }
        flags {
          code
          severity
          message
        }
        history {
          action
          reason
          comments {
            questionCode
            comment
          }
          at
        }
        brief {
          waveId
          checklist {
            id
            definition
          }
          visitRules {
            liveCaptureQuestions
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<MyVisitsQuery, MyVisitsQueryVariables>;
export const MyYearlyStatementDocument = new TypedDocumentString(`
    query MyYearlyStatement($year: Int!) {
  myYearlyStatement(year: $year) {
    year
    currency
    months {
      month
      grossKopiykas
      incomeTaxKopiykas
      militaryLevyKopiykas
      netKopiykas
    }
    csv
  }
}
    `) as unknown as TypedDocumentString<MyYearlyStatementQuery, MyYearlyStatementQueryVariables>;
export const ReleaseTaskDocument = new TypedDocumentString(`
    mutation ReleaseTask($taskId: ID!, $reason: String!) {
  releaseTask(taskId: $taskId, reason: $reason) {
    id
    state
  }
}
    `) as unknown as TypedDocumentString<ReleaseTaskMutation, ReleaseTaskMutationVariables>;
export const RequestCaptureTokensDocument = new TypedDocumentString(`
    mutation RequestCaptureTokens($visitId: ID!, $count: Int) {
  requestCaptureTokens(visitId: $visitId, count: $count) {
    token
    expiresAt
  }
}
    `) as unknown as TypedDocumentString<RequestCaptureTokensMutation, RequestCaptureTokensMutationVariables>;
export const RequestPasswordResetDocument = new TypedDocumentString(`
    mutation RequestPasswordReset($email: String!) {
  requestPasswordReset(email: $email)
}
    `) as unknown as TypedDocumentString<RequestPasswordResetMutation, RequestPasswordResetMutationVariables>;
export const ResendVerificationEmailDocument = new TypedDocumentString(`
    mutation ResendVerificationEmail {
  resendVerificationEmail
}
    `) as unknown as TypedDocumentString<ResendVerificationEmailMutation, ResendVerificationEmailMutationVariables>;
export const ResetPasswordDocument = new TypedDocumentString(`
    mutation ResetPassword($token: String!, $newPassword: String!) {
  resetPassword(token: $token, newPassword: $newPassword)
}
    `) as unknown as TypedDocumentString<ResetPasswordMutation, ResetPasswordMutationVariables>;
export const SaveVisitAnswersDocument = new TypedDocumentString(`
    mutation SaveVisitAnswers($visitId: ID!, $answers: JSON!) {
  saveVisitAnswers(visitId: $visitId, answers: $answers) {
    id
    state
    answers
  }
}
    `) as unknown as TypedDocumentString<SaveVisitAnswersMutation, SaveVisitAnswersMutationVariables>;
export const SignUpDocument = new TypedDocumentString(`
    mutation SignUp($input: SignUpInput!) {
  signUp(input: $input) {
    user {
      id
      email
      role
      emailVerified
    }
  }
}
    `) as unknown as TypedDocumentString<SignUpMutation, SignUpMutationVariables>;
export const SubmitVisitDocument = new TypedDocumentString(`
    mutation SubmitVisit($visitId: ID!) {
  submitVisit(visitId: $visitId) {
    id
    state
    score
    submittedAt
    flags {
      code
      severity
      message
    }
  }
}
    `) as unknown as TypedDocumentString<SubmitVisitMutation, SubmitVisitMutationVariables>;
export const UpdateMyProfileDocument = new TypedDocumentString(`
    mutation UpdateMyProfile($input: UpdateProfileInput!) {
  updateMyProfile(input: $input) {
    id
    fullName
    phone
    language
    homeLocation {
      lat
      lon
    }
    travelRadiusKm
    payoutDetails {
      iban
      accountHolder
    }
    conflictDeclaration
  }
}
    `) as unknown as TypedDocumentString<UpdateMyProfileMutation, UpdateMyProfileMutationVariables>;
export const UploadVisitPhotoDocument = new TypedDocumentString(`
    mutation UploadVisitPhoto($visitId: ID!, $clientId: String!, $questionCode: String, $receiptKopiykas: Int, $file: Upload!, $source: PhotoSource, $capture: CaptureInput) {
  uploadVisitPhoto(
    visitId: $visitId
    clientId: $clientId
    questionCode: $questionCode
    receiptKopiykas: $receiptKopiykas
    file: $file
    source: $source
    capture: $capture
  ) {
    id
    kind
    questionCode
    width
    height
    sha256
    source
    gpsVerdict
    gpsNote
    timeVerdict
    timeNote
    thumbnailUrl
    displayUrl
  }
}
    `) as unknown as TypedDocumentString<UploadVisitPhotoMutation, UploadVisitPhotoMutationVariables>;
export const VerifyEmailDocument = new TypedDocumentString(`
    mutation VerifyEmail($token: String!) {
  verifyEmail(token: $token) {
    email
    alreadyVerified
  }
}
    `) as unknown as TypedDocumentString<VerifyEmailMutation, VerifyEmailMutationVariables>;