import { createDataSource } from '@influenceflow/kit';
import { createTestDatabase } from '@influenceflow/kit/testing';
import { DataSource } from 'typeorm';
import { AuditEntry, AuditHead } from '../src/audit/audit-entry.entity';
import { AuditEntryError, AuditEntryInput, entryHash } from '../src/audit/audit-chain';
import { AuditTrail } from '../src/audit/audit-trail';

// Contract ids of this file only (…a7xx).
const contract = (n: number) => `7a0d17e5-0000-4000-8000-000000000a${String(n).padStart(2, '0')}`;

const entry = (action: AuditEntryInput['action'], details: Record<string, unknown> = {}, actor = 'member-of-brand'): AuditEntryInput => ({
  action,
  actor,
  actorRole: action === 'created' || action === 'executed' ? 'system' : 'brand',
  at: new Date(),
  details,
});

describe('audit trail on the real database', () => {
  let ds: DataSource;
  let drop: () => Promise<void>;
  let trail: AuditTrail;

  beforeAll(async () => {
    const db = await createTestDatabase('contracts');
    drop = db.drop;
    // The file's database is a copy of the run's migrated template; 25 connections for the parallel appends.
    ds = createDataSource({ url: db.url, entities: [AuditEntry, AuditHead], migrations: [], poolSize: 25 });
    await ds.initialize();
    trail = new AuditTrail(ds);
  });
  afterAll(async () => {
    await ds?.destroy();
    await drop?.();
  });

  const rowCount = async (id: string) =>
    ((await ds.query(`SELECT count(*)::int AS n FROM audit_entries WHERE contract_id = $1`, [id])) as { n: number }[])[0].n;
  const head = async (id: string) =>
    (
      (await ds.query(`SELECT sequence, head_hash FROM audit_heads WHERE contract_id = $1`, [id])) as {
        sequence: number;
        head_hash: string;
      }[]
    )[0];

  /** As an attacker who owns the tables: the append-only triggers switched off for one transaction. */
  const asOwnerWithoutTriggers = (sql: string, params: unknown[] = []) =>
    ds.transaction(async (tx) => {
      await tx.query(`SET LOCAL session_replication_role = replica`);
      await tx.query(sql, params);
    });

  it('appends entries that link to each other, lists them as stored and verifies them after the round trip', async () => {
    const id = contract(1);
    const details = {
      version: 1,
      documentSha256: 'ab'.repeat(32),
      ratio: 0.1,
      huge: 1e21,
      tiny: 5e-324,
      unicode: 'Zoë — 🎉 \u2028',
      userAgent: 'Mozilla\u0000evil', // NUL: what PostgreSQL cannot store
      nested: { b: [1, { c: null }], a: true },
    };
    const first = await ds.transaction((tx) => trail.append(tx, id, entry('created', { version: 1 }, 'system')));
    const second = await trail.appendAlone(id, entry('sent', details));
    const third = await trail.appendAlone(id.toUpperCase(), entry('viewed', { ip: '203.0.113.7' }));
    expect([first.sequence, second.sequence, third.sequence]).toEqual([1, 2, 3]);
    expect(first.previousHash).toBeNull();
    expect(second.previousHash).toBe(first.hash);
    expect(third.previousHash).toBe(second.hash);
    expect(third.contractId).toBe(id);
    expect(second.details.userAgent).toBe('Mozilla\uFFFDevil');

    const listed = await trail.list(id);
    expect(listed).toEqual([first, second, third]);
    expect(entryHash(id, 2, first.hash, listed[1])).toBe(second.hash);
    expect(await trail.verify(id)).toEqual({ intact: true, entries: 3, headHash: third.hash, brokenAt: null, reason: null });
    expect(await head(id)).toEqual({ sequence: 3, head_hash: third.hash });
    expect(await trail.list(contract(99))).toEqual([]);
    expect(await trail.verify(contract(99))).toMatchObject({ intact: true, entries: 0, headHash: null });
  });

  it('never forks a sequence: 20 appends to one contract at once take 1…20 and verify', async () => {
    const id = contract(2);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? trail.appendAlone(id, entry('viewed', { n: i }, `viewer-${i}`))
          : ds.transaction(async (tx) => {
              await tx.query(`SELECT 1`); // the caller's own work first
              return trail.append(tx, id, entry('viewed', { n: i }, `viewer-${i}`));
            }),
      ),
    );
    expect(results.map((r) => r.sequence).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(results.map((r) => r.previousHash)).size).toBe(20);
    expect(await rowCount(id)).toBe(20);
    const listed = await trail.list(id);
    expect(listed.map((e) => e.details.n).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(await trail.verify(id)).toMatchObject({ intact: true, entries: 20, headHash: listed[19].hash });
  });

  it("rolls an entry back with its caller's transaction; appendAlone afterwards records the refused attempt", async () => {
    const id = contract(3);
    const sent = await trail.appendAlone(id, entry('sent'));
    await expect(
      ds.transaction(async (tx) => {
        await trail.append(tx, id, entry('signed', { documentSha256: 'cd'.repeat(32) }, 'creator-x'));
        throw new Error('the signature was refused after all');
      }),
    ).rejects.toThrow('refused after all');
    expect(await rowCount(id)).toBe(1);
    expect(await head(id)).toEqual({ sequence: 1, head_hash: sent.hash });

    const refused = await trail.appendAlone(id, {
      ...entry('sign_refused', { code: 'DOCUMENT_CHANGED' }, 'creator-x'),
      actorRole: 'creator',
    });
    expect(refused).toMatchObject({ sequence: 2, previousHash: sent.hash, action: 'sign_refused' });
    const listed = await trail.list(id);
    expect(listed.map((e) => e.action)).toEqual(['sent', 'sign_refused']);
    expect(await trail.verify(id)).toMatchObject({ intact: true, entries: 2 });
  });

  it('refuses to append outside a transaction, for a malformed contract id or an entry that is not JSON, writing nothing', async () => {
    const id = contract(4);
    await expect(trail.append(ds.manager, id, entry('sent'))).rejects.toThrow(AuditEntryError);
    await expect(trail.appendAlone('not-a-uuid', entry('sent'))).rejects.toThrow(AuditEntryError);
    await expect(trail.appendAlone(`${id}' OR '1'='1`, entry('sent'))).rejects.toThrow(AuditEntryError);
    await expect(trail.appendAlone(id, entry('sent', { n: Number.NaN }))).rejects.toThrow(AuditEntryError);
    await expect(trail.appendAlone(id, { ...entry('sent'), action: 'deleted' as never })).rejects.toThrow(AuditEntryError);
    await expect(trail.list('x')).rejects.toThrow(AuditEntryError);
    expect(await rowCount(id)).toBe(0);
    expect(await head(id)).toBeUndefined();
  });

  it('is append-only: the database refuses UPDATE, DELETE and TRUNCATE of entries, and any move of a head but an append', async () => {
    const id = contract(5);
    const one = await trail.appendAlone(id, entry('created', {}, 'system'));
    await trail.appendAlone(id, entry('sent'));
    const before = await trail.list(id);
    const refusals = [
      [`UPDATE audit_entries SET actor = 'mallory' WHERE contract_id = $1`, [id]],
      [`UPDATE audit_entries SET details = '{"forged":true}' WHERE contract_id = $1 AND sequence = 1`, [id]],
      [`DELETE FROM audit_entries WHERE contract_id = $1 AND sequence = 2`, [id]],
      [`TRUNCATE audit_entries`, []],
      [`UPDATE audit_heads SET sequence = 1, head_hash = $2 WHERE contract_id = $1`, [id, one.hash]],
      [`UPDATE audit_heads SET sequence = sequence + 1 WHERE contract_id = $1`, [id]],
      [`DELETE FROM audit_heads WHERE contract_id = $1`, [id]],
      [`INSERT INTO audit_heads (contract_id, sequence, head_hash) VALUES ($1, 5, $2)`, [contract(55), one.hash]],
      // An entry that does not continue the chain: a skipped sequence, a wrong previous hash, a replayed one.
      [
        `INSERT INTO audit_entries (contract_id, sequence, action, actor, actor_role, at, details, previous_hash, hash)
         VALUES ($1, 4, 'signed', 'mallory', 'brand', now(), '{}', $2, $2)`,
        [id, one.hash],
      ],
      [
        `INSERT INTO audit_entries (contract_id, sequence, action, actor, actor_role, at, details, previous_hash, hash)
         VALUES ($1, 3, 'signed', 'mallory', 'brand', now(), '{}', $2, $2)`,
        [id, one.hash],
      ],
      [
        `INSERT INTO audit_entries (contract_id, sequence, action, actor, actor_role, at, details, previous_hash, hash)
         VALUES ($1, 1, 'signed', 'mallory', 'brand', now(), '{}', NULL, $2)`,
        [contract(56), one.hash],
      ],
    ] as const;
    for (const [sql, params] of refusals) {
      await expect(ds.query(sql, [...params])).rejects.toMatchObject({ code: expect.stringMatching(/^23/) });
    }
    expect(await trail.list(id)).toEqual(before);
    expect(await trail.verify(id)).toMatchObject({ intact: true, entries: 2 });
  });

  it('finds an entry changed by someone who switched the protection off (a field, a detail, the time)', async () => {
    for (const [n, sql] of [
      [6, `UPDATE audit_entries SET actor = 'mallory' WHERE contract_id = $1 AND sequence = 2`],
      [
        7,
        `UPDATE audit_entries SET details = jsonb_set(details, '{documentSha256}', '"${'0'.repeat(64)}"') WHERE contract_id = $1 AND sequence = 2`,
      ],
      [8, `UPDATE audit_entries SET at = at + interval '1 millisecond' WHERE contract_id = $1 AND sequence = 2`],
      [9, `UPDATE audit_entries SET action = 'signed' WHERE contract_id = $1 AND sequence = 1`],
    ] as const) {
      const id = contract(n);
      await trail.appendAlone(id, entry('created', {}, 'system'));
      await trail.appendAlone(id, entry('sent', { documentSha256: 'ef'.repeat(32) }));
      await trail.appendAlone(id, entry('viewed'));
      await asOwnerWithoutTriggers(sql, [id]);
      const expected = sql.includes('sequence = 1') ? 1 : 2;
      expect(await trail.verify(id)).toMatchObject({
        intact: false,
        brokenAt: expected,
        reason: `entry ${expected} does not match its hash: it was changed`,
      });
    }
  });

  it('finds entries removed, reordered or cut off the end by someone who switched the protection off', async () => {
    const build = async (id: string) => {
      for (const action of ['created', 'sent', 'viewed', 'signed'] as const) await trail.appendAlone(id, entry(action));
      return trail.list(id);
    };
    const middle = contract(10);
    await build(middle);
    await asOwnerWithoutTriggers(`DELETE FROM audit_entries WHERE contract_id = $1 AND sequence = 2`, [middle]);
    expect(await trail.verify(middle)).toMatchObject({ intact: false, brokenAt: 2, reason: 'entry 2 is missing' });

    const tail = contract(11);
    const entries = await build(tail);
    await asOwnerWithoutTriggers(`DELETE FROM audit_entries WHERE contract_id = $1 AND sequence = 4`, [tail]);
    expect(await trail.verify(tail)).toMatchObject({ intact: false, brokenAt: 4, reason: 'entry 4 is missing' });
    // The head moved back too: the chain is consistent in the database; a hash kept elsewhere still shows it.
    await asOwnerWithoutTriggers(`UPDATE audit_heads SET sequence = 3, head_hash = $2 WHERE contract_id = $1`, [tail, entries[2].hash]);
    expect(await trail.verify(tail)).toMatchObject({ intact: true, entries: 3 });
    expect(await trail.verify(tail, undefined, { anchorHash: entries[3].hash })).toMatchObject({ intact: false, brokenAt: 1 });

    const swapped = contract(12);
    await build(swapped);
    await ds.transaction(async (tx) => {
      await tx.query(`SET LOCAL session_replication_role = replica`);
      for (const [from, to] of [
        [2, 1000],
        [3, 2],
        [1000, 3],
      ])
        await tx.query(`UPDATE audit_entries SET sequence = $3 WHERE contract_id = $1 AND sequence = $2`, [swapped, from, to]);
    });
    expect(await trail.verify(swapped)).toMatchObject({ intact: false, brokenAt: 2 });

    const wrongHead = contract(13);
    await build(wrongHead);
    await asOwnerWithoutTriggers(`UPDATE audit_heads SET head_hash = $2 WHERE contract_id = $1`, [wrongHead, 'f'.repeat(64)]);
    expect(await trail.verify(wrongHead)).toMatchObject({
      intact: false,
      brokenAt: 4,
      reason: 'the last entry is not the recorded head of the trail',
    });
  });

  it('verifies inside the caller’s transaction (what it sees there)', async () => {
    const id = contract(14);
    await trail.appendAlone(id, entry('created', {}, 'system'));
    await ds.transaction(async (tx) => {
      const executed = await trail.append(tx, id, { ...entry('executed'), actorRole: 'system', actor: 'system' });
      expect(await trail.verify(id, tx)).toMatchObject({ intact: true, entries: 2, headHash: executed.hash });
      expect((await trail.list(id, tx)).map((e) => e.action)).toEqual(['created', 'executed']);
    });
  });
});
