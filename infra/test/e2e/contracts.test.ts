import { createHash } from 'node:crypto';
import { eventually } from '@influenceflow/kit/testing';
import { compactVerify, createLocalJWKSet, JWK } from 'jose';
import { startTestStack, TestStack } from '../../src/testing/stack';
import { daysFromToday } from './support';

/**
 * A contract end to end through the gateway with real tokens: invite → accept → a draft contract appears
 * on the partnership → the brand sends it → both sign → the partnership is contracted → the campaign
 * starts → the partnership is active; the certificate checked offline with the published JWKS alone and
 * the public verification; then the creator terminates the contract, which ends the partnership.
 */
describe('contracts through the gateway', () => {
  let stack: TestStack;
  const creatorId = '00000000-0000-4000-8c13-0000000e2e01';

  beforeAll(async () => {
    stack = await startTestStack();
  }, 120_000);
  afterAll(() => stack?.close());

  it('takes an accepted partnership to an executed, verifiable contract, and a termination to the end of the partnership', async () => {
    const call = async <T>(query: string, variables: Record<string, unknown>, token?: string): Promise<T> => {
      const r = await stack.query<T>(query, variables, token);
      expect(r.errors).toBeUndefined();
      return r.data!;
    };
    const creator = await stack.token({ sub: 'mia', roles: ['creator'], creatorId });
    await call(
      `mutation { saveMyCreatorProfile(input: { handle: "mia.makes", displayName: "Mia Maker", niches: ["crafts"], country: "SE", bio: "Wood and clay" }) { id } }`,
      {},
      creator,
    );
    await call(
      `mutation { saveMyPlatformAccount(input: { platform: INSTAGRAM, handle: "mia.makes", followers: 12000, engagementRate: 6 }) { id } }`,
      {},
      creator,
    );
    const admin = await stack.token({ sub: 'admin', roles: ['admin'] });
    const { createBrand } = await call<{ createBrand: { id: string } }>(
      `mutation { createBrand(input: { name: "Birch & Clay" }) { id } }`,
      {},
      admin,
    );
    const brand = await stack.token({ sub: 'ola', roles: ['brand_member'], brandIds: [createBrand.id] });
    const analyst = await stack.token({ sub: 'ivy', roles: ['analyst'], brandIds: [createBrand.id] });
    const otherBrand = await stack.token({ sub: 'eve', roles: ['brand_member'], brandIds: ['00000000-0000-4000-8c13-0000000e2eff'] });
    const { createCampaign } = await call<{ createCampaign: { id: string } }>(
      `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
      {
        input: {
          brandId: createBrand.id,
          name: 'Handmade summer',
          goal: { type: 'CONTENT', target: 2 },
          budget: { amountMinor: 400_000, currency: 'EUR' },
          startsOn: daysFromToday(0),
          endsOn: daysFromToday(45),
        },
      },
      brand,
    );
    await call(
      `mutation($id: ID!, $due: String!) { publishBrief(campaignId: $id, input: { brandStory: "Tools for makers",
        deliverables: [{ platform: INSTAGRAM, format: REEL, count: 1, dueOn: $due }] }) { version } }`,
      { id: createCampaign.id, due: daysFromToday(20) },
      brand,
    );
    const invited = await eventually(
      async () =>
        (
          await stack.query<{ inviteCreator: { id: string } }>(
            `mutation($input: InviteCreatorInput!) { inviteCreator(input: $input) { id } }`,
            { input: { campaignId: createCampaign.id, creatorId, fee: { amountMinor: 80_000, currency: 'EUR' }, commissionPercent: 10 } },
            brand,
          )
        ).data?.inviteCreator,
      60_000,
      'the campaign service to know the creator',
    );
    await call(`mutation($id: ID!) { respondToInvitation(id: $id, accept: true) { status } }`, { id: invited.id }, creator);

    // A draft contract appears on the partnership (contracts heard partnership.accepted).
    const PARTNERSHIP = `query($id: ID!) { partnership(id: $id) { status contract { id status version documentSha256 consentStatement document
      terms { parties { brandName creatorName } compensation { flatFee { amountMinor } commissionPercent } milestones { amount { amountMinor } trigger } } } } }`;
    type Seen = {
      partnership: {
        status: string;
        contract: {
          id: string;
          status: string;
          documentSha256: string;
          consentStatement: string;
          document: string;
          terms: Record<string, unknown> | null;
        } | null;
      };
    };
    const draft = await eventually(
      async () => (await call<Seen>(PARTNERSHIP, { id: invited.id }, brand)).partnership.contract ?? undefined,
      60_000,
      'the draft contract',
    );
    expect(draft).toMatchObject({
      status: 'DRAFT',
      terms: {
        parties: { brandName: 'Birch & Clay', creatorName: 'Mia Maker' },
        compensation: { flatFee: { amountMinor: 80_000 }, commissionPercent: 10 },
        milestones: [
          { amount: { amountMinor: 40_000 }, trigger: 'ON_EXECUTION' },
          { amount: { amountMinor: 40_000 }, trigger: 'ON_DELIVERABLE_POSTED' },
        ],
      },
    });
    // The analyst sees that it exists and its status, nothing more; another brand not even that.
    const seenByAnalyst = (await call<Seen>(PARTNERSHIP, { id: invited.id }, analyst)).partnership.contract;
    expect(seenByAnalyst).toMatchObject({ id: draft.id, status: 'DRAFT', terms: null, document: null, documentSha256: null });
    expect(
      (await stack.query(`query($id: ID!) { contract(id: $id) { id } }`, { id: draft.id }, otherBrand)).errors?.[0].extensions?.code,
    ).toBe('NOT_FOUND');

    await call(`mutation($id: ID!) { sendContract(id: $id) { status } }`, { id: draft.id }, brand);
    const SIGN = `mutation($id: ID!, $sha: String!, $consent: String!) { signContract(contractId: $id, documentSha256: $sha, consent: $consent) { status } }`;
    // Each signer hashes the document they were served.
    const forCreator = (await call<Seen>(PARTNERSHIP, { id: invited.id }, creator)).partnership.contract!;
    const sha = createHash('sha256').update(forCreator.document, 'utf8').digest('hex');
    expect(sha).toBe(forCreator.documentSha256);
    expect(
      (await call<{ signContract: { status: string } }>(SIGN, { id: draft.id, sha, consent: forCreator.consentStatement }, creator))
        .signContract.status,
    ).toBe('SIGNED');
    const refused = await stack.query(SIGN, { id: draft.id, sha: '0'.repeat(64), consent: forCreator.consentStatement }, brand);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'documentSha256' });
    expect(
      (await call<{ signContract: { status: string } }>(SIGN, { id: draft.id, sha, consent: forCreator.consentStatement }, brand))
        .signContract.status,
    ).toBe('EXECUTED');

    // Executed → contracted; the campaign starts → active.
    await eventually(
      async () => (await call<Seen>(PARTNERSHIP, { id: invited.id }, brand)).partnership.status === 'CONTRACTED',
      60_000,
      'contracted',
    );
    await call(`mutation($id: ID!) { changeCampaignStatus(id: $id, status: ACTIVE) { status } }`, { id: createCampaign.id }, brand);
    expect((await call<Seen>(PARTNERSHIP, { id: invited.id }, brand)).partnership.status).toBe('ACTIVE');

    const executed = (
      await call<{
        contract: {
          certificate: string;
          auditIntact: boolean;
          signatures: { party: string; ip: string | null; userAgent: string | null }[];
          pdf: { sha256: string };
        };
      }>(
        `query($id: ID!) { contract(id: $id) { certificate auditIntact signatures { party ip userAgent } pdf { sha256 } } }`,
        { id: draft.id },
        creator,
      )
    ).contract;
    expect(executed.auditIntact).toBe(true);
    // The client's address and user agent as the gateway saw them.
    expect(executed.signatures.map((s) => s.party)).toEqual(['CREATOR', 'BRAND']);
    for (const s of executed.signatures) {
      expect(s.ip).toMatch(/127\.0\.0\.1|::1/);
      expect(s.userAgent).toBeTruthy();
    }

    // Anyone verifies: offline with the JWKS alone, and through the public endpoint and query.
    const origin = stack.gateway.url.replace(/\/graphql$/, '');
    const jwks = (await (await fetch(`${origin}/.well-known/contracts/jwks.json`)).json()) as { keys: JWK[] };
    expect(jwks.keys.length).toBeGreaterThan(0);
    expect(jwks.keys.every((k) => !('d' in k))).toBe(true);
    const { payload, protectedHeader } = await compactVerify(executed.certificate, createLocalJWKSet(jwks));
    expect(protectedHeader.typ).toBe('influenceflow-certificate+jwt');
    expect(JSON.parse(Buffer.from(payload).toString('utf8'))).toMatchObject({ contractId: draft.id, documentSha256: sha });
    const [h, p, s] = executed.certificate.split('.');
    await expect(
      compactVerify(
        `${h}.${Buffer.from(Buffer.from(p, 'base64url').toString().replace(sha, 'f'.repeat(64))).toString('base64url')}.${s}`,
        createLocalJWKSet(jwks),
      ),
    ).rejects.toThrow();

    const publicAnswer = (await (await fetch(`${origin}/verify?sha256=${sha}`)).json()) as Record<string, unknown>;
    expect(publicAnswer).toMatchObject({
      executed: true,
      matched: 'DOCUMENT',
      contractId: draft.id,
      signers: [{ party: 'CREATOR', name: 'Mia Maker' }, { party: 'BRAND' }],
    });
    expect(JSON.stringify(publicAnswer)).not.toMatch(/80000|commission/i);
    const byPdf = (await (await fetch(`${origin}/verify?sha256=${executed.pdf.sha256}`)).json()) as Record<string, unknown>;
    expect(byPdf).toMatchObject({ executed: true, matched: 'PDF' });
    const anonymous = await call<{ verifyContract: { executed: boolean; signers: { party: string }[] } }>(
      `query($c: String) { verifyContract(certificate: $c) { executed signers { party } } }`,
      { c: executed.certificate },
    );
    expect(anonymous.verifyContract).toEqual({ executed: true, signers: [{ party: 'CREATOR' }, { party: 'BRAND' }] });
    const forged = await stack.query(`query($c: String) { verifyContract(certificate: $c) { executed } }`, {
      c: `${h}.${p}.${s.slice(0, -4)}AAAA`,
    });
    expect(forged.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'certificate' });

    // Termination of either side ends the other: the creator ends the contract, the partnership ends.
    await call(`mutation($id: ID!) { terminateContract(id: $id, reason: "Moving abroad") { status } }`, { id: draft.id }, creator);
    await eventually(
      async () => (await call<Seen>(PARTNERSHIP, { id: invited.id }, brand)).partnership.status === 'TERMINATED',
      60_000,
      'the partnership to end',
    );
    const ended = await call<{ partnership: { statusReason: string; contract: { status: string } } }>(
      `query($id: ID!) { partnership(id: $id) { statusReason contract { status } } }`,
      { id: invited.id },
      brand,
    );
    expect(ended.partnership).toEqual({
      statusReason: 'contract terminated by the creator: Moving abroad',
      contract: { status: 'TERMINATED' },
    });
  });
});
