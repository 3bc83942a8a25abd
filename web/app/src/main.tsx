import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { registerSW } from "virtual:pwa-register";
import { gql, GraphQLFailure, setToken, token } from "./api";
import type { AvailableTasksQuery, LoginMutation } from "./gql/operations";
import { initialLang, money, t, type Lang } from "./i18n";
import { documents } from "./operations";
import { drain, enqueue, pending } from "./queue";
import "./style.css";

registerSW({ immediate: true });

function LanguageSwitch({ lang, setLang }: { lang: Lang; setLang: (l: Lang) => void }) {
  const s = t(lang);
  return (
    <label class="lang">
      {s.language}{" "}
      <select
        value={lang}
        onChange={(e) => {
          const next = (e.target as HTMLSelectElement).value as Lang;
          localStorage.setItem("fieldwork.lang", next);
          document.documentElement.lang = next;
          setLang(next);
        }}
      >
        <option value="uk">Українська</option>
        <option value="en">English</option>
      </select>
    </label>
  );
}

function Login({ lang, onDone }: { lang: Lang; onDone: () => void }) {
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
      const data = await gql<LoginMutation>(documents.login, { email, password });
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
    </form>
  );
}

/// One labelled input with its error (from the form's own check or the server's `fieldErrors`) beside it.
function Field(props: {
  id: string;
  label: string;
  value: string;
  error?: string;
  type?: string;
  autocomplete?: string;
  inputMode?: "decimal" | "numeric" | "tel" | "email" | "text";
  onInput: (value: string) => void;
}) {
  const errorId = `${props.id}-error`;
  return (
    <>
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type={props.type ?? "text"}
        autocomplete={props.autocomplete}
        inputMode={props.inputMode}
        value={props.value}
        aria-invalid={!!props.error}
        aria-describedby={props.error ? errorId : undefined}
        onInput={(e) => props.onInput((e.target as HTMLInputElement).value)}
      />
      {props.error && (
        <p id={errorId} class="error">
          {props.error}
        </p>
      )}
    </>
  );
}

const SIGN_UP_FIELDS = ["email", "password", "fullName", "phone", "homeLat", "homeLon", "travelRadiusKm", "iban", "accountHolder", "taxId"] as const;
type SignUpField = (typeof SIGN_UP_FIELDS)[number];

function SignUp({ lang, onSignIn }: { lang: Lang; onSignIn: () => void }) {
  const s = t(lang);
  const [form, setForm] = useState<Record<SignUpField, string>>({
    email: "", password: "", fullName: "", phone: "", homeLat: "", homeLon: "", travelRadiusKm: "25", iban: "", accountHolder: "", taxId: "",
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
          email: form.email, password: form.password, fullName: form.fullName, phone: form.phone,
          language: lang === "uk" ? "UK" : "EN",
          homeLocation: { lat: Number(form.homeLat), lon: Number(form.homeLon) },
          travelRadiusKm: Number(form.travelRadiusKm), iban: form.iban, accountHolder: form.accountHolder,
          taxId: form.taxId, acceptCodeOfConduct: accepted, idempotencyKey: key,
        },
      });
      setSentTo(form.email);
    } catch (err) {
      const found: Record<string, string> = {};
      for (const e of err instanceof GraphQLFailure ? err.errors : []) {
        const field = e.field === "homeLocation.lat" ? "homeLat" : e.field === "homeLocation.lon" ? "homeLon" : e.field;
        found[field && (SIGN_UP_FIELDS as readonly string[]).concat("acceptCodeOfConduct").includes(field) ? field : "form"] = e.message;
      }
      setErrors(Object.keys(found).length ? found : { form: s.errorGeneric });
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

type Task = AvailableTasksQuery["availableTasks"]["edges"][number]["node"];

function Board({ lang, onSignOut }: { lang: Lang; onSignOut: () => void }) {
  const s = t(lang);
  const [tasks, setTasks] = useState<Task[] | null>(() => {
    const cached = localStorage.getItem("fieldwork.board");
    return cached ? (JSON.parse(cached) as Task[]) : null;
  });
  const [waiting, setWaiting] = useState<string[]>([]);
  const [online, setOnline] = useState(navigator.onLine);
  async function refresh() {
    const queued = await pending();
    setWaiting(queued.filter((q) => q.operation === "claimTask").map((q) => String(q.variables.taskId)));
    try {
      const data = await gql<AvailableTasksQuery>(documents.availableTasks, { first: 50 });
      const list = data.availableTasks.edges.map((e) => e.node);
      localStorage.setItem("fieldwork.board", JSON.stringify(list));
      setTasks(list);
    } catch {
      /* offline: the board last seen stays */
    }
  }
  useEffect(() => {
    const up = () => {
      setOnline(true);
      void drain(refresh);
    };
    const down = () => setOnline(false);
    window.addEventListener("online", up);
    window.addEventListener("offline", down);
    void drain(refresh);
    return () => {
      window.removeEventListener("online", up);
      window.removeEventListener("offline", down);
    };
  }, []);
  async function claim(taskId: string) {
    await enqueue("claimTask", { taskId });
    await refresh();
    await drain(refresh);
  }
  return (
    <main>
      <header>
        <h1>{s.board}</h1>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            setToken(null);
            onSignOut();
          }}
        >
          {s.signOut}
        </button>
      </header>
      {!online && (
        <p role="status" class="notice">
          {s.offline}
        </p>
      )}
      {waiting.length > 0 && <p role="status">{s.pending(waiting.length)}</p>}
      {tasks && tasks.length === 0 && <p>{s.noTasks}</p>}
      <ul class="tasks">
        {(tasks ?? []).map((task) => (
          <li key={task.taskId}>
            <h2>{task.venueName}</h2>
            <p>
              {task.venueAddress} · {(task.distanceM / 1000).toFixed(1)} {s.km}
            </p>
            <p>
              {s.fee}: {money(task.feeKopiykas, lang)}
              {task.bonusKopiykas > 0 && ` + ${s.bonus} ${money(task.bonusKopiykas, lang)}`}
            </p>
            {waiting.includes(task.taskId) ? (
              <p role="status">{s.queued}</p>
            ) : (
              <button type="button" onClick={() => void claim(task.taskId)}>
                {s.claim}
              </button>
            )}
          </li>
        ))}
      </ul>
    </main>
  );
}

function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [signedIn, setSignedIn] = useState(!!token());
  const [signingUp, setSigningUp] = useState(false);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  return (
    <div class="app">
      <LanguageSwitch lang={lang} setLang={setLang} />
      {signedIn ? (
        <Board lang={lang} onSignOut={() => setSignedIn(false)} />
      ) : (
        <main>
          {signingUp ? (
            <SignUp lang={lang} onSignIn={() => setSigningUp(false)} />
          ) : (
            <>
              <Login lang={lang} onDone={() => setSignedIn(true)} />
              <button type="button" class="link" onClick={() => setSigningUp(true)}>
                {t(lang).newHere}
              </button>
            </>
          )}
        </main>
      )}
    </div>
  );
}

render(<App />, document.getElementById("root")!);
