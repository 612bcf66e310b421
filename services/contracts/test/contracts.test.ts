import { createHash } from 'node:crypto';
import { createEvent, Identity } from '@influenceflow/kit';
import { CampaignEventData, PartnershipEventData, TOPICS } from '@influenceflow/vocabulary';
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
import { compactVerify, createLocalJWKSet, decodeJwt } from 'jose';
import { contractsSubgraph } from '../src/schema';
import type { ContractsServices } from '../src/services';

// Ids of this file only (test files share databases and topics).
const id = (n: number) => `00000000-0000-4000-8c13-${String(n).padStart(12, '0')}`;
const BRAND = id(1);
const OTHER_BRAND = id(2);
const CREATOR = id(11);
const OTHER_CREATOR = id(12);
const CAMPAIGN = id(21);
const P_MAIN = id(31);
const P_ENDED = id(32);
const P_CANCELLED = id(33);
const CAMPAIGN_CANCELLED = id(22);

const member = identities.brandMember(BRAND, 'dana@oaty');
const analyst = identities.analyst(BRAND);
const creator = identities.creator(CREATOR);
const stranger = identities.brandMember(OTHER_BRAND);
const otherCreator = identities.creator(OTHER_CREATOR);
const CLIENT = { ip: '203.0.113.7', userAgent: 'Contract-Test/1.0' };

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

function partnershipData(partnershipId: string, campaignId = CAMPAIGN, over: Partial<PartnershipEventData> = {}): PartnershipEventData {
  return {
    partnershipId,
    campaignId,
    brandId: BRAND,
    creatorId: CREATOR,
    status: 'accepted',
    previousStatus: 'invited',
    lengthMonths: null,
    deliverables: [
      { platform: 'instagram', format: 'reel', count: 2, dueOn: '2027-03-10' },
      { platform: 'tiktok', format: 'video', count: 1, dueOn: '2027-03-20' },
    ],
    fee: { amountMinor: 150_001, currency: 'EUR' },
    commissionPercent: 5,
    briefVersion: 2,
    reason: null,
    parties: {
      brandName: 'Oaty',
      creatorName: 'Ella Runs',
      creatorHandle: 'ella.runs',
      campaignName: 'Spring run',
      campaignStartsOn: '2027-03-01',
      campaignEndsOn: '2027-04-30',
    },
    ...over,
  };
}

const CONTRACT_FIELDS = `id status version partnershipId documentSha256 consentStatement certificate sentAt executedAt endReason
  terms { parties { brandName creatorName creatorHandle } campaignName startsOn endsOn briefVersion
    deliverables { platform format count dueOn }
    compensation { currency flatFee { amountMinor } commissionPercent bonus { metric threshold amount { amountMinor } } }
    milestones { label amount { amountMinor } sharePercent trigger deliverableIndex } usageRights { scope durationMonths } exclusivity { category windowDays } }
  signatures { party subject signerName consent documentSha256 ip userAgent }
  auditIntact`;

interface ContractView {
  id: string;
  status: string;
  version: number;
  documentSha256: string | null;
  consentStatement: string | null;
  certificate: string | null;
  terms: {
    milestones: { amount: { amountMinor: number }; trigger: string }[];
    compensation: { flatFee: { amountMinor: number } | null };
  } | null;
  signatures: { party: string; subject: string; ip: string | null; userAgent: string | null }[] | null;
  auditIntact: boolean | null;
  document?: string | null;
}

describe('contracts: from an accepted partnership to an executed, verifiable contract', () => {
  let sub: TestSubgraph<ContractsServices>;
  const q = <T = Record<string, unknown>>(query: string, variables: Record<string, unknown>, who: Identity | null) =>
    sub.query<T>(query, variables, who, CLIENT);
  const ok = <T>(r: GraphQLResponse<T>): T => {
    expect(r.errors).toBeUndefined();
    return r.data!;
  };
  const ext = (r: GraphQLResponse) => r.errors?.[0]?.extensions;
  const publish = (type: string, subject: string, data: unknown, times = 1) =>
    publishRawEvent(
      TEST_KAFKA_BROKERS,
      `${testTopicPrefix()}${TOPICS.campaign}`,
      createEvent('campaign', { type, subject, brandid: BRAND, data }),
      times,
    );
  const contractOf = async (partnershipId: string, version = 1): Promise<{ id: string }> =>
    eventually(
      async () => {
        const [row] = await sub.runtime.dataSource.query(`SELECT id FROM contracts WHERE partnership_id = $1 AND version = $2`, [
          partnershipId,
          version,
        ]);
        return row as { id: string } | undefined;
      },
      30_000,
      `the contract of ${partnershipId}`,
    );
  const audit = async (contractId: string) =>
    (await sub.services.audit.list(contractId)).map((e) => ({ action: e.action, actorRole: e.actorRole, details: e.details }));
  const outbox = async (contractId: string) =>
    (await sub.runtime.dataSource.query(`SELECT type, envelope FROM outbox WHERE key = $1 ORDER BY seq`, [contractId])) as {
      type: string;
      envelope: { data: Record<string, unknown> };
    }[];
  const read = (contractId: string, who: Identity) =>
    q<{ contract: ContractView }>(`query($id: ID!) { contract(id: $id) { ${CONTRACT_FIELDS} document } }`, { id: contractId }, who);
  const SIGN = `mutation($id: ID!, $sha: String!, $consent: String!, $name: String) {
    signContract(contractId: $id, documentSha256: $sha, consent: $consent, signerName: $name) { id status }
  }`;

  let contractId: string;

  beforeAll(async () => {
    sub = await startTestSubgraph(contractsSubgraph);
    // Twice, and once more as another delivery of the same event id: one draft.
    const event = createEvent('campaign', { type: 'partnership.accepted', subject: P_MAIN, brandid: BRAND, data: partnershipData(P_MAIN) });
    await publishRawEvent(TEST_KAFKA_BROKERS, `${testTopicPrefix()}${TOPICS.campaign}`, event, 2);
    contractId = (await contractOf(P_MAIN)).id;
  }, 90_000);
  afterAll(() => sub?.close());

  it('drafts one contract from the agreed terms, idempotent on redelivery and replays', async () => {
    // A replay with a new event id (the inbox would not catch it): the handler keeps the first draft.
    await publish('partnership.accepted', P_MAIN, partnershipData(P_MAIN));
    await publish('partnership.accepted', P_ENDED, partnershipData(P_ENDED));
    await contractOf(P_ENDED);
    const rows = await sub.runtime.dataSource.query(`SELECT id FROM contracts WHERE partnership_id = $1`, [P_MAIN]);
    expect(rows).toHaveLength(1);
    const c = ok(await read(contractId, member)).contract;
    expect(c).toMatchObject({ status: 'DRAFT', version: 1, certificate: null });
    expect(c.terms).toMatchObject({
      parties: { brandName: 'Oaty', creatorName: 'Ella Runs', creatorHandle: 'ella.runs' },
      campaignName: 'Spring run',
      briefVersion: 2,
      compensation: { currency: 'EUR', flatFee: { amountMinor: 150_001 }, commissionPercent: 5, bonus: null },
      milestones: [
        { trigger: 'ON_EXECUTION', sharePercent: 50, amount: { amountMinor: 75_000 } },
        { trigger: 'ON_DELIVERABLE_POSTED', sharePercent: 50, deliverableIndex: 1, amount: { amountMinor: 75_001 } },
      ],
    });
    expect(c.document).toContain('This agreement is made between Oaty (the "Brand") and Ella Runs (@ella.runs, the "Creator")');
    expect(c.document).toContain('- 2 × Instagram reel, due 2027-03-10');
    expect(c.document).toContain('Commission: 5% of attributed sales');
    expect(c.documentSha256).toBe(sha256(c.document!));
    expect(c.auditIntact).toBe(true);
    expect((await audit(contractId)).map((e) => e.action)).toEqual(['created', 'viewed']);
  });

  it('records the first view of each party once, and shows analysts only that it exists', async () => {
    await read(contractId, member);
    await read(contractId, creator);
    await read(contractId, creator);
    expect((await audit(contractId)).filter((e) => e.action === 'viewed').map((e) => e.actorRole)).toEqual(['brand', 'creator']);
    const seen = ok(await read(contractId, analyst)).contract;
    expect(seen).toMatchObject({
      id: contractId,
      status: 'DRAFT',
      terms: null,
      document: null,
      documentSha256: null,
      signatures: null,
      auditIntact: null,
    });
    for (const who of [stranger, otherCreator]) expect(ext(await read(contractId, who))).toMatchObject({ code: 'NOT_FOUND' });
    expect(ext(await read(contractId, null as unknown as Identity))).toMatchObject({ code: 'UNAUTHENTICATED' });
    const listed = ok(
      await q<{ contracts: { edges: { node: { id: string; terms: unknown } }[] } }>(
        `query($b: ID!) { contracts(brandId: $b, statuses: [DRAFT]) { edges { node { id terms { campaignName } } } } }`,
        { b: BRAND },
        analyst,
      ),
    ).contracts.edges;
    expect(listed.map((e) => e.node.id)).toEqual(expect.arrayContaining([contractId]));
    expect(listed.every((e) => e.node.terms === null)).toBe(true);
    const mine = ok(
      await q<{ myContracts: { edges: { node: { id: string } }[] } }>(`{ myContracts { edges { node { id } } } }`, {}, creator),
    ).myContracts;
    expect(mine.edges.map((e) => e.node.id)).toContain(contractId);
    expect(ext(await q(`{ myContracts { edges { node { id } } } }`, {}, member))).toMatchObject({ code: 'FORBIDDEN' });
    expect(ext(await q(`query($b: ID!) { contracts(brandId: $b) { edges { node { id } } } }`, { b: BRAND }, stranger))).toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('refuses a signature on a draft, with an audit entry and nothing else written', async () => {
    const c = ok(await read(contractId, creator)).contract;
    const r = await q(SIGN, { id: contractId, sha: c.documentSha256, consent: c.consentStatement }, creator);
    expect(ext(r)).toMatchObject({ code: 'INVALID_STATE', status: 'draft' });
    expect((await audit(contractId)).at(-1)).toMatchObject({
      action: 'sign_refused',
      actorRole: 'creator',
      details: { code: 'INVALID_STATE', ip: CLIENT.ip },
    });
    expect(await sub.runtime.dataSource.query(`SELECT 1 FROM contract_signatures WHERE contract_id = $1`, [contractId])).toHaveLength(0);
  });

  it('lets the brand edit the draft (partial update), reporting every bad field at once', async () => {
    const before = ok(await read(contractId, member)).contract;
    const bad = await q(
      `mutation($id: ID!, $input: ContractTermsInput!) { updateContractTerms(id: $id, input: $input) { id } }`,
      {
        id: contractId,
        input: {
          compensation: { flatFee: { amountMinor: 100_000, currency: 'USD' }, commissionPercent: 250 },
          usageRights: { scope: '', durationMonths: 12 },
          milestones: [{ label: 'All', sharePercent: 100, trigger: 'ON_DELIVERABLE_POSTED', deliverableIndex: 7 }],
        },
      },
      member,
    );
    expect(ext(bad)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.compensation.flatFee.currency' });
    expect((ext(bad)!.problems as { field: string }[]).map((p) => p.field)).toEqual([
      'input.compensation.flatFee.currency',
      'input.compensation.commissionPercent',
      'input.usageRights.scope',
    ]);
    expect(ok(await read(contractId, member)).contract.documentSha256).toBe(before.documentSha256);
    for (const who of [creator, analyst, stranger]) {
      const r = await q(
        `mutation($id: ID!) { updateContractTerms(id: $id, input: { paymentNetDays: 10 }) { id } }`,
        { id: contractId },
        who,
      );
      expect(ext(r)?.code).toBe(who === stranger ? 'NOT_FOUND' : 'FORBIDDEN');
    }
    const updated = ok(
      await q<{ updateContractTerms: ContractView }>(
        `mutation($id: ID!, $input: ContractTermsInput!) { updateContractTerms(id: $id, input: $input) { ${CONTRACT_FIELDS} } }`,
        {
          id: contractId,
          input: {
            compensation: {
              flatFee: { amountMinor: 150_000, currency: 'EUR' },
              bonus: { metric: 'attributed orders', threshold: 200, amountMinor: 20_000 },
            },
            milestones: [
              { label: 'On signature', amountMinor: 50_000, trigger: 'ON_EXECUTION' },
              { label: 'First reel', sharePercent: 50, trigger: 'ON_DELIVERABLE_POSTED', deliverableIndex: 0 },
              { label: 'Campaign end', amountMinor: 25_000, trigger: 'ON_CAMPAIGN_END' },
              { label: 'Bonus', sharePercent: 100, trigger: 'ON_BONUS_THRESHOLD' },
            ],
            exclusivity: { category: 'plant milk', windowDays: 30 },
          },
        },
        member,
      ),
    ).updateContractTerms;
    expect(updated.terms!.milestones.map((m) => m.amount.amountMinor)).toEqual([50_000, 75_000, 25_000, 20_000]);
    expect(updated.terms!.compensation.flatFee!.amountMinor).toBe(150_000);
    expect(updated.documentSha256).not.toBe(before.documentSha256);
  });

  it('sends the draft (contract.sent), and refuses the creator sending or the brand editing a sent contract', async () => {
    expect(ext(await q(`mutation($id: ID!) { sendContract(id: $id) { id } }`, { id: contractId }, creator))).toMatchObject({
      code: 'FORBIDDEN',
    });
    const sent = ok(
      await q<{ sendContract: { status: string } }>(`mutation($id: ID!) { sendContract(id: $id) { status } }`, { id: contractId }, member),
    );
    expect(sent.sendContract.status).toBe('SENT');
    expect(ext(await q(`mutation($id: ID!) { sendContract(id: $id) { id } }`, { id: contractId }, member))).toMatchObject({
      code: 'INVALID_STATE',
    });
    const edit = await q(
      `mutation($id: ID!) { updateContractTerms(id: $id, input: { paymentNetDays: 10 }) { id } }`,
      { id: contractId },
      member,
    );
    expect(ext(edit)).toMatchObject({ code: 'INVALID_STATE', status: 'sent' });
    const events = await outbox(contractId);
    expect(events.map((e) => e.type)).toEqual(['contract.sent']);
    expect(events[0].envelope.data).toMatchObject({
      contractId,
      partnershipId: P_MAIN,
      version: 1,
      status: 'sent',
      previousStatus: 'draft',
    });
  });

  it('refuses bad signatures with stable codes, each with an audit entry and nothing else written', async () => {
    const c = ok(await read(contractId, creator)).contract;
    const attempts: [Identity, Record<string, unknown>, Record<string, unknown>][] = [
      [creator, { sha: 'f'.repeat(64), consent: c.consentStatement }, { code: 'CONFLICT', field: 'documentSha256' }],
      [creator, { sha: 'not-a-hash', consent: c.consentStatement }, { code: 'BAD_USER_INPUT', field: 'documentSha256' }],
      [creator, { sha: c.documentSha256, consent: 'I agree' }, { code: 'BAD_USER_INPUT', field: 'consent' }],
      [otherCreator, { sha: c.documentSha256, consent: c.consentStatement }, { code: 'NOT_FOUND' }],
      [stranger, { sha: c.documentSha256, consent: c.consentStatement }, { code: 'NOT_FOUND' }],
      [analyst, { sha: c.documentSha256, consent: c.consentStatement }, { code: 'FORBIDDEN' }],
      [identities.admin(), { sha: c.documentSha256, consent: c.consentStatement }, { code: 'FORBIDDEN' }],
    ];
    const refusalsBefore = (await audit(contractId)).filter((e) => e.action === 'sign_refused').length;
    for (const [who, vars, expected] of attempts) {
      const r = await q(SIGN, { id: contractId, ...vars }, who);
      expect(ext(r)).toMatchObject(expected);
      expect(JSON.stringify(r.errors)).not.toMatch(/stack|SELECT|typeorm/i);
    }
    const refusals = (await audit(contractId)).filter((e) => e.action === 'sign_refused');
    expect(refusals).toHaveLength(refusalsBefore + attempts.length);
    expect(refusals.slice(-attempts.length).map((e) => e.details.code)).toEqual(attempts.map(([, , e]) => e.code));
    expect(await sub.runtime.dataSource.query(`SELECT 1 FROM contract_signatures WHERE contract_id = $1`, [contractId])).toHaveLength(0);
    expect((await outbox(contractId)).map((e) => e.type)).toEqual(['contract.sent']);
    // A contract that does not exist has no trail to write to: NOT_FOUND, nothing written.
    expect(ext(await q(SIGN, { id: id(999), sha: c.documentSha256, consent: 'x' }, creator))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('takes both signatures: the second executes it with a certificate, a sealed PDF and contract.executed', async () => {
    const c = ok(await read(contractId, member)).contract;
    const first = ok(
      await q<{ signContract: { status: string } }>(
        SIGN,
        { id: contractId, sha: c.documentSha256, consent: c.consentStatement, name: 'Dana Berg' },
        member,
      ),
    );
    expect(first.signContract.status).toBe('SIGNED');
    const twice = await q(SIGN, { id: contractId, sha: c.documentSha256, consent: c.consentStatement }, member);
    expect(ext(twice)).toMatchObject({ code: 'CONFLICT', signed: ['brand'] });
    expect((await audit(contractId)).at(-1)).toMatchObject({ action: 'sign_refused', details: { code: 'CONFLICT' } });

    const second = ok(
      await q<{ signContract: { status: string } }>(
        SIGN,
        { id: contractId, sha: c.documentSha256!.toUpperCase(), consent: c.consentStatement },
        creator,
      ),
    );
    expect(second.signContract.status).toBe('EXECUTED');
    const done = ok(
      await q<{ contract: ContractView & { pdf: { sha256: string; base64: string; sizeBytes: number } } }>(
        `query($id: ID!) { contract(id: $id) { ${CONTRACT_FIELDS} pdf { sha256 sizeBytes base64 } } }`,
        { id: contractId },
        creator,
      ),
    ).contract;
    expect(done.status).toBe('EXECUTED');
    expect(done.signatures).toEqual([
      expect.objectContaining({
        party: 'BRAND',
        subject: 'dana@oaty',
        signerName: 'Dana Berg',
        ip: CLIENT.ip,
        userAgent: CLIENT.userAgent,
        documentSha256: c.documentSha256,
      }),
      expect.objectContaining({ party: 'CREATOR', subject: `creator-${CREATOR}`, signerName: 'Ella Runs', consent: c.consentStatement }),
    ]);
    const pdf = Buffer.from(done.pdf.base64, 'base64');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(done.pdf).toMatchObject({ sha256: sha256(pdf), sizeBytes: pdf.length });
    expect(done.auditIntact).toBe(true);
    const claims = decodeJwt(done.certificate!);
    expect(claims).toMatchObject({ contractId, version: 1, documentSha256: c.documentSha256 });
    expect((await audit(contractId)).map((e) => e.action).slice(-4)).toEqual(['signed', 'sign_refused', 'signed', 'executed']);

    const events = await outbox(contractId);
    expect(events.map((e) => e.type)).toEqual(['contract.sent', 'contract.signed', 'contract.signed', 'contract.executed']);
    expect(events[3].envelope.data).toMatchObject({
      contractId,
      partnershipId: P_MAIN,
      version: 1,
      amends: null,
      currency: 'EUR',
      compensation: { flatFeeMinor: 150_000, commissionPercent: 5, bonus: { amountMinor: 20_000 } },
      milestones: [
        { index: 0, amountMinor: 50_000, trigger: 'ON_EXECUTION' },
        { index: 1, amountMinor: 75_000, trigger: 'ON_DELIVERABLE_POSTED', deliverableIndex: 0 },
        { index: 2, amountMinor: 25_000, trigger: 'ON_CAMPAIGN_END' },
        { index: 3, amountMinor: 20_000, trigger: 'ON_BONUS_THRESHOLD' },
      ],
      // What deliverableIndex points into, for payments.
      deliverables: expect.arrayContaining([expect.objectContaining({ count: expect.any(Number), platform: expect.any(String) })]),
    });
    expect(events[3].envelope.data).toHaveProperty('lengthMonths');
    // Signed once each: a third attempt is refused however it comes.
    expect(ext(await q(SIGN, { id: contractId, sha: c.documentSha256, consent: c.consentStatement }, creator))).toMatchObject({
      code: 'INVALID_STATE',
    });
  });

  it('verifies in public: by the document hash, by the PDF hash, by the certificate, offline with the JWKS alone', async () => {
    const c = ok(await read(contractId, member)).contract;
    const VERIFY = `query($sha: String, $cert: String) { verifyContract(documentSha256: $sha, certificate: $cert) {
      executed matched contractId version title documentSha256 executedAt auditHeadHash certificate signers { party name signedAt consent } standing { state since supersededByVersion } } }`;
    const byHash = ok(await q<{ verifyContract: Record<string, unknown> }>(VERIFY, { sha: c.documentSha256 }, null)).verifyContract;
    expect(byHash).toMatchObject({ executed: true, matched: 'DOCUMENT', contractId, version: 1, documentSha256: c.documentSha256 });
    expect(byHash.signers).toEqual([
      expect.objectContaining({ party: 'BRAND', name: 'Dana Berg' }),
      expect.objectContaining({ party: 'CREATOR', name: 'Ella Runs' }),
    ]);
    // Nothing the certificate does not hold: no fees, no terms; and no signer's token subject, in the
    // answer nor in the certificate itself.
    expect(JSON.stringify(byHash)).not.toMatch(/150000|amountMinor|Commission|plant milk/);
    expect(JSON.stringify(byHash)).not.toContain('dana@oaty');
    expect(JSON.stringify(byHash)).not.toContain(`creator-${CREATOR}`);
    expect((decodeJwt(c.certificate!) as { signers: object[] }).signers.every((s) => !('subject' in s))).toBe(true);
    // It is in force, since its execution.
    const executedAt = (await sub.runtime.dataSource.query(`SELECT executed_at FROM contracts WHERE id = $1`, [contractId]))[0]
      .executed_at as Date;
    expect(byHash.standing).toEqual({ state: 'IN_FORCE', since: executedAt.toISOString(), supersededByVersion: null });
    const nothing = ok(await q<{ verifyContract: Record<string, unknown> }>(VERIFY, { sha: 'a'.repeat(64) }, null)).verifyContract;
    expect(nothing).toMatchObject({ executed: false, matched: null, contractId: null, signers: [], standing: null });
    expect(ext(await q(VERIFY, { sha: 'xyz' }, null))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'documentSha256' });
    expect(ext(await q(VERIFY, {}, null))).toMatchObject({ code: 'BAD_USER_INPUT' });

    const cert = c.certificate!;
    expect(ok(await q<{ verifyContract: { matched: string } }>(VERIFY, { cert }, null)).verifyContract.matched).toBe('CERTIFICATE');
    const [h, payload, sig] = cert.split('.');
    const edited = Buffer.from(payload, 'base64url').toString('utf8').replace('"version":1', '"version":2');
    const forged = `${h}.${Buffer.from(edited).toString('base64url')}.${sig}`;
    expect(ext(await q(VERIFY, { cert: forged }, null))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'certificate',
      reason: 'CERTIFICATE_BAD_SIGNATURE',
    });
    const flipped = `${h}.${payload}.${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BA' : 'AA'}`;
    expect(ext(await q(VERIFY, { cert: flipped }, null))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'certificate' });

    // The public routes: the JWKS, GET /verify by hash, POST /verify with the PDF's bytes.
    const base = sub.url.replace(/\/graphql$/, '');
    const jwks = (await (await fetch(`${base}/.well-known/jwks.json`)).json()) as { keys: [] };
    const { payload: offline } = await compactVerify(cert, createLocalJWKSet(jwks));
    expect(JSON.parse(Buffer.from(offline).toString('utf8'))).toMatchObject({ contractId, documentSha256: c.documentSha256 });
    const viaGet = (await (await fetch(`${base}/verify?sha256=${c.documentSha256}`)).json()) as Record<string, unknown>;
    expect(viaGet).toMatchObject({ executed: true, matched: 'DOCUMENT', contractId, standing: { state: 'IN_FORCE' } });
    expect(JSON.stringify(viaGet)).not.toContain('dana@oaty');
    const badGet = await fetch(`${base}/verify?sha256=nope`);
    expect(badGet.status).toBe(400);
    expect(await badGet.json()).toMatchObject({ error: { code: 'BAD_USER_INPUT', field: 'sha256' } });
    const pdf = await sub.services.contracts.pdfOf(
      { dataSource: sub.runtime.dataSource } as never,
      { id: contractId, pdfSha256: 'x' } as never,
    );
    const viaPost = (await (await fetch(`${base}/verify`, { method: 'POST', body: pdf! })).json()) as Record<string, unknown>;
    expect(viaPost).toMatchObject({ executed: true, matched: 'PDF', contractId });
    const changed = Buffer.from(pdf!);
    changed[Math.floor(changed.length / 2)] ^= 0x01;
    expect(await (await fetch(`${base}/verify`, { method: 'POST', body: changed })).json()).toMatchObject({ executed: false });
  });

  it('amends only an executed contract: a new version both sign, superseding the old one on execution', async () => {
    // A draft cannot be amended.
    const draft = (await contractOf(P_ENDED)).id;
    const r = await q(`mutation($id: ID!) { amendContract(id: $id, input: { paymentNetDays: 15 }) { id } }`, { id: draft }, member);
    expect(ext(r)).toMatchObject({ code: 'INVALID_STATE', status: 'draft' });
    expect(
      ext(await q(`mutation($id: ID!) { amendContract(id: $id, input: { paymentNetDays: 15 }) { id } }`, { id: contractId }, creator)),
    ).toMatchObject({ code: 'FORBIDDEN' });

    const amendment = ok(
      await q<{ amendContract: { id: string; version: number; status: string } }>(
        `mutation($id: ID!) { amendContract(id: $id, input: { compensation: { flatFee: { amountMinor: 175001, currency: "EUR" }, bonus: null },
          milestones: [{ label: "On signature", sharePercent: 100, trigger: ON_EXECUTION }] }) { id version status } }`,
        { id: contractId },
        member,
      ),
    ).amendContract;
    expect(amendment).toMatchObject({ version: 2, status: 'DRAFT' });
    const again = await q(
      `mutation($id: ID!) { amendContract(id: $id, input: { paymentNetDays: 15 }) { id } }`,
      { id: contractId },
      member,
    );
    expect(ext(again)).toMatchObject({ code: 'CONFLICT' });
    ok(await q(`mutation($id: ID!) { sendContract(id: $id) { id } }`, { id: amendment.id }, member));
    const v2 = ok(await read(amendment.id, creator)).contract;
    expect(v2.document).toContain('Amends: version 1');
    for (const who of [creator, member]) ok(await q(SIGN, { id: amendment.id, sha: v2.documentSha256, consent: v2.consentStatement }, who));
    const statuses = await sub.runtime.dataSource.query(
      `SELECT version, status FROM contracts WHERE partnership_id = $1 ORDER BY version`,
      [P_MAIN],
    );
    expect(statuses).toEqual([
      { version: 1, status: 'superseded' },
      { version: 2, status: 'executed' },
    ]);
    const executed = (await outbox(amendment.id)).find((e) => e.type === 'contract.executed')!;
    expect(executed.envelope.data).toMatchObject({ version: 2, amends: contractId, milestones: [{ amountMinor: 175_001 }] });
    const current = ok(
      await sub.query<{ _entities: { contract: { id: string; version: number } | null }[] }>(
        `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Partnership { contract { id version } } } }`,
        { reps: [{ __typename: 'Partnership', id: P_MAIN }] },
        creator,
      ),
    )._entities[0].contract;
    expect(current).toEqual({ id: amendment.id, version: 2 });
    const hidden = ok(
      await sub.query<{ _entities: { contract: unknown }[] }>(
        `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Partnership { contract { id } } } }`,
        { reps: [{ __typename: 'Partnership', id: P_MAIN }] },
        stranger,
      ),
    )._entities[0].contract;
    expect(hidden).toBeNull();
    expect((await audit(contractId)).at(-1)).toMatchObject({ action: 'amended', details: { supersededBy: amendment.id } });
    // In public: version 1 is superseded by version 2, which is in force.
    const STANDING = `query($sha: String, $cert: String) { verifyContract(documentSha256: $sha, certificate: $cert) { executed version standing { state since supersededByVersion } } }`;
    const v1 = ok(await read(contractId, member)).contract;
    const v1Answer = ok(await q<{ verifyContract: unknown }>(STANDING, { cert: v1.certificate }, null)).verifyContract;
    expect(v1Answer).toMatchObject({ executed: true, version: 1, standing: { state: 'SUPERSEDED', supersededByVersion: 2 } });
    expect(ok(await q<{ verifyContract: unknown }>(STANDING, { sha: v2.documentSha256 }, null)).verifyContract).toMatchObject({
      executed: true,
      version: 2,
      standing: { state: 'IN_FORCE', supersededByVersion: null },
    });
  });

  it('is terminated by a party with a reason (contract.terminated ends the partnership)', async () => {
    const current = (await contractOf(P_MAIN, 2)).id;
    expect(ext(await q(`mutation($id: ID!) { terminateContract(id: $id, reason: " ") { id } }`, { id: current }, creator))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'reason',
    });
    expect(ext(await q(`mutation($id: ID!) { terminateContract(id: $id, reason: "no") { id } }`, { id: current }, analyst))).toMatchObject({
      code: 'FORBIDDEN',
    });
    const ended = ok(
      await q<{ terminateContract: { status: string; endReason: string } }>(
        `mutation($id: ID!) { terminateContract(id: $id, reason: "The creator moved to another brand") { status endReason } }`,
        { id: current },
        creator,
      ),
    ).terminateContract;
    expect(ended).toEqual({ status: 'TERMINATED', endReason: 'The creator moved to another brand' });
    const event = (await outbox(current)).find((e) => e.type === 'contract.terminated')!;
    expect(event.envelope.data).toMatchObject({
      terminatedBy: 'creator',
      endsPartnership: true,
      reason: 'The creator moved to another brand',
      previousStatus: 'executed',
    });
    expect(
      ext(await q(`mutation($id: ID!) { terminateContract(id: $id, reason: "again") { id } }`, { id: current }, member)),
    ).toMatchObject({ code: 'INVALID_STATE' });
    // Verification still tells the truth about what was executed, and that it was terminated (when, not why).
    const v = ok(
      await q<{ verifyContract: { executed: boolean; standing: { state: string; since: string } } }>(
        `query($sha: String) { verifyContract(documentSha256: $sha) { executed standing { state since supersededByVersion } } }`,
        { sha: ok(await read(current, member)).contract.documentSha256 },
        null,
      ),
    );
    expect(v.verifyContract.executed).toBe(true);
    const endedAt = (await sub.runtime.dataSource.query(`SELECT ended_at FROM contracts WHERE id = $1`, [current]))[0].ended_at as Date;
    expect(v.verifyContract.standing).toEqual({ state: 'TERMINATED', since: endedAt.toISOString(), supersededByVersion: null });
    expect(JSON.stringify(v)).not.toMatch(/moved|creator/i);
  });

  it("ends the contracts of a terminated partnership and of a cancelled campaign's partnerships", async () => {
    const ended = (await contractOf(P_ENDED)).id;
    await publish(
      'partnership.terminated',
      P_ENDED,
      partnershipData(P_ENDED, CAMPAIGN, { status: 'terminated', previousStatus: 'accepted', reason: 'Brief changed' }),
    );
    await eventually(
      async () => (await sub.runtime.dataSource.query(`SELECT status FROM contracts WHERE id = $1`, [ended]))[0].status === 'terminated',
    );
    expect((await sub.runtime.dataSource.query(`SELECT end_reason FROM contracts WHERE id = $1`, [ended]))[0].end_reason).toBe(
      'the partnership was terminated: Brief changed',
    );
    expect((await audit(ended)).at(-1)).toMatchObject({ action: 'terminated', actorRole: 'system' });

    await publish('partnership.accepted', P_CANCELLED, partnershipData(P_CANCELLED, CAMPAIGN_CANCELLED));
    const cancelled = (await contractOf(P_CANCELLED)).id;
    const campaign: CampaignEventData = {
      campaignId: CAMPAIGN_CANCELLED,
      brandId: BRAND,
      name: 'Autumn',
      status: 'cancelled',
      previousStatus: 'active',
      goalType: 'sales',
      goalTarget: 1,
      budgetMinor: 1,
      currency: 'EUR',
      startsOn: '2027-09-01',
      endsOn: '2027-10-01',
    };
    await publish('campaign.cancelled', CAMPAIGN_CANCELLED, campaign, 2);
    await eventually(
      async () =>
        (await sub.runtime.dataSource.query(`SELECT status FROM contracts WHERE id = $1`, [cancelled]))[0].status === 'terminated',
    );
    const terminated = (await outbox(cancelled)).filter((e) => e.type === 'contract.terminated');
    expect(terminated).toHaveLength(1);
    expect(terminated[0].envelope.data).toMatchObject({ terminatedBy: 'system', reason: 'the campaign was cancelled' });
  });

  it('completes the contract in force when the partnership completes', async () => {
    const P = id(34);
    await publish('partnership.accepted', P, partnershipData(P));
    const c = (await contractOf(P)).id;
    ok(await q(`mutation($id: ID!) { sendContract(id: $id) { id } }`, { id: c }, member));
    const view = ok(await read(c, creator)).contract;
    for (const who of [creator, member]) ok(await q(SIGN, { id: c, sha: view.documentSha256, consent: view.consentStatement }, who));
    await publish('partnership.completed', P, partnershipData(P, CAMPAIGN, { status: 'completed', previousStatus: 'active' }), 2);
    await eventually(
      async () => (await sub.runtime.dataSource.query(`SELECT status FROM contracts WHERE id = $1`, [c]))[0].status === 'completed',
    );
    expect((await audit(c)).filter((e) => e.action === 'completed')).toHaveLength(1);
    expect((await outbox(c)).map((e) => e.type)).not.toContain('contract.terminated');
  });
});
