import { createHash } from 'node:crypto';
import {
  AuditEntryError,
  AuditEntryInput,
  AuditEntryView,
  AUDIT_LIMITS,
  auditContractId,
  entryHash,
  hashedContent,
  normalizeEntry,
  verifyChain,
} from './audit-chain';

const CONTRACT = '0e5c0a7e-9f1b-4c3d-8a2e-000000000a01';
const OTHER = '0e5c0a7e-9f1b-4c3d-8a2e-000000000a02';

/** A well-formed chain of `inputs`, built the way the trail builds it. */
function chain(inputs: AuditEntryInput[], contractId = CONTRACT): AuditEntryView[] {
  const out: AuditEntryView[] = [];
  for (const input of inputs) {
    const e = normalizeEntry(input);
    const sequence = out.length + 1;
    const previousHash = out.length ? out[out.length - 1].hash : null;
    out.push({ ...e, contractId, sequence, previousHash, hash: entryHash(contractId, sequence, previousHash, e) });
  }
  return out;
}

const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 10, minute, 0, 123));
const story: AuditEntryInput[] = [
  { action: 'created', actor: 'system', actorRole: 'system', at: at(0), details: { version: 1 } },
  { action: 'sent', actor: 'member-1', actorRole: 'brand', at: at(1), details: { version: 1, documentSha256: 'a'.repeat(64) } },
  { action: 'viewed', actor: 'creator-1', actorRole: 'creator', at: at(2), details: { ip: '203.0.113.9', userAgent: 'Firefox' } },
  { action: 'sign_refused', actor: 'creator-1', actorRole: 'creator', at: at(3), details: { code: 'DOCUMENT_CHANGED' } },
  {
    action: 'signed',
    actor: 'creator-1',
    actorRole: 'creator',
    at: at(4),
    details: { consent: 'I agree', documentSha256: 'a'.repeat(64) },
  },
  { action: 'signed', actor: 'member-1', actorRole: 'brand', at: at(5), details: { nested: { list: [1, 'two', null, true] } } },
  { action: 'executed', actor: 'system', actorRole: 'system', at: at(6), details: {} },
];

/** A copy of the chain with one entry changed as `edit` says (the attacker does not fix the hash). */
function tampered(entries: AuditEntryView[], index: number, edit: (e: AuditEntryView) => AuditEntryView): AuditEntryView[] {
  return entries.map((e, i) => (i === index ? edit(structuredClone(e)) : e));
}

describe('audit chain: hashes', () => {
  it('hashes the RFC 8785 canonical JSON of the entry and the previous hash, whatever the key order', () => {
    const e = normalizeEntry({
      action: 'sent',
      actor: 'm',
      actorRole: 'brand',
      at: at(1),
      details: { b: 2, a: 1, c: { z: 1, y: [3, 'é'] } },
    });
    const content = hashedContent(CONTRACT, 2, 'f'.repeat(64), e);
    expect(content).toBe(
      `{"action":"sent","actor":"m","actorRole":"brand","at":"2026-12-01T10:01:00.123Z","contractId":"${CONTRACT}",` +
        `"details":{"a":1,"b":2,"c":{"y":[3,"é"],"z":1}},"previousHash":"${'f'.repeat(64)}","sequence":2,"v":1}`,
    );
    expect(entryHash(CONTRACT, 2, 'f'.repeat(64), e)).toBe(createHash('sha256').update(content, 'utf8').digest('hex'));
    const reordered = normalizeEntry({ ...e, details: { c: { y: [3, 'é'], z: 1 }, a: 1, b: 2 } });
    expect(entryHash(CONTRACT, 2, 'f'.repeat(64), reordered)).toBe(entryHash(CONTRACT, 2, 'f'.repeat(64), e));
    // The contract id is hashed as the database returns it (lowercase).
    expect(entryHash(CONTRACT.toUpperCase(), 2, 'f'.repeat(64), e)).toBe(entryHash(CONTRACT, 2, 'f'.repeat(64), e));
  });

  it('makes details storable JSON: NUL and lone surrogates replaced, long strings cut, dates as ISO, undefined dropped', () => {
    const e = normalizeEntry({
      action: 'viewed',
      actor: 'a\u0000b',
      actorRole: 'public',
      at: at(0),
      details: { ua: 'x\u0000y', broken: 'a\uD800b', long: 'z'.repeat(10_000), when: at(2), gone: undefined, neg: -0 },
    });
    expect(e.actor).toBe('a\uFFFDb');
    expect(e.details).toEqual({
      ua: 'x\uFFFDy',
      broken: 'a\uFFFDb',
      long: 'z'.repeat(AUDIT_LIMITS.MAX_STRING),
      when: at(2).toISOString(),
      neg: 0,
    });
    expect('gone' in e.details).toBe(false);
  });

  it('refuses what cannot be an entry', () => {
    const ok: AuditEntryInput = { action: 'sent', actor: 'm', actorRole: 'brand', at: at(0), details: {} };
    const bad: AuditEntryInput[] = [
      { ...ok, action: 'deleted' as never },
      { ...ok, actorRole: 'hacker' },
      { ...ok, actor: '  ' },
      { ...ok, at: new Date('nope') },
      { ...ok, details: { n: Number.NaN } },
      { ...ok, details: { n: Infinity } },
      { ...ok, details: { b: 1n as unknown } },
      { ...ok, details: { f: (() => 1) as unknown } },
      { ...ok, details: { m: new Map() as unknown } },
      { ...ok, details: [] as unknown as Record<string, unknown> },
      { ...ok, details: { deep: { a: { b: { c: { d: { e: { f: { g: { h: 1 } } } } } } } } } },
      { ...ok, details: { big: Array.from({ length: 40 }, () => 'y'.repeat(2_000)) } },
      { ...ok, details: { ['k'.repeat(200)]: 1 } },
    ];
    for (const entry of bad) expect(() => normalizeEntry(entry)).toThrow(AuditEntryError);
    expect(() => auditContractId('not-a-uuid')).toThrow(AuditEntryError);
    expect(() => auditContractId(`${CONTRACT}\u0000`)).toThrow(AuditEntryError);
  });
});

describe('audit chain: verification', () => {
  const good = chain(story);

  it('verifies an intact chain and names its head', () => {
    expect(verifyChain(good)).toEqual({ intact: true, entries: 7, headHash: good[6].hash, brokenAt: null, reason: null });
    expect(verifyChain(good, { expectedEntries: 7, expectedHeadHash: good[6].hash, anchorHash: good[4].hash }).intact).toBe(true);
    expect(verifyChain([])).toEqual({ intact: true, entries: 0, headHash: null, brokenAt: null, reason: null });
    expect(good[0].previousHash).toBeNull();
    for (let i = 1; i < good.length; i++) expect(good[i].previousHash).toBe(good[i - 1].hash);
  });

  it.each([
    ['its action', (e: AuditEntryView) => ({ ...e, action: 'signed' as const })],
    ['its actor', (e: AuditEntryView) => ({ ...e, actor: 'someone-else' })],
    ['its actor role', (e: AuditEntryView) => ({ ...e, actorRole: 'admin' })],
    ['its time, by one millisecond', (e: AuditEntryView) => ({ ...e, at: new Date(e.at.getTime() + 1) })],
    ['a detail', (e: AuditEntryView) => ({ ...e, details: { ...e.details, ip: '198.51.100.1' } })],
    ['an added detail', (e: AuditEntryView) => ({ ...e, details: { ...e.details, extra: true } })],
    ['a removed detail', (e: AuditEntryView) => ({ ...e, details: {} })],
    ['one hex digit of its hash', (e: AuditEntryView) => ({ ...e, hash: (e.hash[0] === '0' ? '1' : '0') + e.hash.slice(1) })],
    ['its hash, made not hex', (e: AuditEntryView) => ({ ...e, hash: 'zz' })],
    ['the previous hash it holds', (e: AuditEntryView) => ({ ...e, previousHash: 'e'.repeat(64) })],
  ])('finds an edit of a middle entry (%s), at that entry', (_what, edit) => {
    const result = verifyChain(tampered(good, 2, edit));
    expect(result).toMatchObject({ intact: false, brokenAt: 3 });
    expect(result.reason).toMatch(/entry 3/);
  });

  it('finds a changed field of every entry, the first and the last included', () => {
    for (let i = 0; i < good.length; i++) {
      const result = verifyChain(tampered(good, i, (e) => ({ ...e, actor: `${e.actor}x` })));
      expect(result).toMatchObject({ intact: false, brokenAt: i + 1 });
    }
  });

  it('finds a changed first entry, even when the attacker re-hashes it (the next entry no longer holds its hash)', () => {
    const forged = tampered(good, 0, (e) => {
      const changed = { ...e, details: { version: 2 } };
      return { ...changed, hash: entryHash(CONTRACT, 1, null, changed) };
    });
    expect(verifyChain(forged)).toMatchObject({ intact: false, brokenAt: 2, reason: 'entry 2 does not hold the hash of entry 1' });
    const claimsParent = tampered(good, 0, (e) => ({ ...e, previousHash: 'a'.repeat(64) }));
    expect(verifyChain(claimsParent)).toMatchObject({ intact: false, brokenAt: 1, reason: 'the first entry claims an entry before it' });
  });

  it('finds a removed entry (from the middle, the start, or the end with the recorded head)', () => {
    expect(verifyChain([...good.slice(0, 3), ...good.slice(4)])).toMatchObject({
      intact: false,
      brokenAt: 4,
      reason: 'entry 4 is missing',
    });
    expect(verifyChain(good.slice(1))).toMatchObject({ intact: false, brokenAt: 1, reason: 'entry 1 is missing' });
    // Cutting the tail leaves a chain that is intact in itself: the recorded head (or an anchor) shows it.
    const cut = good.slice(0, 5);
    expect(verifyChain(cut).intact).toBe(true);
    expect(verifyChain(cut, { expectedEntries: 7 })).toMatchObject({ intact: false, brokenAt: 6, reason: 'entries 6 to 7 are missing' });
    expect(verifyChain(cut, { anchorHash: good[6].hash })).toMatchObject({ intact: false, brokenAt: 1 });
  });

  it('finds removed entries even when the attacker renumbers and re-hashes the rest (the next one no longer links)', () => {
    const rest = good.filter((_, i) => i !== 3).map((e, i) => ({ ...e, sequence: i + 1 }));
    const rehashed = rest.map((e) => ({ ...e, hash: entryHash(CONTRACT, e.sequence, e.previousHash, e) }));
    expect(verifyChain(rehashed)).toMatchObject({ intact: false, brokenAt: 4, reason: 'entry 4 does not hold the hash of entry 3' });
  });

  it('finds reordered entries, swapped sequence numbers and repeated ones', () => {
    const swapped = [...good];
    [swapped[2], swapped[3]] = [swapped[3], swapped[2]];
    expect(verifyChain(swapped)).toMatchObject({ intact: false, brokenAt: 3, reason: 'entry 3 is missing' });
    // The rows keep their place but trade sequence numbers (what an UPDATE of `sequence` would do).
    const renumbered = good.map((e, i) => (i === 2 ? { ...e, sequence: 4 } : i === 3 ? { ...e, sequence: 3 } : e));
    renumbered.sort((a, b) => a.sequence - b.sequence);
    expect(verifyChain(renumbered)).toMatchObject({ intact: false, brokenAt: 3 });
    const repeated = [...good.slice(0, 3), good[2], ...good.slice(3)];
    expect(verifyChain(repeated)).toMatchObject({ intact: false, brokenAt: 4, reason: expect.stringMatching(/out of order or repeated/) });
  });

  it('finds an inserted entry, however well it is hashed, and entries beyond the recorded head', () => {
    const forged = normalizeEntry({ action: 'signed', actor: 'mallory', actorRole: 'brand', at: at(3), details: {} });
    const inserted = {
      ...forged,
      contractId: CONTRACT,
      sequence: 4,
      previousHash: good[2].hash,
      hash: entryHash(CONTRACT, 4, good[2].hash, forged),
    };
    const withInsert = [...good.slice(0, 3), inserted, ...good.slice(3).map((e) => ({ ...e, sequence: e.sequence + 1 }))];
    expect(verifyChain(withInsert)).toMatchObject({ intact: false, brokenAt: 5 });
    // Appended at the end with a good hash: intact in itself, but the trail's head says it was not ours.
    const appended = {
      ...forged,
      contractId: CONTRACT,
      sequence: 8,
      previousHash: good[6].hash,
      hash: entryHash(CONTRACT, 8, good[6].hash, forged),
    };
    expect(verifyChain([...good, appended]).intact).toBe(true);
    expect(verifyChain([...good, appended], { expectedEntries: 7, expectedHeadHash: good[6].hash })).toMatchObject({
      intact: false,
      brokenAt: 8,
    });
  });

  it('finds a wrong head, and a chain rewritten from the start (only an anchor kept elsewhere shows that)', () => {
    expect(verifyChain(good, { expectedHeadHash: 'c'.repeat(64) })).toMatchObject({
      intact: false,
      brokenAt: 7,
      reason: 'the last entry is not the recorded head of the trail',
    });
    expect(verifyChain([], { expectedHeadHash: good[6].hash })).toMatchObject({ intact: false });
    const rewritten = chain(story.map((s, i) => (i === 1 ? { ...s, details: { version: 9 } } : s)));
    expect(verifyChain(rewritten).intact).toBe(true);
    expect(verifyChain(rewritten, { anchorHash: good[6].hash })).toMatchObject({
      intact: false,
      reason: 'no entry has the anchored hash: the trail was rewritten or cut',
    });
  });

  it("finds an entry moved in from another contract's trail", () => {
    const other = chain(story, OTHER);
    const mixed = [...good.slice(0, 2), other[2], ...good.slice(3)];
    expect(verifyChain(mixed)).toMatchObject({ intact: false, brokenAt: 3, reason: 'entry 3 belongs to another contract' });
    // Same position and link, but hashed for the other contract: the hash does not match.
    const relabelled = tampered(good, 2, (e) => ({ ...e, hash: entryHash(OTHER, 3, e.previousHash, e) }));
    expect(verifyChain(relabelled)).toMatchObject({ intact: false, brokenAt: 3 });
  });
});
