import { tokenExpiry } from './session';

const b64url = (o: unknown) => btoa(JSON.stringify(o)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

describe('tokenExpiry', () => {
  it("reads a JWT's exp in milliseconds", () => {
    expect(tokenExpiry(`${b64url({ alg: 'ES256' })}.${b64url({ sub: 'a', exp: 1_800_000_000 })}.sig`)).toBe(1_800_000_000_000);
  });

  it('is null without an exp, or for what is not a JWT', () => {
    expect(tokenExpiry(`${b64url({})}.${b64url({ sub: 'a' })}.sig`)).toBeNull();
    expect(tokenExpiry('opaque-token')).toBeNull();
    expect(tokenExpiry('a.%%%.c')).toBeNull();
  });
});
