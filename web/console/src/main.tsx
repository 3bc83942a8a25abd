// The staff console at /console/: staff sign in (the token lives in sessionStorage, for this tab only), then
// work in the sections their role allows. Routes by the URL hash: #/review (the queue), #/visit/<id>, #/venues, #/checklists, #/checklist/<version>, #/venue/<id>, #/waves, #/shoppers, #/shopper/<id>, #/payments, #/results/<wave>, #/result/<visit>, #/index, #/staff, #/feedback, #/services. The
// console only calls the public GraphQL API, so every rule (roles, client scope) is the service's.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { failureText, gql, keepTokenIn, setToken, token } from "../../common/api";
import { Field } from "../../common/field";
import { LanguageSwitch } from "../../common/language";
import { ConsoleLoginDocument, StaffMeDocument } from "./gql/operations";
import type { StaffMeQuery } from "./gql/operations";
import { initialLang, t, type Lang } from "./i18n";
import { FeedbackRoom } from "./feedback";
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
import "../../app/src/style.css";
import "./console.css";

keepTokenIn(() => sessionStorage, "fieldwork.console.token");

type Me = StaffMeQuery["me"];
const REVIEWERS = ["COORDINATOR", "ADMIN"];
const PAYERS = ["PAYMENTS", "ADMIN"];
const RESULT_READERS = ["CLIENT_VIEWER", "COORDINATOR", "ADMIN"];

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
        <Field id="password" label={s.password} type="password" autocomplete="current-password" value={password} error={errors.password} onInput={setPassword} />
        <button type="submit">{s.submitSignIn}</button>
      </form>
    </main>
  );
}

/// The section asked for if the role has it, else the first one the role has (null: none).
function sectionFor(section: string, id: string | undefined, reviews: boolean, pays: boolean, reads: boolean, admin: boolean): string | null {
  if (section === "staff" && admin) return "staff";
  if (section === "payments" && pays) return "payments";
  if (section === "results" && reads) return "results";
  if (section === "index" && reads) return "index";
  if (section === "result" && reads && id) return "result";
  if (reviews) {
    if (["venues", "checklists", "waves", "shoppers", "feedback", "services"].includes(section)) return section;
    if (["visit", "shopper", "checklist", "venue"].includes(section) && id) return section;
    return "review";
  }
  if (pays) return "payments";
  return reads ? "results" : null;
}

function Console() {
  const [lang, setLang] = useState<Lang>(initialLang);
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
  const [section, id] = route.split("/");
  const reviews = me !== null && REVIEWERS.includes(me.role);
  const pays = me !== null && PAYERS.includes(me.role);
  const reads = me !== null && RESULT_READERS.includes(me.role);
  const admin = me?.role === "ADMIN";
  const current = sectionFor(section, id, reviews, pays, reads, admin);
  let screen;
  if (!me) screen = <p>{s.loading}</p>;
  else if (current === "visit") screen = <VisitReview key={id} lang={lang} id={id} />;
  else if (current === "review") screen = <Queue lang={lang} />;
  else if (current === "payments") screen = <Payments lang={lang} />;
  else if (current === "staff") screen = <Staff lang={lang} />;
  else if (current === "feedback") screen = <FeedbackRoom lang={lang} />;
  else if (current === "services") screen = <ServiceCatalogueRoom lang={lang} />;
  else if (current === "index") screen = <QualityRoom lang={lang} moderates={reviews} />;
  else if (current === "results") screen = <Results lang={lang} waveId={id || undefined} />;
  else if (current === "result") screen = <ResultVisit key={id} lang={lang} id={id} />;
  else if (current === "venues") screen = <Venues lang={lang} />;
  else if (current === "venue") screen = <VenuePage key={id} lang={lang} id={id} />;
  else if (current === "waves") screen = <Waves lang={lang} />;
  else if (current === "checklists") screen = <Checklists lang={lang} />;
  else if (current === "checklist") screen = <ChecklistEditor key={id} lang={lang} id={id} />;
  else if (current === "shoppers") screen = <Shoppers lang={lang} />;
  else if (current === "shopper") screen = <ShopperPage key={id} lang={lang} id={id} />;
  else screen = <p class="notice">{s.notForRole}</p>;
  const sections: [string, string, boolean][] = [
    ["review", s.review, reviews],
    ["venues", s.venues, reviews],
    ["checklists", s.checklists, reviews],
    ["waves", s.waves, reviews],
    ["shoppers", s.shoppers, reviews],
    ["feedback", s.feedbackTitle, reviews],
    ["services", s.servicesTitle, reviews],
    ["payments", s.payments, pays],
    ["results", s.results, reads],
    ["index", s.qualityTitle, reads],
    ["staff", s.staff, admin],
  ];
  return (
    <>
      <header class="console top">
        <p class="brand">{s.title}</p>
        <nav aria-label={s.menu}>
          <ul>
            {sections
              .filter(([, , allowed]) => allowed)
              .map(([path, name]) => (
                <li key={path}>
                  <a href={`#/${path}`} aria-current={current === path || (path === "review" && current === "visit") || (path === "shoppers" && current === "shopper") || (path === "checklists" && current === "checklist") || (path === "results" && current === "result") || (path === "venues" && current === "venue") ? "page" : undefined}>
                    {name}
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
