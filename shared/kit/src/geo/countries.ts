import { badInput } from '../errors/app-error';

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
// Assigned-looking but not countries (user-assigned or grouping codes ICU knows by name).
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'QO', 'XA', 'XB', 'XK', 'ZZ']);

// ICU lookups cost about a microsecond each; there are only 676 two-letter codes, so answers are kept.
const known = new Map<string, boolean>();

/** ISO 3166-1 alpha-2 country code known to this runtime's ICU data, e.g. "US", "DE". */
export function isCountryCode(code: string): boolean {
  const cached = known.get(code);
  if (cached !== undefined) return cached;
  if (!/^[A-Z]{2}$/.test(code)) return false;
  const name = NOT_COUNTRIES.has(code) ? undefined : regionNames.of(code);
  const answer = name !== undefined && name !== code && name !== 'Unknown Region';
  known.set(code, answer);
  return answer;
}

export function assertCountry(code: string, field: string): string {
  if (!isCountryCode(code)) throw badInput(field, 'must be an ISO 3166-1 alpha-2 country code (e.g. US, DE)');
  return code;
}

export function countryName(code: string): string | undefined {
  return regionNames.of(code);
}
