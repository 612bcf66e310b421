import { useEffect, useMemo, type FormEvent } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import { errorMessages } from '../graphql/errors';
import { AGE_BUCKETS, GENDERS, paramsOfForm, PLATFORMS, searchVariables, SORTS, TIERS, toggleParam } from '../lib/search-params';
import { Pager } from '../ui/Pager';
import { ageLabel, count, followers, percent, platformName, titleCase } from '../ui/format';
import { abilities, useMe } from './me';

const SEARCH = graphql(`
  query SearchCreators($filter: CreatorSearchFilter, $sort: CreatorSort, $target: AudienceTargetInput, $first: Int, $after: String) {
    searchCreators(filter: $filter, sort: $sort, target: $target, first: $first, after: $after) {
      totalCount
      facets {
        niches {
          value
          count
        }
        platforms {
          value
          count
        }
        tiers {
          value
          count
        }
        countries {
          value
          count
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        audienceMatch {
          score
        }
        node {
          id
          handle
          displayName
          avatarUrl
          tier
          followers
          engagementRate
          authenticityScore
          niches
          country
          platforms
        }
      }
    }
  }
`);

const PAGE = 12;
/** The filters behind "More filters" (open when one is set). */
const MORE = ['country', 'language', 'style', 'fmin', 'fmax', 'ermin', 'ermax', 'auth', 'srmin', 'srmax', 'pmin', 'pmax'];
const SORT_NAMES: Record<string, string> = {
  ENGAGEMENT: 'Engagement rate',
  FOLLOWERS: 'Followers',
  AUTHENTICITY: 'Authenticity',
  COST_PER_ENGAGEMENT: 'Cost per engagement',
  SPONSORED_RATIO: 'Sponsored ÷ organic engagement',
  AUDIENCE_MATCH: 'Audience match (needs a target)',
};
const FACETS: { key: 'niches' | 'platforms' | 'tiers' | 'countries'; param: string; label: string }[] = [
  { key: 'niches', param: 'niche', label: 'Niches' },
  { key: 'platforms', param: 'platform', label: 'Platforms' },
  { key: 'tiers', param: 'tier', label: 'Tiers' },
  { key: 'countries', param: 'country', label: 'Countries' },
];

function Checks(props: { legend: string; name: string; values: readonly string[]; selected: string[]; label?: (v: string) => string }) {
  return (
    <fieldset className="checks">
      <legend>{props.legend}</legend>
      {props.values.map((v) => (
        <label key={v}>
          <input type="checkbox" name={props.name} value={v} defaultChecked={props.selected.includes(v)} /> {(props.label ?? titleCase)(v)}
        </label>
      ))}
    </fieldset>
  );
}

function Field(props: { label: string; name: string; value: string | null; type?: string; hint?: string; step?: string; min?: string }) {
  const id = `f-${props.name}`;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        defaultValue={props.value ?? ''}
        step={props.step}
        min={props.min}
        inputMode={props.type === 'number' ? 'decimal' : undefined}
        aria-describedby={props.hint ? `${id}-hint` : undefined}
      />
      {props.hint && (
        <span className="hint" id={`${id}-hint`}>
          {props.hint}
        </span>
      )}
    </div>
  );
}

/** Discover: search creators with every filter, sort and facet of `searchCreators`; results as cards, by pages. */
export default function Discover() {
  const me = useMe();
  const { seesAudiences } = abilities(me);
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const back = ((location.state as { back?: string[] } | null)?.back ?? []) as string[];
  const vars = useMemo(() => searchVariables(params, seesAudiences), [params, seesAudiences]);
  const [{ data, error, fetching }] = useQuery({ query: SEARCH, variables: { ...vars, first: PAGE } });
  const result = data?.searchCreators;
  useEffect(() => {
    document.title = 'Discover · InfluenceFlow';
  }, []);

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setParams(paramsOfForm(new FormData(e.currentTarget).entries()));
  };
  const toNext = () => {
    if (!result?.pageInfo.endCursor) return;
    const next = new URLSearchParams(params);
    next.set('after', result.pageInfo.endCursor);
    setParams(next, { state: { back: [...back, params.get('after') ?? ''] } });
  };
  const toPrevious = () => {
    const prev = back[back.length - 1];
    const next = new URLSearchParams(params);
    if (prev) next.set('after', prev);
    else next.delete('after');
    setParams(next, { state: { back: back.slice(0, -1) } });
  };
  const all = (k: string) => params.getAll(k);
  const v = (k: string) => params.get(k);

  return (
    <div className="discover">
      <h1>Discover creators</h1>
      {/* key: the form's fields follow the URL (a facet click, back and forward) */}
      <form key={params.toString()} className="filters" onSubmit={submit} aria-label="Search filters" role="search">
        <Field label="Keywords or #hashtags" name="q" value={v('q')} />
        <Field label="Niches" name="niche" value={all('niche').join(', ')} hint="Comma-separated, e.g. fitness, food" />
        <Checks legend="Platforms" name="platform" values={PLATFORMS} selected={all('platform')} label={platformName} />
        <Checks legend="Tiers" name="tier" values={TIERS} selected={all('tier')} />
        <details className="more" open={MORE.some((k) => params.has(k))}>
          <summary>More filters</summary>
          <Field label="Countries" name="country" value={all('country').join(', ')} hint="ISO codes, e.g. US, DE" />
          <Field label="Languages" name="language" value={v('language')} hint="e.g. en, es" />
          <Field label="Content styles" name="style" value={v('style')} />
          <fieldset className="pair">
            <legend>Followers</legend>
            <Field label="At least" name="fmin" type="number" min="0" value={v('fmin')} />
            <Field label="At most" name="fmax" type="number" min="0" value={v('fmax')} />
          </fieldset>
          <fieldset className="pair">
            <legend>Engagement rate (%)</legend>
            <Field label="At least" name="ermin" type="number" step="0.1" min="0" value={v('ermin')} />
            <Field label="At most" name="ermax" type="number" step="0.1" min="0" value={v('ermax')} />
          </fieldset>
          <Field label="Minimum authenticity (0–100)" name="auth" type="number" min="0" value={v('auth')} />
          <fieldset className="pair">
            <legend>Sponsored ÷ organic engagement</legend>
            <Field label="At least" name="srmin" type="number" step="0.1" min="0" value={v('srmin')} />
            <Field label="At most" name="srmax" type="number" step="0.1" min="0" value={v('srmax')} />
          </fieldset>
          <fieldset className="pair">
            <legend>Price of a post</legend>
            <Field label="Currency" name="cur" value={v('cur') ?? 'USD'} />
            <Field label="From" name="pmin" type="number" step="0.01" min="0" value={v('pmin')} />
            <Field label="To" name="pmax" type="number" step="0.01" min="0" value={v('pmax')} />
          </fieldset>
        </details>
        {seesAudiences && (
          <details
            className="audience"
            open={
              params.has('age') ||
              params.has('acountry') ||
              params.has('tage') ||
              params.has('tgender') ||
              params.has('tcountry') ||
              params.has('tinterest') ||
              params.has('tplatform')
            }
          >
            <summary>Audience</summary>
            <Checks legend="Audience ages" name="age" values={AGE_BUCKETS} selected={all('age')} label={ageLabel} />
            <Field label="…at least this % of the audience" name="agemin" type="number" min="0" value={v('agemin')} />
            <Field label="Audience country" name="acountry" value={v('acountry')} />
            <Field label="…at least this % of the audience" name="acountrymin" type="number" min="0" value={v('acountrymin')} />
            <fieldset>
              <legend>Target audience (for the match score)</legend>
              <Checks legend="Ages" name="tage" values={AGE_BUCKETS} selected={all('tage')} label={ageLabel} />
              <Checks legend="Genders" name="tgender" values={GENDERS} selected={all('tgender')} />
              <Field label="Countries" name="tcountry" value={v('tcountry')} />
              <Field label="Interests" name="tinterest" value={v('tinterest')} />
              <Checks legend="Platforms" name="tplatform" values={PLATFORMS} selected={all('tplatform')} label={platformName} />
            </fieldset>
          </details>
        )}
        <div className="field">
          <label htmlFor="f-sort">Sort by</label>
          <select id="f-sort" name="sort" defaultValue={v('sort') ?? 'ENGAGEMENT'}>
            {SORTS.filter((s) => seesAudiences || s !== 'AUDIENCE_MATCH').map((s) => (
              <option key={s} value={s}>
                {SORT_NAMES[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="actions">
          <button type="submit">Search</button>
          <button type="button" className="secondary" onClick={() => navigate('/discover')}>
            Clear
          </button>
        </div>
      </form>

      <section className="results" aria-labelledby="results-title" aria-busy={fetching}>
        <h2 id="results-title">{result ? `${count(result.totalCount)} creators` : 'Results'}</h2>
        {fetching && <p role="status">Searching…</p>}
        {error && (
          <div role="alert" className="error-box">
            {errorMessages(error).map((m) => (
              <p key={m}>{m}</p>
            ))}
          </div>
        )}
        {result && (
          <div className="facets" aria-label="Refine by">
            {FACETS.map((f) =>
              result.facets[f.key].length ? (
                <div key={f.key} className="facet">
                  <h3>{f.label}</h3>
                  <ul>
                    {result.facets[f.key].slice(0, 8).map((b) => {
                      const on = all(f.param).includes(b.value);
                      return (
                        <li key={b.value}>
                          <button
                            type="button"
                            className="chip"
                            aria-pressed={on}
                            onClick={() => setParams(toggleParam(params, f.param, b.value))}
                          >
                            {f.key === 'niches' || f.key === 'countries'
                              ? b.value
                              : f.key === 'platforms'
                                ? platformName(b.value)
                                : titleCase(b.value)}{' '}
                            <span className="n">{count(b.count)}</span>
                          </button>
                        </li>
                      );
                    })}
                  </ul>
                </div>
              ) : null,
            )}
          </div>
        )}
        {result && result.edges.length === 0 && <p>No creator matches these filters.</p>}
        <ul className="cards">
          {result?.edges.map(({ node: c, audienceMatch }) => (
            <li key={c.id} className="card">
              <div className="card-head">
                {c.avatarUrl ? (
                  <img src={c.avatarUrl} alt="" width="48" height="48" />
                ) : (
                  <span className="avatar" aria-hidden="true">
                    {c.displayName.slice(0, 1)}
                  </span>
                )}
                <div>
                  <h3>
                    <Link to={`/creators/${c.id}`}>{c.displayName}</Link>
                  </h3>
                  <p className="handle">@{c.handle}</p>
                </div>
              </div>
              <dl className="stats">
                <div>
                  <dt>Followers</dt>
                  <dd>{followers(c.followers)}</dd>
                </div>
                <div>
                  <dt>Engagement</dt>
                  <dd>{percent(c.engagementRate)}</dd>
                </div>
                <div>
                  <dt>Authenticity</dt>
                  <dd>{c.authenticityScore ?? '—'}</dd>
                </div>
                {audienceMatch && (
                  <div>
                    <dt>Audience match</dt>
                    <dd>{audienceMatch.score}</dd>
                  </div>
                )}
              </dl>
              <p className="tags">
                {titleCase(c.tier)} · {c.platforms.map(platformName).join(', ')}
                {c.country ? ` · ${c.country}` : ''}
              </p>
              {c.niches.length > 0 && <p className="tags">{c.niches.join(', ')}</p>}
            </li>
          ))}
        </ul>
        {result && (
          <Pager
            label="Result pages"
            page={back.length + 1}
            hasPrevious={params.has('after')}
            hasNext={result.pageInfo.hasNextPage}
            onPrevious={toPrevious}
            onNext={toNext}
          />
        )}
      </section>
    </div>
  );
}
