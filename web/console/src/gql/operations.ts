/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** A key's state now. */
export type ApiKeyStatus =
  | 'ACTIVE'
  | 'EXPIRED'
  | 'REVOKED';

/** A hard-to-fill bonus step: tasks still open this many days after launch earn this much more. */
export type BonusStepInput = {
  afterDays: number;
  bonusKopiykas: number;
};

/**
 * The answers of an interview as the operator types them (the feedback form's questions): each a text as the
 * form sends it, checked in full when the interview is completed.
 */
export type CatiAnswersInput = {
  comment?: string | null | undefined;
  /** 1–4 each (жахливо…чудово). */
  premises?: string | null | undefined;
  recommend?: string | null | undefined;
  result?: string | null | undefined;
  /** A service of the center's catalogue (`services` of the case). */
  service?: string | null | undefined;
  staff?: string | null | undefined;
  waiting?: string | null | undefined;
};

/** What one call ended with, as the operator records it. */
export type CatiOutcome =
  | 'ANSWERING_MACHINE'
  /** The respondent asked to be called at another time. */
  | 'APPOINTMENT'
  /** The interview began and was broken off with too few answers to keep. */
  | 'BREAK_OFF'
  | 'BUSY'
  /** The interview was completed. */
  | 'COMPLETE'
  /** The number is not in service. */
  | 'DISCONNECTED'
  /** The respondent refused for good. */
  | 'HARD_REFUSAL'
  /** The person reached is not in the study's population (e.g. received no service). */
  | 'NOT_ELIGIBLE'
  | 'NO_ANSWER'
  /** Ended early with enough answers to keep (the study's rule). */
  | 'PARTIAL'
  /** The case's quota was filled before it was interviewed. */
  | 'QUOTA_FILLED'
  /** The respondent refused for now ("not today"): a refusal-conversion operator tries again in a week. */
  | 'SOFT_REFUSAL'
  /** The number does not reach the sampled person. */
  | 'WRONG_NUMBER';

export type CatiQuotaInput = {
  /** Cases to draw. */
  sample: number;
  /** The oblast's name, the center's id, or the service's code (as `strata` says). */
  stratum: string;
  /** Completed interviews that close it. */
  target: number;
};

/** A study's call discipline. */
export type CatiRulesInput = {
  answeringMachineMinutes: number;
  /** An appointment is offered this many minutes early. */
  appointmentEarlyMinutes: number;
  busyMinutes: number;
  maxAttempts: number;
  noAnswerMinutes: number;
  /** A soft refusal is called again after this many days, by a refusal converter. */
  softRefusalDays: number;
  weekdayEnd: string;
  /** Calling hours in the respondent's zone, `HH:MM`: Monday–Friday… */
  weekdayStart: string;
  weekendEnd: string;
  /** …and Saturday–Sunday. */
  weekendStart: string;
};

/** What a study's quotas are set on. */
export type CatiStrata =
  | 'CENTER'
  | 'OBLAST'
  | 'SERVICE';

export type CatiStudyInput = {
  clientId: string | number;
  /** First and last service day, `YYYY-MM-DD`. */
  from: string;
  name: string;
  quotas?: Array<CatiQuotaInput>;
  /** The defaults (docs/PHONE.md) when left out. */
  rules?: CatiRulesInput | null | undefined;
  /** For every stratum without its own quota. */
  samplePerStratum: number;
  strata: CatiStrata;
  targetPerStratum: number;
  to: string;
};

export type CreateApiKeyInput = {
  /** Needed for `events:write`. */
  clientId?: string | number | null | undefined;
  /** 1 to 730 days; none: the key does not expire. */
  expiresInDays?: number | null | undefined;
  name: string;
  /** Narrows the key to one oblast of its client. */
  oblast?: string | null | undefined;
  /** E.g. `["events:write"]`. */
  scopes: Array<string>;
};

/** A coordinator's decision. */
export type Decision =
  | 'APPROVE'
  | 'REJECT'
  /** Send back to the shopper for correction. */
  | 'RETURN';

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

export type InvitationPolicyInput = {
  cooldownDays: number;
  /** None: no cap. */
  dailyBudget?: number | null | undefined;
  delayMinutes: number;
  maxWaitHours: number;
  share: number;
  /** `HH:MM` */
  windowEnd: string;
  /** `HH:MM` */
  windowStart: string;
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

/** Where a comment is in moderation. */
export type Moderation =
  /** No comment was written. */
  | 'NONE'
  /** Waiting for a moderator; never shown publicly. */
  | 'PENDING'
  /** Its masked text may be shown publicly. */
  | 'PUBLISHED'
  | 'REJECTED';

export type OpeningHoursInput = {
  closes: string;
  opens: string;
  weekday: Weekday;
};

/** A payout batch's state: draft → approved (by a second person) or cancelled. */
export type PayoutBatchState =
  /** Approved (immutable): posted to the ledger, ready to export. */
  | 'APPROVED'
  | 'CANCELLED'
  /** Made, waiting for a second person's approval; its shoppers' money is pending. */
  | 'DRAFT';

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

/** A reviewer's comment on one question. */
export type ReviewCommentInput = {
  comment: string;
  questionCode: string;
};

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

/** Which of the client's (active) venues a wave visits. */
export type SelectionMode =
  /** Every active venue of the client. */
  | 'ALL'
  /** Active venues matching the region/type filters. */
  | 'FILTER'
  /** An explicit list of venues. */
  | 'LIST';

export type ServiceEventStatus =
  /** Kept now. */
  | 'ACCEPTED'
  /** Reported before with the same content; nothing changed. */
  | 'DUPLICATE'
  /** Not kept: see `errors`. */
  | 'REFUSED';

/** One service of a venue type's catalogue. */
export type ServiceInput = {
  active?: boolean;
  /** 1–40 letters, digits or `_` (kept upper-case). */
  code: string;
  nameEn: string;
  nameUk: string;
  /** Where the form lists it (smallest first). */
  position: number;
  venueType: string;
};

/** What the bank said about a line. */
export type Settlement =
  | 'FAILED'
  | 'PAID';

/** How much a flag matters. */
export type Severity =
  | 'CRITICAL'
  | 'INFO'
  | 'WARNING';

/** A sign that one person may hold several shopper accounts. */
export type SignalCode =
  /** Another account checked in from the same phone (the app's device id). */
  | 'SHARED_DEVICE'
  /** Another account is paid to the same IBAN. */
  | 'SHARED_PAYOUT_ACCOUNT'
  /** Another account has the same phone number. */
  | 'SHARED_PHONE';

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

/** Suspended users cannot log in and their tokens are revoked. */
export type UserStatus =
  | 'ACTIVE'
  | 'SUSPENDED';

/**
 * Which column of the file (CSV header, or GeoJSON property) holds each venue field; omitted fields use the
 * field's own name (`external_code`, `name`, `type`, `address`, `oblast`, `raion`, `hromada`, `city`, `lat`,
 * `lon`, `geofence_m`, `time_zone`, `size_class`); for GeoJSON, `lat`/`lon` default to the point geometry. A
 * file without a zone column has its venues' zones derived from their coordinates.
 */
export type VenueColumnMappingInput = {
  address?: string | null | undefined;
  city?: string | null | undefined;
  externalCode?: string | null | undefined;
  geofenceM?: string | null | undefined;
  hromada?: string | null | undefined;
  lat?: string | null | undefined;
  lon?: string | null | undefined;
  name?: string | null | undefined;
  oblast?: string | null | undefined;
  raion?: string | null | undefined;
  sizeClass?: string | null | undefined;
  timeZone?: string | null | undefined;
  type?: string | null | undefined;
};

/** The file's format. */
export type VenueFileFormat =
  | 'CSV'
  | 'GEOJSON';

/** Which venues a wave visits. */
export type VenueSelectionInput = {
  city?: string | null | undefined;
  mode: SelectionMode;
  oblast?: string | null | undefined;
  raion?: string | null | undefined;
  type?: string | null | undefined;
  venueIds?: Array<string | number>;
};

/** Changes to a venue; omitted fields stay as they are. `openingHours`, when given, replaces the week. */
export type VenueUpdateInput = {
  active?: boolean | null | undefined;
  address?: string | null | undefined;
  city?: string | null | undefined;
  externalCode?: string | null | undefined;
  geofenceM?: number | null | undefined;
  hromada?: string | null | undefined;
  location?: GeoPointInput | null | undefined;
  name?: string | null | undefined;
  oblast?: string | null | undefined;
  openingHours?: Array<OpeningHoursInput> | null | undefined;
  raion?: string | null | undefined;
  /** SMALL, MEDIUM or LARGE; an empty text clears it; omitted, it stays. */
  sizeClass?: string | null | undefined;
  /** Sets the zone by hand; omitted, it stays, or is derived again when the location changes. */
  timeZone?: string | null | undefined;
  type?: string | null | undefined;
};

/** A verdict on one fact of a photo. */
export type Verdict =
  | 'FAIL'
  | 'NO_DATA'
  | 'PASS';

export type VersionStatus =
  | 'DRAFT'
  | 'PUBLISHED';

/** How a wave's visits are checked (every field has a default; see docs/VISITS.md). */
export type VisitRulesInput = {
  /** A failed check-in stops the visit (otherwise it goes ahead, flagged). */
  failedCheckinBlocks?: boolean;
  /** Photo questions whose photos must be taken with the app's own camera (a gallery photo is refused). */
  liveCaptureQuestions?: Array<string>;
  /** The worst acceptable GPS accuracy at check-in, metres. */
  maxAccuracyM?: number;
  maxMinutes?: number;
  /** Faster travel between one shopper's consecutive visits is flagged. */
  maxTravelKmh?: number;
  minMinutes?: number;
  /** How far outside the geofence a photo's GPS may lie. */
  photoGpsSlackM?: number;
  /** How long before check-in or after check-out a photo may be taken. */
  photoTimeToleranceMinutes?: number;
  /** Later submissions are flagged. */
  submitWithinHours?: number;
};

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

/** A wave's settings. */
export type WaveInput = {
  bonusCapKopiykas?: number;
  /** Hard-to-fill bonus steps, rising in days and amount (none by default). */
  bonusSteps?: Array<BonusStepInput>;
  /** A published version of one of the client's checklists. */
  checklistVersionId: string | number;
  claimWindowHours?: number;
  cooloffDays?: number;
  /** `YYYY-MM-DD` */
  endsOn: string;
  /** In kopiykas: 40000 is 400 UAH. */
  feeKopiykas: number;
  maxTasksPerShopper?: number;
  name: string;
  reimbursementCapKopiykas?: number;
  scenario?: string;
  selection: VenueSelectionInput;
  /** `YYYY-MM-DD` */
  startsOn: string;
  /** Check-in, duration, photo and travel rules (defaults when omitted). */
  visitRules?: VisitRulesInput | null | undefined;
  /** Empty: the venues' own opening hours. */
  visitingWindows?: Array<OpeningHoursInput>;
  visitsPerVenue?: number;
};

/** Where a wave stands. */
export type WaveStatus =
  /** Over; open tasks were cancelled. */
  | 'CLOSED'
  /** Being prepared; settings may change. */
  | 'DRAFT'
  /** Tasks exist and fieldwork runs. */
  | 'LAUNCHED'
  /** Fieldwork on hold: no new claims. */
  | 'PAUSED';

/** Days of the week, Monday first. */
export type Weekday =
  | 'FRI'
  | 'MON'
  | 'SAT'
  | 'SUN'
  | 'THU'
  | 'TUE'
  | 'WED';

export type ApiKeysQueryVariables = Exact<{
  includeInactive: boolean;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ApiKeysQuery = { apiKeys: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, prefix: string, scopes: Array<string>, clientId: string | null, clientName: string | null, oblast: string | null, createdAt: string, expiresAt: string | null, lastUsedAt: string | null, revokedAt: string | null, rotatedFrom: string | null, status: ApiKeyStatus } }> } };

export type ApprovePayoutBatchMutationVariables = Exact<{
  id: string | number;
}>;


export type ApprovePayoutBatchMutation = { approvePayoutBatch: { id: string, state: PayoutBatchState } };

export type AssignTaskMutationVariables = Exact<{
  taskId: string | number;
  shopperId: string | number;
  reason: string;
  overrideReason?: string | null | undefined;
}>;


export type AssignTaskMutation = { assignTask: { id: string, state: TaskState, shopperId: string | null } };

export type AssignableShoppersQueryVariables = Exact<{ [key: string]: never; }>;


export type AssignableShoppersQuery = { shoppers: { totalCount: number, edges: Array<{ node: { id: string, fullName: string, email: string, travelRadiusKm: number, homeLocation: { lat: number, lon: number }, reliability: { score: number | null } } }> } };

export type AutoAssignMutationVariables = Exact<{
  waveId: string | number;
  commit: boolean;
}>;


export type AutoAssignMutation = { autoAssignWave: { totalKm: number, committed: number, proposals: Array<{ taskId: string, shopperId: string, venueName: string, distanceM: number }>, unassignable: Array<{ taskId: string, venueName: string, reason: string }>, notCommitted: Array<{ taskId: string, venueName: string, reason: string }> } };

export type CancelPayoutBatchMutationVariables = Exact<{
  id: string | number;
  reason: string;
}>;


export type CancelPayoutBatchMutation = { cancelPayoutBatch: { id: string, state: PayoutBatchState } };

export type CatiBoardQueryVariables = Exact<{
  studyId: string | number;
}>;


export type CatiBoardQuery = { catiBoard: { at: string, inSample: number, open: number, neverCalled: number, study: { id: string, name: string, status: string, seed: string | null, eligible: number | null, drawn: number | null, strata: CatiStrata }, live: Array<{ operatorId: string, operator: string, caseId: string, centerName: string, phoneMasked: string | null, startedAt: string, seconds: number, lapsed: boolean }>, operators: Array<{ operatorId: string, operator: string, calls: number, completes: number, completesLastHour: number, hours: number, completesPerHour: number }>, outcomes: Array<{ outcome: CatiOutcome, aaporCode: string, category: string, finalOutcome: boolean, calls: number }>, quotas: Array<{ stratum: string, label: string, sample: number, target: number, completes: number }>, appointmentsDue: Array<{ caseId: string, centerName: string, at: string, phoneMasked: string | null }>, rates: Array<{ level: string, key: string, label: string, cases: number, i: number, p: number, r: number, nc: number, o: number, uh: number, uo: number, ne: number, rr1: number | null, coop1: number | null, ref1: number | null, con1: number | null }> } };

export type CatiCaseFieldsFragment = { id: string, callId: string, studyId: string, source: string, centerName: string, centerAddress: string, oblast: string, service: string | null, respondentName: string | null, phoneMasked: string | null, timeZone: string, localTime: string, attempts: number, lastOutcome: CatiOutcome | null, appointmentAt: string | null, appointmentLocal: string | null, open: boolean, answersSavedAt: string | null, leaseUntil: string | null, answers: { service: string | null, premises: string | null, staff: string | null, waiting: string | null, result: string | null, recommend: string | null, comment: string | null }, history: Array<{ id: string, number: number, startedAt: string, endedAt: string | null, outcome: CatiOutcome | null, aaporCode: string | null, abandoned: boolean, appointmentAt: string | null, note: string | null }>, services: Array<{ code: string, nameUk: string, nameEn: string }> };

export type CatiOpenStudiesQueryVariables = Exact<{ [key: string]: never; }>;


export type CatiOpenStudiesQuery = { catiOpenStudies: Array<{ id: string, name: string, from: string, to: string }> };

export type CatiOperatorsQueryVariables = Exact<{ [key: string]: never; }>;


export type CatiOperatorsQuery = { catiOperators: Array<{ id: string, email: string, convertsRefusals: boolean }> };

export type CatiStudiesQueryVariables = Exact<{
  clientId: string | number;
}>;


export type CatiStudiesQuery = { catiStudies: Array<{ id: string, name: string, from: string, to: string, strata: CatiStrata, status: string, seed: string | null, eligible: number | null, drawn: number | null, drawnAt: string | null }> };

export type ChecklistListQueryVariables = Exact<{ [key: string]: never; }>;


export type ChecklistListQuery = { checklists: { edges: Array<{ node: { id: string, name: string, client: { id: string, name: string }, versions: Array<{ id: string, version: number, status: VersionStatus, questionCount: number, publishedAt: string | null }> } }> } };

export type ChecklistVersionForEditQueryVariables = Exact<{
  id: string | number;
}>;


export type ChecklistVersionForEditQuery = { checklistVersion: { id: string, checklistId: string, version: number, status: VersionStatus, definition: unknown } };

export type CloseCatiStudyMutationVariables = Exact<{
  studyId: string | number;
}>;


export type CloseCatiStudyMutation = { closeCatiStudy: { id: string, status: string } };

export type CloseWaveMutationVariables = Exact<{
  id: string | number;
  reason: string;
}>;


export type CloseWaveMutation = { closeWave: { tasksCancelled: number } };

export type ConsoleLoginMutationVariables = Exact<{
  email: string;
  password: string;
}>;


export type ConsoleLoginMutation = { login: { token: string } };

export type CountFeedbackMutationVariables = Exact<{
  id: string | number;
  counted: boolean;
}>;


export type CountFeedbackMutation = { countFeedback: { id: string, counted: boolean } };

export type CreateApiKeyMutationVariables = Exact<{
  input: CreateApiKeyInput;
}>;


export type CreateApiKeyMutation = { createApiKey: { secret: string, key: { id: string, name: string, prefix: string } } };

export type CreateCatiStudyMutationVariables = Exact<{
  input: CatiStudyInput;
}>;


export type CreateCatiStudyMutation = { createCatiStudy: { id: string, name: string, status: string } };

export type CreateChecklistMutationVariables = Exact<{
  clientId: string | number;
  name: string;
  definition: unknown;
}>;


export type CreateChecklistMutation = { createChecklist: { id: string, versions: Array<{ id: string }> } };

export type CreateChecklistDraftMutationVariables = Exact<{
  checklistId: string | number;
}>;


export type CreateChecklistDraftMutation = { createChecklistDraft: { id: string } };

export type CreatePayoutBatchMutationVariables = Exact<{
  periodFrom: string;
  periodTo: string;
  idempotencyKey?: string | null | undefined;
}>;


export type CreatePayoutBatchMutation = { createPayoutBatch: { batch: { id: string, state: PayoutBatchState, lineCount: number, netKopiykas: number }, skipped: Array<{ shopperId: string, shopperName: string, availableKopiykas: number, reason: string }> } };

export type CreateWaveMutationVariables = Exact<{
  clientId: string | number;
  input: WaveInput;
}>;


export type CreateWaveMutation = { createWave: { id: string, status: WaveStatus } };

export type DrawCatiSampleMutationVariables = Exact<{
  studyId: string | number;
  seed?: string | null | undefined;
}>;


export type DrawCatiSampleMutation = { drawCatiSample: { study: { id: string, status: string, seed: string | null, eligible: number | null, drawn: number | null }, strata: Array<{ stratum: string, eligible: number, drawn: number }> } };

export type ExtendWaveMutationVariables = Exact<{
  id: string | number;
  endsOn: string;
}>;


export type ExtendWaveMutation = { extendWave: { id: string, endsOn: string } };

export type FeedbackBurstsQueryVariables = Exact<{ [key: string]: never; }>;


export type FeedbackBurstsQuery = { feedbackBursts: Array<{ venueId: string, venueName: string, from: string, to: string, responses: number, suspicious: number, usualPer10Minutes: number }> };

export type FeedbackCodeQueryVariables = Exact<{
  venueId: string | number;
}>;


export type FeedbackCodeQuery = { feedbackCode: { link: string, createdAt: string, posterPath: string, posterPdfPath: string, qrPngPath: string } };

export type FeedbackResponsesQueryVariables = Exact<{
  venueId?: string | number | null | undefined;
  moderation?: Moderation | null | undefined;
  suspicious?: boolean | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type FeedbackResponsesQuery = { feedbackResponses: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, venueName: string, channel: string, serviceCode: string | null, premises: number | null, staff: number | null, waiting: number | null, result: number | null, recommend: number | null, comment: string | null, commentMasked: string | null, masked: Array<string>, contactName: string | null, contactPhone: string | null, contactEmail: string | null, riskScore: number, riskReasons: Array<string>, counted: boolean, moderation: Moderation, createdAt: string } }> } };

export type HoldCatiCaseMutationVariables = Exact<{
  callId: string | number;
}>;


export type HoldCatiCaseMutation = { holdCatiCase: string };

export type ImportCatiContactsMutationVariables = Exact<{
  studyId: string | number;
  file: File;
}>;


export type ImportCatiContactsMutation = { importCatiContacts: { added: number, repeated: number, refused: Array<{ row: number, field: string, message: string }> } };

export type ImportPayoutStatusMutationVariables = Exact<{
  batchId: string | number;
  file: File;
}>;


export type ImportPayoutStatusMutation = { importPayoutStatus: { paid: number, failed: number } };

export type ImportServiceEventsMutationVariables = Exact<{
  clientId: string | number;
  file: File;
}>;


export type ImportServiceEventsMutation = { importServiceEvents: { accepted: number, duplicates: number, refused: number, results: Array<{ index: number, externalId: string | null, status: ServiceEventStatus, errors: Array<{ field: string, code: string, message: string }> }> } };

export type ImportVenuesMutationVariables = Exact<{
  clientId: string | number;
  file: File;
  format?: VenueFileFormat | null | undefined;
  mapping?: VenueColumnMappingInput | null | undefined;
  defaultType?: string | null | undefined;
  dryRun: boolean;
}>;


export type ImportVenuesMutation = { importVenues: { dryRun: boolean, applied: boolean, rowsRead: number, created: number, updated: number, unchanged: number, errors: Array<{ row: number, column: string | null, message: string }> } };

export type InvitationFunnelQueryVariables = Exact<{
  clientId: string | number;
  from: string;
  to: string;
  oblast?: string | null | undefined;
}>;


export type InvitationFunnelQuery = { invitationFunnel: { reported: number, withPhone: number, invited: number, sent: number, delivered: number, read: number, opened: number, answered: number, responseRate: number, segments: number, dailyBudget: number | null, optedOut: number, skipped: Array<{ reason: string, count: number }>, failed: Array<{ reason: string, count: number }>, days: Array<{ day: string, sent: number, segments: number }>, provider: { name: string | null, waiting: number, retrying: number, lastAcceptedAt: string | null, failedLastDay: number, lastError: string | null } } };

export type InvitationPolicyQueryVariables = Exact<{
  clientId: string | number;
}>;


export type InvitationPolicyQuery = { invitationPolicy: { share: number, cooldownDays: number, delayMinutes: number, windowStart: string, windowEnd: string, maxWaitHours: number, dailyBudget: number | null } };

export type InviteStaffMutationVariables = Exact<{
  email: string;
  role: Role;
  clientId?: string | number | null | undefined;
}>;


export type InviteStaffMutation = { inviteStaff: { id: string, email: string, role: Role } };

export type LaunchWaveMutationVariables = Exact<{
  id: string | number;
}>;


export type LaunchWaveMutation = { launchWave: { tasksCreated: number } };

export type LedgerTotalsQueryVariables = Exact<{
  from: string;
  to: string;
  byWave: boolean;
}>;


export type LedgerTotalsQuery = { ledgerTotals: Array<{ waveId: string | null, kind: LedgerKind, transactions: number, amountKopiykas: number }> };

export type ModerateFeedbackMutationVariables = Exact<{
  id: string | number;
  publish: boolean;
}>;


export type ModerateFeedbackMutation = { moderateFeedback: { id: string, moderation: Moderation } };

export type MyCatiCaseQueryVariables = Exact<{ [key: string]: never; }>;


export type MyCatiCaseQuery = { myCatiCase: { id: string, callId: string, studyId: string, source: string, centerName: string, centerAddress: string, oblast: string, service: string | null, respondentName: string | null, phoneMasked: string | null, timeZone: string, localTime: string, attempts: number, lastOutcome: CatiOutcome | null, appointmentAt: string | null, appointmentLocal: string | null, open: boolean, answersSavedAt: string | null, leaseUntil: string | null, answers: { service: string | null, premises: string | null, staff: string | null, waiting: string | null, result: string | null, recommend: string | null, comment: string | null }, history: Array<{ id: string, number: number, startedAt: string, endedAt: string | null, outcome: CatiOutcome | null, aaporCode: string | null, abandoned: boolean, appointmentAt: string | null, note: string | null }>, services: Array<{ code: string, nameUk: string, nameEn: string }> } | null };

export type NextCatiCaseMutationVariables = Exact<{
  studyId: string | number;
}>;


export type NextCatiCaseMutation = { nextCatiCase: { id: string, callId: string, studyId: string, source: string, centerName: string, centerAddress: string, oblast: string, service: string | null, respondentName: string | null, phoneMasked: string | null, timeZone: string, localTime: string, attempts: number, lastOutcome: CatiOutcome | null, appointmentAt: string | null, appointmentLocal: string | null, open: boolean, answersSavedAt: string | null, leaseUntil: string | null, answers: { service: string | null, premises: string | null, staff: string | null, waiting: string | null, result: string | null, recommend: string | null, comment: string | null }, history: Array<{ id: string, number: number, startedAt: string, endedAt: string | null, outcome: CatiOutcome | null, aaporCode: string | null, abandoned: boolean, appointmentAt: string | null, note: string | null }>, services: Array<{ code: string, nameUk: string, nameEn: string }> } | null };

export type OfferTaskMutationVariables = Exact<{
  taskId: string | number;
  shopperId: string | number;
  reason: string;
  acceptWithinHours: number;
}>;


export type OfferTaskMutation = { offerTask: { id: string, state: TaskState, shopperId: string | null } };

export type PauseWaveMutationVariables = Exact<{
  id: string | number;
}>;


export type PauseWaveMutation = { pauseWave: { id: string, status: WaveStatus } };

export type PayoutBatchesQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type PayoutBatchesQuery = { payoutBatches: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, periodFrom: string, periodTo: string, state: PayoutBatchState, lineCount: number, grossKopiykas: number, withheldKopiykas: number, netKopiykas: number, createdBy: string, createdAt: string, decidedBy: string | null, decidedAt: string | null, cancelReason: string | null, csv: string, pain09: string, pain03: string } }> }, ledgerCheck: { ok: boolean, accounts: number, transactions: number, totalKopiykas: number } };

export type PayoutLinesQueryVariables = Exact<{
  id: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type PayoutLinesQuery = { payoutBatch: { id: string, lines: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, seq: number, accountHolder: string, iban: string, grossKopiykas: number, incomeTaxKopiykas: number, militaryLevyKopiykas: number, netKopiykas: number, state: PayoutLineState, failureReason: string | null, endToEndId: string } }> } } };

export type PreviewChecklistScoreQueryVariables = Exact<{
  versionId: string | number;
  answers: unknown;
}>;


export type PreviewChecklistScoreQuery = { previewChecklistScore: { score: number | null, visibleQuestions: Array<string> } };

export type PublishChecklistVersionMutationVariables = Exact<{
  versionId: string | number;
}>;


export type PublishChecklistVersionMutation = { publishChecklistVersion: { id: string, status: VersionStatus } };

export type QualityIndexQueryVariables = Exact<{
  clientId: string | number;
  period?: string | null | undefined;
  oblast?: string | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type QualityIndexQuery = { qualityPeriods: Array<string>, qualityIndex: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { venueId: string, name: string, oblast: string, sizeClass: string | null, responses: number, visits: number, rank: number | null, rankOf: number | null, headline: { value: number, low: number, high: number } | null, ratings: { n: number, estimate: { value: number } | null }, loyalty: { n: number, estimate: { value: number } | null }, mystery: { n: number, estimate: { value: number } | null } } }> } };

export type RecordCatiOutcomeMutationVariables = Exact<{
  callId: string | number;
  outcome: CatiOutcome;
  appointmentAt?: string | null | undefined;
  answers?: CatiAnswersInput | null | undefined;
  note?: string | null | undefined;
}>;


export type RecordCatiOutcomeMutation = { recordCatiOutcome: { id: string, callId: string, studyId: string, source: string, centerName: string, centerAddress: string, oblast: string, service: string | null, respondentName: string | null, phoneMasked: string | null, timeZone: string, localTime: string, attempts: number, lastOutcome: CatiOutcome | null, appointmentAt: string | null, appointmentLocal: string | null, open: boolean, answersSavedAt: string | null, leaseUntil: string | null, answers: { service: string | null, premises: string | null, staff: string | null, waiting: string | null, result: string | null, recommend: string | null, comment: string | null }, history: Array<{ id: string, number: number, startedAt: string, endedAt: string | null, outcome: CatiOutcome | null, aaporCode: string | null, abandoned: boolean, appointmentAt: string | null, note: string | null }>, services: Array<{ code: string, nameUk: string, nameEn: string }> } };

export type ResultWavesQueryVariables = Exact<{ [key: string]: never; }>;


export type ResultWavesQuery = { waves: { edges: Array<{ node: { id: string, name: string, status: WaveStatus, startsOn: string, endsOn: string, client: { id: string, name: string } } }> } };

export type ResumeWaveMutationVariables = Exact<{
  id: string | number;
}>;


export type ResumeWaveMutation = { resumeWave: { id: string, status: WaveStatus } };

export type RevealCatiPhoneMutationVariables = Exact<{
  callId: string | number;
}>;


export type RevealCatiPhoneMutation = { revealCatiPhone: string };

export type ReviewQueueQueryVariables = Exact<{
  waveId?: string | number | null | undefined;
  oblast?: string | null | undefined;
  flag?: FlagCode | null | undefined;
  minAgeHours?: number | null | undefined;
  state?: VisitState | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ReviewQueueQuery = { reviewQueue: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, state: VisitState, waveName: string, venueName: string, submittedAt: string | null, score: number | null, flags: Array<{ code: FlagCode, severity: Severity }> } }> } };

export type ReviewVisitMutationVariables = Exact<{
  visitId: string | number;
  decision: Decision;
  reason?: string | null | undefined;
  comments?: Array<ReviewCommentInput> | ReviewCommentInput | null | undefined;
}>;


export type ReviewVisitMutation = { reviewVisit: { id: string, state: VisitState, decidedAt: string | null } };

export type ReviewWavesQueryVariables = Exact<{ [key: string]: never; }>;


export type ReviewWavesQuery = { waves: { edges: Array<{ node: { id: string, name: string, status: WaveStatus } }> } };

export type RevokeApiKeyMutationVariables = Exact<{
  id: string | number;
}>;


export type RevokeApiKeyMutation = { revokeApiKey: { id: string, status: ApiKeyStatus } };

export type RotateApiKeyMutationVariables = Exact<{
  id: string | number;
  graceHours: number;
}>;


export type RotateApiKeyMutation = { rotateApiKey: { secret: string, key: { id: string, name: string, prefix: string } } };

export type RotateFeedbackCodeMutationVariables = Exact<{
  venueId: string | number;
}>;


export type RotateFeedbackCodeMutation = { rotateFeedbackCode: { link: string, createdAt: string, posterPath: string, posterPdfPath: string, qrPngPath: string } };

export type SaveCatiAnswersMutationVariables = Exact<{
  callId: string | number;
  answers: CatiAnswersInput;
}>;


export type SaveCatiAnswersMutation = { saveCatiAnswers: string };

export type SaveServiceMutationVariables = Exact<{
  input: ServiceInput;
}>;


export type SaveServiceMutation = { saveService: { code: string, active: boolean } };

export type ScoreTrendQueryVariables = Exact<{
  clientId: string | number;
  venueId?: string | number | null | undefined;
}>;


export type ScoreTrendQuery = { scoreTrend: Array<{ waveId: string, waveName: string, startsOn: string, visits: number, meanScore: number | null, regions: Array<{ oblast: string, visits: number, meanScore: number | null }> }> };

export type ServiceCatalogueQueryVariables = Exact<{
  venueType: string;
}>;


export type ServiceCatalogueQuery = { serviceCatalogue: Array<{ code: string, nameUk: string, nameEn: string, position: number, active: boolean }> };

export type ServiceEventsQueryVariables = Exact<{
  clientId: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ServiceEventsQuery = { serviceEvents: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, externalId: string, centerName: string, service: string, completedAt: string, phoneMasked: string | null, messenger: string | null, consent: boolean, source: string } }> } };

export type SetInvitationPolicyMutationVariables = Exact<{
  clientId: string | number;
  input: InvitationPolicyInput;
}>;


export type SetInvitationPolicyMutation = { setInvitationPolicy: { share: number, cooldownDays: number, delayMinutes: number, windowStart: string, windowEnd: string, maxWaitHours: number, dailyBudget: number | null } };

export type SetOperatorConvertsRefusalsMutationVariables = Exact<{
  userId: string | number;
  converts: boolean;
}>;


export type SetOperatorConvertsRefusalsMutation = { setOperatorConvertsRefusals: boolean };

export type SetShopperStatusMutationVariables = Exact<{
  shopperId: string | number;
  status: UserStatus;
  reason?: string | null | undefined;
}>;


export type SetShopperStatusMutation = { setShopperStatus: { id: string, status: UserStatus, statusReason: string | null } };

export type SetUserStatusMutationVariables = Exact<{
  userId: string | number;
  status: UserStatus;
  reason?: string | null | undefined;
}>;


export type SetUserStatusMutation = { setUserStatus: { id: string, status: UserStatus } };

export type SettlePayoutLineMutationVariables = Exact<{
  lineId: string | number;
  outcome: Settlement;
  reason?: string | null | undefined;
}>;


export type SettlePayoutLineMutation = { settlePayoutLine: { id: string, state: PayoutLineState } };

export type ShopperListQueryVariables = Exact<{
  search?: string | null | undefined;
  status?: UserStatus | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ShopperListQuery = { shoppers: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, email: string, fullName: string, phone: string, status: UserStatus, emailVerified: boolean, createdAt: string, reliability: { score: number | null, tasksTaken: number }, signals: Array<{ code: SignalCode }> } }> } };

export type ShopperMoneyQueryVariables = Exact<{
  id: string | number;
  year: number;
}>;


export type ShopperMoneyQuery = { shopper: { id: string, fullName: string, email: string }, shopperEarnings: { currency: string, balanceKopiykas: number, pendingKopiykas: number, availableKopiykas: number, history: { totalCount: number, edges: Array<{ node: { id: string, kind: LedgerKind, memo: string, amountKopiykas: number, createdAt: string } }> } }, yearlyStatement: { year: number, currency: string, csv: string, months: Array<{ month: number, grossKopiykas: number, incomeTaxKopiykas: number, militaryLevyKopiykas: number, netKopiykas: number }> } };

export type ShopperProfileQueryVariables = Exact<{
  id: string | number;
}>;


export type ShopperProfileQuery = { shopper: { id: string, email: string, status: UserStatus, statusReason: string | null, emailVerified: boolean, fullName: string, phone: string, language: Language, travelRadiusKm: number, conflictDeclaration: string, createdAt: string, homeLocation: { lat: number, lon: number }, reliability: { tasksTaken: number, lateReleases: number, expired: number, score: number | null }, signals: Array<{ code: SignalCode, message: string, otherShopperIds: Array<string> }>, conflicts: Array<{ id: string, venueId: string | null, clientId: string | null, employer: string | null, name: string | null, createdAt: string }>, visits: { totalCount: number, edges: Array<{ node: { id: string, state: VisitState, waveName: string, venueName: string, checkedInAt: string, score: number | null } }> } } };

export type StaffClientsQueryVariables = Exact<{ [key: string]: never; }>;


export type StaffClientsQuery = { clients: { edges: Array<{ node: { id: string, name: string } }> } };

export type StaffMeQueryVariables = Exact<{ [key: string]: never; }>;


export type StaffMeQuery = { me: { id: string, email: string, role: Role } };

export type StaffUsersQueryVariables = Exact<{
  search?: string | null | undefined;
  role?: Role | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type StaffUsersQuery = { users: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, email: string, role: Role, status: UserStatus, statusReason: string | null, emailVerified: boolean, createdAt: string } }> } };

export type UnassignTaskMutationVariables = Exact<{
  taskId: string | number;
  reason: string;
}>;


export type UnassignTaskMutation = { unassignTask: { id: string, state: TaskState } };

export type UpdateChecklistDraftMutationVariables = Exact<{
  versionId: string | number;
  definition: unknown;
}>;


export type UpdateChecklistDraftMutation = { updateChecklistDraft: { id: string, status: VersionStatus } };

export type UpdateVenueMutationVariables = Exact<{
  id: string | number;
  input: VenueUpdateInput;
}>;


export type UpdateVenueMutation = { updateVenue: { id: string, updatedAt: string } };

export type VenueListQueryVariables = Exact<{
  clientId?: string | number | null | undefined;
  oblast?: string | null | undefined;
  type?: string | null | undefined;
  search?: string | null | undefined;
  active?: boolean | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type VenueListQuery = { venues: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, externalCode: string, name: string, type: string, address: string, oblast: string, hromada: string, city: string, geofenceM: number, active: boolean, location: { lat: number, lon: number }, client: { name: string } } }> } };

export type VenuePageQueryVariables = Exact<{
  id: string | number;
}>;


export type VenuePageQuery = { venue: { id: string, externalCode: string, name: string, type: string, address: string, oblast: string, raion: string, hromada: string, city: string, geofenceM: number, timeZone: string, sizeClass: string | null, active: boolean, updatedAt: string, location: { lat: number, lon: number }, openingHours: Array<{ weekday: Weekday, opens: string, closes: string }>, client: { id: string, name: string } } };

export type VisitForClientQueryVariables = Exact<{
  id: string | number;
}>;


export type VisitForClientQuery = { visit: { id: string, waveId: string, waveName: string, venueName: string, checkedInAt: string, durationMinutes: number | null, decidedAt: string | null, score: number | null, answers: unknown, brief: { checklist: { definition: unknown } }, photos: Array<{ id: string, questionCode: string | null, displayUrl: string, thumbnailUrl: string }> } };

export type VisitForReviewQueryVariables = Exact<{
  id: string | number;
}>;


export type VisitForReviewQuery = { visit: { id: string, state: VisitState, waveId: string, waveName: string, venueId: string, venueName: string, geofenceM: number, shopperId: string | null, shopperName: string | null, checkedInAt: string, checkedInServerAt: string, durationMinutes: number | null, submittedAt: string | null, decidedAt: string | null, score: number | null, answers: unknown, venueLocation: { lat: number, lon: number }, brief: { checklist: { definition: unknown } }, checkInAttempts: Array<{ id: string, accuracyM: number, mockLocation: boolean, deviceTime: string, position: { lat: number, lon: number }, verdict: { distanceM: number, passed: boolean, reasons: Array<string> } | null }>, checkOut: { accuracyM: number, deviceTime: string, position: { lat: number, lon: number } } | null, photos: Array<{ id: string, questionCode: string | null, kind: PhotoKind, receiptKopiykas: number | null, gpsVerdict: Verdict, gpsNote: string | null, timeVerdict: Verdict, timeNote: string, source: PhotoSource, duplicateOf: string | null, displayUrl: string, thumbnailUrl: string, originalUrl: string | null, capture: { accuracyM: number, takenAt: string, exifDisagrees: string | null, position: { lat: number, lon: number } } | null, exif: { takenAt: string | null, make: string | null, model: string | null, position: { lat: number, lon: number } | null } | null }>, flags: Array<{ code: FlagCode, severity: Severity, message: string, otherVisitId: string | null }>, shopperSignals: Array<{ code: SignalCode, message: string }>, history: Array<{ action: string, actorId: string | null, reason: string | null, at: string, comments: Array<{ questionCode: string, comment: string }> }> } };

export type WaveFormDataQueryVariables = Exact<{ [key: string]: never; }>;


export type WaveFormDataQuery = { clients: { edges: Array<{ node: { id: string, name: string } }> }, checklists: { edges: Array<{ node: { id: string, name: string, client: { id: string }, versions: Array<{ id: string, version: number, status: VersionStatus }> } }> } };

export type WaveListQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type WaveListQuery = { waves: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, status: WaveStatus, startsOn: string, endsOn: string, feeKopiykas: number, visitsPerVenue: number, closeReason: string | null, client: { id: string, name: string }, progress: { total: number, byState: Array<{ state: TaskState, count: number }>, byRegion: Array<{ oblast: string, total: number, byState: Array<{ state: TaskState, count: number }> }> } } }> } };

export type WaveResultsQueryVariables = Exact<{
  waveId: string | number;
  after?: string | null | undefined;
}>;


export type WaveResultsQuery = { waveResults: { visits: number, meanScore: number | null, exportPath: string, wave: { id: string, name: string, startsOn: string, endsOn: string, client: { id: string, name: string } }, byRegion: Array<{ oblast: string, venues: number, visits: number, meanScore: number | null }>, byVenue: Array<{ venueId: string, externalCode: string, name: string, oblast: string, city: string, visits: number, meanScore: number | null, minScore: number | null, maxScore: number | null, location: { lat: number, lon: number } }>, questions: Array<{ code: string, sectionTitle: string, title: string, titleEn: string | null, type: string, shown: number, answered: number, notApplicable: number, meanScore: number | null, yesShare: number | null, meanValue: number | null, options: Array<{ code: string, label: string, labelEn: string | null, count: number }> }>, approvedVisits: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, venueName: string, checkedInAt: string, decidedAt: string | null, score: number | null } }> } } };

export type WaveTasksQueryVariables = Exact<{
  id: string | number;
  state?: TaskState | null | undefined;
}>;


export type WaveTasksQuery = { wave: { id: string, tasks: { totalCount: number, edges: Array<{ node: { id: string, state: TaskState, visitNumber: number, shopperId: string | null, deadlineAt: string | null, venue: { id: string, name: string, oblast: string, city: string, location: { lat: number, lon: number } } } }> } } };

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
export const CatiCaseFieldsFragmentDoc = new TypedDocumentString(`
    fragment CatiCaseFields on CatiCase {
  id
  callId
  studyId
  source
  centerName
  centerAddress
  oblast
  service
  respondentName
  phoneMasked
  timeZone
  localTime
  attempts
  lastOutcome
  appointmentAt
  appointmentLocal
  open
  answers {
    service
    premises
    staff
    waiting
    result
    recommend
    comment
  }
  answersSavedAt
  leaseUntil
  history {
    id
    number
    startedAt
    endedAt
    outcome
    aaporCode
    abandoned
    appointmentAt
    note
  }
  services {
    code
    nameUk
    nameEn
  }
}
    `, {"fragmentName":"CatiCaseFields"}) as unknown as TypedDocumentString<CatiCaseFieldsFragment, unknown>;
export const ApiKeysDocument = new TypedDocumentString(`
    query ApiKeys($includeInactive: Boolean!, $first: Int, $after: String) {
  apiKeys(includeInactive: $includeInactive, first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        name
        prefix
        scopes
        clientId
        clientName
        oblast
        createdAt
        expiresAt
        lastUsedAt
        revokedAt
        rotatedFrom
        status
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ApiKeysQuery, ApiKeysQueryVariables>;
export const ApprovePayoutBatchDocument = new TypedDocumentString(`
    mutation ApprovePayoutBatch($id: ID!) {
  approvePayoutBatch(id: $id) {
    id
    state
  }
}
    `) as unknown as TypedDocumentString<ApprovePayoutBatchMutation, ApprovePayoutBatchMutationVariables>;
export const AssignTaskDocument = new TypedDocumentString(`
    mutation AssignTask($taskId: ID!, $shopperId: ID!, $reason: String!, $overrideReason: String) {
  assignTask(
    taskId: $taskId
    shopperId: $shopperId
    reason: $reason
    overrideReason: $overrideReason
  ) {
    id
    state
    shopperId
  }
}
    `) as unknown as TypedDocumentString<AssignTaskMutation, AssignTaskMutationVariables>;
export const AssignableShoppersDocument = new TypedDocumentString(`
    query AssignableShoppers {
  shoppers(status: ACTIVE, first: 100) {
    totalCount
    edges {
      node {
        id
        fullName
        email
        homeLocation {
          lat
          lon
        }
        travelRadiusKm
        reliability {
          score
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AssignableShoppersQuery, AssignableShoppersQueryVariables>;
export const AutoAssignDocument = new TypedDocumentString(`
    mutation AutoAssign($waveId: ID!, $commit: Boolean!) {
  autoAssignWave(waveId: $waveId, commit: $commit) {
    proposals {
      taskId
      shopperId
      venueName
      distanceM
    }
    unassignable {
      taskId
      venueName
      reason
    }
    totalKm
    committed
    notCommitted {
      taskId
      venueName
      reason
    }
  }
}
    `) as unknown as TypedDocumentString<AutoAssignMutation, AutoAssignMutationVariables>;
export const CancelPayoutBatchDocument = new TypedDocumentString(`
    mutation CancelPayoutBatch($id: ID!, $reason: String!) {
  cancelPayoutBatch(id: $id, reason: $reason) {
    id
    state
  }
}
    `) as unknown as TypedDocumentString<CancelPayoutBatchMutation, CancelPayoutBatchMutationVariables>;
export const CatiBoardDocument = new TypedDocumentString(`
    query CatiBoard($studyId: ID!) {
  catiBoard(studyId: $studyId) {
    at
    inSample
    open
    neverCalled
    study {
      id
      name
      status
      seed
      eligible
      drawn
      strata
    }
    live {
      operatorId
      operator
      caseId
      centerName
      phoneMasked
      startedAt
      seconds
      lapsed
    }
    operators {
      operatorId
      operator
      calls
      completes
      completesLastHour
      hours
      completesPerHour
    }
    outcomes {
      outcome
      aaporCode
      category
      finalOutcome
      calls
    }
    quotas {
      stratum
      label
      sample
      target
      completes
    }
    appointmentsDue {
      caseId
      centerName
      at
      phoneMasked
    }
    rates {
      level
      key
      label
      cases
      i
      p
      r
      nc
      o
      uh
      uo
      ne
      rr1
      coop1
      ref1
      con1
    }
  }
}
    `) as unknown as TypedDocumentString<CatiBoardQuery, CatiBoardQueryVariables>;
export const CatiOpenStudiesDocument = new TypedDocumentString(`
    query CatiOpenStudies {
  catiOpenStudies {
    id
    name
    from
    to
  }
}
    `) as unknown as TypedDocumentString<CatiOpenStudiesQuery, CatiOpenStudiesQueryVariables>;
export const CatiOperatorsDocument = new TypedDocumentString(`
    query CatiOperators {
  catiOperators {
    id
    email
    convertsRefusals
  }
}
    `) as unknown as TypedDocumentString<CatiOperatorsQuery, CatiOperatorsQueryVariables>;
export const CatiStudiesDocument = new TypedDocumentString(`
    query CatiStudies($clientId: ID!) {
  catiStudies(clientId: $clientId) {
    id
    name
    from
    to
    strata
    status
    seed
    eligible
    drawn
    drawnAt
  }
}
    `) as unknown as TypedDocumentString<CatiStudiesQuery, CatiStudiesQueryVariables>;
export const ChecklistListDocument = new TypedDocumentString(`
    query ChecklistList {
  checklists(first: 100) {
    edges {
      node {
        id
        name
        client {
          id
          name
        }
        versions {
          id
          version
          status
          questionCount
          publishedAt
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ChecklistListQuery, ChecklistListQueryVariables>;
export const ChecklistVersionForEditDocument = new TypedDocumentString(`
    query ChecklistVersionForEdit($id: ID!) {
  checklistVersion(id: $id) {
    id
    checklistId
    version
    status
    definition
  }
}
    `) as unknown as TypedDocumentString<ChecklistVersionForEditQuery, ChecklistVersionForEditQueryVariables>;
export const CloseCatiStudyDocument = new TypedDocumentString(`
    mutation CloseCatiStudy($studyId: ID!) {
  closeCatiStudy(studyId: $studyId) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<CloseCatiStudyMutation, CloseCatiStudyMutationVariables>;
export const CloseWaveDocument = new TypedDocumentString(`
    mutation CloseWave($id: ID!, $reason: String!) {
  closeWave(id: $id, reason: $reason) {
    tasksCancelled
  }
}
    `) as unknown as TypedDocumentString<CloseWaveMutation, CloseWaveMutationVariables>;
export const ConsoleLoginDocument = new TypedDocumentString(`
    mutation ConsoleLogin($email: String!, $password: String!) {
  login(email: $email, password: $password) {
    token
  }
}
    `) as unknown as TypedDocumentString<ConsoleLoginMutation, ConsoleLoginMutationVariables>;
export const CountFeedbackDocument = new TypedDocumentString(`
    mutation CountFeedback($id: ID!, $counted: Boolean!) {
  countFeedback(id: $id, counted: $counted) {
    id
    counted
  }
}
    `) as unknown as TypedDocumentString<CountFeedbackMutation, CountFeedbackMutationVariables>;
export const CreateApiKeyDocument = new TypedDocumentString(`
    mutation CreateApiKey($input: CreateApiKeyInput!) {
  createApiKey(input: $input) {
    secret
    key {
      id
      name
      prefix
    }
  }
}
    `) as unknown as TypedDocumentString<CreateApiKeyMutation, CreateApiKeyMutationVariables>;
export const CreateCatiStudyDocument = new TypedDocumentString(`
    mutation CreateCatiStudy($input: CatiStudyInput!) {
  createCatiStudy(input: $input) {
    id
    name
    status
  }
}
    `) as unknown as TypedDocumentString<CreateCatiStudyMutation, CreateCatiStudyMutationVariables>;
export const CreateChecklistDocument = new TypedDocumentString(`
    mutation CreateChecklist($clientId: ID!, $name: String!, $definition: JSON!) {
  createChecklist(clientId: $clientId, name: $name, definition: $definition) {
    id
    versions {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<CreateChecklistMutation, CreateChecklistMutationVariables>;
export const CreateChecklistDraftDocument = new TypedDocumentString(`
    mutation CreateChecklistDraft($checklistId: ID!) {
  createChecklistDraft(checklistId: $checklistId) {
    id
  }
}
    `) as unknown as TypedDocumentString<CreateChecklistDraftMutation, CreateChecklistDraftMutationVariables>;
export const CreatePayoutBatchDocument = new TypedDocumentString(`
    mutation CreatePayoutBatch($periodFrom: String!, $periodTo: String!, $idempotencyKey: String) {
  createPayoutBatch(
    periodFrom: $periodFrom
    periodTo: $periodTo
    idempotencyKey: $idempotencyKey
  ) {
    batch {
      id
      state
      lineCount
      netKopiykas
    }
    skipped {
      shopperId
      shopperName
      availableKopiykas
      reason
    }
  }
}
    `) as unknown as TypedDocumentString<CreatePayoutBatchMutation, CreatePayoutBatchMutationVariables>;
export const CreateWaveDocument = new TypedDocumentString(`
    mutation CreateWave($clientId: ID!, $input: WaveInput!) {
  createWave(clientId: $clientId, input: $input) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<CreateWaveMutation, CreateWaveMutationVariables>;
export const DrawCatiSampleDocument = new TypedDocumentString(`
    mutation DrawCatiSample($studyId: ID!, $seed: String) {
  drawCatiSample(studyId: $studyId, seed: $seed) {
    study {
      id
      status
      seed
      eligible
      drawn
    }
    strata {
      stratum
      eligible
      drawn
    }
  }
}
    `) as unknown as TypedDocumentString<DrawCatiSampleMutation, DrawCatiSampleMutationVariables>;
export const ExtendWaveDocument = new TypedDocumentString(`
    mutation ExtendWave($id: ID!, $endsOn: String!) {
  extendWave(id: $id, endsOn: $endsOn) {
    id
    endsOn
  }
}
    `) as unknown as TypedDocumentString<ExtendWaveMutation, ExtendWaveMutationVariables>;
export const FeedbackBurstsDocument = new TypedDocumentString(`
    query FeedbackBursts {
  feedbackBursts(hours: 168) {
    venueId
    venueName
    from
    to
    responses
    suspicious
    usualPer10Minutes
  }
}
    `) as unknown as TypedDocumentString<FeedbackBurstsQuery, FeedbackBurstsQueryVariables>;
export const FeedbackCodeDocument = new TypedDocumentString(`
    query FeedbackCode($venueId: ID!) {
  feedbackCode(venueId: $venueId) {
    link
    createdAt
    posterPath
    posterPdfPath
    qrPngPath
  }
}
    `) as unknown as TypedDocumentString<FeedbackCodeQuery, FeedbackCodeQueryVariables>;
export const FeedbackResponsesDocument = new TypedDocumentString(`
    query FeedbackResponses($venueId: ID, $moderation: Moderation, $suspicious: Boolean, $first: Int, $after: String) {
  feedbackResponses(
    venueId: $venueId
    moderation: $moderation
    suspicious: $suspicious
    first: $first
    after: $after
  ) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        venueName
        channel
        serviceCode
        premises
        staff
        waiting
        result
        recommend
        comment
        commentMasked
        masked
        contactName
        contactPhone
        contactEmail
        riskScore
        riskReasons
        counted
        moderation
        createdAt
      }
    }
  }
}
    `) as unknown as TypedDocumentString<FeedbackResponsesQuery, FeedbackResponsesQueryVariables>;
export const HoldCatiCaseDocument = new TypedDocumentString(`
    mutation HoldCatiCase($callId: ID!) {
  holdCatiCase(callId: $callId)
}
    `) as unknown as TypedDocumentString<HoldCatiCaseMutation, HoldCatiCaseMutationVariables>;
export const ImportCatiContactsDocument = new TypedDocumentString(`
    mutation ImportCatiContacts($studyId: ID!, $file: Upload!) {
  importCatiContacts(studyId: $studyId, file: $file) {
    added
    repeated
    refused {
      row
      field
      message
    }
  }
}
    `) as unknown as TypedDocumentString<ImportCatiContactsMutation, ImportCatiContactsMutationVariables>;
export const ImportPayoutStatusDocument = new TypedDocumentString(`
    mutation ImportPayoutStatus($batchId: ID!, $file: Upload!) {
  importPayoutStatus(batchId: $batchId, file: $file) {
    paid
    failed
  }
}
    `) as unknown as TypedDocumentString<ImportPayoutStatusMutation, ImportPayoutStatusMutationVariables>;
export const ImportServiceEventsDocument = new TypedDocumentString(`
    mutation ImportServiceEvents($clientId: ID!, $file: Upload!) {
  importServiceEvents(clientId: $clientId, file: $file) {
    accepted
    duplicates
    refused
    results {
      index
      externalId
      status
      errors {
        field
        code
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ImportServiceEventsMutation, ImportServiceEventsMutationVariables>;
export const ImportVenuesDocument = new TypedDocumentString(`
    mutation ImportVenues($clientId: ID!, $file: Upload!, $format: VenueFileFormat, $mapping: VenueColumnMappingInput, $defaultType: String, $dryRun: Boolean!) {
  importVenues(
    clientId: $clientId
    file: $file
    format: $format
    mapping: $mapping
    defaultType: $defaultType
    dryRun: $dryRun
  ) {
    dryRun
    applied
    rowsRead
    created
    updated
    unchanged
    errors {
      row
      column
      message
    }
  }
}
    `) as unknown as TypedDocumentString<ImportVenuesMutation, ImportVenuesMutationVariables>;
export const InvitationFunnelDocument = new TypedDocumentString(`
    query InvitationFunnel($clientId: ID!, $from: NaiveDate!, $to: NaiveDate!, $oblast: String) {
  invitationFunnel(clientId: $clientId, from: $from, to: $to, oblast: $oblast) {
    reported
    withPhone
    invited
    sent
    delivered
    read
    opened
    answered
    responseRate
    segments
    skipped {
      reason
      count
    }
    failed {
      reason
      count
    }
    days {
      day
      sent
      segments
    }
    dailyBudget
    optedOut
    provider {
      name
      waiting
      retrying
      lastAcceptedAt
      failedLastDay
      lastError
    }
  }
}
    `) as unknown as TypedDocumentString<InvitationFunnelQuery, InvitationFunnelQueryVariables>;
export const InvitationPolicyDocument = new TypedDocumentString(`
    query InvitationPolicy($clientId: ID!) {
  invitationPolicy(clientId: $clientId) {
    share
    cooldownDays
    delayMinutes
    windowStart
    windowEnd
    maxWaitHours
    dailyBudget
  }
}
    `) as unknown as TypedDocumentString<InvitationPolicyQuery, InvitationPolicyQueryVariables>;
export const InviteStaffDocument = new TypedDocumentString(`
    mutation InviteStaff($email: String!, $role: Role!, $clientId: ID) {
  inviteStaff(email: $email, role: $role, clientId: $clientId) {
    id
    email
    role
  }
}
    `) as unknown as TypedDocumentString<InviteStaffMutation, InviteStaffMutationVariables>;
export const LaunchWaveDocument = new TypedDocumentString(`
    mutation LaunchWave($id: ID!) {
  launchWave(id: $id) {
    tasksCreated
  }
}
    `) as unknown as TypedDocumentString<LaunchWaveMutation, LaunchWaveMutationVariables>;
export const LedgerTotalsDocument = new TypedDocumentString(`
    query LedgerTotals($from: String!, $to: String!, $byWave: Boolean!) {
  ledgerTotals(from: $from, to: $to, byWave: $byWave) {
    waveId
    kind
    transactions
    amountKopiykas
  }
}
    `) as unknown as TypedDocumentString<LedgerTotalsQuery, LedgerTotalsQueryVariables>;
export const ModerateFeedbackDocument = new TypedDocumentString(`
    mutation ModerateFeedback($id: ID!, $publish: Boolean!) {
  moderateFeedback(id: $id, publish: $publish) {
    id
    moderation
  }
}
    `) as unknown as TypedDocumentString<ModerateFeedbackMutation, ModerateFeedbackMutationVariables>;
export const MyCatiCaseDocument = new TypedDocumentString(`
    query MyCatiCase {
  myCatiCase {
    ...CatiCaseFields
  }
}
    fragment CatiCaseFields on CatiCase {
  id
  callId
  studyId
  source
  centerName
  centerAddress
  oblast
  service
  respondentName
  phoneMasked
  timeZone
  localTime
  attempts
  lastOutcome
  appointmentAt
  appointmentLocal
  open
  answers {
    service
    premises
    staff
    waiting
    result
    recommend
    comment
  }
  answersSavedAt
  leaseUntil
  history {
    id
    number
    startedAt
    endedAt
    outcome
    aaporCode
    abandoned
    appointmentAt
    note
  }
  services {
    code
    nameUk
    nameEn
  }
}`) as unknown as TypedDocumentString<MyCatiCaseQuery, MyCatiCaseQueryVariables>;
export const NextCatiCaseDocument = new TypedDocumentString(`
    mutation NextCatiCase($studyId: ID!) {
  nextCatiCase(studyId: $studyId) {
    ...CatiCaseFields
  }
}
    fragment CatiCaseFields on CatiCase {
  id
  callId
  studyId
  source
  centerName
  centerAddress
  oblast
  service
  respondentName
  phoneMasked
  timeZone
  localTime
  attempts
  lastOutcome
  appointmentAt
  appointmentLocal
  open
  answers {
    service
    premises
    staff
    waiting
    result
    recommend
    comment
  }
  answersSavedAt
  leaseUntil
  history {
    id
    number
    startedAt
    endedAt
    outcome
    aaporCode
    abandoned
    appointmentAt
    note
  }
  services {
    code
    nameUk
    nameEn
  }
}`) as unknown as TypedDocumentString<NextCatiCaseMutation, NextCatiCaseMutationVariables>;
export const OfferTaskDocument = new TypedDocumentString(`
    mutation OfferTask($taskId: ID!, $shopperId: ID!, $reason: String!, $acceptWithinHours: Int!) {
  offerTask(
    taskId: $taskId
    shopperId: $shopperId
    reason: $reason
    acceptWithinHours: $acceptWithinHours
  ) {
    id
    state
    shopperId
  }
}
    `) as unknown as TypedDocumentString<OfferTaskMutation, OfferTaskMutationVariables>;
export const PauseWaveDocument = new TypedDocumentString(`
    mutation PauseWave($id: ID!) {
  pauseWave(id: $id) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<PauseWaveMutation, PauseWaveMutationVariables>;
export const PayoutBatchesDocument = new TypedDocumentString(`
    query PayoutBatches($first: Int, $after: String) {
  payoutBatches(first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        periodFrom
        periodTo
        state
        lineCount
        grossKopiykas
        withheldKopiykas
        netKopiykas
        createdBy
        createdAt
        decidedBy
        decidedAt
        cancelReason
        csv: exportPath(format: CSV)
        pain09: exportPath(format: PAIN_00100109)
        pain03: exportPath(format: PAIN_00100103)
      }
    }
  }
  ledgerCheck {
    ok
    accounts
    transactions
    totalKopiykas
  }
}
    `) as unknown as TypedDocumentString<PayoutBatchesQuery, PayoutBatchesQueryVariables>;
export const PayoutLinesDocument = new TypedDocumentString(`
    query PayoutLines($id: ID!, $first: Int, $after: String) {
  payoutBatch(id: $id) {
    id
    lines(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          seq
          accountHolder
          iban
          grossKopiykas
          incomeTaxKopiykas
          militaryLevyKopiykas
          netKopiykas
          state
          failureReason
          endToEndId
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<PayoutLinesQuery, PayoutLinesQueryVariables>;
export const PreviewChecklistScoreDocument = new TypedDocumentString(`
    query PreviewChecklistScore($versionId: ID!, $answers: JSON!) {
  previewChecklistScore(versionId: $versionId, answers: $answers) {
    score
    visibleQuestions
  }
}
    `) as unknown as TypedDocumentString<PreviewChecklistScoreQuery, PreviewChecklistScoreQueryVariables>;
export const PublishChecklistVersionDocument = new TypedDocumentString(`
    mutation PublishChecklistVersion($versionId: ID!) {
  publishChecklistVersion(versionId: $versionId) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<PublishChecklistVersionMutation, PublishChecklistVersionMutationVariables>;
export const QualityIndexDocument = new TypedDocumentString(`
    query QualityIndex($clientId: ID!, $period: String, $oblast: String, $first: Int, $after: String) {
  qualityIndex(
    clientId: $clientId
    period: $period
    oblast: $oblast
    first: $first
    after: $after
  ) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        venueId
        name
        oblast
        sizeClass
        responses
        visits
        rank
        rankOf
        headline {
          value
          low
          high
        }
        ratings {
          n
          estimate {
            value
          }
        }
        loyalty {
          n
          estimate {
            value
          }
        }
        mystery {
          n
          estimate {
            value
          }
        }
      }
    }
  }
  qualityPeriods(clientId: $clientId)
}
    `) as unknown as TypedDocumentString<QualityIndexQuery, QualityIndexQueryVariables>;
export const RecordCatiOutcomeDocument = new TypedDocumentString(`
    mutation RecordCatiOutcome($callId: ID!, $outcome: CatiOutcome!, $appointmentAt: String, $answers: CatiAnswersInput, $note: String) {
  recordCatiOutcome(
    callId: $callId
    outcome: $outcome
    appointmentAt: $appointmentAt
    answers: $answers
    note: $note
  ) {
    ...CatiCaseFields
  }
}
    fragment CatiCaseFields on CatiCase {
  id
  callId
  studyId
  source
  centerName
  centerAddress
  oblast
  service
  respondentName
  phoneMasked
  timeZone
  localTime
  attempts
  lastOutcome
  appointmentAt
  appointmentLocal
  open
  answers {
    service
    premises
    staff
    waiting
    result
    recommend
    comment
  }
  answersSavedAt
  leaseUntil
  history {
    id
    number
    startedAt
    endedAt
    outcome
    aaporCode
    abandoned
    appointmentAt
    note
  }
  services {
    code
    nameUk
    nameEn
  }
}`) as unknown as TypedDocumentString<RecordCatiOutcomeMutation, RecordCatiOutcomeMutationVariables>;
export const ResultWavesDocument = new TypedDocumentString(`
    query ResultWaves {
  waves(first: 30) {
    edges {
      node {
        id
        name
        status
        startsOn
        endsOn
        client {
          id
          name
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ResultWavesQuery, ResultWavesQueryVariables>;
export const ResumeWaveDocument = new TypedDocumentString(`
    mutation ResumeWave($id: ID!) {
  resumeWave(id: $id) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<ResumeWaveMutation, ResumeWaveMutationVariables>;
export const RevealCatiPhoneDocument = new TypedDocumentString(`
    mutation RevealCatiPhone($callId: ID!) {
  revealCatiPhone(callId: $callId)
}
    `) as unknown as TypedDocumentString<RevealCatiPhoneMutation, RevealCatiPhoneMutationVariables>;
export const ReviewQueueDocument = new TypedDocumentString(`
    query ReviewQueue($waveId: ID, $oblast: String, $flag: FlagCode, $minAgeHours: Int, $state: VisitState, $first: Int, $after: String) {
  reviewQueue(
    waveId: $waveId
    oblast: $oblast
    flag: $flag
    minAgeHours: $minAgeHours
    state: $state
    first: $first
    after: $after
  ) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        state
        waveName
        venueName
        submittedAt
        score
        flags {
          code
          severity
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ReviewQueueQuery, ReviewQueueQueryVariables>;
export const ReviewVisitDocument = new TypedDocumentString(`
    mutation ReviewVisit($visitId: ID!, $decision: Decision!, $reason: String, $comments: [ReviewCommentInput!]) {
  reviewVisit(
    visitId: $visitId
    decision: $decision
    reason: $reason
    comments: $comments
  ) {
    id
    state
    decidedAt
  }
}
    `) as unknown as TypedDocumentString<ReviewVisitMutation, ReviewVisitMutationVariables>;
export const ReviewWavesDocument = new TypedDocumentString(`
    query ReviewWaves {
  waves(first: 100) {
    edges {
      node {
        id
        name
        status
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ReviewWavesQuery, ReviewWavesQueryVariables>;
export const RevokeApiKeyDocument = new TypedDocumentString(`
    mutation RevokeApiKey($id: ID!) {
  revokeApiKey(id: $id) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<RevokeApiKeyMutation, RevokeApiKeyMutationVariables>;
export const RotateApiKeyDocument = new TypedDocumentString(`
    mutation RotateApiKey($id: ID!, $graceHours: Int!) {
  rotateApiKey(id: $id, graceHours: $graceHours) {
    secret
    key {
      id
      name
      prefix
    }
  }
}
    `) as unknown as TypedDocumentString<RotateApiKeyMutation, RotateApiKeyMutationVariables>;
export const RotateFeedbackCodeDocument = new TypedDocumentString(`
    mutation RotateFeedbackCode($venueId: ID!) {
  rotateFeedbackCode(venueId: $venueId) {
    link
    createdAt
    posterPath
    posterPdfPath
    qrPngPath
  }
}
    `) as unknown as TypedDocumentString<RotateFeedbackCodeMutation, RotateFeedbackCodeMutationVariables>;
export const SaveCatiAnswersDocument = new TypedDocumentString(`
    mutation SaveCatiAnswers($callId: ID!, $answers: CatiAnswersInput!) {
  saveCatiAnswers(callId: $callId, answers: $answers)
}
    `) as unknown as TypedDocumentString<SaveCatiAnswersMutation, SaveCatiAnswersMutationVariables>;
export const SaveServiceDocument = new TypedDocumentString(`
    mutation SaveService($input: ServiceInput!) {
  saveService(input: $input) {
    code
    active
  }
}
    `) as unknown as TypedDocumentString<SaveServiceMutation, SaveServiceMutationVariables>;
export const ScoreTrendDocument = new TypedDocumentString(`
    query ScoreTrend($clientId: ID!, $venueId: ID) {
  scoreTrend(clientId: $clientId, venueId: $venueId) {
    waveId
    waveName
    startsOn
    visits
    meanScore
    regions {
      oblast
      visits
      meanScore
    }
  }
}
    `) as unknown as TypedDocumentString<ScoreTrendQuery, ScoreTrendQueryVariables>;
export const ServiceCatalogueDocument = new TypedDocumentString(`
    query ServiceCatalogue($venueType: String!) {
  serviceCatalogue(venueType: $venueType, includeHidden: true) {
    code
    nameUk
    nameEn
    position
    active
  }
}
    `) as unknown as TypedDocumentString<ServiceCatalogueQuery, ServiceCatalogueQueryVariables>;
export const ServiceEventsDocument = new TypedDocumentString(`
    query ServiceEvents($clientId: ID!, $first: Int, $after: String) {
  serviceEvents(clientId: $clientId, first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        externalId
        centerName
        service
        completedAt
        phoneMasked
        messenger
        consent
        source
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ServiceEventsQuery, ServiceEventsQueryVariables>;
export const SetInvitationPolicyDocument = new TypedDocumentString(`
    mutation SetInvitationPolicy($clientId: ID!, $input: InvitationPolicyInput!) {
  setInvitationPolicy(clientId: $clientId, input: $input) {
    share
    cooldownDays
    delayMinutes
    windowStart
    windowEnd
    maxWaitHours
    dailyBudget
  }
}
    `) as unknown as TypedDocumentString<SetInvitationPolicyMutation, SetInvitationPolicyMutationVariables>;
export const SetOperatorConvertsRefusalsDocument = new TypedDocumentString(`
    mutation SetOperatorConvertsRefusals($userId: ID!, $converts: Boolean!) {
  setOperatorConvertsRefusals(userId: $userId, converts: $converts)
}
    `) as unknown as TypedDocumentString<SetOperatorConvertsRefusalsMutation, SetOperatorConvertsRefusalsMutationVariables>;
export const SetShopperStatusDocument = new TypedDocumentString(`
    mutation SetShopperStatus($shopperId: ID!, $status: UserStatus!, $reason: String) {
  setShopperStatus(shopperId: $shopperId, status: $status, reason: $reason) {
    id
    status
    statusReason
  }
}
    `) as unknown as TypedDocumentString<SetShopperStatusMutation, SetShopperStatusMutationVariables>;
export const SetUserStatusDocument = new TypedDocumentString(`
    mutation SetUserStatus($userId: ID!, $status: UserStatus!, $reason: String) {
  setUserStatus(userId: $userId, status: $status, reason: $reason) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<SetUserStatusMutation, SetUserStatusMutationVariables>;
export const SettlePayoutLineDocument = new TypedDocumentString(`
    mutation SettlePayoutLine($lineId: ID!, $outcome: Settlement!, $reason: String) {
  settlePayoutLine(lineId: $lineId, outcome: $outcome, reason: $reason) {
    id
    state
  }
}
    `) as unknown as TypedDocumentString<SettlePayoutLineMutation, SettlePayoutLineMutationVariables>;
export const ShopperListDocument = new TypedDocumentString(`
    query ShopperList($search: String, $status: UserStatus, $first: Int, $after: String) {
  shoppers(search: $search, status: $status, first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        email
        fullName
        phone
        status
        emailVerified
        reliability {
          score
          tasksTaken
        }
        signals {
          code
        }
        createdAt
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ShopperListQuery, ShopperListQueryVariables>;
export const ShopperMoneyDocument = new TypedDocumentString(`
    query ShopperMoney($id: ID!, $year: Int!) {
  shopper(id: $id) {
    id
    fullName
    email
  }
  shopperEarnings(shopperId: $id) {
    currency
    balanceKopiykas
    pendingKopiykas
    availableKopiykas
    history(first: 50) {
      totalCount
      edges {
        node {
          id
          kind
          memo
          amountKopiykas
          createdAt
        }
      }
    }
  }
  yearlyStatement(shopperId: $id, year: $year) {
    year
    currency
    csv
    months {
      month
      grossKopiykas
      incomeTaxKopiykas
      militaryLevyKopiykas
      netKopiykas
    }
  }
}
    `) as unknown as TypedDocumentString<ShopperMoneyQuery, ShopperMoneyQueryVariables>;
export const ShopperProfileDocument = new TypedDocumentString(`
    query ShopperProfile($id: ID!) {
  shopper(id: $id) {
    id
    email
    status
    statusReason
    emailVerified
    fullName
    phone
    language
    homeLocation {
      lat
      lon
    }
    travelRadiusKm
    reliability {
      tasksTaken
      lateReleases
      expired
      score
    }
    signals {
      code
      message
      otherShopperIds
    }
    conflicts {
      id
      venueId
      clientId
      employer
      name
      createdAt
    }
    conflictDeclaration
    createdAt
    visits(first: 20) {
      totalCount
      edges {
        node {
          id
          state
          waveName
          venueName
          checkedInAt
          score
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ShopperProfileQuery, ShopperProfileQueryVariables>;
export const StaffClientsDocument = new TypedDocumentString(`
    query StaffClients {
  clients(first: 100) {
    edges {
      node {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<StaffClientsQuery, StaffClientsQueryVariables>;
export const StaffMeDocument = new TypedDocumentString(`
    query StaffMe {
  me {
    id
    email
    role
  }
}
    `) as unknown as TypedDocumentString<StaffMeQuery, StaffMeQueryVariables>;
export const StaffUsersDocument = new TypedDocumentString(`
    query StaffUsers($search: String, $role: Role, $first: Int, $after: String) {
  users(search: $search, role: $role, first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        email
        role
        status
        statusReason
        emailVerified
        createdAt
      }
    }
  }
}
    `) as unknown as TypedDocumentString<StaffUsersQuery, StaffUsersQueryVariables>;
export const UnassignTaskDocument = new TypedDocumentString(`
    mutation UnassignTask($taskId: ID!, $reason: String!) {
  unassignTask(taskId: $taskId, reason: $reason) {
    id
    state
  }
}
    `) as unknown as TypedDocumentString<UnassignTaskMutation, UnassignTaskMutationVariables>;
export const UpdateChecklistDraftDocument = new TypedDocumentString(`
    mutation UpdateChecklistDraft($versionId: ID!, $definition: JSON!) {
  updateChecklistDraft(versionId: $versionId, definition: $definition) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<UpdateChecklistDraftMutation, UpdateChecklistDraftMutationVariables>;
export const UpdateVenueDocument = new TypedDocumentString(`
    mutation UpdateVenue($id: ID!, $input: VenueUpdateInput!) {
  updateVenue(id: $id, input: $input) {
    id
    updatedAt
  }
}
    `) as unknown as TypedDocumentString<UpdateVenueMutation, UpdateVenueMutationVariables>;
export const VenueListDocument = new TypedDocumentString(`
    query VenueList($clientId: ID, $oblast: String, $type: String, $search: String, $active: Boolean, $first: Int, $after: String) {
  venues(
    clientId: $clientId
    oblast: $oblast
    type: $type
    search: $search
    active: $active
    first: $first
    after: $after
  ) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        externalCode
        name
        type
        address
        oblast
        hromada
        city
        location {
          lat
          lon
        }
        geofenceM
        active
        client {
          name
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<VenueListQuery, VenueListQueryVariables>;
export const VenuePageDocument = new TypedDocumentString(`
    query VenuePage($id: ID!) {
  venue(id: $id) {
    id
    externalCode
    name
    type
    address
    oblast
    raion
    hromada
    city
    location {
      lat
      lon
    }
    geofenceM
    timeZone
    sizeClass
    active
    openingHours {
      weekday
      opens
      closes
    }
    client {
      id
      name
    }
    updatedAt
  }
}
    `) as unknown as TypedDocumentString<VenuePageQuery, VenuePageQueryVariables>;
export const VisitForClientDocument = new TypedDocumentString(`
    query VisitForClient($id: ID!) {
  visit(id: $id) {
    id
    waveId
    waveName
    venueName
    checkedInAt
    durationMinutes
    decidedAt
    score
    answers
    brief {
      checklist {
        definition
      }
    }
    photos {
      id
      questionCode
      displayUrl
      thumbnailUrl
    }
  }
}
    `) as unknown as TypedDocumentString<VisitForClientQuery, VisitForClientQueryVariables>;
export const VisitForReviewDocument = new TypedDocumentString(`
    query VisitForReview($id: ID!) {
  visit(id: $id) {
    id
    state
    waveId
    waveName
    venueId
    venueName
    venueLocation {
      lat
      lon
    }
    geofenceM
    shopperId
    shopperName
    checkedInAt
    checkedInServerAt
    durationMinutes
    submittedAt
    decidedAt
    score
    answers
    brief {
      checklist {
        definition
      }
    }
    checkInAttempts {
      id
      position {
        lat
        lon
      }
      accuracyM
      mockLocation
      deviceTime
      verdict {
        distanceM
        passed
        reasons
      }
    }
    checkOut {
      position {
        lat
        lon
      }
      accuracyM
      deviceTime
    }
    photos {
      id
      questionCode
      kind
      receiptKopiykas
      gpsVerdict
      gpsNote
      timeVerdict
      timeNote
      source
      capture {
        position {
          lat
          lon
        }
        accuracyM
        takenAt
        exifDisagrees
      }
      exif {
        position {
          lat
          lon
        }
        takenAt
        make
        model
      }
      duplicateOf
      displayUrl
      thumbnailUrl
      originalUrl
    }
    flags {
      code
      severity
      message
      otherVisitId
    }
    shopperSignals {
      code
      message
    }
    history {
      action
      actorId
      reason
      comments {
        questionCode
        comment
      }
      at
    }
  }
}
    `) as unknown as TypedDocumentString<VisitForReviewQuery, VisitForReviewQueryVariables>;
export const WaveFormDataDocument = new TypedDocumentString(`
    query WaveFormData {
  clients(first: 100) {
    edges {
      node {
        id
        name
      }
    }
  }
  checklists(first: 100) {
    edges {
      node {
        id
        name
        client {
          id
        }
        versions {
          id
          version
          status
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<WaveFormDataQuery, WaveFormDataQueryVariables>;
export const WaveListDocument = new TypedDocumentString(`
    query WaveList($after: String) {
  waves(first: 30, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        name
        status
        startsOn
        endsOn
        feeKopiykas
        visitsPerVenue
        client {
          id
          name
        }
        closeReason
        progress {
          total
          byState {
            state
            count
          }
          byRegion {
            oblast
            total
            byState {
              state
              count
            }
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<WaveListQuery, WaveListQueryVariables>;
export const WaveResultsDocument = new TypedDocumentString(`
    query WaveResults($waveId: ID!, $after: String) {
  waveResults(waveId: $waveId) {
    visits
    meanScore
    exportPath
    wave {
      id
      name
      startsOn
      endsOn
      client {
        id
        name
      }
    }
    byRegion {
      oblast
      venues
      visits
      meanScore
    }
    byVenue {
      venueId
      externalCode
      name
      oblast
      city
      location {
        lat
        lon
      }
      visits
      meanScore
      minScore
      maxScore
    }
    questions {
      code
      sectionTitle
      title
      titleEn
      type
      shown
      answered
      notApplicable
      meanScore
      yesShare
      meanValue
      options {
        code
        label
        labelEn
        count
      }
    }
    approvedVisits(first: 20, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          venueName
          checkedInAt
          decidedAt
          score
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<WaveResultsQuery, WaveResultsQueryVariables>;
export const WaveTasksDocument = new TypedDocumentString(`
    query WaveTasks($id: ID!, $state: TaskState) {
  wave(id: $id) {
    id
    tasks(first: 100, state: $state) {
      totalCount
      edges {
        node {
          id
          state
          visitNumber
          shopperId
          deadlineAt
          venue {
            id
            name
            oblast
            city
            location {
              lat
              lon
            }
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<WaveTasksQuery, WaveTasksQueryVariables>;