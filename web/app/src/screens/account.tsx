// Account screens: sign-in (with "forgot password"), sign-up, the e-mail confirmation reminder, and the profile
// (home area, travel radius, language, payout details, conflict declarations, sign-out here or everywhere).
import { useEffect, useState } from "preact/hooks";
import { gql, GraphQLFailure, setToken } from "../../../common/api";
import { useLastSeen } from "../cache";
import { position } from "../geo";
import type { MeQuery, MyConflictsQuery } from "../gql/operations";
import { dateTime, t, type Lang } from "../i18n";
import { MapView, type Home } from "../../../common/map";
import { documents } from "../operations";
import { Field, mapText, Screen } from "../ui";

export function Login({ lang, onDone }: { lang: Lang; onDone: () => void }) {
  const s = t(lang);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  async function submit(e: Event) {
    e.preventDefault();
    const missing: Record<string, string> = {};
    if (!email.trim()) missing.email = s.errorRequired;
    if (!password) missing.password = s.errorRequired;
    setErrors(missing);
    if (Object.keys(missing).length) return;
    setBusy(true);
    try {
      const data = await gql(documents.login, { email, password });
      setToken(data.login.token);
      onDone();
    } catch (err) {
      const first = err instanceof GraphQLFailure ? err.errors[0] : undefined;
      setErrors({ [first?.field ?? "form"]: first?.message ?? s.errorGeneric });
    } finally {
      setBusy(false);
    }
  }
  return (
    <form onSubmit={submit} noValidate>
      <h1>{s.signIn}</h1>
      {errors.form && (
        <p role="alert" class="error">
          {errors.form}
        </p>
      )}
      <Field id="email" label={s.email} type="email" autocomplete="email" value={email} error={errors.email} onInput={setEmail} />
      <Field
        id="password"
        label={s.password}
        type="password"
        autocomplete="current-password"
        value={password}
        error={errors.password}
        onInput={setPassword}
      />
      <button type="submit" disabled={busy}>
        {busy ? s.signingIn : s.submitSignIn}
      </button>
      <ForgotPassword lang={lang} email={email} />
    </form>
  );
}

/**
 * Sends the reset link (the server's page behind it sets the new password); the answer is the same whether or
 * not the address has an account.
 */
function ForgotPassword({ lang, email }: { lang: Lang; email: string }) {
  const s = t(lang);
  const [state, setState] = useState<"idle" | "sent" | "error">("idle");
  return (
    <>
      <button
        type="button"
        class="link"
        onClick={async () => {
          if (!email.trim()) {
            setState("error");
            return;
          }
          try {
            await gql(documents.requestPasswordReset, { email });
            setState("sent");
          } catch {
            setState("error");
          }
        }}
      >
        {s.forgotPassword}
      </button>
      {state === "sent" && <p role="status">{s.resetSent(email)}</p>}
      {state === "error" && (
        <p role="alert" class="error">
          {email.trim() ? s.errorGeneric : s.resetNeedsEmail}
        </p>
      )}
    </>
  );
}

/**
 * The server's errors by form field (the input's `homeLocation.lat` is the form's `homeLat`); an error naming
 * no field of the form, or a failure with none, goes to the form as a whole.
 */
function errorsByField(err: unknown, fields: readonly string[], generic: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const e of err instanceof GraphQLFailure ? err.errors : []) {
    const field = e.field === "homeLocation.lat" ? "homeLat" : e.field === "homeLocation.lon" ? "homeLon" : e.field;
    found[field && fields.includes(field) ? field : "form"] = e.message;
  }
  return Object.keys(found).length ? found : { form: generic };
}

const SIGN_UP_FIELDS = [
  "email",
  "password",
  "fullName",
  "phone",
  "homeLat",
  "homeLon",
  "travelRadiusKm",
  "iban",
  "accountHolder",
  "taxId",
] as const;
type SignUpField = (typeof SIGN_UP_FIELDS)[number];

export function SignUp({ lang, onSignIn }: { lang: Lang; onSignIn: () => void }) {
  const s = t(lang);
  const [form, setForm] = useState<Record<SignUpField, string>>({
    email: "",
    password: "",
    fullName: "",
    phone: "",
    homeLat: "",
    homeLon: "",
    travelRadiusKm: "25",
    iban: "",
    accountHolder: "",
    taxId: "",
  });
  const [accepted, setAccepted] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // One key per form, so a resend after a lost answer creates one account.
  const [key] = useState(() => crypto.randomUUID());
  const set = (field: SignUpField) => (value: string) => setForm({ ...form, [field]: value });
  async function submit(e: Event) {
    e.preventDefault();
    const missing: Record<string, string> = {};
    for (const f of SIGN_UP_FIELDS) if (!form[f].trim()) missing[f] = s.errorRequired;
    if (!accepted) missing.acceptCodeOfConduct = s.errorRequired;
    setErrors(missing);
    if (Object.keys(missing).length) return;
    setBusy(true);
    try {
      await gql(documents.signUp, {
        input: {
          email: form.email,
          password: form.password,
          fullName: form.fullName,
          phone: form.phone,
          language: lang === "uk" ? "UK" : "EN",
          homeLocation: { lat: Number(form.homeLat), lon: Number(form.homeLon) },
          travelRadiusKm: Number(form.travelRadiusKm),
          iban: form.iban,
          accountHolder: form.accountHolder,
          taxId: form.taxId,
          acceptCodeOfConduct: accepted,
          idempotencyKey: key,
        },
      });
      setSentTo(form.email);
    } catch (err) {
      setErrors(errorsByField(err, [...SIGN_UP_FIELDS, "acceptCodeOfConduct"], s.errorGeneric));
    } finally {
      setBusy(false);
    }
  }
  if (sentTo) {
    return (
      <section>
        <h1>{s.signUp}</h1>
        <p role="status">{s.checkMail(sentTo)}</p>
        <button type="button" onClick={onSignIn}>
          {s.signIn}
        </button>
      </section>
    );
  }
  const field = (f: SignUpField, label: string, extra: Partial<Parameters<typeof Field>[0]> = {}) => (
    <Field id={f} label={label} value={form[f]} error={errors[f]} onInput={set(f)} {...extra} />
  );
  return (
    <form onSubmit={submit} noValidate>
      <h1>{s.signUp}</h1>
      {errors.form && (
        <p role="alert" class="error">
          {errors.form}
        </p>
      )}
      {field("email", s.email, { type: "email", autocomplete: "email" })}
      {field("password", s.password, { type: "password", autocomplete: "new-password" })}
      {field("fullName", s.fullName, { autocomplete: "name" })}
      {field("phone", s.phone, { type: "tel", autocomplete: "tel", inputMode: "tel" })}
      {field("homeLat", s.homeLat, { inputMode: "decimal" })}
      {field("homeLon", s.homeLon, { inputMode: "decimal" })}
      {field("travelRadiusKm", s.radius, { inputMode: "decimal" })}
      {field("iban", s.iban)}
      {field("accountHolder", s.accountHolder)}
      {field("taxId", s.taxId, { inputMode: "numeric" })}
      <label class="check">
        <input
          type="checkbox"
          checked={accepted}
          aria-invalid={!!errors.acceptCodeOfConduct}
          aria-describedby={errors.acceptCodeOfConduct ? "accept-error" : undefined}
          onChange={(e) => setAccepted((e.target as HTMLInputElement).checked)}
        />{" "}
        {s.codeOfConduct}
      </label>
      {errors.acceptCodeOfConduct && (
        <p id="accept-error" class="error">
          {errors.acceptCodeOfConduct}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {s.submitSignUp}
      </button>
      <button type="button" class="link" onClick={onSignIn}>
        {s.haveAccount}
      </button>
    </form>
  );
}

type Me = MeQuery["me"];

/** Reminds an unconfirmed shopper to open the mail (unconfirmed accounts are offered no work) and resends it. */
export function VerifyReminder({ lang, me }: { lang: Lang; me: Me | null }) {
  const s = t(lang);
  const [sent, setSent] = useState(false);
  if (!me || me.emailVerified) return null;
  return (
    <div class="notice">
      <p>{s.confirmEmail(me.email)}</p>
      {sent ? (
        <p role="status">{s.mailResent}</p>
      ) : (
        <button
          type="button"
          class="secondary"
          onClick={async () => {
            await gql(documents.resendVerificationEmail, {}).catch(() => undefined);
            setSent(true);
          }}
        >
          {s.resendMail}
        </button>
      )}
    </div>
  );
}

export function useMe(): [Me | null, () => Promise<void>] {
  return useLastSeen("me", documents.me, {}, (data: MeQuery) => data.me);
}

const PROFILE_FIELDS = [
  "fullName",
  "phone",
  "homeLat",
  "homeLon",
  "travelRadiusKm",
  "iban",
  "accountHolder",
  "conflictDeclaration",
] as const;
type ProfileField = (typeof PROFILE_FIELDS)[number];

export function Profile(props: { lang: Lang; me: Me | null; reload: () => Promise<void>; fresh: number; onSignOut: () => void }) {
  const { lang, me, reload, onSignOut } = props;
  const s = t(lang);
  const [conflicts, reloadConflicts] = useLastSeen(
    "conflicts",
    documents.myConflicts,
    {},
    (d: MyConflictsQuery) => d.myConflicts,
    props.fresh,
  );
  const shopper = me?.shopper;
  const initial = (): Record<ProfileField, string> => ({
    fullName: shopper?.fullName ?? "",
    phone: shopper?.phone ?? "",
    homeLat: shopper ? String(shopper.homeLocation.lat) : "",
    homeLon: shopper ? String(shopper.homeLocation.lon) : "",
    travelRadiusKm: shopper ? String(shopper.travelRadiusKm) : "",
    iban: shopper?.payoutDetails.iban ?? "",
    accountHolder: shopper?.payoutDetails.accountHolder ?? "",
    conflictDeclaration: shopper?.conflictDeclaration ?? "",
  });
  const [form, setForm] = useState(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const [employer, setEmployer] = useState("");
  const [declared, setDeclared] = useState<string | null>(null);
  useEffect(() => setForm(initial()), [me?.id]);
  const set = (f: ProfileField) => (v: string) => {
    setSaved(false);
    setForm({ ...form, [f]: v });
  };
  async function save(e: Event) {
    e.preventDefault();
    setErrors({});
    try {
      await gql(documents.updateMyProfile, {
        input: {
          fullName: form.fullName,
          phone: form.phone,
          homeLocation: { lat: Number(form.homeLat), lon: Number(form.homeLon) },
          travelRadiusKm: Number(form.travelRadiusKm),
          iban: form.iban,
          accountHolder: form.accountHolder,
          conflictDeclaration: form.conflictDeclaration,
          language: lang === "uk" ? "UK" : "EN",
        },
      });
      setSaved(true);
      await reload();
    } catch (err) {
      setErrors(errorsByField(err, PROFILE_FIELDS, s.errorGeneric));
    }
  }
  async function signOut(everywhere: boolean) {
    await (everywhere ? gql(documents.logoutEverywhere, {}) : gql(documents.logout, {})).catch(() => undefined);
    setToken(null);
    onSignOut();
  }
  if (!shopper) return <Screen title={s.profile}>{me ? null : <p>{s.loading}</p>}</Screen>;
  const field = (f: ProfileField, labelText: string, extra: Partial<Parameters<typeof Field>[0]> = {}) => (
    <Field id={`profile-${f}`} label={labelText} value={form[f]} error={errors[f]} onInput={set(f)} {...extra} />
  );
  return (
    <Screen title={s.profile}>
      <p>{me?.email}</p>
      <form onSubmit={save} noValidate>
        {errors.form && (
          <p role="alert" class="error">
            {errors.form}
          </p>
        )}
        {field("fullName", s.fullName, { autocomplete: "name" })}
        {field("phone", s.phone, { type: "tel", autocomplete: "tel", inputMode: "tel" })}
        <fieldset>
          <legend>{s.homeArea}</legend>
          {field("homeLat", s.homeLat, { inputMode: "decimal" })}
          {field("homeLon", s.homeLon, { inputMode: "decimal" })}
          <button
            type="button"
            class="secondary"
            onClick={async () => {
              const fix = await position().catch(() => null);
              if (fix) setForm({ ...form, homeLat: fix.lat.toFixed(5), homeLon: fix.lon.toFixed(5) });
            }}
          >
            {s.useMyPosition}
          </button>
          {field("travelRadiusKm", s.radius, { inputMode: "decimal" })}
          <MapView
            {...mapText(lang)}
            label={s.homeMap}
            points={[]}
            home={homeOf(form.homeLat, form.homeLon, form.travelRadiusKm)}
            onPick={(lat, lon) => setForm((f) => ({ ...f, homeLat: lat.toFixed(5), homeLon: lon.toFixed(5) }))}
          />
          <p class="hint">{s.homeMapHint}</p>
        </fieldset>
        {field("iban", s.iban)}
        {field("accountHolder", s.accountHolder)}
        {field("conflictDeclaration", s.conflictDeclaration, { hint: s.conflictHint })}
        <button type="submit">{s.save}</button>
        {saved && <p role="status">{s.saved}</p>}
      </form>
      <h2>{s.declareEmployer}</h2>
      <Field
        id="employer"
        label={s.employer}
        value={employer}
        onInput={setEmployer}
        error={declared === "error" ? s.errorGeneric : undefined}
      />
      <button
        type="button"
        class="secondary"
        onClick={async () => {
          try {
            await gql(documents.declareConflict, { employer });
            setDeclared(employer);
            setEmployer("");
            await reloadConflicts();
          } catch {
            setDeclared("error");
          }
        }}
      >
        {s.declare}
      </button>
      {declared && declared !== "error" && <p role="status">{s.declared(declared)}</p>}
      <h2>{s.myConflicts}</h2>
      {conflicts && conflicts.length === 0 && <p>{s.noConflicts}</p>}
      <ul>
        {(conflicts ?? []).map((c) => (
          <li key={c.id}>
            {c.employer
              ? `${s.conflictKinds.employer}: ${c.employer}`
              : `${c.venueId ? s.conflictKinds.venue : s.conflictKinds.client}: ${c.name ?? ""}`}{" "}
            ({dateTime(c.createdAt, lang)})
          </li>
        ))}
      </ul>
      <h2>{s.signOutTitle}</h2>
      <div class="row">
        <button type="button" class="secondary" onClick={() => void signOut(false)}>
          {s.signOut}
        </button>
        <button type="button" class="secondary" onClick={() => void signOut(true)}>
          {s.signOutEverywhere}
        </button>
      </div>
    </Screen>
  );
}

/** The home area the form describes, for the map (nothing while the numbers are not numbers). */
function homeOf(lat: string, lon: string, radiusKm: string): Home | null {
  const [a, b, r] = [Number(lat), Number(lon), Number(radiusKm)];
  if (lat.trim() === "" || lon.trim() === "" || !Number.isFinite(a) || !Number.isFinite(b) || Math.abs(a) > 90 || Math.abs(b) > 180)
    return null;
  return { lat: a, lon: b, radiusKm: Number.isFinite(r) && r > 0 ? r : 0 };
}
