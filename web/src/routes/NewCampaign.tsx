import { useEffect, useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate } from 'react-router';
import { useMutation } from 'urql';
import { graphql } from '../gql';
import type { GoalType, Platform } from '../gql/graphql';
import { errorMessages, fieldErrors, type FieldErrors } from '../graphql/errors';
import { PLATFORMS, toMinorUnits } from '../lib/search-params';
import { platformName, titleCase } from '../ui/format';
import { FieldError, FormErrors } from '../ui/form';
import { useBrand } from './brand';
import { abilities, useMe } from './me';

const CREATE = graphql(`
  mutation CreateCampaign($input: CreateCampaignInput!) {
    createCampaign(input: $input) {
      id
      name
      status
    }
  }
`);

const GOALS: GoalType[] = ['AWARENESS', 'ENGAGEMENT', 'TRAFFIC', 'SALES', 'CONTENT'];
const GOAL_UNITS: Record<GoalType, string> = {
  AWARENESS: 'people reached',
  ENGAGEMENT: 'engagements',
  TRAFFIC: 'clicks',
  SALES: 'orders',
  CONTENT: 'pieces of content',
};
const FIELDS = [
  'input.name',
  'input.goal.type',
  'input.goal.target',
  'input.budget',
  'input.startsOn',
  'input.endsOn',
  'input.platforms',
  'input.landingUrl',
  'input.brandId',
];
const NO_ERRORS: FieldErrors = { fields: {}, general: [] };

function useField(errors: FieldErrors, field: string) {
  const message = errors.fields[field];
  const id = `e-${field.replace(/\./g, '-')}`;
  return { props: { 'aria-invalid': message ? true : undefined, 'aria-describedby': id }, error: <FieldError id={id} message={message} /> };
}

/**
 * A new draft campaign: name, a numeric goal, a budget and dates. Every error the API returns is shown
 * beside the field it names (extensions.field and problems), the rest above the form; progress while saving.
 */
export default function NewCampaign() {
  const me = useMe();
  const can = abilities(me);
  const [brand] = useBrand(can.brandsToRun);
  const navigate = useNavigate();
  const [result, create] = useMutation(CREATE);
  const [errors, setErrors] = useState<FieldErrors>(NO_ERRORS);
  const [goal, setGoal] = useState<GoalType>('SALES');
  useEffect(() => {
    document.title = 'New campaign · InfluenceFlow';
  }, []);
  if (!brand) return <Navigate to="/campaigns" replace />;

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const currency = String(f.get('currency') ?? 'USD')
      .trim()
      .toUpperCase();
    const target = Number(f.get('target'));
    const budget = toMinorUnits(String(f.get('budget') ?? ''), currency);
    const r = await create({
      input: {
        brandId: brand.id,
        name: String(f.get('name') ?? ''),
        goal: { type: goal, target: Number.isFinite(target) ? target : 0 },
        budget: { amountMinor: budget ?? 0, currency },
        startsOn: String(f.get('startsOn') ?? ''),
        endsOn: String(f.get('endsOn') ?? ''),
        platforms: f.getAll('platforms').map(String) as Platform[],
        landingUrl: String(f.get('landingUrl') ?? '').trim() || null,
      },
    });
    if (r.error) {
      const mapped = fieldErrors(r.error.graphQLErrors, FIELDS);
      setErrors(r.error.graphQLErrors.length ? mapped : { fields: {}, general: errorMessages(r.error) });
      // the first field at fault gets the focus, so a keyboard user lands on it
      const first = FIELDS.find((k) => mapped.fields[k]);
      if (first) document.querySelector<HTMLElement>(`[data-field="${first}"]`)?.focus();
      return;
    }
    setErrors(NO_ERRORS);
    navigate(`/campaigns?brand=${brand.id}`, { state: { created: r.data?.createCampaign.name } });
  };

  const name = useField(errors, 'input.name');
  const target = useField(errors, 'input.goal.target');
  const goalType = useField(errors, 'input.goal.type');
  const budget = useField(errors, 'input.budget');
  const starts = useField(errors, 'input.startsOn');
  const ends = useField(errors, 'input.endsOn');
  const platforms = useField(errors, 'input.platforms');
  const landing = useField(errors, 'input.landingUrl');
  const today = new Date().toISOString().slice(0, 10);

  return (
    <div className="narrow">
      <p>
        <Link to={`/campaigns?brand=${brand.id}`}>← Campaigns</Link>
      </p>
      <h1>New campaign for {brand.name}</h1>
      <form className="campaign-form" onSubmit={(e) => void submit(e)} noValidate aria-describedby="form-note">
        <p id="form-note" className="hint">
          The campaign starts as a draft; you launch it once creators are on board.
        </p>
        <FormErrors messages={errors.general} />
        <div className="field">
          <label htmlFor="c-name">Name</label>
          <input id="c-name" name="name" data-field="input.name" autoComplete="off" {...name.props} />
          {name.error}
        </div>
        <fieldset className="pair">
          <legend>Goal</legend>
          <div className="field">
            <label htmlFor="c-goal">Type</label>
            <select
              id="c-goal"
              name="goalType"
              data-field="input.goal.type"
              value={goal}
              onChange={(e) => setGoal(e.target.value as GoalType)}
              {...goalType.props}
            >
              {GOALS.map((g) => (
                <option key={g} value={g}>
                  {titleCase(g)}
                </option>
              ))}
            </select>
            {goalType.error}
          </div>
          <div className="field">
            <label htmlFor="c-target">Target ({GOAL_UNITS[goal]})</label>
            <input
              id="c-target"
              name="target"
              type="number"
              min="0"
              step="any"
              inputMode="decimal"
              data-field="input.goal.target"
              {...target.props}
            />
            {target.error}
          </div>
        </fieldset>
        <fieldset className="pair">
          <legend>Budget</legend>
          <div className="field">
            <label htmlFor="c-budget">Amount</label>
            <input
              id="c-budget"
              name="budget"
              type="number"
              min="0"
              step="0.01"
              inputMode="decimal"
              data-field="input.budget"
              {...budget.props}
            />
            {budget.error}
          </div>
          <div className="field">
            <label htmlFor="c-currency">Currency</label>
            <input id="c-currency" name="currency" defaultValue="USD" maxLength={3} autoComplete="off" />
          </div>
        </fieldset>
        <fieldset className="pair">
          <legend>Dates</legend>
          <div className="field">
            <label htmlFor="c-starts">Starts on</label>
            <input id="c-starts" name="startsOn" type="date" defaultValue={today} data-field="input.startsOn" {...starts.props} />
            {starts.error}
          </div>
          <div className="field">
            <label htmlFor="c-ends">Ends on</label>
            <input id="c-ends" name="endsOn" type="date" data-field="input.endsOn" {...ends.props} />
            {ends.error}
          </div>
        </fieldset>
        <fieldset className="checks" data-field="input.platforms" {...platforms.props}>
          <legend>Platforms</legend>
          {PLATFORMS.map((p) => (
            <label key={p}>
              <input type="checkbox" name="platforms" value={p} /> {platformName(p)}
            </label>
          ))}
          {platforms.error}
        </fieldset>
        <div className="field">
          <label htmlFor="c-landing">Landing page (optional)</label>
          <input
            id="c-landing"
            name="landingUrl"
            type="url"
            inputMode="url"
            placeholder="https://"
            data-field="input.landingUrl"
            {...landing.props}
          />
          {landing.error}
        </div>
        <div className="actions">
          <button type="submit" disabled={result.fetching} aria-busy={result.fetching}>
            {result.fetching ? 'Saving…' : 'Create the campaign'}
          </button>
          {result.fetching && (
            <span role="status" className="saving">
              <progress aria-label="Saving the campaign" /> Saving the campaign…
            </span>
          )}
        </div>
      </form>
    </div>
  );
}
