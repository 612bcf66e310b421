import { createHash } from 'node:crypto';
import { createEvent, Identity } from '@influenceflow/kit';
import { PartnershipEventData, TOPICS } from '@influenceflow/vocabulary';
import {
  countByTable,
  eventually,
  GraphQLResponse,
  identities,
  publishRawEvent,
  startTestSubgraph,
  statementsDuring,
  TEST_KAFKA_BROKERS,
  testTopicPrefix,
  TestSubgraph,
} from '@influenceflow/kit/testing';
import { contractsSubgraph } from '../src/schema';
import type { ContractsServices } from '../src/services';

// Ids of this file only (test files share databases and topics).
const id = (n: number) => `00000000-0000-4000-8b13-${String(n).padStart(12, '0')}`;
const BRAND = id(1);
const CAMPAIGN = id(21);
const COUNT = 6;
const partnershipIds = Array.from({ length: COUNT }, (_, i) => id(100 + i));
const creatorOf = (i: number) => id(200 + i);

const member = identities.brandMember(BRAND, 'bo@batchco');
const CLIENT = { ip: '203.0.113.55', userAgent: 'Batching-Test/1.0' };

function accepted(i: number): PartnershipEventData {
  return {
    partnershipId: partnershipIds[i],
    campaignId: CAMPAIGN,
    brandId: BRAND,
    creatorId: creatorOf(i),
    status: 'accepted',
    previousStatus: 'invited',
    lengthMonths: null,
    deliverables: [{ platform: 'instagram', format: 'reel', count: 1, dueOn: '2027-07-10' }],
    fee: { amountMinor: 10_000 + i, currency: 'EUR' },
    commissionPercent: null,
    briefVersion: 1,
    reason: null,
    parties: {
      brandName: 'Batchco',
      creatorName: `Creator ${i}`,
      creatorHandle: `creator.${i}`,
      campaignName: 'Batched',
      campaignStartsOn: '2027-07-01',
      campaignEndsOn: '2027-07-31',
    },
  };
}

/** The tables of contracts's own data (the outbox relay polls its table meanwhile: not the request's). */
const CONTRACT_TABLES = new Set([
  'contracts',
  'contract_signatures',
  'audit_entries',
  'audit_heads',
  'contract_templates',
  'contract_views',
  'signing_keys',
]);
describe('contracts under a list are batched (the DataLoader registry)', () => {
  let sub: TestSubgraph<ContractsServices>;
  const q = <T = Record<string, unknown>>(query: string, variables: Record<string, unknown>, who: Identity | null) =>
    sub.query<T>(query, variables, who, CLIENT);
  const ok = <T>(r: GraphQLResponse<T>): T => {
    expect(r.errors).toBeUndefined();
    return r.data!;
  };

  /** The contracts tables the subgraph reads while `work` runs, and how often. */
  async function queriesDuring<T>(work: () => Promise<T>): Promise<{ result: T; byTable: Record<string, number> }> {
    const { result, statements } = await statementsDuring(sub.runtime.dataSource, work);
    return { result, byTable: countByTable(statements, CONTRACT_TABLES) };
  }

  const SIGN = `mutation($id: ID!, $sha: String!, $consent: String!) {
    signContract(contractId: $id, documentSha256: $sha, consent: $consent) { status } }`;
  const sign = async (contractId: string, who: Identity) => {
    const c = ok(
      await q<{ contract: { document: string; consentStatement: string } }>(
        `query($id: ID!) { contract(id: $id) { document consentStatement } }`,
        { id: contractId },
        who,
      ),
    ).contract;
    const sha = createHash('sha256').update(c.document, 'utf8').digest('hex');
    ok(await q(SIGN, { id: contractId, sha, consent: c.consentStatement }, who));
  };

  let contractIds: string[];

  beforeAll(async () => {
    sub = await startTestSubgraph(contractsSubgraph);
    for (let i = 0; i < COUNT; i++) {
      await publishRawEvent(
        TEST_KAFKA_BROKERS,
        `${testTopicPrefix()}${TOPICS.campaign}`,
        createEvent('campaign', { type: 'partnership.accepted', subject: partnershipIds[i], brandid: BRAND, data: accepted(i) }),
      );
    }
    contractIds = await eventually(
      async () => {
        const rows = (await sub.runtime.dataSource.query(
          `SELECT id, partnership_id FROM contracts WHERE partnership_id = ANY($1::uuid[])`,
          [partnershipIds],
        )) as { id: string; partnership_id: string }[];
        return rows.length === COUNT ? partnershipIds.map((p) => rows.find((r) => r.partnership_id === p)!.id) : undefined;
      },
      30_000,
      'the drafts',
    );
    // Some sent and signed by the brand, one executed: signatures, trails and a certificate to load.
    for (const [i, contractId] of contractIds.entries()) {
      if (i >= 3) continue;
      ok(await q(`mutation($id: ID!) { sendContract(id: $id) { id } }`, { id: contractId }, member));
      await sign(contractId, member);
      if (i === 0) await sign(contractId, identities.creator(creatorOf(0)));
    }
  }, 120_000);
  afterAll(() => sub?.close());

  const representations = partnershipIds.map((p) => ({ __typename: 'Partnership', id: p }));

  it('resolves many partnerships’ contracts, their signatures, audit trails and audit checks with one query per table', async () => {
    const { result, byTable } = await queriesDuring(() =>
      q<{
        _entities: {
          contract: {
            id: string;
            status: string;
            signatures: { party: string }[];
            auditTrail: { sequence: number }[];
            auditIntact: boolean;
          };
        }[];
      }>(
        `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Partnership {
          contract { id status signatures { party } auditTrail { sequence action } auditIntact amends { id } pendingAmendment { id } } } } }`,
        { reps: representations },
        member,
      ),
    );
    const contracts = ok(result)._entities.map((e) => e.contract);
    expect(contracts.map((c) => c.id)).toEqual(contractIds);
    expect(contracts.map((c) => c.status)).toEqual(['EXECUTED', 'SIGNED', 'SIGNED', 'DRAFT', 'DRAFT', 'DRAFT']);
    expect(contracts.map((c) => c.signatures.length)).toEqual([2, 1, 1, 0, 0, 0]);
    expect(contracts.every((c) => c.auditIntact)).toBe(true);
    expect(contracts[0].auditTrail.length).toBeGreaterThan(contracts[3].auditTrail.length);
    expect(byTable).toEqual({ contracts: 1, contract_signatures: 1, audit_entries: 1, audit_heads: 1 });
  });

  it('batches the brand’s list of contracts the same way', async () => {
    const { result, byTable } = await queriesDuring(() =>
      q<{ contracts: { edges: { node: { id: string } }[] } }>(
        `query($brandId: ID!) { contracts(brandId: $brandId, first: 20) { edges { node { id signatures { party } auditIntact partnership { id } } } } }`,
        { brandId: BRAND },
        member,
      ),
    );
    expect(ok(result).contracts.edges).toHaveLength(COUNT);
    expect(byTable.contract_signatures).toBe(1);
    expect(byTable.audit_entries).toBe(1);
    expect(byTable.audit_heads).toBe(1);
  });
});
