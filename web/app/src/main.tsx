// The shoppers' app: sign-in and sign-up, then the job board, my tasks, the visit, my visits and money, with a
// durable outbox underneath (queue.ts). Screens are addressed by the URL hash (#/task/…), so the back button
// and a reload keep the shopper where they were.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { setLanguage, token } from "../../common/api";
import { useMessages } from "../../common/messages";
import { afterFirstScreen } from "./boot";
import { forgetAll } from "./cache";
import { initialLang, t, type Lang } from "./i18n";
import { drain, forget, pending, type QueuedOperation } from "./queue";
import { Login, Profile, SignUp, useMe, VerifyReminder } from "./screens/account";
import { Money, MyVisits, useMyVisits } from "./screens/money";
import { Board, MyTasks, TaskPage, useMyTasks } from "./screens/tasks";
import { contextOfReturned, contextOfTask, VisitScreen } from "./screens/visit";
import { InstallButton, LanguageSwitch, Nav, OutboxStatus, Screen } from "./ui";
import "../../common/style.css";

// Ask the browser to keep the outbox (photos of a visit not yet sent) even when space runs low; an installed
// app usually gets it. Refused or unsupported, the outbox status warns when work waits for long.
void navigator.storage?.persist?.().catch(() => false);

function useRoute(): string[] {
  const read = () => location.hash.replace(/^#\/?/, "").split("/");
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const changed = () => {
      setRoute(read());
      // The new screen's heading takes the focus, so a screen reader announces where the shopper is.
      requestAnimationFrame(() => document.querySelector<HTMLElement>("h1")?.focus());
    };
    window.addEventListener("hashchange", changed);
    return () => window.removeEventListener("hashchange", changed);
  }, []);
  return route;
}

/** The outbox as the screens see it: what waits, whether the phone is online, and `kick` to send now. */
function useOutbox(): [QueuedOperation[], boolean, () => void, (id: number) => void] {
  const [items, setItems] = useState<QueuedOperation[]>([]);
  const [online, setOnline] = useState(navigator.onLine);
  const reload = () => void pending().then(setItems);
  const kick = () => {
    reload();
    void drain(reload);
  };
  useEffect(() => {
    const up = () => {
      setOnline(true);
      kick();
    };
    const down = () => setOnline(false);
    window.addEventListener("online", up);
    window.addEventListener("offline", down);
    // Also try now and then: a phone can be "online" and still not reach the service.
    const timer = setInterval(kick, 30000);
    kick();
    return () => {
      window.removeEventListener("online", up);
      window.removeEventListener("offline", down);
      clearInterval(timer);
    };
  }, []);
  return [items, online, kick, (id) => void forget(id).then(reload)];
}

function Shopper({ lang, onSignOut }: { lang: Lang; onSignOut: () => void }) {
  const s = t(lang);
  const route = useRoute();
  const [outbox, online, kick, dismiss] = useOutbox();
  const [me, reloadMe] = useMe();
  const [page, id] = route;
  // Lists reload on every screen change and whenever the outbox changes (something was sent, or the network
  // came back).
  const fresh = `${page}/${id}/${outbox.length}`;
  // The board asks for its own list first; the lists of the other screens follow once it has it.
  const later = !page;
  const tasks = useMyTasks(fresh, later);
  const visits = useMyVisits(fresh, later);
  let screen;
  if (page === "tasks") screen = <MyTasks lang={lang} tasks={tasks} kick={kick} />;
  else if (page === "task") screen = <TaskPage lang={lang} task={tasks?.find((x) => x.id === id)} kick={kick} />;
  else if (page === "visit" || page === "fix") {
    // A visit opens from the shopper's task, or (to be fixed) from their returned visit.
    const task = page === "visit" ? tasks?.find((x) => x.id === id) : undefined;
    const returned = page === "fix" ? visits?.find((v) => v.id === id) : undefined;
    const ctx = task ? contextOfTask(task) : returned ? contextOfReturned(returned) : null;
    screen = ctx ? (
      <VisitScreen lang={lang} ctx={ctx} outbox={outbox} kick={kick} />
    ) : (
      <Screen title={s.visit}>
        <p>{(page === "visit" ? tasks : visits) ? s.taskGone : s.loading}</p>
      </Screen>
    );
  } else if (page === "visits") screen = <MyVisits lang={lang} visits={visits} />;
  else if (page === "money") screen = <Money lang={lang} fresh={fresh} />;
  else if (page === "profile") screen = <Profile lang={lang} me={me} reload={reloadMe} fresh={outbox.length} onSignOut={onSignOut} />;
  else screen = <Board lang={lang} me={me} outbox={outbox} kick={kick} />;
  return (
    <>
      <Nav lang={lang} current={page === "task" || page === "visit" ? "tasks" : page === "fix" ? "visits" : (page ?? "")} />
      <main>
        <VerifyReminder lang={lang} me={me} />
        <OutboxStatus lang={lang} online={online} items={outbox} onDismiss={dismiss} />
        {screen}
      </main>
    </>
  );
}

function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  // The service answers in the language the shopper reads (its refusals, flags and reasons).
  setLanguage(lang);
  useMessages(lang, afterFirstScreen);
  const [signedIn, setSignedIn] = useState(!!token());
  const [signingUp, setSigningUp] = useState(false);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  return (
    <div class="app">
      <header class="top">
        <p class="brand">{t(lang).appName}</p>
        <InstallButton lang={lang} />
        <LanguageSwitch lang={lang} setLang={setLang} />
      </header>
      {signedIn ? (
        <Shopper
          lang={lang}
          onSignOut={() => {
            forgetAll();
            setSignedIn(false);
          }}
        />
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
