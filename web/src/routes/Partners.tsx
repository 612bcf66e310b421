import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql';
import type { WebhookEndpointsQuery } from '../gql/graphql';
import { errorMessages, fieldErrors, type FieldErrors } from '../graphql/errors';
import { eventTypeGroups } from '../lib/event-types';
import { date } from '../ui/format';
import { fieldWiring, focusFirstError, FormErrors, Saving, TableWrap } from '../ui/form';
import { Pager } from '../ui/Pager';
import { useBrand } from './brand';
import { WEBHOOK_ENDPOINTS } from './webhook-endpoints';
import { abilities, useMe } from './me';

const PARTNER_GRANTS = graphql(`
  query PartnerGrants($brandId: ID!, $first: Int, $after: String) {
    partnerGrants(brandId: $brandId, first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          partnerClientId
          eventTypes
          grantedAt
        }
      }
    }
  }
`);

const SUBSCRIBABLE_EVENT_TYPES = graphql(`
  query SubscribableEventTypes {
    subscribableEventTypes
  }
`);

const CREATE_ENDPOINT = graphql(`
  mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {
    createWebhookEndpoint(input: $input) {
      secret
      endpoint {
        id
        url
      }
    }
  }
`);

const ROTATE_SECRET = graphql(`
  mutation RotateWebhookSecret($id: ID!) {
    rotateWebhookSecret(id: $id) {
      secret
      endpoint {
        id
        url
        secretRotatedAt
      }
    }
  }
`);

const DISABLE_ENDPOINT = graphql(`
  mutation DisableWebhookEndpoint($id: ID!) {
    disableWebhookEndpoint(id: $id) {
      id
      disabledAt
      disabledReason
    }
  }
`);

const ENABLE_ENDPOINT = graphql(`
  mutation EnableWebhookEndpoint($id: ID!) {
    enableWebhookEndpoint(id: $id) {
      id
      disabledAt
      disabledReason
    }
  }
`);

const DELETE_ENDPOINT = graphql(`
  mutation DeleteWebhookEndpoint($id: ID!) {
    deleteWebhookEndpoint(id: $id)
  }
`);

const GRANT_ACCESS = graphql(`
  mutation GrantPartnerAccess($input: GrantPartnerAccessInput!) {
    grantPartnerAccess(input: $input) {
      id
      partnerClientId
      eventTypes
      grantedAt
    }
  }
`);

const REVOKE_ACCESS = graphql(`
  mutation RevokePartnerAccess($id: ID!) {
    revokePartnerAccess(id: $id) {
      id
      revokedAt
    }
  }
`);

type Endpoint = WebhookEndpointsQuery['webhookEndpoints'][number];

/** The reason the API gives a partner's endpoint that a member disabled: only then may the member enable it. */
const DISABLED_BY_BRAND = "disabled by the brand's member";
const NO_ERRORS: FieldErrors = { fields: {}, general: [] };
const ENDPOINT_FIELDS = ['input.url', 'input.description', 'input.eventTypes', 'input.brandId'];
const GRANT_FIELDS = ['input.clientId', 'input.eventTypes', 'input.brandId'];
const GRANTS_PAGE = 20;
// an empty list holds no __typename for urql's document cache to invalidate: name the types it lists
const ENDPOINT_TYPES = { additionalTypenames: ['WebhookEndpoint', 'WebhookEndpointWithSecret'] };
const GRANT_TYPES = { additionalTypenames: ['PartnerGrant'] };

/** The mapped errors of a failed mutation, or the network's message above the form. */
function mapped(error: { graphQLErrors: { message: string; extensions?: Record<string, unknown> | null }[] }, known: string[]) {
  return error.graphQLErrors.length ? fieldErrors(error.graphQLErrors, known) : { fields: {}, general: errorMessages(error as never) };
}

/**
 * Partners: the brand's webhook endpoints (its own and its partners'), each with its delivery log, and the
 * partner platforms it grants its events to. Members manage them; analysts read them; what the API would
 * refuse (changing a partner's endpoint, deleting one whose grant is live) is not offered.
 */
export default function Partners() {
  const me = useMe();
  const can = abilities(me);
  const [brand, setBrand] = useBrand(can.brandsToRead);
  const [secret, setSecret] = useState<{ url: string; secret: string; rotated: boolean } | null>(null);
  useEffect(() => {
    document.title = 'Partners · InfluenceFlow';
  }, []);
  const [endpoints] = useQuery({
    query: WEBHOOK_ENDPOINTS,
    variables: { brandId: brand?.id ?? '' },
    pause: !brand,
    context: ENDPOINT_TYPES,
  });
  const [grantsAfter, setGrantsAfter] = useState<string[]>([]);
  const [grants] = useQuery({
    query: PARTNER_GRANTS,
    variables: { brandId: brand?.id ?? '', first: GRANTS_PAGE, after: grantsAfter[grantsAfter.length - 1] ?? null },
    pause: !brand,
    context: GRANT_TYPES,
  });
  if (!brand) return <p>You are not a member of any brand.</p>;
  const mayManage = can.brandsToRun.some((b) => b.id === brand.id);
  const liveGrantees = new Set(grants.data?.partnerGrants.edges.map((e) => e.node.partnerClientId) ?? []);
  const list = endpoints.data?.webhookEndpoints;
  const page = grants.data?.partnerGrants;

  return (
    <div>
      <h1>Partners</h1>
      <p className="hint">
        Webhooks send {brand.name}&rsquo;s events to an HTTPS address, signed; partner platforms receive the events you grant them.
        {!mayManage && ' You may read them; a member of the brand changes them.'}
      </p>
      {can.brandsToRead.length > 1 && (
        <div className="field inline">
          <label htmlFor="brand-select">Brand</label>
          <select id="brand-select" value={brand.id} onChange={(e) => setBrand(e.target.value)}>
            {can.brandsToRead.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </select>
        </div>
      )}

      <section aria-labelledby="endpoints-title">
        <h2 id="endpoints-title">Webhook endpoints</h2>
        {secret && <SecretOnce {...secret} onDone={() => setSecret(null)} />}
        {endpoints.fetching && !list && <p role="status">Loading the endpoints…</p>}
        {endpoints.error && (
          <div role="alert" className="error-box">
            {errorMessages(endpoints.error).map((m) => (
              <p key={m}>{m}</p>
            ))}
          </div>
        )}
        {list && list.length === 0 && <p>{brand.name} has no webhook endpoint yet.</p>}
        {list && list.length > 0 && (
          <TableWrap label={`Webhook endpoints of ${brand.name}`}>
            <table className="endpoints">
              <caption>Webhook endpoints of {brand.name}</caption>
              <thead>
                <tr>
                  <th scope="col">URL</th>
                  <th scope="col">Whose</th>
                  <th scope="col">Event types</th>
                  <th scope="col">State</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {list.map((e) => (
                  <EndpointRow
                    key={e.id}
                    endpoint={e}
                    brand={brand}
                    mayManage={mayManage}
                    grantLive={!!e.partnerClientId && (liveGrantees.has(e.partnerClientId) || !page)}
                    onSecret={(s) => setSecret({ url: e.url, secret: s, rotated: true })}
                  />
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
        {mayManage && <NewEndpoint brandId={brand.id} onCreated={(url, s) => setSecret({ url, secret: s, rotated: false })} />}
      </section>

      <section aria-labelledby="grants-title">
        <h2 id="grants-title">Partner access</h2>
        {grants.fetching && !page && <p role="status">Loading the grants…</p>}
        {grants.error && (
          <div role="alert" className="error-box">
            {errorMessages(grants.error).map((m) => (
              <p key={m}>{m}</p>
            ))}
          </div>
        )}
        {page && page.edges.length === 0 && <p>No partner platform receives {brand.name}&rsquo;s events.</p>}
        {page && page.edges.length > 0 && (
          <TableWrap label={`Partner platforms with access to ${brand.name}`}>
            <table className="grants">
              <caption>Live grants of {brand.name}</caption>
              <thead>
                <tr>
                  <th scope="col">Partner</th>
                  <th scope="col">Event types</th>
                  <th scope="col">Granted</th>
                  {mayManage && <th scope="col">Actions</th>}
                </tr>
              </thead>
              <tbody>
                {page.edges.map(({ node: g }) => (
                  <GrantRow key={g.id} grant={g} mayManage={mayManage} />
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
        {page && (
          <Pager
            label="Grant pages"
            page={grantsAfter.length + 1}
            hasPrevious={grantsAfter.length > 0}
            hasNext={page.pageInfo.hasNextPage}
            onPrevious={() => setGrantsAfter(grantsAfter.slice(0, -1))}
            onNext={() => setGrantsAfter([...grantsAfter, page.pageInfo.endCursor ?? ''])}
          />
        )}
        {mayManage && <GrantForm brandId={brand.id} />}
      </section>
    </div>
  );
}

/** A secret the API shows this once: selectable, with a copy button and a way to put it away. */
function SecretOnce(props: { url: string; secret: string; rotated: boolean; onDone(): void }) {
  const [copied, setCopied] = useState(false);
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const copy = async () => {
    ref.current?.select();
    setCopied(
      await navigator.clipboard?.writeText(props.secret).then(
        () => true,
        () => false,
      ),
    );
  };
  return (
    <div className="secret-once" role="region" aria-labelledby="secret-title" data-testid="secret-once">
      <h3 id="secret-title">
        {props.rotated ? 'New signing secret' : 'Signing secret'} of {props.url}
      </h3>
      <p id="secret-hint" className="hint">
        Copy it into your receiver now: it is shown this once and cannot be shown again (rotate it to get a new one).
        {props.rotated && ' Deliveries are signed with the previous secret too for 24 hours.'}
      </p>
      <div className="field">
        <label htmlFor="secret-value">Secret</label>
        <input
          id="secret-value"
          ref={ref}
          readOnly
          value={props.secret}
          aria-describedby="secret-hint"
          onFocus={(e) => e.target.select()}
        />
      </div>
      <div className="actions">
        <button type="button" onClick={() => void copy()}>
          Copy the secret
        </button>
        <button type="button" className="secondary" onClick={props.onDone}>
          I have kept it
        </button>
        {copied && (
          <span role="status" className="success">
            Copied.
          </span>
        )}
      </div>
    </div>
  );
}

function EndpointRow(props: {
  endpoint: Endpoint;
  brand: { id: string; name: string };
  mayManage: boolean;
  grantLive: boolean;
  onSecret(secret: string): void;
}) {
  const { endpoint: e, mayManage } = props;
  const [rotating, rotate] = useMutation(ROTATE_SECRET);
  const [disabling, disable] = useMutation(DISABLE_ENDPOINT);
  const [enabling, enable] = useMutation(ENABLE_ENDPOINT);
  const [removing, remove] = useMutation(DELETE_ENDPOINT);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  const partner = !!e.partnerClientId;
  const busy = rotating.fetching || disabling.fetching || enabling.fetching || removing.fetching;
  const run = async (act: () => Promise<{ error?: Parameters<typeof errorMessages>[0] }>) => {
    setErrors([]);
    const r = await act();
    if (r.error) setErrors(errorMessages(r.error));
    return !r.error;
  };
  // what the API lets a member do (docs/webhooks.md, "Who may do what")
  const mayRotate = mayManage && !partner;
  const mayDisable = mayManage && !e.disabledAt;
  const mayEnable = mayManage && !!e.disabledAt && (!partner || e.disabledReason === DISABLED_BY_BRAND);
  const mayDelete = mayManage && (!partner || !props.grantLive);
  const label = e.description ? `${e.url} (${e.description})` : e.url;
  return (
    <tr data-endpoint={e.id}>
      <th scope="row">
        <span className="url">{e.url}</span>
        {e.description && <span className="hint"> — {e.description}</span>}
      </th>
      <td data-testid="whose">{partner ? `Partner ${e.partnerClientId}` : props.brand.name}</td>
      <td>
        <ul className="types">
          {e.eventTypes.map((t) => (
            <li key={t}>
              <code>{t}</code>
            </li>
          ))}
        </ul>
      </td>
      <td data-testid="state">
        {e.disabledAt ? (
          <>
            <span className="status status-disabled">Disabled</span> since {date(e.disabledAt)}
            {e.disabledReason && <span className="reason">: {e.disabledReason}</span>}
          </>
        ) : (
          <>
            <span className="status status-active">Enabled</span>
            <span className="hint"> {e.lastSuccessAt ? `last delivered ${date(e.lastSuccessAt)}` : 'nothing delivered yet'}</span>
          </>
        )}
      </td>
      <td>
        <div className="row-actions">
          <Link to={`/partners/endpoints/${e.id}?brand=${props.brand.id}`} aria-label={`Delivery log of ${label}`}>
            Delivery log
          </Link>
          {mayRotate && (
            <button
              type="button"
              className="secondary"
              disabled={busy}
              onClick={() =>
                void run(async () => {
                  const r = await rotate({ id: e.id });
                  if (r.data) props.onSecret(r.data.rotateWebhookSecret.secret);
                  return r;
                })
              }
            >
              {rotating.fetching ? 'Rotating…' : 'Rotate the secret'}
            </button>
          )}
          {mayDisable && (
            <button type="button" className="secondary" disabled={busy} onClick={() => void run(() => disable({ id: e.id }))}>
              {disabling.fetching ? 'Disabling…' : 'Disable'}
            </button>
          )}
          {mayEnable && (
            <button type="button" className="secondary" disabled={busy} onClick={() => void run(() => enable({ id: e.id }))}>
              {enabling.fetching ? 'Enabling…' : 'Enable'}
            </button>
          )}
          {mayDelete && !confirmDelete && (
            <button type="button" className="secondary danger" disabled={busy} onClick={() => setConfirmDelete(true)}>
              Delete
            </button>
          )}
          {mayDelete && confirmDelete && (
            <span className="confirm">
              <span>Delete it and its delivery log?</span>
              <button
                type="button"
                className="danger"
                disabled={busy}
                onClick={() =>
                  void run(() => remove({ id: e.id }, ENDPOINT_TYPES)).then((ok) => {
                    if (ok) setConfirmDelete(false);
                  })
                }
              >
                {removing.fetching ? 'Deleting…' : 'Yes, delete'}
              </button>
              <button type="button" className="secondary" disabled={busy} onClick={() => setConfirmDelete(false)}>
                Cancel
              </button>
            </span>
          )}
          {busy && <Saving label="Saving…" />}
        </div>
        {errors.length > 0 && (
          <div role="alert" className="error-box">
            {errors.map((m) => (
              <p key={m}>{m}</p>
            ))}
          </div>
        )}
      </td>
    </tr>
  );
}

/** The subscribable event types (as the API lists them) as checkboxes, grouped by what they are about. */
function EventTypePicker(props: { idPrefix: string; wiring: ReturnType<typeof fieldWiring> }) {
  const [subscribable] = useQuery({ query: SUBSCRIBABLE_EVENT_TYPES });
  return (
    <fieldset className="event-types" {...props.wiring.props} tabIndex={-1}>
      <legend>Event types</legend>
      {subscribable.fetching && <Saving label="Loading the event types…" />}
      {subscribable.error && <p role="alert">The event types could not be loaded: {subscribable.error.message}</p>}
      {eventTypeGroups(subscribable.data?.subscribableEventTypes ?? []).map(({ group, types }) => (
        <fieldset key={group} className="checks">
          <legend>{group}</legend>
          {types.map((t) => (
            <label key={t}>
              <input type="checkbox" name="eventTypes" value={t} id={`${props.idPrefix}-${t}`} /> <code>{t}</code>
            </label>
          ))}
        </fieldset>
      ))}
      {props.wiring.error}
    </fieldset>
  );
}

function NewEndpoint(props: { brandId: string; onCreated(url: string, secret: string): void }) {
  const [result, create] = useMutation(CREATE_ENDPOINT);
  const [errors, setErrors] = useState<FieldErrors>(NO_ERRORS);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const r = await create(
      {
        input: {
          brandId: props.brandId,
          url: String(f.get('url') ?? '').trim(),
          description: String(f.get('description') ?? '').trim() || null,
          eventTypes: f.getAll('eventTypes').map(String),
        },
      },
      ENDPOINT_TYPES,
    );
    if (r.error) {
      const m = mapped(r.error, ENDPOINT_FIELDS);
      setErrors(m);
      focusFirstError(form, ENDPOINT_FIELDS, m.fields);
      return;
    }
    setErrors(NO_ERRORS);
    form.reset();
    const made = r.data!.createWebhookEndpoint;
    props.onCreated(made.endpoint.url, made.secret);
  };
  const url = fieldWiring(errors.fields, 'input.url', 'ew');
  const description = fieldWiring(errors.fields, 'input.description', 'ew');
  const types = fieldWiring(errors.fields, 'input.eventTypes', 'ew');
  return (
    <form className="panel" aria-labelledby="new-endpoint-title" onSubmit={(e) => void submit(e)} noValidate>
      <h3 id="new-endpoint-title">New webhook endpoint</h3>
      <FormErrors messages={errors.general} />
      <div className="field">
        <label htmlFor="w-url">URL</label>
        <input id="w-url" name="url" type="url" inputMode="url" placeholder="https://" autoComplete="off" {...url.props} />
        {url.error}
      </div>
      <div className="field">
        <label htmlFor="w-description">Description (optional)</label>
        <input id="w-description" name="description" autoComplete="off" {...description.props} />
        {description.error}
      </div>
      <EventTypePicker idPrefix="w-type" wiring={types} />
      <div className="actions">
        <button type="submit" disabled={result.fetching} aria-busy={result.fetching}>
          {result.fetching ? 'Creating…' : 'Create the endpoint'}
        </button>
        {result.fetching && <Saving label="Creating the endpoint…" />}
      </div>
    </form>
  );
}

function GrantRow(props: { grant: { id: string; partnerClientId: string; eventTypes: string[]; grantedAt: string }; mayManage: boolean }) {
  const { grant: g } = props;
  const [revoking, revoke] = useMutation(REVOKE_ACCESS);
  const [confirm, setConfirm] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  return (
    <tr data-grant={g.id}>
      <th scope="row">
        <code>{g.partnerClientId}</code>
      </th>
      <td>
        <ul className="types">
          {g.eventTypes.map((t) => (
            <li key={t}>
              <code>{t}</code>
            </li>
          ))}
        </ul>
      </td>
      <td>{date(g.grantedAt)}</td>
      {props.mayManage && (
        <td>
          <div className="row-actions">
            {!confirm ? (
              <button type="button" className="secondary danger" onClick={() => setConfirm(true)}>
                Revoke
              </button>
            ) : (
              <span className="confirm">
                <span>Its webhooks and live events stop at once.</span>
                <button
                  type="button"
                  className="danger"
                  disabled={revoking.fetching}
                  onClick={() =>
                    void revoke({ id: g.id }, GRANT_TYPES).then((r) => {
                      setErrors(r.error ? errorMessages(r.error) : []);
                    })
                  }
                >
                  {revoking.fetching ? 'Revoking…' : 'Yes, revoke'}
                </button>
                <button type="button" className="secondary" disabled={revoking.fetching} onClick={() => setConfirm(false)}>
                  Cancel
                </button>
              </span>
            )}
            {revoking.fetching && <Saving label="Revoking the grant…" />}
          </div>
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

function GrantForm(props: { brandId: string }) {
  const [result, grant] = useMutation(GRANT_ACCESS);
  const [errors, setErrors] = useState<FieldErrors>(NO_ERRORS);
  const [granted, setGranted] = useState<string | null>(null);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const clientId = String(f.get('clientId') ?? '').trim();
    setGranted(null);
    const r = await grant({ input: { brandId: props.brandId, clientId, eventTypes: f.getAll('eventTypes').map(String) } }, GRANT_TYPES);
    if (r.error) {
      const m = mapped(r.error, GRANT_FIELDS);
      setErrors(m);
      focusFirstError(form, GRANT_FIELDS, m.fields);
      return;
    }
    setErrors(NO_ERRORS);
    form.reset();
    setGranted(clientId);
  };
  const client = fieldWiring(errors.fields, 'input.clientId', 'eg');
  const types = fieldWiring(errors.fields, 'input.eventTypes', 'eg');
  return (
    <form className="panel" aria-labelledby="grant-title" onSubmit={(e) => void submit(e)} noValidate>
      <h3 id="grant-title">Grant a partner platform access</h3>
      <p className="hint" id="grant-note">
        The platform gives you its client id (<code>pc_…</code>). Granting it again replaces the event types it receives.
      </p>
      <FormErrors messages={errors.general} />
      {granted && (
        <p role="status" className="success">
          Access granted to {granted}.
        </p>
      )}
      <div className="field">
        <label htmlFor="g-client">Client id</label>
        <input id="g-client" name="clientId" autoComplete="off" spellCheck={false} {...client.props} />
        {client.error}
      </div>
      <EventTypePicker idPrefix="g-type" wiring={types} />
      <div className="actions">
        <button type="submit" disabled={result.fetching} aria-busy={result.fetching}>
          {result.fetching ? 'Granting…' : 'Grant access'}
        </button>
        {result.fetching && <Saving label="Granting access…" />}
      </div>
    </form>
  );
}
