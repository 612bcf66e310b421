import { graphql } from '../gql';
import type { CreatorPageQuery } from '../gql/graphql';
import { BarChart, ColumnChart } from '../ui/charts';
import { TableWrap } from '../ui/form';
import { ageLabel, count, date, followers, percent, platformName, titleCase } from '../ui/format';

export const CREATOR = graphql(`
  query CreatorPage($id: ID!, $withLookalikes: Boolean!) {
    creator(id: $id) {
      id
      handle
      displayName
      avatarUrl
      bio
      tier
      followers
      engagementRate
      authenticityScore
      sponsoredRatio
      niches
      contentStyles
      languages
      country
      city
      mediaKit {
        published
        path
      }
      accounts {
        id
        platform
        handle
        followers
        provenance
        fetchedAt
        engagement {
          byFollowers
          postsCounted
        }
        audience {
          ages {
            ageBucket
            percent
          }
          genders {
            gender
            percent
          }
          countries {
            country
            percent
          }
        }
        recentPosts(first: 12) {
          postedAt
          engagementRate
          format
        }
      }
      authenticity {
        score
        verdict
        modelVersion
        computedAt
        decidedBy
        confidence {
          level
          value
          reasons
        }
        signals {
          key
          label
          measured
          unit
          norm {
            min
            max
          }
          risk
          factor
          decisive
          weight
          explanation
        }
      }
      priceGuidance {
        low {
          formatted
        }
        high {
          formatted
        }
        typicalLow {
          formatted
        }
        typicalHigh {
          formatted
        }
        engagedFollowers
        authenticityDiscount {
          factor
          reason
        }
      }
      rateCard {
        id
        platform
        format
        price {
          formatted
        }
        validFrom
        validUntil
      }
      lookalikes(first: 6) @include(if: $withLookalikes) {
        score
        reasons
        creator {
          id
          handle
          displayName
          followers
          tier
        }
      }
    }
  }
`);

export type CreatorData = CreatorPageQuery['creator'];

const PROVENANCE: Record<string, string> = {
  FETCHED: "Fetched from the platform's API (connected account)",
  IMPORTED: 'Imported in bulk by the operator',
  SELF_REPORTED: 'Typed in by the creator (not verified)',
};

function measuredText(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined) return 'not measured';
  return `${Number.isInteger(value) ? value : value.toFixed(2)}${unit ? ` ${unit}` : ''}`;
}

function normText(norm: { min?: number | null; max?: number | null }, unit: string): string {
  const u = unit ? ` ${unit}` : '';
  if (norm.min != null && norm.max != null) return `${norm.min}–${norm.max}${u}`;
  if (norm.min != null) return `at least ${norm.min}${u}`;
  if (norm.max != null) return `at most ${norm.max}${u}`;
  return '—';
}

/** A creator's profile as the API gives it to the caller: used by the creator page and "My profile". */
export function CreatorView({ creator: c, children }: { creator: CreatorData; children?: React.ReactNode }) {
  const audiences = c.accounts.filter((a) => a.audience);
  return (
    <article className="creator" aria-labelledby="creator-title">
      <header className="creator-head">
        {c.avatarUrl ? (
          <img src={c.avatarUrl} alt="" width="72" height="72" />
        ) : (
          <span className="avatar big" aria-hidden="true">
            {c.displayName.slice(0, 1)}
          </span>
        )}
        <div>
          <h1 id="creator-title">{c.displayName}</h1>
          <p className="handle">
            @{c.handle} · {titleCase(c.tier)} · {followers(c.followers)} followers
            {c.city || c.country ? ` · ${[c.city, c.country].filter(Boolean).join(', ')}` : ''}
          </p>
          <p>{c.bio}</p>
          <p className="tags">
            {[...c.niches, ...c.contentStyles].join(', ')}
            {c.languages.length ? ` · ${c.languages.join(', ')}` : ''}
          </p>
          {c.mediaKit?.published && (
            <p>
              <a href={c.mediaKit.path}>Media kit (public page)</a>
            </p>
          )}
        </div>
      </header>
      {children}

      <section aria-labelledby="accounts-title">
        <h2 id="accounts-title">Accounts</h2>
        <TableWrap label="Accounts">
          <table>
            <thead>
              <tr>
                <th scope="col">Platform</th>
                <th scope="col">Handle</th>
                <th scope="col">Followers</th>
                <th scope="col">Engagement</th>
                <th scope="col">Where the figures come from</th>
              </tr>
            </thead>
            <tbody>
              {c.accounts.map((a) => (
                <tr key={a.id}>
                  <td>{platformName(a.platform)}</td>
                  <td>@{a.handle}</td>
                  <td>{count(a.followers)}</td>
                  <td>
                    {percent(a.engagement.byFollowers, 2)}
                    {a.engagement.postsCounted ? ` over ${a.engagement.postsCounted} posts` : ' (self-reported)'}
                  </td>
                  <td data-provenance={a.provenance}>
                    {PROVENANCE[a.provenance] ?? a.provenance}
                    {a.fetchedAt ? `, ${date(a.fetchedAt)}` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </section>

      <section aria-labelledby="auth-title">
        <h2 id="auth-title">Authenticity</h2>
        {c.authenticity ? (
          <>
            <p className="score-line">
              <strong className="score" data-testid="authenticity-score">
                {c.authenticity.score}
              </strong>
              <span>/ 100</span>
              {c.authenticity.confidence && (
                <span className="hint">
                  confidence {titleCase(c.authenticity.confidence.level)} ({Math.round(c.authenticity.confidence.value * 100)} %)
                </span>
              )}
            </p>
            {c.authenticity.verdict && <p>{c.authenticity.verdict}</p>}
            {c.authenticity.confidence?.reasons.length ? (
              <ul className="hint">
                {c.authenticity.confidence.reasons.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
            ) : null}
            <h3>Signal by signal</h3>
            <ol className="signals">
              {c.authenticity.signals.map((s) => (
                <li key={s.key} className={s.decisive ? 'decisive' : undefined} data-signal={s.key}>
                  <h4>
                    {s.label}
                    {s.decisive && <span className="badge">decided the score</span>}
                  </h4>
                  <p className="signal-figures">
                    Measured {measuredText(s.measured, s.unit)}; normal {normText(s.norm, s.unit)}
                    {s.risk !== null && s.risk !== undefined ? `; risk ${Math.round(s.risk * 100)} %` : ''}
                    {s.factor !== null && s.factor !== undefined ? `; score × ${s.factor.toFixed(2)}` : ''}; weight{' '}
                    {Math.round(s.weight * 100)} %
                  </p>
                  <p>{s.explanation}</p>
                </li>
              ))}
            </ol>
            <p className="hint">
              Model {c.authenticity.modelVersion}, computed {date(c.authenticity.computedAt)}.
            </p>
          </>
        ) : (
          <p>No authenticity report is available to you for this creator.</p>
        )}
      </section>

      <section aria-labelledby="audience-title">
        <h2 id="audience-title">Audience</h2>
        {audiences.length === 0 && <p>No audience data is available to you for this creator.</p>}
        {audiences.map((a) => (
          <div key={a.id} className="chart-row">
            <h3>
              {platformName(a.platform)} @{a.handle}
            </h3>
            <BarChart
              title="Ages"
              bars={(a.audience!.ages ?? []).map((s) => ({ label: ageLabel(s.ageBucket ?? ''), value: s.percent }))}
              max={100}
            />
            <BarChart
              title="Genders"
              bars={a.audience!.genders.map((s) => ({ label: titleCase(s.gender ?? ''), value: s.percent }))}
              max={100}
            />
            <BarChart
              title="Countries"
              bars={a.audience!.countries.slice(0, 6).map((s) => ({ label: s.country ?? '', value: s.percent }))}
              max={100}
            />
          </div>
        ))}
        {c.accounts.map((a) =>
          a.recentPosts.length ? (
            <ColumnChart
              key={`posts-${a.id}`}
              title={`Engagement of the last ${a.recentPosts.length} posts on ${platformName(a.platform)}, oldest first`}
              columns={[...a.recentPosts]
                .reverse()
                .map((p) => ({ label: date(p.postedAt), value: p.engagementRate ?? 0, text: percent(p.engagementRate, 2) }))}
            />
          ) : null,
        )}
      </section>

      <section aria-labelledby="price-title" className="price">
        <h2 id="price-title">Price guidance and rate card</h2>
        <div className="side-by-side">
          <div>
            <h3>Guidance</h3>
            {c.priceGuidance ? (
              <dl className="stats">
                <div>
                  <dt>Range</dt>
                  <dd data-testid="guidance-range">
                    {c.priceGuidance.low.formatted} – {c.priceGuidance.high.formatted}
                  </dd>
                </div>
                <div>
                  <dt>Typical for the tier</dt>
                  <dd>
                    {c.priceGuidance.typicalLow.formatted} – {c.priceGuidance.typicalHigh.formatted}
                  </dd>
                </div>
                <div>
                  <dt>Engaged followers</dt>
                  <dd>{count(c.priceGuidance.engagedFollowers)}</dd>
                </div>
                <div>
                  <dt>Authenticity discount</dt>
                  <dd>× {c.priceGuidance.authenticityDiscount.factor.toFixed(2)}</dd>
                </div>
              </dl>
            ) : (
              <p>No guidance without an engagement rate.</p>
            )}
            {c.priceGuidance && <p className="hint">{c.priceGuidance.authenticityDiscount.reason}</p>}
          </div>
          <div>
            <h3>Rate card</h3>
            {c.rateCard.length ? (
              <ul className="rates">
                {c.rateCard.map((r) => (
                  <li key={r.id}>
                    {platformName(r.platform)} {titleCase(r.format)}: <strong>{r.price.formatted}</strong>
                    {r.validUntil ? <span className="hint"> until {r.validUntil}</span> : null}
                  </li>
                ))}
              </ul>
            ) : (
              <p>No published prices.</p>
            )}
          </div>
        </div>
      </section>
    </article>
  );
}
