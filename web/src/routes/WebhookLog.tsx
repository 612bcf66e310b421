import { useEffect, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql';
import type { WebhookDeliveriesQuery, WebhookDeliveryStatus } from '../gql/graphql';
import { errorMessages, fieldErrors, type FieldErrors } from '../graphql/errors';
import { count, titleCase } from '../ui/format';
import { fieldWiring, focusFirstError, FormErrors, Saving, TableWrap } from '../ui/form';
import { Pager } from '../ui/Pager';
import { useBrand } from './brand';
import { abilities, useMe } from './me';
import { WEBHOOK_ENDPOINTS } from './webhook-endpoints';

const DELIVERIES = graphql(`
  query WebhookDeliveries($endpointId: ID!, $status: WebhookDeliveryStatus, $first: Int, $after: String) {
    webhookDeliveries(endpointId: $endpointId, status: $status, first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          webhookId
          eventType
          status
          createdAt
          attemptCount
          nextAttemptAt
          lastError
          replays
          attempts {
            attemptedAt
            outcome
            statusCode
            latencyMs
            responseExcerpt
            error
          }
        }
      }
    }
  }
`);

const REPLAY_ONE = graphql(`
  mutation ReplayWebhookDelivery($id: ID!) {
    replayWebhookDelivery(id: $id) {
      id
      status
      attemptCount
      nextAttemptAt
      replays
    }
  }
`);

const REPLAY_RANGE = graphql(`
  mutation ReplayWebhookDeliveries($endpointId: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {
    replayWebhookDeliveries(endpointId: $endpointId, from: $from, to: $to)
  }
`);

const PAGE = 20;
const STATUSES: WebhookDeliveryStatus[] = ['PENDING', 'SUCCEEDED', 'FAILED'];
const RANGE_FIELDS = ['from', 'to', 'endpointId'];
const NO_ERRORS: FieldErrors = { fields: {}, general: [] };
const DELIVERY_TYPES = { additionalTypenames: ['WebhookDelivery'] };
const when = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleString('en', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' }) + ' UTC' : '—';

/**
 * An endpoint's delivery log, newest first, by pages: each delivery's status, event type and attempts
 * (status code, latency, the answer's first KiB); replay one, or every delivery queued in a time range.
 * Replaying is offered to the brand's members on the brand's own endpoints (the API's rule).
 */
export default function WebhookLog() {
  const { id = '' } = useParams();
  const me = useMe();
  const can = abilities(me);
  const [brand] = useBrand(can.brandsToRead);
  const [status, setStatus] = useState<WebhookDeliveryStatus | ''>('');
  const [back, setBack] = useState<string[]>([]);
  const [after, setAfter] = useState<string | null>(null);
  const [endpoints] = useQuery({ query: WEBHOOK_ENDPOINTS, variables: { brandId: brand?.id ?? '' }, pause: !brand });
  const [deliveries, refresh] = useQuery({
    query: DELIVERIES,
    variables: { endpointId: id, status: status || null, first: PAGE, after },
    context: DELIVERY_TYPES,
    requestPolicy: 'cache-and-network',
  });
  useEffect(() => {
    document.title = 'Delivery log · InfluenceFlow';
  }, []);
  const endpoint = endpoints.data?.webhookEndpoints.find((e) => e.id === id);
  const mayManage = !!brand && can.brandsToRun.some((b) => b.id === brand.id) && !!endpoint && !endpoint.partnerClientId;
  // a disabled endpoint's deliveries are replayed once it is enabled again (the API refuses before)
  const mayReplay = mayManage && !endpoint.disabledAt;
  const page = deliveries.data?.webhookDeliveries;
  const error = deliveries.error ?? endpoints.error;

  return (
    <div>
      <p>
        <Link to={`/partners${brand ? `?brand=${brand.id}` : ''}`}>← Partners</Link>
      </p>
      <h1>Delivery log</h1>
      {endpoint && (
        <p data-testid="log-endpoint">
          <span className="url">{endpoint.url}</span>
          {endpoint.disabledAt && (
            <>
              {' '}
              <span className="status status-disabled">Disabled</span>
              {endpoint.disabledReason && `: ${endpoint.disabledReason}`}
            </>
          )}
        </p>
      )}
      {error && (
        <div role="alert" className="error-box">
          {errorMessages(error).map((m) => (
            <p key={m}>{m}</p>
          ))}
        </div>
      )}
      <div className="title-row">
        <div className="field inline">
          <label htmlFor="log-status">Status</label>
          <select
            id="log-status"
            value={status}
            onChange={(e) => {
              setStatus(e.target.value as WebhookDeliveryStatus | '');
              setBack([]);
              setAfter(null);
            }}
          >
            <option value="">All</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {titleCase(s)}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="secondary" onClick={() => refresh({ requestPolicy: 'network-only' })}>
          Refresh
        </button>
      </div>
      {deliveries.fetching && !page && <p role="status">Loading the deliveries…</p>}
      {page && page.edges.length === 0 && <p>No delivery{status ? ` ${titleCase(status).toLowerCase()}` : ''} yet.</p>}
      {page && page.edges.length > 0 && (
        <TableWrap label="Deliveries, newest first">
          <table className="deliveries">
            <caption>Deliveries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                {mayReplay && <th scope="col">Replay</th>}
              </tr>
            </thead>
            <tbody>
              {page.edges.map(({ node: d }) => (
                <DeliveryRow key={d.id} delivery={d} mayReplay={mayReplay} />
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {page && (
        <Pager
          label="Delivery pages"
          page={back.length + 1}
          hasPrevious={!!after}
          hasNext={page.pageInfo.hasNextPage}
          onPrevious={() => {
            setAfter(back[back.length - 1] || null);
            setBack(back.slice(0, -1));
          }}
          onNext={() => {
            setBack([...back, after ?? '']);
            setAfter(page.pageInfo.endCursor ?? null);
          }}
        />
      )}
      {mayManage && endpoint.disabledAt && (
        <p className="hint" data-testid="replay-hint">
          Enable the endpoint on the Partners page to replay its deliveries.
        </p>
      )}
      {mayReplay && <ReplayRange endpointId={id} />}
    </div>
  );
}

type Delivery = WebhookDeliveriesQuery['webhookDeliveries']['edges'][number]['node'];

function DeliveryRow({ delivery: d, mayReplay }: { delivery: Delivery; mayReplay: boolean }) {
  const [replaying, replay] = useMutation(REPLAY_ONE);
  const [errors, setErrors] = useState<string[]>([]);
  const [done, setDone] = useState(false);
  return (
    <tr data-delivery={d.id}>
      <th scope="row">
        <code>{d.eventType}</code>
        <div className="hint">queued {when(d.createdAt)}</div>
        <div className="hint">webhook-id {d.webhookId}</div>
      </th>
      <td data-testid="delivery-status">
        <span className={`status status-${d.status.toLowerCase()}`}>{titleCase(d.status)}</span>
        {d.status === 'PENDING' && d.nextAttemptAt && <div className="hint">next attempt {when(d.nextAttemptAt)}</div>}
        {d.replays > 0 && <div className="hint">replayed {count(d.replays)}×</div>}
        {d.lastError && <div className="reason">{d.lastError}</div>}
      </td>
      <td>
        {d.attempts.length === 0 ? (
          <span className="hint">No attempt yet</span>
        ) : (
          <ol className="attempts">
            {d.attempts.map((a, i) => (
              <li key={`${a.attemptedAt}-${i}`} data-testid="attempt">
                <span className={`status status-${a.outcome.toLowerCase()}`}>{titleCase(a.outcome)}</span>{' '}
                {a.statusCode ? `HTTP ${a.statusCode}` : 'no answer'} · {count(a.latencyMs)} ms · {when(a.attemptedAt)}
                {a.error && <div className="reason">{a.error}</div>}
                {a.responseExcerpt && (
                  <details>
                    <summary>Response</summary>
                    <pre className="excerpt">{a.responseExcerpt}</pre>
                  </details>
                )}
              </li>
            ))}
          </ol>
        )}
      </td>
      {mayReplay && (
        <td>
          <button
            type="button"
            className="secondary"
            disabled={replaying.fetching}
            aria-label={`Replay the ${d.eventType} delivery queued ${when(d.createdAt)}`}
            onClick={() =>
              void replay({ id: d.id }, DELIVERY_TYPES).then((r) => {
                setErrors(r.error ? errorMessages(r.error) : []);
                setDone(!r.error);
              })
            }
          >
            {replaying.fetching ? 'Replaying…' : 'Replay'}
          </button>
          {replaying.fetching && <Saving label="Replaying…" />}
          {done && (
            <span role="status" className="success">
              {' '}
              Queued again.
            </span>
          )}
          {errors.length > 0 && (
            <div role="alert" className="error-box">
              {errors.map((m) => (
                <p key={m}>{m}</p>
              ))}
            </div>
          )}
        </td>
      )}
    </tr>
  );
}

/** `<input type="datetime-local">` is local time without a zone: the instant it means, in ISO. */
const instant = (local: string) => {
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? local : d.toISOString();
};

function ReplayRange({ endpointId }: { endpointId: string }) {
  const [result, replay] = useMutation(REPLAY_RANGE);
  const [errors, setErrors] = useState<FieldErrors>(NO_ERRORS);
  const [replayed, setReplayed] = useState<number | null>(null);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const from = String(f.get('from') ?? '');
    const to = String(f.get('to') ?? '');
    const missing: Record<string, string> = {};
    if (!from) missing.from = 'Say from when';
    if (!to) missing.to = 'Say until when';
    setReplayed(null);
    if (from && to) {
      const r = await replay({ endpointId, from: instant(from), to: instant(to) }, DELIVERY_TYPES);
      if (r.error) {
        const m = r.error.graphQLErrors.length
          ? fieldErrors(r.error.graphQLErrors, RANGE_FIELDS)
          : { fields: {}, general: errorMessages(r.error) };
        // the endpoint's own state (disabled) names no field of this form: above it
        if (m.fields.endpointId) m.general.unshift(m.fields.endpointId);
        delete m.fields.endpointId;
        setErrors(m);
        focusFirstError(form, RANGE_FIELDS, m.fields);
        return;
      }
      setErrors(NO_ERRORS);
      setReplayed(r.data!.replayWebhookDeliveries);
      return;
    }
    setErrors({ fields: missing, general: [] });
    focusFirstError(form, RANGE_FIELDS, missing);
  };
  const fromField = fieldWiring(errors.fields, 'from', 'er');
  const toField = fieldWiring(errors.fields, 'to', 'er');
  return (
    <form className="panel" aria-labelledby="replay-title" onSubmit={(e) => void submit(e)} noValidate>
      <h2 id="replay-title">Replay a time range</h2>
      <p className="hint">
        Sends again the deliveries queued from the first instant up to the second that are not pending, at most 1,000 at a time (the
        oldest). Receivers see the same <code>webhook-id</code>.
      </p>
      <FormErrors messages={errors.general} />
      {replayed !== null && (
        <p role="status" className="success">
          {replayed === 1 ? '1 delivery' : `${count(replayed)} deliveries`} queued again.
        </p>
      )}
      <div className="pair">
        <div className="field">
          <label htmlFor="r-from">From (your time)</label>
          <input id="r-from" name="from" type="datetime-local" step="1" {...fromField.props} />
          {fromField.error}
        </div>
        <div className="field">
          <label htmlFor="r-to">To (your time)</label>
          <input id="r-to" name="to" type="datetime-local" step="1" {...toField.props} />
          {toField.error}
        </div>
      </div>
      <div className="actions">
        <button type="submit" disabled={result.fetching} aria-busy={result.fetching}>
          {result.fetching ? 'Replaying…' : 'Replay the range'}
        </button>
        {result.fetching && <Saving label="Replaying the range…" />}
      </div>
    </form>
  );
}
