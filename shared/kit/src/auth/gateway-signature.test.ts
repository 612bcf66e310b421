import {
  bodyMatches,
  signGatewayCall,
  signGatewayGet,
  signGatewayUpload,
  SIGNATURE_MAX_AGE_MS,
  SIGNATURE_MAX_SKEW_MS,
  verifyGatewayCall,
  verifyGatewayGet,
  verifyGatewayUpload,
} from './gateway-signature';
import type { Identity } from './identity';

const secret = 's'.repeat(40);
const alice: Identity = { sub: 'alice', roles: ['brand_member'], brandIds: ['00000000-0000-4000-8000-0000000b0001'], creatorId: null };
const body = '{"query":"{ campaigns { id } }"}';
const call = { method: 'POST', subgraph: 'campaign', body };
const at = { method: 'POST', subgraph: 'campaign' };

describe('gateway call signature', () => {
  it('round-trips an identity and an anonymous caller, with the call id and the body digest', () => {
    const check = verifyGatewayCall(signGatewayCall(alice, call, secret), at, secret);
    expect(check).toMatchObject({ ok: true, identity: alice });
    expect(check.ok && bodyMatches(check.bodyDigest, Buffer.from(body))).toBe(true);
    expect(verifyGatewayCall(signGatewayCall(null, call, secret), at, secret)).toMatchObject({ ok: true, identity: null });
  });

  it('signs the client the gateway saw, bounded and without control characters, and nobody can change it', () => {
    const client = { ip: '203.0.113.9', userAgent: `Mozilla/5.0\u0000\n${'x'.repeat(600)}` };
    const check = verifyGatewayCall(signGatewayCall(alice, { ...call, client }, secret), at, secret);
    expect(check).toMatchObject({ ok: true, identity: alice, client: { ip: '203.0.113.9' } });
    const agent = check.ok ? check.client!.userAgent! : '';
    expect(agent.startsWith('Mozilla/5.0x')).toBe(true);
    expect(agent).toHaveLength(512);
    expect(verifyGatewayCall(signGatewayCall(alice, call, secret), at, secret)).toMatchObject({ ok: true, client: null });
    const parts = signGatewayCall(alice, { ...call, client }, secret).split('.');
    parts[4] = Buffer.from(JSON.stringify({ identity: alice, client: { ip: '10.0.0.1', userAgent: null } })).toString('base64url');
    expect(verifyGatewayCall(parts.join('.'), at, secret)).toMatchObject({ ok: false, reason: 'invalid gateway signature' });
  });

  it('gives every call an id of its own', () => {
    const a = verifyGatewayCall(signGatewayCall(alice, call, secret), at, secret);
    const b = verifyGatewayCall(signGatewayCall(alice, call, secret), at, secret);
    expect(a.ok && b.ok && a.callId !== b.callId).toBe(true);
  });

  it('refuses a missing, malformed, forged or tampered header', () => {
    expect(verifyGatewayCall(undefined, at, secret)).toMatchObject({ ok: false, reason: 'missing gateway signature' });
    expect(verifyGatewayCall('v1.abc', at, secret)).toMatchObject({ ok: false, reason: 'malformed gateway signature' });
    expect(verifyGatewayCall(signGatewayCall(alice, call, 'o'.repeat(40)), at, secret)).toMatchObject({
      ok: false,
      reason: 'invalid gateway signature',
    });
    const parts = signGatewayCall(alice, call, secret).split('.');
    parts[4] = Buffer.from(JSON.stringify({ identity: { ...alice, roles: ['admin'] } })).toString('base64url');
    expect(verifyGatewayCall(parts.join('.'), at, secret)).toMatchObject({ ok: false, reason: 'invalid gateway signature' });
  });

  it('binds the signature to the method, the subgraph and the body', () => {
    const header = signGatewayCall(alice, call, secret);
    expect(verifyGatewayCall(header, { method: 'GET', subgraph: 'campaign' }, secret)).toMatchObject({ ok: false });
    expect(verifyGatewayCall(header, { method: 'POST', subgraph: 'payments' }, secret)).toMatchObject({ ok: false });
    // A header carrying another body's digest does not verify; a valid one does not match another body.
    const parts = header.split('.');
    parts[3] = Buffer.from('x'.repeat(32)).toString('base64url');
    expect(verifyGatewayCall(parts.join('.'), at, secret)).toMatchObject({ ok: false, reason: 'invalid gateway signature' });
    const check = verifyGatewayCall(header, at, secret);
    expect(check.ok && bodyMatches(check.bodyDigest, Buffer.from('{"query":"mutation { deleteEverything }"}'))).toBe(false);
  });

  it('accepts a call only inside its short window, with a small skew for clocks ahead', () => {
    const now = Date.now();
    expect(verifyGatewayCall(signGatewayCall(alice, call, secret, now - SIGNATURE_MAX_AGE_MS + 500), at, secret, now).ok).toBe(true);
    expect(verifyGatewayCall(signGatewayCall(alice, call, secret, now - SIGNATURE_MAX_AGE_MS - 1), at, secret, now)).toMatchObject({
      ok: false,
      reason: 'expired gateway signature',
    });
    expect(verifyGatewayCall(signGatewayCall(alice, call, secret, now + SIGNATURE_MAX_SKEW_MS - 500), at, secret, now).ok).toBe(true);
    expect(verifyGatewayCall(signGatewayCall(alice, call, secret, now + SIGNATURE_MAX_SKEW_MS + 1), at, secret, now)).toMatchObject({
      ok: false,
      reason: 'expired gateway signature',
    });
  });

  it('drops unknown roles from forwarded claims', () => {
    const header = signGatewayCall({ ...alice, roles: ['brand_member', 'superuser' as never] }, call, secret);
    const check = verifyGatewayCall(header, at, secret);
    expect(check.ok && check.identity?.roles).toEqual(['brand_member']);
  });
});

describe('signed GET (file downloads)', () => {
  const secret = 'get-secret';
  const identity = { sub: 'm', roles: ['analyst' as const], brandIds: [], creatorId: null };
  const url = '/exports/campaign-report.csv?campaignId=00000000-0000-4000-8000-000000000010';
  it('opens the URL it was signed for, for that subgraph only', () => {
    const header = signGatewayGet(identity, { subgraph: 'analytics', pathAndQuery: url }, secret);
    expect(verifyGatewayGet(header, { subgraph: 'analytics', pathAndQuery: url }, secret)).toMatchObject({ ok: true, identity });
    expect(verifyGatewayGet(header, { subgraph: 'analytics', pathAndQuery: `${url}&x=1` }, secret)).toEqual({
      ok: false,
      reason: 'the signature is for another URL',
    });
    expect(verifyGatewayGet(header, { subgraph: 'payments', pathAndQuery: url }, secret)).toMatchObject({ ok: false });
    expect(verifyGatewayCall(header, { method: 'POST', subgraph: 'analytics' }, secret)).toMatchObject({ ok: false });
    expect(verifyGatewayGet(undefined, { subgraph: 'analytics', pathAndQuery: url }, secret)).toMatchObject({ ok: false });
  });
});

describe('signed upload (CSV files)', () => {
  const secret = 'upload-secret';
  const identity = { sub: 'm', roles: ['brand_member' as const], brandIds: [], creatorId: null };
  const url = '/imports/orders.csv?brandId=00000000-0000-4000-8000-000000000001';
  const file = Buffer.from('external_id,ordered_at,amount,currency\n1,2026-03-03T09:00:00Z,1.00,USD\n');
  it('sends the file it was signed for to the URL it was signed for, and nothing else', () => {
    const header = signGatewayUpload(identity, { subgraph: 'analytics', pathAndQuery: url, body: file }, secret);
    expect(verifyGatewayUpload(header, { subgraph: 'analytics', pathAndQuery: url, body: file }, secret)).toMatchObject({
      ok: true,
      identity,
    });
    const other = Buffer.concat([file, Buffer.from('2,2026-03-03T09:00:00Z,1000.00,USD\n')]);
    expect(verifyGatewayUpload(header, { subgraph: 'analytics', pathAndQuery: url, body: other }, secret)).toEqual({
      ok: false,
      reason: 'the signature is for another URL or body',
    });
    expect(verifyGatewayUpload(header, { subgraph: 'analytics', pathAndQuery: `${url}x`, body: file }, secret)).toMatchObject({
      ok: false,
    });
    // the line break between URL and body is fixed: moving bytes across it changes what was signed
    const shifted = { pathAndQuery: `${url}\nexternal_id`, body: file.subarray('external_id'.length) };
    expect(verifyGatewayUpload(header, { subgraph: 'analytics', ...shifted }, secret)).toMatchObject({ ok: false });
    expect(verifyGatewayUpload(header, { subgraph: 'payments', pathAndQuery: url, body: file }, secret)).toMatchObject({ ok: false });
    expect(verifyGatewayGet(header, { subgraph: 'analytics', pathAndQuery: url }, secret)).toMatchObject({ ok: false });
  });
});
