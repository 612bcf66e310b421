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
import { decodeJwt, generateKeyPair, SignJWT } from 'jose';
import { CERTIFICATE_TYPE, issueCertificate } from '../src/certificates/certificate';
import { SigningKeys } from '../src/certificates/signing-keys';
import type { CompletionClaims } from '../src/contracts/seams';
import { contractsSubgraph } from '../src/schema';
import type { ContractsServices } from '../src/services';

// Ids of this file only (test files share databases and topics).
const id = (n: number) => `00000000-0000-4000-8f13-${String(n).padStart(12, '0')}`;
const BRAND = id(1);
const CREATOR = id(11);
const CAMPAIGN = id(21);
const P_FREE = id(31);
const P_EDITS = id(32);

const member = identities.brandMember(BRAND, 'noor@fixbrand');
const analyst = identities.analyst(BRAND);
const creator = identities.creator(CREATOR);
const CLIENT = { ip: '203.0.113.9', userAgent: 'Review-Fixes-Test/1.0' };

function partnershipData(partnershipId: string, over: Partial<PartnershipEventData> = {}): PartnershipEventData {
  return {
    partnershipId,
    campaignId: CAMPAIGN,
    brandId: BRAND,
    creatorId: CREATOR,
    status: 'accepted',
    previousStatus: 'invited',
    lengthMonths: null,
    deliverables: [{ platform: 'instagram', format: 'reel', count: 1, dueOn: '2027-05-10' }],
    fee: { amountMinor: 80_000, currency: 'EUR' },
    commissionPercent: null,
    briefVersion: 1,
    reason: null,
    parties: {
      brandName: 'Fixbrand',
      creatorName: 'Mara Fix',
      creatorHandle: 'mara.fix',
      campaignName: 'Review run',
      campaignStartsOn: '2027-05-01',
      campaignEndsOn: '2027-05-31',
    },
    ...over,
  };
}

interface View {
  id: string;
  status: string;
  documentSha256: string;
  consentStatement: string;
  certificate: string | null;
  auditIntact: boolean | null;
  document: string;
  terms: { paymentNetDays: number; cancellationNoticeDays: number; compensation: { flatFee: { amountMinor: number } | null } };
}
const FIELDS = `id status documentSha256 consentStatement certificate auditIntact document
  terms { paymentNetDays cancellationNoticeDays compensation { flatFee { amountMinor } } }`;
const SIGN = `mutation($id: ID!, $sha: String!, $consent: String!) {
  signContract(contractId: $id, documentSha256: $sha, consent: $consent) { id status }
}`;
const SEND = `mutation($id: ID!) { sendContract(id: $id) { id status } }`;
const UPDATE = `mutation($id: ID!, $input: ContractTermsInput!) { updateContractTerms(id: $id, input: $input) { id } }`;
const VERIFY = `query($sha: String, $cert: String) {
  verifyContract(documentSha256: $sha, certificate: $cert) { executed matched contractId reason }
}`;

describe('contracts: the review fixes (issue 13)', () => {
  let sub: TestSubgraph<ContractsServices>;
  const q = <T = Record<string, unknown>>(query: string, variables: Record<string, unknown>, who: Identity | null) =>
    sub.query<T>(query, variables, who, CLIENT);
  const ok = <T>(r: GraphQLResponse<T>): T => {
    expect(r.errors).toBeUndefined();
    return r.data!;
  };
  const ext = (r: GraphQLResponse) => r.errors?.[0]?.extensions;
  const read = async (contractId: string) =>
    ok(await q<{ contract: View }>(`query($id: ID!) { contract(id: $id) { ${FIELDS} } }`, { id: contractId }, member)).contract;
  const draftOf = async (partnershipId: string, over: Partial<PartnershipEventData> = {}): Promise<string> => {
    const event = createEvent('campaign', {
      type: 'partnership.accepted',
      subject: partnershipId,
      brandid: BRAND,
      data: partnershipData(partnershipId, over),
    });
    await publishRawEvent(TEST_KAFKA_BROKERS, `${testTopicPrefix()}${TOPICS.campaign}`, event, 1);
    const row = await eventually(
      async () =>
        (
          (await sub.runtime.dataSource.query(`SELECT id FROM contracts WHERE partnership_id = $1 AND version = 1`, [partnershipId])) as {
            id: string;
          }[]
        )[0],
      30_000,
      `the contract of ${partnershipId}`,
    );
    return row.id;
  };

  let freeId: string;

  beforeAll(async () => {
    sub = await startTestSubgraph(contractsSubgraph);
  }, 90_000);
  afterAll(() => sub?.close());

  it('drafts a contract from a fee of 0 with no hole in its text, refuses to send it without compensation, sends it once it has one', async () => {
    freeId = await draftOf(P_FREE, { fee: { amountMinor: 0, currency: 'EUR' }, commissionPercent: null });
    const draft = await read(freeId);
    expect(draft.status).toBe('DRAFT');
    expect(draft.terms.compensation.flatFee).toBeNull();
    expect(draft.document).not.toMatch(/undefined|NaN/);
    expect(draft.document).toContain('The Brand and the Creator have not agreed a compensation yet.');

    const refused = await q(SEND, { id: freeId }, member);
    expect(ext(refused)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'terms.compensation' });
    expect(JSON.stringify(refused.errors)).not.toMatch(/stack|SELECT|typeorm/i);
    const after = await read(freeId);
    expect(after.status).toBe('DRAFT');
    expect((await sub.services.audit.list(freeId)).map((e) => e.action)).not.toContain('sent');
    expect(await sub.runtime.dataSource.query(`SELECT 1 FROM outbox WHERE key = $1 AND type = 'contract.sent'`, [freeId])).toHaveLength(0);

    ok(
      await q(
        UPDATE,
        {
          id: freeId,
          input: {
            compensation: { flatFee: { amountMinor: 50_000, currency: 'EUR' } },
            milestones: [{ label: 'On signature', sharePercent: 100, trigger: 'ON_EXECUTION' }],
          },
        },
        member,
      ),
    );
    const priced = await read(freeId);
    expect(priced.document).toContain('a flat fee of €500.00');
    expect(ok(await q<{ sendContract: { status: string } }>(SEND, { id: freeId }, member)).sendContract.status).toBe('SENT');
  });

  it("records an analyst's refused signature as the brand's side, with the analyst's role", async () => {
    const c = await read(freeId);
    expect(ext(await q(SIGN, { id: freeId, sha: c.documentSha256, consent: c.consentStatement }, analyst))).toMatchObject({
      code: 'FORBIDDEN',
    });
    const refusal = (await sub.services.audit.list(freeId)).filter((e) => e.action === 'sign_refused').at(-1);
    expect(refusal).toMatchObject({ actor: analyst.sub, actorRole: 'brand', details: { role: 'analyst', code: 'FORBIDDEN' } });
  });

  it('finds a trail rewritten from scratch (recomputed hashes) by the head hash its certificate recorded', async () => {
    const c = await read(freeId);
    ok(await q(SIGN, { id: freeId, sha: c.documentSha256, consent: c.consentStatement }, member));
    ok(await q(SIGN, { id: freeId, sha: c.documentSha256, consent: c.consentStatement }, creator));
    const executed = await read(freeId);
    expect(executed.status).toBe('EXECUTED');
    expect(executed.auditIntact).toBe(true);
    const anchor = (decodeJwt(executed.certificate!) as { auditHeadHash: string }).auditHeadHash;

    // As an attacker who owns the tables: the trail deleted and written again, every hash recomputed.
    const original = await sub.services.audit.list(freeId);
    await sub.runtime.dataSource.transaction(async (tx) => {
      await tx.query(`SET LOCAL session_replication_role = replica`);
      await tx.query(`DELETE FROM audit_entries WHERE contract_id = $1`, [freeId]);
      await tx.query(`DELETE FROM audit_heads WHERE contract_id = $1`, [freeId]);
    });
    for (const e of original.filter((e) => e.action !== 'sign_refused')) {
      await sub.services.audit.appendAlone(freeId, {
        action: e.action,
        actor: e.actor,
        actorRole: e.actorRole,
        at: e.at,
        details: e.details,
      });
    }
    // The chain alone is consistent again; only the certificate's anchor tells.
    expect((await sub.services.audit.verify(freeId)).intact).toBe(true);
    expect((await sub.services.audit.list(freeId)).some((e) => e.hash === anchor)).toBe(false);
    expect((await read(freeId)).auditIntact).toBe(false);
  });

  it('verifies a certificate issued under another public address, and answers (not INTERNAL) for one whose key is gone', async () => {
    const c = await read(freeId);
    const claims = decodeJwt(c.certificate!) as unknown as CompletionClaims;
    // The same platform key, the issuer of an earlier PUBLIC_BASE_URL.
    const oldKeys = new SigningKeys(sub.runtime.dataSource, { issuer: 'https://old-address.example' });
    const older = await issueCertificate(oldKeys, {
      contractId: claims.contractId,
      version: claims.version,
      title: claims.title,
      documentSha256: claims.documentSha256,
      signers: claims.signers,
      executedAt: claims.executedAt,
      auditHeadHash: claims.auditHeadHash,
    });
    expect(decodeJwt(older).iss).toBe('https://old-address.example');
    expect(ok(await q<{ verifyContract: unknown }>(VERIFY, { cert: older }, null)).verifyContract).toMatchObject({
      executed: true,
      matched: 'CERTIFICATE',
      contractId: freeId,
      reason: null,
    });

    // The stored certificate, issued under the old address: the hash still verifies.
    await sub.runtime.dataSource.query(`UPDATE contracts SET certificate_jws = $2 WHERE id = $1`, [freeId, older]);
    expect(ok(await q<{ verifyContract: unknown }>(VERIFY, { sha: c.documentSha256 }, null)).verifyContract).toMatchObject({
      executed: true,
      matched: 'DOCUMENT',
      reason: null,
    });

    // Signed with a key that is no longer published (revoked): an answer with the reason, not a failure.
    const { privateKey } = await generateKeyPair('ES256');
    const revoked = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: 'review-fixes-revoked-key', typ: CERTIFICATE_TYPE })
      .sign(privateKey);
    await sub.runtime.dataSource.query(`UPDATE contracts SET certificate_jws = $2 WHERE id = $1`, [freeId, revoked]);
    const byHash = await q<{ verifyContract: unknown }>(VERIFY, { sha: c.documentSha256 }, null);
    expect(ok(byHash).verifyContract).toEqual({ executed: false, matched: null, contractId: null, reason: 'CERTIFICATE_UNKNOWN_KEY' });
    const submitted = await q(VERIFY, { cert: revoked }, null);
    expect(ext(submitted)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'certificate', reason: 'CERTIFICATE_UNKNOWN_KEY' });
    expect(JSON.stringify(submitted.errors)).not.toMatch(/stack|INTERNAL/);
  });

  it('keeps both of two concurrent partial edits of different fields', async () => {
    const editsId = await draftOf(P_EDITS);
    const before = await read(editsId);
    expect([before.terms.paymentNetDays, before.terms.cancellationNoticeDays]).toEqual([30, 14]);
    const [a, b] = await Promise.all([
      q(UPDATE, { id: editsId, input: { paymentNetDays: 45 } }, member),
      q(UPDATE, { id: editsId, input: { cancellationNoticeDays: 21 } }, member),
    ]);
    ok(a);
    ok(b);
    const after = await read(editsId);
    expect([after.terms.paymentNetDays, after.terms.cancellationNoticeDays]).toEqual([45, 21]);
    expect((await sub.services.audit.list(editsId)).filter((e) => e.action === 'amended')).toHaveLength(2);
  });
});
