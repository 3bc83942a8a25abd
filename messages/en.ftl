# The message catalogue, English. One entry per code (`msg!("code", …)` in the Rust source); the same codes with
# the same parameters are in uk.ftl (a unit test checks both ways, server/src/i18n.rs). Field errors are shown
# after the field's name ("Phone: …"), so they start in lower case.

## General

forbidden = You are not allowed to do this.
internal-error = Something went wrong on our side.
internal-error-with-id = internal error (request id { $request_id })
invalid-fields = { $count ->
    [one] One field is not filled in correctly.
   *[other] { $count } fields are not filled in correctly.
}
service-busy = The service is busy; please try again in a moment.
not-found = { $what ->
    [client] Client not found.
    [wave] Wave not found.
    [venue] Venue not found.
    [shopper] Shopper not found.
    [visit] Visit not found.
    [task] Task not found.
    [response] Response not found.
    [payout-batch] Payout batch not found.
    [payout-line] Payout line not found.
    [file] File not found.
    [checklist] Checklist not found.
    [checklist-version] Checklist version not found.
    [user] Account not found.
    [photo] Photo not found.
    [oblast] Oblast not found.
    [center] Center not found.
    [api-key] API key not found.
    [study] Study not found.
    [case] Case not found.
    [call] Call not found.
    [operator] Operator not found.
   *[other] Not found.
}
session-expired = Your session has expired or was revoked; please log in again.
login-needed = Please log in first.

## Text

text-empty = must not be empty
text-too-short = { $min ->
    [one] must be at least { $min } character
   *[other] must be at least { $min } characters
}
text-too-long = { $max ->
    [one] must be at most { $max } character
   *[other] must be at most { $max } characters
}
text-control-characters = must not contain control characters (found { $char })
text-bidi-characters = must not contain bidirectional formatting characters (found { $char })
text-invisible-characters = must not contain invisible characters (found { $char })

## Contacts

email-invalid = is not a valid email address
email-invisible-character = is not a valid email address (it holds the invisible character { $char })
email-domain-needs-dot = is not a valid email address (the domain needs a dot)
phone-invalid = must be in international format, e.g. +380501234567
phone-length = must be in international format, e.g. +380501234567 (8 to 15 digits)
phone-ukrainian-length = a Ukrainian number has 12 digits after +, e.g. +380501234567

## Accounts

one-of = must be one of { $allowed }
password-too-short = is too short: use at least { $min } characters
password-too-long = is too long: use at most { $max } characters
password-common = is too easy to guess: choose a longer or less common password
password-is-email = must not be your email address
signal-shared-payout-account = { $others ->
    [one] The payout account (IBAN) is also used by another shopper account.
   *[other] The payout account (IBAN) is also used by { $others } other shopper accounts.
}
signal-shared-phone = { $others ->
    [one] The phone number is also given by another shopper account.
   *[other] The phone number is also given by { $others } other shopper accounts.
}
signal-shared-device = { $others ->
    [one] The same phone was used to check in by another shopper account.
   *[other] The same phone was used to check in by { $others } other shopper accounts.
}

## Numbers, dates and places

number-range = must be a number from { $min } to { $max }
whole-number-range = must be a whole number from { $min } to { $max }
not-a-number = must be a number
km-positive = must be more than 0 km
km-at-most = must be at most { $max } km

## Venues

venue-type-code = must be a type code such as CNAP, CNAP_BRANCH, RESTAURANT, SUPERMARKET or SHOP (letters, digits, _)
metres-range = must be from { $min } to { $max } metres
size-class = must be SMALL, MEDIUM or LARGE, or empty
time-opens = must be a time such as 09:00
time-closes = must be a time such as 18:00 (24:00 for midnight)
hours-close-after-open = must close after it opens
hours-overlap = intervals overlap on { $day ->
    [MON] Monday
    [TUE] Tuesday
    [WED] Wednesday
    [THU] Thursday
    [FRI] Friday
    [SAT] Saturday
   *[SUN] Sunday
}
time-zone = is not a time zone name from the IANA database, such as Europe/Kyiv

## Citizens' feedback

feedback-level = must be one of the four levels
feedback-unknown-service = is not one of this center's services
feedback-callback-name = is needed for a call-back
feedback-callback-contact = a phone number or an e-mail is needed for a call-back
feedback-nothing-answered = rate at least one thing, or answer the last question
risk-fast-fill = filled in { $seconds } s (people need at least { $min } s)
risk-token-missing = the form's own token was missing or altered
risk-proof-of-work = the browser's proof-of-work did not verify
risk-same-address = { $others ->
    [one] { $others } other response from the same address in the last hour
   *[other] { $others } other responses from the same address in the last hour
}
risk-burst = a burst: { $responses } responses to this center in 10 minutes (usually { $usual })
risk-new-device-in-burst = a new device during a burst
risk-link = the comment carries a link
risk-held-by-later-burst = a burst against this center began within 10 minutes after it (new device)

## Waves

kopiykas-range = must be from 0 to { $max } kopiykas (100,000 UAH)
date-format = must be a date such as 2026-12-01
wave-ends-before-start = must not be before startsOn
wave-too-long = a wave lasts at most two years
bonus-steps-rise = steps must rise in days and in amount
bonus-cap-needed = set a cap above 0 when bonus steps are given

## Durations and distances (inside other messages)

duration-minutes = { $n } min
duration-hours = { $n } h
duration-days = { $n ->
    [one] { $n } day
   *[other] { $n } days
}
duration-hours-minutes = { $hours } h { $minutes } min
distance-m = { $n } m
distance-km = { $n } km

## Photos: what EXIF and the phone say

stored-text = { $text }
photo-no-exif = the photo carries no EXIF data
photo-gps-zero = the photo's GPS reads 0, 0: the camera had no fix
photo-gps-out-of-range = the photo's GPS position is out of range
photo-no-gps = the photo has no GPS position
photo-gps-stale = the GPS fix is stale: recorded { $apart } from the photo's own time
photo-no-time = the photo has no time
photo-taken-from-venue = taken { $distance } from the venue
photo-taken-before = taken { $apart } before check-in
photo-taken-after = taken { $apart } after check-out
photo-taken-during = taken during the visit
photo-note-phone-position = { $note } (the phone's position when the app took it)
photo-note-phone-clock = { $note } (the phone's clock when the app took it)
capture-gps-disagrees = its own GPS is { $apart } from where the phone was when the app took it
capture-time-disagrees = its own time is { $apart } from the phone's clock when the app took it
offset-from-exif = OffsetTimeOriginal
offset-gps-local = the venue's time zone ({ $zone }); the GPS time without a date is the camera's local time
offset-gps-matches = GPS time, matching the venue's time zone ({ $zone })
offset-gps-overruled = the venue's time zone ({ $zone }); the camera clock was { $offset } from GPS, which the place overrules
offset-from-zone = the venue's time zone ({ $zone }); the photo gives no offset
offset-gps-only = GPS date and time (the photo has no camera time)

## Visit flags (what the shopper and the reviewer read)

photo-label = Photo { $n } ({ $question })
photo-label-receipt = Photo { $n } (receipt)
conflict-with-venue = this venue
conflict-with-client = the client { $client }
conflict-with-venues-client = this venue's client
flag-outside-geofence = Checked in { $distance_m } m from the venue; the geofence is { $geofence_m } m.
flag-low-gps-accuracy = The check-in position was only accurate to { $accuracy_m } m.
flag-mock-location = The phone reported a simulated (mock) location at check-in.
flag-outside-visiting-window = The check-in was outside the venue's visiting hours.
flag-device-time-gap = The phone's check-in time and the server's differ by { $apart } (an offline visit sent later, or a wrong clock).
flag-photo-note = { $photo }: { $note }
flag-capture-mismatch = { $photo }: { $note }.
flag-capture-before-token = { $photo }: taken with the app's camera, by the phone's clock before its capture token was issued (the phone had none yet, as in a visit begun offline, or its clock is wrong), so its place and time are the phone's word alone.
flag-duplicate-photo = { $photo } is the very same file as a photo of another visit.
flag-near-duplicate-photo = { $photo } looks almost the same as a photo of another visit (difference { $distance } of 64).
flag-too-short = The visit lasted { $lasted } (at least { $expected } expected).
flag-too-long = The visit lasted { $lasted } (at most { $expected } expected).
flag-late-submission = Submitted { $hours } h after check-out (within { $expected } h expected).
flag-impossible-travel = { $km } km from the previous visit in { $took }: faster than { $max_kmh } km/h.
flag-conflict-of-interest = The shopper declared a conflict of interest with { $what } on { $date } (Kyiv time).
flag-cool-off-breached = { $days_before ->
    [0] The shopper evaluated this venue less than a day before; the wave's cool-off is { $cooloff_days } days.
   *[other] The shopper evaluated this venue { $days_before } days before; the wave's cool-off is { $cooloff_days } days.
}

## Check-in and photos (the shopper's app)

rules-max-minutes = must be more than minMinutes and at most 1440
hours-range = must be from { $min } to { $max } hours
kmh-range = must be from { $min } to { $max } km/h
checkin-too-far = You are { $distance_m } m from the venue; check in within { $geofence_m } m of it.
checkin-inaccurate = Your location is only accurate to { $accuracy_m } m (at most { $max_m } m is needed); step outside or wait for a better fix.
checkin-outside-hours = The venue is outside its visiting hours at this time.
checkin-mock-location = Your phone reports a simulated (mock) location; turn it off to check in.
checkin-offer-not-accepted = Accept the offer before checking in.
checkin-already-visited = This task already has a visit; continue it instead of checking in again.
checkin-wave-not-running = { $status ->
    [DRAFT] The wave is not launched yet; visits cannot start now.
    [PAUSED] The wave is paused; visits cannot start now.
   *[CLOSED] The wave is closed; visits cannot start now.
}
question-unknown = is not a question of this checklist
photo-not-photo-question = is not a photo question
photo-receipt-or-question = a receipt is not the answer to a question: send either questionCode or receiptKopiykas
photo-which-question = say which photo question this photo answers (or send receiptKopiykas for the receipt)
photo-capture-needed = a LIVE_CAMERA photo needs its capture (token, position and time)
photo-capture-is-live = a photo sent with a capture is LIVE_CAMERA
photo-live-camera-only = this question needs a photo taken with the app's camera, not one from the gallery
photo-visit-not-editable = { $state ->
    [SUBMITTED] The visit is submitted; photos can be added only while it is in progress or returned for correction.
    [APPROVED] The visit is approved; photos can be added only while it is in progress or returned for correction.
   *[REJECTED] The visit is rejected; photos can be added only while it is in progress or returned for correction.
}
photo-too-many = { $max ->
    [one] A visit carries at most { $max } photo.
   *[other] A visit carries at most { $max } photos.
}

## Checklists and answers

definition-shape = has the wrong shape ({ $detail })
checklist-no-sections = a checklist needs at least one section
checklist-empty-section = a section needs at least one question
checklist-duplicate-section = duplicate section code { $code }
checklist-duplicate-question = duplicate question code { $code }
checklist-duplicate-option = duplicate option code { $code }
checklist-code = must be 1–40 letters, digits or _, starting with a letter
checklist-label-uk = needs a Ukrainian text (uk)
checklist-fraction = scores are fractions from 0 to 1
checklist-scale = a scale needs min < max (at most 100 steps), e.g. 1–5 or 1–10
checklist-two-options = a choice needs at least two options
checklist-max-above-min = must be more than min
checklist-bands-rise = bands must rise
checklist-weight = must be a number ≥ 0
checklist-weight-unscored = this question type earns no score, so it cannot carry weight
checklist-unknown-question = refers to unknown question { $question }
checklist-self-dependent = a question cannot depend on itself
checklist-cycle = conditions form a cycle: { $cycle }
checklist-no-weight = no question carries weight, so no score is possible
checklist-value-not-answer = the value { $value } cannot be an answer to { $question }
answers-object = must be an object of question code → answer
answer-list-codes = lists hold option codes
answer-shape = is not an answer (true/false, number, code, list, text or {"{"}"na": true{"}"})
answer-not-an-option = { $option } is not one of the options
answer-option-twice = an option is chosen twice
answer-duration = must be minutes from 0 up to the question's maximum
answer-timestamp = must be a time such as 2026-12-01T10:15:00+02:00
answer-photos = needs at least { $min } photo(s)
answer-wrong-type = has the wrong type for this question
answer-hidden = this question is hidden by an earlier answer
answer-required = is required
answer-photo-needed = needs a photo: upload it before submitting

## Money

iban-ukrainian-length = a Ukrainian IBAN has 29 characters (UA, 2 check digits, 25 digits); got { $got }
iban-invalid = is not a valid IBAN (wrong characters, length or check digits)
iban-invalid-for-country = is not a valid IBAN for its country (wrong account format)
iban-unknown-country = is not a valid IBAN (unknown country code)
tax-id-digits = must be exactly 10 digits
tax-id-check-digit = has a wrong check digit (the last digit); please re-check it
payout-left-out-iban = the IBAN on file { $why }
payout-positive = a payout must be more than zero
payout-currency = is in { $currency }, the batch pays { $batch_currency }

## Importing venues

import-unreadable = { $what }; save it as "CSV UTF-8 (comma delimited)" (Excel: File → Save As; LibreOffice: Text CSV, character set Unicode (UTF-8))
import-not-utf8 = is not valid UTF-8 (byte { $byte })
import-bad-after-mark = starts as { $encoding } text but is not valid { $encoding }
import-utf16-without-mark = looks like UTF-16 ("Unicode text") without its byte-order mark
import-not-readable-as = could not be read as { $encoding } text
import-nul = holds NUL characters, so it is not a text table (a spreadsheet or UTF-16 file?)
import-too-many-rows = has more than { $max } rows; split it
import-code-twice = external code { $code } appears twice in the file
import-no-header = has no readable header row ({ $detail })
import-column-missing = column { $column } is not in the file (its columns: { $columns })
import-row-unreadable = row { $row } cannot be read ({ $detail })
import-not-json = is not valid JSON ({ $detail })
import-not-geojson = is not a GeoJSON FeatureCollection (no features array)
import-not-a-number = "{ $value }" is not a number
import-type-empty = is empty and no default type was given
import-whole-metres = must be whole metres
import-row-invalid = is not valid
period-to-before-from = must not be before periodFrom
payout-nobody-owed = Nobody has an available balance of at least { $min } { $currency } with a valid IBAN for this period.
payout-batch-cancelled = The batch was cancelled.
payout-four-eyes = A batch is approved by someone other than the person who created it (four eyes).
payout-batch-decided-meanwhile = Someone else decided on this batch meanwhile.
payout-line-owed-less = Line { $seq }: the shopper is now owed only { $owed } (a clawback or adjustment since the batch was made); cancel this batch and create a new one.
payout-approved-immutable = An approved batch cannot change; mark its lines paid or failed.
payout-shoppers-taken-meanwhile = Another batch took some of these shoppers meanwhile; try again.
payout-line-already-marked = { $state ->
    [PAID] Line { $seq } was already marked paid.
   *[FAILED] Line { $seq } was already marked failed.
}
payout-failure-reason-needed = say why the bank refused the payment
payout-line-batch-not-approved = The line's batch is not approved.
payout-batch-not-approved = Only an approved batch has payments to settle.
status-not-csv = is not a CSV file ({ $detail })
status-header = needs a header row with the columns end_to_end_id, status and (for failures) reason
status-value = must be PAID or FAILED, not "{ $value }"
status-reason-needed = a failed payment needs the bank's reason
status-twice = appears twice in the file
status-no-rows = has no rows
status-not-in-batch = is not a payment of this batch

## Accounts and sessions

staff-role-not-shopper = shoppers sign up through the app; create and invite staff accounts here
email-taken = an account with this email address already exists
viewer-needs-client = a client viewer must belong to a client
no-such-client = no such client
only-viewers-have-client = only client viewers belong to a client
own-status = You cannot change the status of your own account.
suspend-reason-needed = say why the account is suspended
login-email-needed = enter the email address you signed up with
login-wrong = Wrong email or password.
account-suspended = This account is suspended; please contact your coordinator.
current-password-wrong = is not your current password
login-too-many = { $from ->
    [network] Too many failed logins from your network; try again in { $seconds } seconds or reset your password.
   *[account] Too many failed logins for this account; try again in { $seconds } seconds or reset your password.
}
email-sent-recently = An email was sent less than a minute ago; please check your inbox or try again shortly.
link-invalid = this link is not valid; please ask for a new one
link-expired = this link has expired; please ask for a new one
link-used = this link was already used; please ask for a new one
code-of-conduct-needed = you must accept the code of conduct to sign up
tax-id-taken = this РНОКПП is already registered: one person may have one account (if it is yours, log in to it or ask support)
staff-verified-on-creation = Staff accounts are verified when they are created.
email-already-verified = Your email address is already verified.

## Review

review-reject-reason = is required to reject a visit
review-return-what = say what to correct: a reason or comments on questions
review-not-submitted = { $state ->
    [IN_PROGRESS] The visit is in progress; only submitted visits are reviewed.
    [RETURNED] The visit is returned for correction; only submitted visits are reviewed.
    [APPROVED] The visit is approved; only submitted visits are reviewed.
   *[REJECTED] The visit is rejected; only submitted visits are reviewed.
}
review-decided-meanwhile = Another reviewer decided meanwhile; reload the visit.
review-revoke-not-approved = Only an approved visit's approval can be revoked.

## Files, phones and waves

file-unreadable = cannot be read ({ $detail })
photo-too-big = is { $size_mb } MB; photos of at most { $max_mb } MB are accepted
client-id-format = must be 8–100 letters, digits, '-' or '_' (a UUID generated on the phone)
implausible-time = is not a plausible time (the phone's clock is wrong)
wave-not-draft = Only a draft wave's settings can change; extend, pause or close it instead.
wave-launched-meanwhile = The wave was launched meanwhile.
wave-checklist-draft = is a draft; publish it before using it in a wave
wave-checklist-other-client = is not a checklist version of this client
venue-other-client = is not a venue of this client

## Ledger

ledger-already-reversed = This transaction was already reversed.
ledger-currency = Account { $account } is kept in { $currency }, not { $posted }.
amount-not-zero = must not be zero
adjustment-too-big = at most 1,000,000 UAH in one adjustment
not-a-shopper = is not a shopper
idempotency-key-reused = this idempotency key was already used for a different adjustment
query-not-utf8 = must be UTF-8 text
query-hidden-characters = must not contain control or bidirectional formatting characters
query-invalid = a query parameter is not valid ({ $detail })

## Taking tasks (eligibility)

eligibility-not-verified = Confirm your email address first (see the link we sent you).
eligibility-suspended = Your account is suspended; please contact your coordinator.
eligibility-too-far = This venue is { $distance_km } km from your home, beyond your travel radius of { $radius_km } km.
eligibility-conflict-venue = You declared a conflict of interest with this venue.
eligibility-conflict-client = You declared a conflict of interest with this client.
eligibility-conflict-employer = You declared { $employer } as an employer, which matches this venue.
eligibility-visited-recently = You visited this venue { $days_ago } days ago; the same shopper may return only after { $cooloff_days } days.
eligibility-holds-venue = You already hold a task at this venue.
eligibility-wave-limit = You already hold the most tasks allowed in this wave ({ $max }).
eligibility-global-limit = { $max ->
    [one] You already hold { $max } task; finish or release it first.
   *[other] You already hold { $max } tasks; finish or release one first.
}
auto-assign-shopper-gone = the shopper is no longer active and verified

## Tasks, waves, reads and the rest

idempotency-key-other-request = this idempotency key was already used for a different request
idempotency-key-format = must be 1 to 100 printable ASCII characters
checklist-name-taken = this client already has a checklist with this name
checklist-published-immutable = Published checklist versions never change; create a new draft version to edit.
service-busy-passwords = The service is busy checking passwords; please try again in a moment.
account-no-client = This account is not linked to a client.
whole-number-1-720 = must be 1 to 720
period-format = must be a month (2026-11) or a quarter (2026-Q4)
moderation-no-comment = This response has no comment to moderate.
service-code-format = must be 1–40 letters, digits or _
whole-number-0-9999 = must be 0 to 9999
cursor-invalid = is not a cursor returned by this list
to-before-from = must not be before from
positive = must be more than 0
signals-coordinators-only = Account signals are for coordinators.
bank-details-private = Bank details are visible to the shopper and the payments team only.
shopper-identity-private = Shopper identities are visible to coordinators only.
selection-list-empty = list at least one venue
selection-not-list = only a LIST selection names venues
radius-range = must be more than 0 and at most 500
import-format-needed = give CSV or GEOJSON (the file name does not tell)
venue-not-in-use = The venue is not in use.
text-too-long-100 = must be at most 100 characters
task-not-held = Nobody holds this task.
task-taken = Already taken: another shopper holds this task.
task-not-yours = You do not hold this task.
conflict-exactly-one = give exactly one of venueId, clientId or employer
no-such-venue = no such venue
offer-not-yours = This task is not offered to you.
offer-lapsed = This offer has lapsed.
wave-paused = This wave is paused; its tasks cannot be taken now.
wave-closed = This wave is closed.
wave-not-started = This wave has not started.
wave-ended = This wave has ended.
year-range = must be from 2000 to 2100
payout-export-not-approved = Only an approved batch is exported.
payout-debtor-missing = The paying account is not configured (payouts.debtor_iban).
venue-validation-lost = validation lost a field
client-name-taken = a client with this name already exists
venue-code-taken = this client already has a venue with this code
wave-changed-meanwhile = The wave changed meanwhile; reload it.
wave-closed-no-extend = A closed wave cannot be extended.
selection-empty = selects no active venue of this client
answer-photo-question = is a photo question: upload photos for it instead
visit-not-in-progress = The visit is no longer in progress.
before-check-in = is before the check-in
capture-visit-not-editable = Photos can be taken only while the visit is in progress or returned for correction.
capture-token-used = was already used for another photo; each photo needs its own
submit-check-out-first = Check out of the venue before submitting.
visit-changed-meanwhile = The visit changed meanwhile; reload it.
task-changed-meanwhile = The task changed meanwhile; reload it.
file-empty = is empty (0 bytes)
photo-heic = is a HEIC/HEIF photo, which this server cannot read (it is built without libheif); set the camera to "Most compatible" (JPEG) and take it again
photo-not-image = is not a JPEG, PNG or WebP image
photo-unreadable = is not a readable image ({ $detail })
photo-too-many-pixels = is { $width } × { $height } pixels; pictures of at most { $max } megapixels are accepted
photo-truncated = could not be decoded: the file is damaged or incomplete (it ends before the picture does)
photo-damaged = could not be decoded: the file is damaged or incomplete ({ $detail })
photo-reencode-failed = could not be re-encoded ({ $detail })
capture-token-unknown = is not a capture token: ask the app for a new one
capture-token-other-visit = belongs to another visit
capture-token-expired = has expired; take the photo again
answers-visit-not-editable = { $state ->
    [SUBMITTED] The visit is submitted; answers can change only while it is in progress or returned for correction.
    [APPROVED] The visit is approved; answers can change only while it is in progress or returned for correction.
   *[REJECTED] The visit is rejected; answers can change only while it is in progress or returned for correction.
}
wave-extend-after = must be after the current end, { $ends_on }
auto-assign-wave-state = { $status ->
    [DRAFT] A draft wave cannot be auto-assigned.
    [PAUSED] A paused wave cannot be auto-assigned.
   *[CLOSED] A closed wave cannot be auto-assigned.
}
assign-task-state = { $state ->
    [CLAIMED] The task is claimed; it cannot be assigned.
    [ASSIGNED] The task is assigned already; it cannot be assigned again.
    [OFFERED] The task is offered; it cannot be assigned.
    [VISITED] The task is visited; it cannot be assigned.
    [DONE] The task is done; it cannot be assigned.
   *[other] A task in this state cannot be assigned ({ $state }).
}
moderation-decided = { $state ->
    [PUBLISHED] The comment was already decided: published.
   *[REJECTED] The comment was already decided: rejected.
}
too-many-from-network = { $what ->
    [feedback] Too many responses from your network; try again in { $minutes } minutes.
    [sign-ups] Too many sign-ups from your network; try again in { $minutes } minutes.
   *[other] Too many attempts from your network; try again in { $minutes } minutes.
}
wave-move-refused = { $action ->
    [launch] A wave in state { $status } cannot be launched.
    [pause] A wave in state { $status } cannot be paused.
    [resume] A wave in state { $status } cannot be resumed.
   *[close] A wave in state { $status } cannot be closed.
}
wave-status-name = { $status ->
    [DRAFT] DRAFT
    [LAUNCHED] LAUNCHED
    [PAUSED] PAUSED
   *[CLOSED] CLOSED
}
auto-assign-taken-meanwhile = the task was taken meanwhile

## Field names (a field error reads "<name>: <why>"; a field not named here shows its API path)

field-file = File
field-reason = Reason
field-iban = IBAN
field-email = Email
field-password = Password
field-fullName = Full name
field-clientId = Client
field-taxId = Taxpayer number (РНОКПП)
field-phone = Phone
field-token = Link
field-name = Name
field-comment = Comment
field-questionCode = Question
field-startsOn = Start date
field-endsOn = End date
field-contactPhone = Phone
field-contactName = Name
field-contactEmail = Email
field-role = Role
field-radiusKm = Radius, km
field-newPassword = New password
field-currentPassword = Current password
field-format = Format
field-checklistVersionId = Checklist version
field-answers = Answers
field-amountKopiykas = Amount, kopiykas
field-accountHolder = Account holder
field-year = Year
field-venueId = Venue
field-scenario = Scenario
field-search = Search
field-q = Search
field-recommend = Would recommend
field-premises = Premises
field-service = Service
field-period = Period
field-periodFrom = Period start
field-periodTo = Period end
field-overrideReason = Override reason
field-employer = Employer
field-mapping = Column mapping
field-externalCode = External code
field-address = Address
field-oblast = Oblast
field-geofenceM = Geofence, m
field-feeKopiykas = Fee, kopiykas
field-acceptCodeOfConduct = Code of conduct
field-homeLocation-lat = Home latitude
field-homeLocation-lon = Home longitude
field-travelRadiusKm = Travel radius, km
field-location-lat = Latitude
field-location-lon = Longitude
field-receiptKopiykas = Receipt amount, kopiykas
field-idempotencyKey = Idempotency key
field-selection = Venue selection
field-capture-token = Capture token
field-deviceTime = Phone time
field-comments = Comments
field-code = Code
field-position = Order
field-nameUk = Ukrainian name
field-nameEn = English name

## Mails

mail-verify-subject = Confirm your email address
mail-verify-body =
    Hello { $name },

    Thank you for signing up as a mystery shopper. To confirm your address, open this link:

    { $link }

    The link works once and expires in { $hours } hours. If you did not sign up, ignore this message.
mail-reset-subject = Reset your password
mail-reset-body =
    Someone (hopefully you) asked to reset your password. To choose a new one, open this link:

    { $link }

    The link works once and expires in { $minutes } minutes. If it was not you, ignore this message: your password stays as it is.
mail-invitation-subject = Your Fieldwork account
mail-invitation-body =
    An account ({ $role }) was created for you. Choose your password here (valid for { $hours } hours):

    { $link }
mail-claim-expired-subject = A task returned to the job board
mail-claim-expired-body = The time for your visit to “{ $venue }” (wave “{ $wave }”) ran out, so the task is open to other shoppers again. If you still want it, claim it again while it is free.
mail-payout-failed-subject = A payout did not go through
mail-payout-failed-body =
    The bank did not credit your payout of { $amount } { $currency }. Reason: { $reason }.

    The money is back on your balance and will be in the next payout. Please check the IBAN and account holder in your profile.
field-conflictDeclaration = Conflict of interest declaration

## The faces' own failures (web/common/api.ts)

network-offline = No network connection.
http-failure = The server could not answer (HTTP { $status }); try again later.
checkin-not-accepted = The check-in of this visit was not accepted.
photo-heic-phone = is a HEIC/HEIF photo this phone cannot turn into a JPEG; set the camera to "Most compatible" (iPhone: Settings → Camera → Formats) or JPEG (Android: the camera's settings) and take it again
photo-not-decodable = cannot be opened as a picture on this phone (the file is damaged or incomplete); pick another photo

## Flag names (the review queue and its filter)

flag-name = { $code ->
    [OUTSIDE_GEOFENCE] outside the geofence
    [LOW_GPS_ACCURACY] low GPS accuracy
    [MOCK_LOCATION] mock location
    [OUTSIDE_VISITING_WINDOW] outside visiting hours
    [DEVICE_TIME_GAP] device clock gap
    [PHOTO_GPS_MISSING] photo without GPS
    [PHOTO_GPS_OUTSIDE] photo taken elsewhere
    [PHOTO_TIME_MISSING] photo without a time
    [PHOTO_TIME_OUTSIDE] photo taken at another time
    [DUPLICATE_PHOTO] duplicate photo
    [NEAR_DUPLICATE_PHOTO] near-duplicate photo
    [TOO_SHORT] visit too short
    [TOO_LONG] visit too long
    [IMPOSSIBLE_TRAVEL] impossible travel
    [LATE_SUBMISSION] late submission
    [CONFLICT_OF_INTEREST] conflict of interest
    [COOL_OFF_BREACHED] cool-off breached
    [CAPTURE_MISMATCH] photo contradicts its capture
   *[CAPTURE_BEFORE_TOKEN] captured before its token
}

## Ledger memos (a shopper's money history)

memo-visit-approved = Visit approved: “{ $venue }”, wave “{ $wave }”
memo-approval-revoked = Visit approval revoked: { $reason }
memo-payout = Payout for { $period }
memo-payment-failed = Payment failed: { $reason }

## Requests refused as a whole

request-repeats = { $limit ->
    [one] may appear at most once in one request (found { $count })
   *[other] may appear at most { $limit } times in one request (found { $count })
}
request-root-fields = A request may select at most { $max } root fields (this one selects { $count }); split it.
request-too-deep = The query is nested too deep ({ $depth } levels; at most { $max }).
body-too-large = The request is too large: at most { $max_mb } MB.
request-too-complex = The query is too complex: ask for fewer rows or fields at once.
request-invalid = The request is not valid: { $detail }

## Task history (the service's own reasons)

task-offer-lapsed = the offer was not accepted in time
task-hold-lapsed = the time to visit ran out

## Integrations: API keys and service events

api-key-scope-unknown = unknown scope “{ $scope }”; known: events:write
api-key-scopes-empty = at least one scope is needed
api-key-expiry-range = 1 to { $max } days
api-key-grace-range = 0 to { $max } hours
api-key-oblast-unknown = none of this client's centers is in this oblast (spell it as in the venue list)
api-key-needs-client = choose a client: a key that reports services acts for one client
api-key-scope-missing = This API key does not have the { $scope } scope.
api-key-not-active = This API key has been revoked or has expired.
api-key-already-rotated = This key has already been replaced; rotate the new one.
api-key-not-a-user = An API key cannot act as a user; log in as a user.
api-key-other-client = This API key acts for another client.
api-key-needed = An API key is needed (Authorization: Bearer fwk_…).
api-key-invalid = The API key is unknown, revoked or expired.
citizen-phone-invalid = does not look like a mobile phone number
phone-not-mobile = cannot receive messages (not a mobile number)
messenger-unknown = must be VIBER or SMS
event-time-format = must be a date and time in RFC 3339, e.g. 2026-12-07T10:15:00+02:00
event-time-future = is in the future
event-time-too-old = { $days ->
    [one] is more than { $days } day ago; too late to ask about it
   *[other] is more than { $days } days ago; too late to ask about it
}
events-batch-size = 1 to { $max } events at a time
event-center-unknown = this client has no center with this code
event-center-inactive = the center is not in use (switched off in the venue list)
event-center-outside-key = the center is outside the oblast this API key is for
event-service-unknown = this service is not in the center's service catalogue
event-id-reused = this id was already used for another service
events-body-json = send events as application/json
events-body-shape = the body must be an object {"{"} "events": [ … ] {"}"}
event-field-type = has the wrong type
event-consent-words = must be yes or no
events-file-empty = the file has no event rows
field-externalId = Event id
field-center = Center
field-completedAt = Time of service
field-messenger = Messenger
field-consent = Consent
field-scopes = Scopes
field-expiresInDays = Valid for, days
field-graceHours = Grace period, hours
field-events = Events
field-event = Event
field-body = Request body

## Invitations to rate a service (SMS and Viber).
invitation-text = Rate our service: { $link }
policy-share = a share is a number from 0 to 1
policy-window = the sending window must start before it ends
policy-cooldown = 0 to 365 days
policy-delay = 0 to 1440 minutes
policy-max-wait = 1 to 168 hours
field-windowStart = Sending window starts
field-cooldownDays = At most once in, days
field-delayMinutes = Delay after the service, minutes
field-maxWaitHours = Longest wait, hours
field-share = Share
field-dailyBudget = Daily budget, messages
policy-time-format = must be a time HH:MM, e.g. 09:00
policy-budget = cannot be negative
span-too-long = the end must not be before the start, nor more than { $days } days after it

## Phone interviews (CATI)
cati-period-order = the period must end on or after its start and last at most a year
cati-stratum-name = a stratum (an oblast, a center's id or a service's code) has 1 to 200 characters
cati-rules-invalid = calling hours must start before they end; attempts 1 to 30; delays not negative
cati-study-drawn = this study's sample has been drawn: its list can no longer change, and it is not drawn twice
cati-study-not-open = the study is not open for calling (its sample is not drawn yet, or it is closed)
cati-phone-erased = this respondent's number has been erased after its retention period
cati-call-recorded = this call has already ended with another outcome
cati-case-taken = this case has passed to another operator: your screen did not answer for too long. Take the next case
cati-appointment-needed = give the appointment's date and time
cati-appointment-format = must be the respondent's date and time, e.g. 2026-12-09T14:30
cati-appointment-past = the appointment's time has passed
cati-appointment-far = at most { $days } days ahead
cati-appointment-hours = outside the calling hours in the respondent's time zone
field-appointmentAt = Appointment
field-samplePerStratum = Sample per stratum
field-targetPerStratum = Interviews wanted per stratum
field-quotas = Quotas
field-rules = Calling rules
field-seed = Draw seed
field-note = Note
field-staff = Staff
field-waiting = Waiting
field-result = Result
