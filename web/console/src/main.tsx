// The staff console at /console/: staff sign in (the token lives in sessionStorage, for this tab only), then
// work in the rooms their role allows, routed by the URL hash (`#/<room>` or `#/<room>/<id>`) through the one
// table `ROOMS`. The console only calls the public GraphQL API, so every rule (roles, client scope) is the
// service's.
import { render, type VNode } from "preact";
import { useEffect, useState } from "preact/hooks";
import { failureText, gql, keepTokenIn, setLanguage, setToken, token } from "../../common/api";
import { useMessages } from "../../common/messages";
import { Field } from "../../common/field";
import { LanguageSwitch } from "../../common/language";
import { ConsoleLoginDocument, StaffMeDocument } from "./gql/operations";
import type { StaffMeQuery } from "./gql/operations";
import { initialLang, t, type Lang } from "./i18n";
import { FeedbackRoom } from "./feedback";
import { ApiKeysRoom, ServiceEventsRoom } from "./integrations";
import { InvitationsRoom } from "./invitations";
import { CallsRoom } from "./calls";
import { CallCenterRoom } from "./callcenter";
import { QualityRoom } from "./quality";
import { ServiceCatalogueRoom } from "./services";
import { Payments } from "./payments";
import { ResultVisit, Results } from "./results";
import { Queue, VisitReview } from "./review";
import { ShopperPage, Shoppers } from "./shoppers";
import { Staff } from "./staff";
import { ChecklistEditor, Checklists } from "./checklists";
import { VenuePage } from "./venue";
import { Venues } from "./venues";
import { Waves } from "./waves";
import "../../common/style.css";
import "./console.css";

keepTokenIn(() => sessionStorage, "fieldwork.console.token");

type Me = StaffMeQuery["me"];
const REVIEWERS = ["COORDINATOR", "ADMIN"];
const PAYERS = ["PAYMENTS", "ADMIN"];
const RESULT_READERS = ["CLIENT_VIEWER", "COORDINATOR", "ADMIN"];
const OPERATORS = ["OPERATOR"];

function useRoute(): string {
  const [route, setRoute] = useState(location.hash.replace(/^#\/?/, ""));
  useEffect(() => {
    const changed = () => setRoute(location.hash.replace(/^#\/?/, ""));
    addEventListener("hashchange", changed);
    return () => removeEventListener("hashchange", changed);
  }, []);
  return route;
}

function SignIn({ lang, onDone }: { lang: Lang; onDone: () => void }) {
  const s = t(lang);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  async function submit(e: Event) {
    e.preventDefault();
    const missing: Record<string, string> = {};
    if (!email.trim()) missing.email = s.errorRequired;
    if (!password) missing.password = s.errorRequired;
    setErrors(missing);
    if (Object.keys(missing).length) return;
    try {
      const data = await gql(ConsoleLoginDocument, { email, password });
      setToken(data.login.token);
      onDone();
    } catch (err) {
      setErrors({ form: failureText(err) });
    }
  }
  return (
    <main class="console narrow">
      <h1>{s.signIn}</h1>
      <form onSubmit={submit} noValidate>
        {errors.form && (
          <p role="alert" class="error">
            {errors.form}
          </p>
        )}
        <Field id="email" label={s.email} type="email" autocomplete="username" value={email} error={errors.email} onInput={setEmail} />
        <Field
          id="password"
          label={s.password}
          type="password"
          autocomplete="current-password"
          value={password}
          error={errors.password}
          onInput={setPassword}
        />
        <button type="submit">{s.submitSignIn}</button>
      </form>
    </main>
  );
}

/** What a role may reach. */
type Access = "reviews" | "pays" | "reads" | "admin" | "calls";

/** One room of the console: its path (`#/<path>` or `#/<path>/<id>`), who may open it, its menu entry (or the
 * entry it belongs under), and its screen. The one route table: the menu, access and the screens follow it. */
interface Room {
  path: string;
  needs: Access;
  /** Opened with an id (`#/visit/<id>`); optional for rooms that also open without one. */
  id?: "required" | "optional";
  menu?: (s: ReturnType<typeof t>) => string;
  /** The menu entry marked current while this room is open. */
  under?: string;
  screen: (p: { lang: Lang; id: string; moderates: boolean; userId: string }) => VNode;
}

const ROOMS: Room[] = [
  { path: "review", needs: "reviews", menu: (s) => s.review, screen: ({ lang }) => <Queue lang={lang} /> },
  {
    path: "visit",
    needs: "reviews",
    id: "required",
    under: "review",
    screen: ({ lang, id }) => <VisitReview key={id} lang={lang} id={id} />,
  },
  { path: "venues", needs: "reviews", menu: (s) => s.venues, screen: ({ lang }) => <Venues lang={lang} /> },
  {
    path: "venue",
    needs: "reviews",
    id: "required",
    under: "venues",
    screen: ({ lang, id }) => <VenuePage key={id} lang={lang} id={id} />,
  },
  { path: "checklists", needs: "reviews", menu: (s) => s.checklists, screen: ({ lang }) => <Checklists lang={lang} /> },
  {
    path: "checklist",
    needs: "reviews",
    id: "required",
    under: "checklists",
    screen: ({ lang, id }) => <ChecklistEditor key={id} lang={lang} id={id} />,
  },
  { path: "waves", needs: "reviews", menu: (s) => s.waves, screen: ({ lang }) => <Waves lang={lang} /> },
  { path: "shoppers", needs: "reviews", menu: (s) => s.shoppers, screen: ({ lang }) => <Shoppers lang={lang} /> },
  {
    path: "shopper",
    needs: "reviews",
    id: "required",
    under: "shoppers",
    screen: ({ lang, id }) => <ShopperPage key={id} lang={lang} id={id} />,
  },
  { path: "feedback", needs: "reviews", menu: (s) => s.feedbackTitle, screen: ({ lang }) => <FeedbackRoom lang={lang} /> },
  { path: "services", needs: "reviews", menu: (s) => s.servicesTitle, screen: ({ lang }) => <ServiceCatalogueRoom lang={lang} /> },
  { path: "events", needs: "reviews", menu: (s) => s.eventsTitle, screen: ({ lang }) => <ServiceEventsRoom lang={lang} /> },
  { path: "invitations", needs: "reviews", menu: (s) => s.invitationsTitle, screen: ({ lang }) => <InvitationsRoom lang={lang} /> },
  { path: "call-center", needs: "reviews", menu: (s) => s.cati.centerTitle, screen: ({ lang }) => <CallCenterRoom lang={lang} /> },
  { path: "calls", needs: "calls", menu: (s) => s.cati.callsTitle, screen: ({ lang }) => <CallsRoom lang={lang} /> },
  { path: "payments", needs: "pays", menu: (s) => s.payments, screen: ({ lang, userId }) => <Payments lang={lang} userId={userId} /> },
  {
    path: "results",
    needs: "reads",
    id: "optional",
    menu: (s) => s.results,
    screen: ({ lang, id }) => <Results lang={lang} waveId={id || undefined} />,
  },
  {
    path: "result",
    needs: "reads",
    id: "required",
    under: "results",
    screen: ({ lang, id }) => <ResultVisit key={id} lang={lang} id={id} />,
  },
  {
    path: "index",
    needs: "reads",
    menu: (s) => s.qualityTitle,
    screen: ({ lang, moderates }) => <QualityRoom lang={lang} moderates={moderates} />,
  },
  { path: "staff", needs: "admin", menu: (s) => s.staff, screen: ({ lang }) => <Staff lang={lang} /> },
  { path: "keys", needs: "admin", menu: (s) => s.keysTitle, screen: ({ lang }) => <ApiKeysRoom lang={lang} /> },
];

/** The room asked for if the role may open it, else the first the role has: the review queue, the payments, the
 * results or the calls (null: none). */
function roomFor(path: string, id: string | undefined, may: (a: Access) => boolean): Room | null {
  const asked = ROOMS.find((r) => r.path === path && may(r.needs) && (r.id !== "required" || id));
  if (asked) return asked;
  const fallback = may("reviews") ? "review" : may("pays") ? "payments" : may("reads") ? "results" : may("calls") ? "calls" : null;
  return ROOMS.find((r) => r.path === fallback) ?? null;
}

function Console() {
  const [lang, setLang] = useState<Lang>(initialLang);
  // The service answers in the language staff read (refusals, flags, risk reasons, signals).
  setLanguage(lang);
  useMessages(lang);
  const [me, setMe] = useState<Me | null>(null);
  const [signedIn, setSignedIn] = useState(() => token() !== null);
  const route = useRoute();
  const s = t(lang);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = s.title;
  }, [lang]);
  useEffect(() => {
    if (!signedIn) return;
    gql(StaffMeDocument, {})
      .then((d) => setMe(d.me))
      .catch(() => {
        setToken(null);
        setSignedIn(false);
      });
  }, [signedIn]);
  const languages = <LanguageSwitch label={s.language} lang={lang} storageKey="fieldwork.console.lang" setLang={setLang} />;
  if (!signedIn)
    return (
      <>
        <header class="console top">{languages}</header>
        <SignIn lang={lang} onDone={() => setSignedIn(true)} />
      </>
    );
  const [path, id] = route.split("/");
  const may = (a: Access): boolean =>
    me !== null &&
    ({ reviews: REVIEWERS, pays: PAYERS, reads: RESULT_READERS, admin: ["ADMIN"], calls: OPERATORS } satisfies Record<Access, string[]>)[
      a
    ].includes(me.role);
  const room = roomFor(path, id, may);
  const screen = !me ? (
    <p>{s.loading}</p>
  ) : room ? (
    room.screen({ lang, id: id ?? "", moderates: may("reviews"), userId: me.id })
  ) : (
    <p class="notice">{s.notForRole}</p>
  );
  const current = room?.under ?? room?.path;
  return (
    <>
      <header class="console top">
        <p class="brand">{s.title}</p>
        <nav aria-label={s.menu}>
          <ul>
            {ROOMS.filter((r) => r.menu && may(r.needs)).map((r) => (
              <li key={r.path}>
                <a href={`#/${r.path}`} aria-current={current === r.path ? "page" : undefined}>
                  {r.menu?.(s)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span>{me?.email}</span>
        {languages}
        <button
          type="button"
          class="secondary"
          onClick={() => {
            setToken(null);
            setMe(null);
            setSignedIn(false);
          }}
        >
          {s.signOut}
        </button>
      </header>
      <main class="console">{screen}</main>
    </>
  );
}

const root = document.getElementById("root");
if (root) render(<Console />, root);
