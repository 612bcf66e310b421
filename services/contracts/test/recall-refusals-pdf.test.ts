import { createHash } from 'node:crypto';
import { createEvent, Identity } from '@influenceflow/kit';
import { PartnershipEventData, TOPICS } from '@influenceflow/vocabulary';
import {
  eventually,
  GraphQLResponse,
  identities,
  publishRawEvent,
  startTestSubgraph,
  TEST_KAFKA_BROKERS,
  testTopicPrefix,
  TestSubgraph,
} from '@influenceflow/kit/testing';
import { decodeJwt } from 'jose';
import { contractsSubgraph } from '../src/schema';
import type { ContractsServices } from '../src/services';
import type { PdfSealer } from '../src/contracts/seams';
import { SIGN_REFUSAL_LIMIT } from '../src/contracts/sign-refusals';

// Ids of this file only (test files share databases and topics).
const id = (n: number) => `00000000-0000-4000-8c1a-${String(n).padStart(12, '0')}`;
const BRAND = id(1);
const OTHER_BRAND = id(2);
const CREATOR = id(11);
const CAMPAIGN = id(21);
const P_RECALL = id(31);
const P_LIMIT = id(32);
const P_ENDED = id(33);

const member = identities.brandMember(BRAND, 'rita@oaty');
const analyst = identities.analyst(BRAND);
const creator = identities.creator(CREATOR);
const stranger = identities.brandMember(OTHER_BRAND);
const admin = identities.admin();
const CLIENT = { ip: '198.51.100.4', userAgent: 'Recall-Test/1.0' };

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

function partnershipData(partnershipId: string): PartnershipEventData {
  return {
    partnershipId,
    campaignId: CAMPAIGN,
    brandId: BRAND,
    creatorId: CREATOR,
    status: 'accepted',
    previousStatus: 'invited',
    lengthMonths: null,
    deliverables: [{ platform: 'instagram', format: 'reel', count: 1, dueOn: '2027-03-10' }],
    fee: { amountMinor: 80_000, currency: 'EUR' },
    commissionPercent: null,
    briefVersion: 1,
    reason: null,
    parties: {
      brandName: 'Oaty',
      creatorName: 'Ella Runs',
      creatorHandle: 'ella.runs',
      campaignName: 'Recall run',
      campaignStartsOn: '2027-03-01',
      campaignEndsOn: '2027-04-30',
    },
  };
}

interface Signature {
  party: string;
  subject: string;
  documentSha256: string;
  voidedAt: string | null;
  voidReason: string | null;
}
interface ContractView {
  id: string;
  status: string;
  version: number;
  documentSha256: string;
  consentStatement: string;
  certificate: string | null;
  signatures: Signature[];
  voidedSignatures: Signature[];
  auditIntact: boolean;
  pdf: { sha256: string; sizeBytes: number; base64: string } | null;
}

const FIELDS = `id status version documentSha256 consentStatement certificate auditIntact
  signatures { party subject documentSha256 voidedAt voidReason }
  voidedSignatures { party subject documentSha256 voidedAt voidReason }`;
const SIGN = `mutation($id: ID!, $sha: String!, $consent: String!) {
  signContract(contractId: $id, documentSha256: $sha, consent: $consent) { id status }
}`;
const RECALL = `mutation($id: ID!, $reason: String!) { recallContract(id: $id, reason: $reason) { ${FIELDS} } }`;

describe('contracts: recalling a sent contract, the refused-signature rate limit, the PDF made after commit', () => {
  let sub: TestSubgraph<ContractsServices>;
  const q = <T = Record<string, unknown>>(query: string, variables: Record<string, unknown>, who: Identity | null) =>
    sub.query<T>(query, variables, who, CLIENT);
  const ok = <T>(r: GraphQLResponse<T>): T => {
    expect(r.errors).toBeUndefined();
    return r.data!;
  };
  const ext = (r: GraphQLResponse) => r.errors?.[0]?.extensions;
  const db = () => sub.runtime.dataSource;
  const contractOf = (partnershipId: string, version = 1) =>
    eventually(
      async () => {
        const [row] = (await db().query(`SELECT id FROM contracts WHERE partnership_id = $1 AND version = $2`, [
          partnershipId,
          version,
        ])) as {
          id: string;
        }[];
        return row?.id;
      },
      30_000,
      `the contract of ${partnershipId}`,
    );
  const read = async (contractId: string, who: Identity = member) =>
    ok(await q<{ contract: ContractView }>(`query($id: ID!) { contract(id: $id) { ${FIELDS} } }`, { id: contractId }, who)).contract;
  const readPdf = async (contractId: string) =>
    ok(
      await q<{ contract: { pdf: ContractView['pdf'] } }>(
        `query($id: ID!) { contract(id: $id) { pdf { sha256 sizeBytes base64 } } }`,
        { id: contractId },
        member,
      ),
    ).contract.pdf;
  const sign = async (contractId: string, who: Identity) => {
    const c = await read(contractId, who);
    return q<{ signContract: { status: string } }>(SIGN, { id: contractId, sha: c.documentSha256, consent: c.consentStatement }, who);
  };
  const send = async (contractId: string) =>
    ok(await q<{ sendContract: { status: string } }>(`mutation($id: ID!) { sendContract(id: $id) { status } }`, { id: contractId }, member))
      .sendContract.status;
  const audit = async (contractId: string) => sub.services.audit.list(contractId);
  const outboxTypes = async (contractId: string) =>
    ((await db().query(`SELECT type FROM outbox WHERE key = $1 ORDER BY seq`, [contractId])) as { type: string }[]).map((r) => r.type);

  let contractId: string;

  beforeAll(async () => {
    sub = await startTestSubgraph(contractsSubgraph);
    for (const p of [P_RECALL, P_LIMIT, P_ENDED]) {
      await publishRawEvent(
        TEST_KAFKA_BROKERS,
        `${testTopicPrefix()}${TOPICS.campaign}`,
        createEvent('campaign', { type: 'partnership.accepted', subject: p, brandid: BRAND, data: partnershipData(p) }),
      );
    }
    contractId = await contractOf(P_RECALL);
    await contractOf(P_LIMIT);
    await contractOf(P_ENDED);
  }, 90_000);
  afterAll(() => sub?.close());

  describe('recallContract', () => {
    let firstSha: string;

    it('refuses a draft (INVALID_STATE), and everyone but the brand’s members', async () => {
      expect(ext(await q(RECALL, { id: contractId, reason: 'typo' }, member))).toMatchObject({ code: 'INVALID_STATE', status: 'draft' });
      expect(await send(contractId)).toBe('SENT');
      expect(ok(await sign(contractId, creator)).signContract.status).toBe('SIGNED');
      for (const [who, code] of [
        [creator, 'FORBIDDEN'],
        [analyst, 'FORBIDDEN'],
        [admin, 'FORBIDDEN'],
        [stranger, 'NOT_FOUND'],
      ] as const) {
        expect(ext(await q(RECALL, { id: contractId, reason: 'typo in the fee' }, who))?.code).toBe(code);
      }
      expect(ext(await q(RECALL, { id: contractId, reason: '   ' }, member))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
      expect(ext(await q(RECALL, { id: 'not-a-uuid', reason: 'typo' }, member))?.code).toBe('BAD_USER_INPUT');
      const c = await read(contractId);
      expect(c.status).toBe('SIGNED');
      expect(c.signatures.map((s) => s.party)).toEqual(['CREATOR']);
      expect((await audit(contractId)).some((e) => e.action === 'recalled')).toBe(false);
    });

    it('takes a half-signed contract back to draft: the signature is voided, kept, not counted; no event', async () => {
      const before = await read(contractId);
      firstSha = before.documentSha256;
      const recalled = ok(
        await q<{ recallContract: ContractView }>(RECALL, { id: contractId, reason: 'The fee is wrong' }, member),
      ).recallContract;
      expect(recalled.status).toBe('DRAFT');
      expect(recalled.signatures).toEqual([]);
      expect(recalled.voidedSignatures).toEqual([
        expect.objectContaining({
          party: 'CREATOR',
          subject: `creator-${CREATOR}`,
          documentSha256: firstSha,
          voidedAt: expect.any(String),
          voidReason: 'recalled: The fee is wrong',
        }),
      ]);
      // Kept in the data: the row is still there, marked void.
      expect(
        await db().query(`SELECT role, voided_at IS NOT NULL AS void FROM contract_signatures WHERE contract_id = $1`, [contractId]),
      ).toEqual([{ role: 'creator', void: true }]);
      const entry = (await audit(contractId)).at(-1)!;
      expect(entry).toMatchObject({
        action: 'recalled',
        actorRole: 'brand',
        actor: 'rita@oaty',
        details: {
          from: 'signed',
          reason: 'The fee is wrong',
          documentSha256: firstSha,
          voidedSignatures: [{ role: 'creator', subject: `creator-${CREATOR}`, documentSha256: firstSha }],
        },
      });
      expect(recalled.auditIntact).toBe(true);
      // Nothing downstream follows a contract before its execution: no event, the partnership is untouched.
      expect(await outboxTypes(contractId)).toEqual(['contract.sent', 'contract.signed']);
      expect(ext(await q(RECALL, { id: contractId, reason: 'again' }, member))).toMatchObject({ code: 'INVALID_STATE', status: 'draft' });
    });

    it('is edited and sent again; the creator signs the new document, the brand too: executed with the two new signatures', async () => {
      const edited = ok(
        await q<{ updateContractTerms: ContractView }>(
          `mutation($id: ID!) { updateContractTerms(id: $id, input: { paymentNetDays: 45 }) { ${FIELDS} } }`,
          { id: contractId },
          member,
        ),
      ).updateContractTerms;
      expect(edited.documentSha256).not.toBe(firstSha);
      expect(await send(contractId)).toBe('SENT');
      // The statement the creator accepted for the recalled document does not sign the new one.
      const old = await q(SIGN, { id: contractId, sha: firstSha, consent: 'stale' }, creator);
      expect(ext(old)).toMatchObject({ code: 'CONFLICT', field: 'documentSha256' });
      expect(ok(await sign(contractId, creator)).signContract.status).toBe('SIGNED');
      expect(ok(await sign(contractId, member)).signContract.status).toBe('EXECUTED');

      const done = await read(contractId);
      expect(done.status).toBe('EXECUTED');
      expect(done.signatures.map((s) => [s.party, s.documentSha256, s.voidedAt])).toEqual([
        ['CREATOR', edited.documentSha256, null],
        ['BRAND', edited.documentSha256, null],
      ]);
      expect(done.voidedSignatures.map((s) => [s.party, s.documentSha256])).toEqual([['CREATOR', firstSha]]);
      const claims = decodeJwt(done.certificate!) as { signers: { role: string }[]; documentSha256: string };
      expect(claims.documentSha256).toBe(edited.documentSha256);
      expect(claims.signers.map((s) => s.role)).toEqual(['creator', 'brand']);
      expect(done.auditIntact).toBe(true);
      expect((await audit(contractId)).map((e) => e.action).filter((a) => a !== 'viewed' && a !== 'sign_refused')).toEqual([
        'created',
        'sent',
        'signed',
        'recalled',
        'amended',
        'sent',
        'signed',
        'signed',
        'executed',
      ]);
      expect(ext(await q(RECALL, { id: contractId, reason: 'too late' }, member))).toMatchObject({
        code: 'INVALID_STATE',
        status: 'executed',
      });
    });

    it('recalls an amendment on its way the same way; a superseded or terminated contract is not recalled', async () => {
      const amendment = ok(
        await q<{ amendContract: { id: string } }>(
          `mutation($id: ID!) { amendContract(id: $id, input: { paymentNetDays: 20 }) { id } }`,
          { id: contractId },
          member,
        ),
      ).amendContract.id;
      expect(await send(amendment)).toBe('SENT');
      expect(ok(await sign(amendment, creator)).signContract.status).toBe('SIGNED');
      const recalled = ok(
        await q<{ recallContract: ContractView }>(RECALL, { id: amendment, reason: 'wrong net days' }, member),
      ).recallContract;
      expect(recalled).toMatchObject({ status: 'DRAFT', version: 2, signatures: [] });
      expect(recalled.voidedSignatures).toHaveLength(1);
      expect((await read(contractId)).status).toBe('EXECUTED');
      expect(await send(amendment)).toBe('SENT');
      expect(ok(await sign(amendment, member)).signContract.status).toBe('SIGNED');
      expect(ok(await sign(amendment, creator)).signContract.status).toBe('EXECUTED');
      expect((await read(contractId)).status).toBe('SUPERSEDED');
      expect(ext(await q(RECALL, { id: contractId, reason: 'x' }, member))).toMatchObject({ code: 'INVALID_STATE', status: 'superseded' });

      const ended = await contractOf(P_ENDED);
      expect(await send(ended)).toBe('SENT');
      ok(await q(`mutation($id: ID!) { terminateContract(id: $id, reason: "no longer needed") { id } }`, { id: ended }, member));
      expect(ext(await q(RECALL, { id: ended, reason: 'x' }, member))).toMatchObject({ code: 'INVALID_STATE', status: 'terminated' });
    });
  });

  describe('the rate limit on refused signatures', () => {
    let limited: string;
    const refuse = (who: Identity) => q(SIGN, { id: limited, sha: 'e'.repeat(64), consent: 'not the statement' }, who);
    const refusalsOf = async (subject: string) =>
      (await audit(limited)).filter((e) => e.actor === subject && e.action.startsWith('sign_refus'));

    beforeAll(async () => {
      limited = await contractOf(P_LIMIT);
      expect(await send(limited)).toBe('SENT');
    });

    it(`records ${SIGN_REFUSAL_LIMIT} refusals per window and signer; the next is RATE_LIMITED and not recorded`, async () => {
      for (let i = 0; i < SIGN_REFUSAL_LIMIT; i++) expect(ext(await refuse(creator))?.code).toBe('CONFLICT');
      const eleventh = await refuse(creator);
      expect(ext(eleventh)).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
      expect(ext(eleventh)!.retryAfterSeconds as number).toBeGreaterThan(0);
      expect(ext(await refuse(creator))?.code).toBe('RATE_LIMITED');
      const recorded = await refusalsOf(`creator-${CREATOR}`);
      expect(recorded).toHaveLength(SIGN_REFUSAL_LIMIT);
      expect(recorded.every((e) => e.action === 'sign_refused' && e.details.code === 'CONFLICT')).toBe(true);
      expect((await read(limited)).auditIntact).toBe(true);
    });

    it('counts per signer, and holds under concurrent attempts (the count is in the database)', async () => {
      const results = await Promise.all(Array.from({ length: SIGN_REFUSAL_LIMIT + 4 }, () => refuse(member)));
      const codes = results.map((r) => ext(r)?.code);
      expect(codes.filter((c) => c === 'CONFLICT')).toHaveLength(SIGN_REFUSAL_LIMIT);
      expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(4);
      expect(await refusalsOf('rita@oaty')).toHaveLength(SIGN_REFUSAL_LIMIT);
      expect((await read(limited)).auditIntact).toBe(true);
    });

    it('writes one entry counting the suppressed attempts before the next recorded one, in a later window', async () => {
      // The window ends (moved back instead of waiting ten minutes).
      await db().query(
        `UPDATE sign_refusal_windows SET window_started_at = window_started_at - interval '11 minutes' WHERE contract_id = $1 AND subject = $2`,
        [limited, `creator-${CREATOR}`],
      );
      expect(ext(await refuse(creator))?.code).toBe('CONFLICT');
      const recorded = await refusalsOf(`creator-${CREATOR}`);
      expect(recorded).toHaveLength(SIGN_REFUSAL_LIMIT + 2);
      expect(recorded.at(-2)).toMatchObject({
        action: 'sign_refusals_suppressed',
        actorRole: 'creator',
        details: { count: 2, limit: SIGN_REFUSAL_LIMIT, windowSeconds: 600, firstAt: expect.any(String), lastAt: expect.any(String) },
      });
      expect(recorded.at(-1)).toMatchObject({ action: 'sign_refused', details: { code: 'CONFLICT' } });
      expect((await sub.services.audit.verify(limited)).intact).toBe(true);
    });

    it('writes the count before the signer’s signature when that comes first; a valid signature is never rate limited', async () => {
      // Fill the new window (one recorded already), then one more is suppressed.
      for (let i = 1; i < SIGN_REFUSAL_LIMIT; i++) expect(ext(await refuse(creator))?.code).toBe('CONFLICT');
      expect(ext(await refuse(creator))?.code).toBe('RATE_LIMITED');
      expect(ok(await sign(limited, creator)).signContract.status).toBe('SIGNED');
      const entries = (await audit(limited)).filter((e) => e.actor === `creator-${CREATOR}` && e.action !== 'viewed');
      expect(entries.slice(-2)).toMatchObject([{ action: 'sign_refusals_suppressed', details: { count: 1 } }, { action: 'signed' }]);
      expect(
        await db().query(`SELECT suppressed FROM sign_refusal_windows WHERE contract_id = $1 AND subject = $2`, [
          limited,
          `creator-${CREATOR}`,
        ]),
      ).toEqual([{ suppressed: 0 }]);
      expect((await read(limited)).auditIntact).toBe(true);
    });
  });

  describe('the sealed PDF, made after the execution committed', () => {
    it('is made outside the contract’s and the audit trail’s locks, and is there once the signature returns', async () => {
      const amendment = ok(
        await q<{ amendContract: { id: string } }>(
          `mutation($id: ID!) { amendContract(id: $id, input: { paymentNetDays: 25 }) { id } }`,
          { id: await contractOf(P_RECALL, 2) },
          member,
        ),
      ).amendContract.id;
      expect(await send(amendment)).toBe('SENT');
      expect(ok(await sign(amendment, member)).signContract.status).toBe('SIGNED');

      const services = sub.services.contracts as unknown as { pdf: PdfSealer };
      const real = services.pdf;
      const seen: { status: string; rowFree: boolean; headFree: boolean }[] = [];
      // While the PDF is made, another connection can lock the contract row and its audit head at once.
      services.pdf = {
        sealedPdf: async (input) => {
          seen.push(
            await db().transaction(async (tx) => {
              const [row] = (await tx.query(`SELECT status FROM contracts WHERE id = $1 FOR UPDATE NOWAIT`, [amendment])) as {
                status: string;
              }[];
              await tx.query(`SELECT 1 FROM audit_heads WHERE contract_id = $1 FOR UPDATE NOWAIT`, [amendment]);
              return { status: row.status, rowFree: true, headFree: true };
            }),
          );
          return real.sealedPdf(input);
        },
      };
      try {
        expect(ok(await sign(amendment, creator)).signContract.status).toBe('EXECUTED');
      } finally {
        services.pdf = real;
      }
      expect(seen).toEqual([{ status: 'executed', rowFree: true, headFree: true }]);
      const [row] = (await db().query(`SELECT pdf, pdf_sha256 FROM contracts WHERE id = $1`, [amendment])) as {
        pdf: Buffer;
        pdf_sha256: string;
      }[];
      expect(row.pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(row.pdf_sha256).toBe(sha256(row.pdf));
      const pdf = await readPdf(amendment);
      expect(pdf).toMatchObject({ sha256: row.pdf_sha256, sizeBytes: row.pdf.length });
      contractId = amendment;
    });

    it('is made on the first request when it is missing, then the same bytes every time', async () => {
      await db().query(`UPDATE contracts SET pdf = NULL, pdf_sha256 = NULL WHERE id = $1`, [contractId]);
      const made = (await readPdf(contractId))!;
      const bytes = Buffer.from(made.base64, 'base64');
      expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
      expect(made.sha256).toBe(sha256(bytes));
      const [row] = (await db().query(`SELECT pdf, pdf_sha256 FROM contracts WHERE id = $1`, [contractId])) as {
        pdf: Buffer;
        pdf_sha256: string;
      }[];
      expect(row.pdf.equals(bytes)).toBe(true);
      expect(row.pdf_sha256).toBe(made.sha256);
      expect((await readPdf(contractId))!.base64).toBe(made.base64);
      // Verification finds it by the PDF's hash.
      const verified = ok(
        await q<{ verifyContract: { executed: boolean; matched: string } }>(
          `query($sha: String) { verifyContract(documentSha256: $sha) { executed matched } }`,
          { sha: made.sha256 },
          null,
        ),
      ).verifyContract;
      expect(verified).toEqual({ executed: true, matched: 'PDF' });
    });

    it('stores one PDF when first requests come at once (a stored PDF is never replaced)', async () => {
      await db().query(`UPDATE contracts SET pdf = NULL, pdf_sha256 = NULL WHERE id = $1`, [contractId]);
      const answers = await Promise.all(Array.from({ length: 3 }, () => readPdf(contractId)));
      const [row] = (await db().query(`SELECT pdf, pdf_sha256 FROM contracts WHERE id = $1`, [contractId])) as {
        pdf: Buffer;
        pdf_sha256: string;
      }[];
      for (const a of answers) {
        expect(a!.sha256).toBe(row.pdf_sha256);
        expect(Buffer.from(a!.base64, 'base64').equals(row.pdf)).toBe(true);
      }
      expect(await db().query(`SELECT count(*)::int AS n FROM contracts WHERE id = $1 AND pdf IS NOT NULL`, [contractId])).toEqual([
        { n: 1 },
      ]);
      // The database refuses a PDF without its hash.
      await expect(db().query(`UPDATE contracts SET pdf_sha256 = NULL WHERE id = $1`, [contractId])).rejects.toThrow(
        /contracts_pdf_sha256_check/,
      );
    });
  });
});
