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
      <label for="email">{s.email}</label>
      <input
        id="email"
        type="email"
        autocomplete="email"
        value={email}
        aria-invalid={!!errors.email}
        aria-describedby={errors.email ? "email-error" : undefined}
        onInput={(e) => setEmail((e.target as HTMLInputElement).value)}
      />
      {errors.email && (
        <p id="email-error" class="error">
          {errors.email}
        </p>
      )}
      <label for="password">{s.password}</label>
      <input
        id="password"
        type="password"
        autocomplete="current-password"
        value={password}
        aria-invalid={!!errors.password}
        aria-describedby={errors.password ? "password-error" : undefined}
        onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
      />
      {errors.password && (
        <p id="password-error" class="error">
          {errors.password}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {busy ? s.signingIn : s.submitSignIn}
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
          <Login lang={lang} onDone={() => setSignedIn(true)} />
        </main>
      )}
    </div>
  );
}

render(<App />, document.getElementById("root")!);
