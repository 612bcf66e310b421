import { PreparedPart, PreparedTarget, unreachable } from '../rules/audience-match';
import { AGE_BUCKETS, GENDERS } from '../rules/types';

/*
 * Audience match in SQL over the audience columns of `creators c` (shares in AGE_BUCKETS / GENDERS
 * order, countries as jsonb, interests and platforms as text[]), built part by part from the rule's
 * prepared target (rules/audience-match.ts): the same parts, weights and order, × 100 and not rounded,
 * so it orders finely. test/search.test.ts compares its order with the rule's scores.
 */

/** Σ of the audience's shares in these age buckets (missing = 0). */
export function ageSumSql(buckets: readonly string[]): string {
  return [...new Set(buckets)].map((b) => `coalesce(c.audience_ages[${AGE_BUCKETS.indexOf(b as never) + 1}], 0)`).join(' + ') || '0';
}

function partSql(part: PreparedPart, param: (value: unknown) => string): string {
  switch (part.key) {
    case 'ages':
      return ageSumSql(part.buckets);
    case 'genders':
      return part.genders.map((g) => `coalesce(c.audience_genders[${GENDERS.indexOf(g) + 1}], 0)`).join(' + ');
    case 'countries':
      return part.countries.map((country) => `coalesce((c.audience_countries ->> ${param(country)})::real, 0)`).join(' + ');
    case 'interests':
      return `(${part.interests.map((i) => `(c.audience_interests @> ARRAY[${param(i)}::text])::int`).join(' + ')})::real / ${part.interests.length}`;
    case 'platforms':
      return `(c.platforms && ${param(part.platforms)}::text[])::int`;
    default:
      return unreachable(part);
  }
}

/** 100 × Σ weight × part ÷ Σ weight, as SQL (`real`); `param` adds a parameter and returns its placeholder. */
export function audienceMatchSql(target: PreparedTarget, param: (value: unknown) => string): string {
  const terms = target.parts.map((part) => `${part.weight} * (${partSql(part, param)})`);
  return `(100 * (${terms.join(' + ')}) / ${target.totalWeight})::real`;
}
