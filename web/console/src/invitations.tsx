// The SMS and Viber channel (#/invitations, coordinators): for a client, one oblast of it and a span of days,
// the funnel from services reported to answers with the share kept at each step, why services were not
// invited and why messages did not arrive (reason codes in the reader's words), messages per day against the
// daily budget, the provider's health, and the client's invitation policy (a refused value is named at its
// field, what was typed stays).
import { useEffect, useState } from "preact/hooks";
import { GraphQLFailure, failureText, gql } from "../../common/api";
import { Field } from "../../common/field";
import { InvitationFunnelDocument, InvitationPolicyDocument, SetInvitationPolicyDocument } from "./gql/operations";
import type { InvitationFunnelQuery } from "./gql/operations";
import { ClientSelect, useClients } from "./clients";
import { dateTime, kyivDay, t, type Lang } from "./i18n";

type Funnel = InvitationFunnelQuery["invitationFunnel"];

interface PolicyForm {
  share: string;
  cooldownDays: string;
  delayMinutes: string;
  windowStart: string;
  windowEnd: string;
  maxWaitHours: string;
  dailyBudget: string;
}

const EMPTY: PolicyForm = {
  share: "",
  cooldownDays: "",
  delayMinutes: "",
  windowStart: "",
  windowEnd: "",
  maxWaitHours: "",
  dailyBudget: "",
};

function percent(part: number, whole: number, lang: Lang): string {
  if (whole <= 0) return "—";
  return new Intl.NumberFormat(lang === "uk" ? "uk-UA" : "en-GB", { style: "percent", maximumFractionDigits: 1 }).format(part / whole);
}

export function InvitationsRoom({ lang }: { lang: Lang }) {
  const s = t(lang);
  const clients = useClients();
  const [clientId, setClientId] = useState("");
  const [from, setFrom] = useState(kyivDay(-29));
  const [to, setTo] = useState(kyivDay(0));
  const [oblast, setOblast] = useState("");
  const [funnel, setFunnel] = useState<Funnel | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form, setForm] = useState<PolicyForm>(EMPTY);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [policyNote, setPolicyNote] = useState<string | null>(null);
  const [policyError, setPolicyError] = useState<string | null>(null);

  useEffect(() => {
    if (!clientId && clients.length === 1) setClientId(clients[0].id);
  }, [clients]);

  async function load() {
    if (!clientId) return;
    setError(null);
    try {
      const data = await gql(InvitationFunnelDocument, { clientId, from, to, oblast: oblast.trim() || null });
      setFunnel(data.invitationFunnel);
    } catch (err) {
      setFunnel(null);
      setError(failureText(err));
    }
  }

  useEffect(() => {
    void load();
    if (!clientId) return;
    void gql(InvitationPolicyDocument, { clientId }).then(
      (data) => {
        const p = data.invitationPolicy;
        setForm({
          share: String(p.share),
          cooldownDays: String(p.cooldownDays),
          delayMinutes: String(p.delayMinutes),
          windowStart: p.windowStart,
          windowEnd: p.windowEnd,
          maxWaitHours: String(p.maxWaitHours),
          dailyBudget: p.dailyBudget === null ? "" : String(p.dailyBudget),
        });
        setFieldErrors({});
      },
      (err) => setPolicyError(failureText(err)),
    );
  }, [clientId]);

  async function save(e: Event) {
    e.preventDefault();
    setPolicyNote(null);
    setPolicyError(null);
    setFieldErrors({});
    const number = (field: keyof PolicyForm, text: string): number => {
      const value = Number(text.trim().replace(",", "."));
      if (text.trim() === "" || !Number.isFinite(value)) throw new FieldProblem(field, s.policyNumber);
      return value;
    };
    try {
      const input = {
        share: number("share", form.share),
        cooldownDays: Math.round(number("cooldownDays", form.cooldownDays)),
        delayMinutes: Math.round(number("delayMinutes", form.delayMinutes)),
        windowStart: form.windowStart,
        windowEnd: form.windowEnd,
        maxWaitHours: Math.round(number("maxWaitHours", form.maxWaitHours)),
        dailyBudget: form.dailyBudget.trim() ? Math.round(number("dailyBudget", form.dailyBudget)) : null,
      };
      await gql(SetInvitationPolicyDocument, { clientId, input });
      setPolicyNote(s.policySaved);
      await load();
    } catch (err) {
      if (err instanceof FieldProblem) {
        setFieldErrors({ [err.field]: err.message });
      } else if (err instanceof GraphQLFailure && err.errors.some((x) => x.field)) {
        setFieldErrors(Object.fromEntries(err.errors.filter((x) => x.field).map((x) => [x.field!.replace(/^input\./, ""), x.message])));
      } else {
        setPolicyError(failureText(err));
      }
    }
  }

  const steps: [string, number][] = funnel
    ? [
        [s.funnelReported, funnel.reported],
        [s.funnelWithPhone, funnel.withPhone],
        [s.funnelInvited, funnel.invited],
        [s.funnelSent, funnel.sent],
        [s.funnelDelivered, funnel.delivered],
        [s.funnelOpened, funnel.opened],
        [s.funnelAnswered, funnel.answered],
      ]
    : [];
  const field = (key: keyof PolicyForm, label: string, hint?: string) => (
    <Field
      id={`policy-${key}`}
      label={label}
      hint={hint}
      value={form[key]}
      error={fieldErrors[key]}
      onInput={(v) => setForm({ ...form, [key]: v })}
    />
  );
  return (
    <>
      <h1>{s.invitationsTitle}</h1>
      <p>{s.invitationsIntro}</p>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          void load();
        }}
      >
        <ClientSelect
          id="invitations-client"
          label={s.client}
          none={s.chooseClient}
          clients={clients}
          value={clientId}
          onChange={setClientId}
        />
        <Field id="invitations-from" label={s.spanFrom} type="date" value={from} onInput={setFrom} />
        <Field id="invitations-to" label={s.spanTo} type="date" value={to} onInput={setTo} />
        <Field id="invitations-oblast" label={s.keyOblast} value={oblast} onInput={setOblast} />
        <button type="submit">{s.show}</button>
      </form>
      <div aria-live="polite">
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
      </div>
      {funnel && (
        <>
          <div class="table-wrap" tabIndex={0}>
            <table>
              <caption>{s.funnelTitle}</caption>
              <thead>
                <tr>
                  <th scope="col">{s.funnelStep}</th>
                  <th scope="col">{s.funnelCount}</th>
                  <th scope="col">{s.funnelShare}</th>
                </tr>
              </thead>
              <tbody>
                {steps.map(([label, n], i) => (
                  <tr key={label}>
                    <th scope="row">{label}</th>
                    <td>{n}</td>
                    <td>{i === 0 ? "" : percent(n, steps[i - 1][1], lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p role="status">
            {s.responseRate}: {percent(funnel.answered, funnel.sent, lang)} · {s.segmentsPaid}: {funnel.segments} · {s.optedOutPhones}:{" "}
            {funnel.optedOut}
          </p>
          <Reasons title={s.skippedTitle} rows={funnel.skipped} names={s.invitationReasons} empty={s.noneYet} />
          <Reasons title={s.failedTitle} rows={funnel.failed} names={s.invitationReasons} empty={s.noneYet} />
          <div class="table-wrap" tabIndex={0}>
            <table>
              <caption>{s.perDayTitle}</caption>
              <thead>
                <tr>
                  <th scope="col">{s.day}</th>
                  <th scope="col">{s.funnelSent}</th>
                  <th scope="col">{s.segmentsPaid}</th>
                  <th scope="col">{s.dailyBudget}</th>
                </tr>
              </thead>
              <tbody>
                {funnel.days.length === 0 && (
                  <tr>
                    <td colSpan={4}>{s.noneYet}</td>
                  </tr>
                )}
                {funnel.days.map((d) => (
                  <tr key={d.day}>
                    <td>{d.day}</td>
                    <td>{d.sent}</td>
                    <td>{d.segments}</td>
                    <td>
                      {funnel.dailyBudget === null ? s.noCap : `${d.sent} / ${funnel.dailyBudget}`}
                      {funnel.dailyBudget !== null && d.sent >= funnel.dailyBudget && ` · ${s.budgetSpent}`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <section aria-labelledby="provider-health">
            <h2 id="provider-health">{s.providerTitle}</h2>
            <dl class="facts">
              <dt>{s.providerName}</dt>
              <dd>{funnel.provider.name ?? s.providerNone}</dd>
              <dt>{s.providerWaiting}</dt>
              <dd>
                {funnel.provider.waiting} ({s.providerRetrying}: {funnel.provider.retrying})
              </dd>
              <dt>{s.providerLastAccepted}</dt>
              <dd>{funnel.provider.lastAcceptedAt ? dateTime(funnel.provider.lastAcceptedAt, lang) : s.never}</dd>
              <dt>{s.providerFailedDay}</dt>
              <dd>{funnel.provider.failedLastDay}</dd>
              {funnel.provider.lastError && (
                <>
                  <dt>{s.providerLastError}</dt>
                  <dd class="long-text">
                    <code>{funnel.provider.lastError}</code>
                  </dd>
                </>
              )}
            </dl>
          </section>
        </>
      )}
      {clientId && (
        <form aria-labelledby="policy-title" onSubmit={(e) => void save(e)} noValidate>
          <h2 id="policy-title">{s.policyTitle}</h2>
          <p>{s.policyIntro}</p>
          <div class="filters">
            {field("share", s.policyShare, s.policyShareHint)}
            {field("delayMinutes", s.policyDelay)}
            {field("windowStart", s.policyWindowStart, "09:00")}
            {field("windowEnd", s.policyWindowEnd, "20:00")}
            {field("cooldownDays", s.policyCooldown)}
            {field("maxWaitHours", s.policyMaxWait)}
            {field("dailyBudget", s.dailyBudget, s.policyBudgetHint)}
          </div>
          <button type="submit">{s.savePolicy}</button>
          <div aria-live="polite">
            {policyError && (
              <p role="alert" class="error">
                {policyError}
              </p>
            )}
            {Object.keys(fieldErrors).length > 0 && (
              <p role="alert" class="error">
                {s.policyFix}
              </p>
            )}
            {policyNote && <p role="status">{policyNote}</p>}
          </div>
        </form>
      )}
    </>
  );
}

class FieldProblem extends Error {
  constructor(
    public readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

function Reasons(props: { title: string; rows: { reason: string; count: number }[]; names: Record<string, string>; empty: string }) {
  return (
    <div class="table-wrap" tabIndex={0}>
      <table>
        <caption>{props.title}</caption>
        <tbody>
          {props.rows.length === 0 && (
            <tr>
              <td colSpan={2}>{props.empty}</td>
            </tr>
          )}
          {props.rows.map((r) => (
            <tr key={r.reason}>
              <th scope="row">{props.names[r.reason] ?? r.reason}</th>
              <td>{r.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
