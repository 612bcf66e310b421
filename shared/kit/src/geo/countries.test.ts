import { isCountryCode } from './countries';

describe('ISO 3166-1 alpha-2 country codes', () => {
  it('accepts real countries', () => {
    for (const c of ['US', 'DE', 'GB', 'BR', 'JP', 'NG', 'IN']) expect(isCountryCode(c)).toBe(true);
  });
  it('refuses lowercase, wrong length, unassigned and grouping codes', () => {
    for (const c of ['us', 'USA', 'U', 'ZZ', 'EU', 'UN', 'QQ', '12', '']) expect(isCountryCode(c)).toBe(false);
  });
});
