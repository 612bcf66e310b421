import { useEffect, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql';
import { errorMessages, fieldErrors } from '../graphql/errors';
import { toMinorUnits } from '../lib/search-params';
import { followers, titleCase } from '../ui/format';
import { FieldError, FormErrors } from '../ui/form';
import { CREATOR, CreatorView } from './CreatorView';
import { abilities, useMe } from './me';

const OPEN_CAMPAIGNS = graphql(`
  query InviteCampaigns($brandId: ID!) {
    campaigns(brandId: $brandId, first: 50) {
      edges {
        node {
          id
          name
          status
          budget {
            currency
          }
        }
      }
    }
  }
`);

const INVITE = graphql(`
  mutation InviteCreator($input: InviteCreatorInput!) {
    inviteCreator(input: $input) {
      id
      status
      campaign {
        id
        name
      }
    }
  }
`);

const INVITE_FIELDS = ['input.campaignId', 'input.fee', 'input.message'];

/** "Invite to a campaign": for the members of a brand (analysts are not offered it). */
function Invite({ creatorId, brands }: { creatorId: string; brands: { id: string; name: string }[] }) {
  const [brandId, setBrandId] = useState(brands[0].id);
  const [{ data: campaigns }] = useQuery({ query: OPEN_CAMPAIGNS, variables: { brandId } });
  const [result, invite] = useMutation(INVITE);
  const [errors, setErrors] = useState<ReturnType<typeof fieldErrors>>({ fields: {}, general: [] });
  const [done, setDone] = useState<string | null>(null);
  const open = (campaigns?.campaigns.edges ?? []).map((e) => e.node).filter((c) => c.status === 'DRAFT' || c.status === 'ACTIVE');

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const campaign = open.find((c) => c.id === form.get('campaign'));
    const currency = campaign?.budget.currency ?? 'USD';
    setDone(null);
    const r = await invite({
      input: {
        campaignId: String(form.get('campaign') ?? ''),
        creatorId,
        fee: { amountMinor: toMinorUnits(String(form.get('fee') ?? ''), currency) ?? 0, currency },
        message: String(form.get('message') ?? '') || null,
      },
    });
    if (r.error) setErrors(fieldErrors(r.error.graphQLErrors, INVITE_FIELDS));
    else {
      setErrors({ fields: {}, general: [] });
      setDone(`Invited to ${r.data?.inviteCreator.campaign?.name ?? 'the campaign'} (${titleCase(r.data?.inviteCreator.status ?? '')}).`);
    }
  };

  return (
    <section aria-labelledby="invite-title" className="invite">
      <h2 id="invite-title">Invite to a campaign</h2>
      {brands.length > 1 && (
        <div className="field">
          <label htmlFor="invite-brand">Brand</label>
          <select id="invite-brand" value={brandId} onChange={(e) => setBrandId(e.target.value)}>
            {brands.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </select>
        </div>
      )}
      {open.length === 0 ? (
        <p>
          No draft or active campaign to invite to. <Link to="/campaigns/new">Create a campaign</Link>
        </p>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <FormErrors
            messages={[...errors.general, ...(result.error && !result.error.graphQLErrors.length ? errorMessages(result.error) : [])]}
          />
          <div className="field">
            <label htmlFor="invite-campaign">Campaign</label>
            <select
              id="invite-campaign"
              name="campaign"
              aria-invalid={!!errors.fields['input.campaignId']}
              aria-describedby="invite-campaign-error"
            >
              {open.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
            <FieldError id="invite-campaign-error" message={errors.fields['input.campaignId']} />
          </div>
          <div className="field">
            <label htmlFor="invite-fee">Flat fee</label>
            <input
              id="invite-fee"
              name="fee"
              type="number"
              min="0"
              step="0.01"
              inputMode="decimal"
              required
              aria-invalid={!!errors.fields['input.fee']}
              aria-describedby="invite-fee-error"
            />
            <FieldError id="invite-fee-error" message={errors.fields['input.fee']} />
          </div>
          <div className="field">
            <label htmlFor="invite-message">Message to the creator</label>
            <textarea
              id="invite-message"
              name="message"
              rows={3}
              aria-invalid={!!errors.fields['input.message']}
              aria-describedby="invite-message-error"
            />
            <FieldError id="invite-message-error" message={errors.fields['input.message']} />
          </div>
          <button type="submit" disabled={result.fetching} aria-busy={result.fetching}>
            {result.fetching ? 'Sending the invitation…' : 'Send the invitation'}
          </button>
          {result.fetching && <p role="status">Sending the invitation…</p>}
          {done && (
            <p role="status" className="success">
              {done}
            </p>
          )}
        </form>
      )}
    </section>
  );
}

/** A creator's page: profile, accounts with provenance, authenticity signal by signal, audience, prices, lookalikes, invite. */
export default function CreatorPage() {
  const { id = '' } = useParams();
  const me = useMe();
  const can = abilities(me);
  const [{ data, error, fetching }] = useQuery({ query: CREATOR, variables: { id, withLookalikes: true } });
  const c = data?.creator;
  useEffect(() => {
    document.title = `${c ? c.displayName : 'Creator'} · InfluenceFlow`;
  }, [c]);
  if (fetching && !c) return <p role="status">Loading the creator…</p>;
  if (error && !c)
    return (
      <div role="alert" className="error-box">
        {errorMessages(error).map((m) => (
          <p key={m}>{m}</p>
        ))}
      </div>
    );
  if (!c) return null;
  return (
    <>
      <p>
        <Link to="/discover">← Back to Discover</Link>
      </p>
      <CreatorView creator={c}>{can.brandsToRun.length > 0 && <Invite creatorId={c.id} brands={can.brandsToRun} />}</CreatorView>
      <section aria-labelledby="lookalikes-title">
        <h2 id="lookalikes-title">Lookalikes</h2>
        {c.lookalikes?.length ? (
          <ul className="cards">
            {c.lookalikes.map((l) => (
              <li key={l.creator.id} className="card">
                <h3>
                  <Link to={`/creators/${l.creator.id}`}>{l.creator.displayName}</Link>
                </h3>
                <p className="handle">
                  @{l.creator.handle} · {titleCase(l.creator.tier)} · {followers(l.creator.followers)}
                </p>
                <p>
                  Similarity <strong>{l.score}</strong> / 100
                </p>
                {l.reasons.length > 0 && <p className="tags">{l.reasons.join('; ')}</p>}
              </li>
            ))}
          </ul>
        ) : (
          <p>No lookalike found.</p>
        )}
      </section>
    </>
  );
}
