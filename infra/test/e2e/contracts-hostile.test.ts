import { createHash } from 'node:crypto';
import type { GraphQLResponse } from '@influenceflow/kit/testing';
import { startTestStack, TestStack } from '../../src/testing/stack';
import {
  acceptAndAwaitDraft,
  createBrand,
  daysFromToday,
  dbOf,
  expectRefusal as expectRefusalIn,
  inviteWhenKnown,
  ok,
  RefusalCase,
  refuseAll as refuseEach,
  saveCreator,
} from './support';

/**
 * What a careless or hostile client meets at every contracts query, mutation and public route, through
 * the gateway with real tokens: ids that are not UUIDs, NUL bytes, huge strings, another brand's or
 * creator's contract, the wrong side signing or ending, a replayed signature, a wrong hash, forged
 * certificates, bodies /verify cannot read. Each refusal is a clear error with its stable code and field
 * (or a JSON HTTP error), shows nothing internal, and leaves the contract and its audit trail as they
 * were (a refused signature adds its `sign_refused` entry, nothing else: docs/contracts.md, "Signatures").
 */
const creatorId = '00000000-0000-4000-8c13-0000000e2e91';
const otherCreatorId = '00000000-0000-4000-8c13-0000000e2e92';
const otherBrandId = '00000000-0000-4000-8c13-0000000e2e9f';
const NUL = 'a\u0000b';
const HUGE = 'x'.repeat(100_001);

const CONTRACT = `query($id: ID!) { contract(id: $id) { id status } }`;
const CONTRACTS = `query($brandId: ID!) { contracts(brandId: $brandId, first: 5) { edges { node { id } } } }`;
const UPDATE = `mutation($id: ID!, $input: ContractTermsInput!) { updateContractTerms(id: $id, input: $input) { id } }`;
const SEND = `mutation($id: ID!) { sendContract(id: $id) { id status } }`;
const SIGN = `mutation($id: ID!, $sha: String!, $consent: String!, $name: String) {
  signContract(contractId: $id, documentSha256: $sha, consent: $consent, signerName: $name) { id status } }`;
const AMEND = `mutation($id: ID!, $input: ContractTermsInput!) { amendContract(id: $id, input: $input) { id } }`;
const TERMINATE = `mutation($id: ID!, $reason: String!) { terminateContract(id: $id, reason: $reason) { id status } }`;
const TEMPLATE = `query($id: ID!) { contractTemplate(id: $id) { id } }`;
const TEMPLATES = `query($brandId: ID!) { contractTemplates(brandId: $brandId, first: 5) { edges { node { id } } } }`;
const CREATE_TEMPLATE = `mutation($input: CreateContractTemplateInput!) { createContractTemplate(input: $input) { id } }`;
const UPDATE_TEMPLATE = `mutation($id: ID!, $input: UpdateContractTemplateInput!) { updateContractTemplate(id: $id, input: $input) { id } }`;
const VERIFY = `query($sha: String, $cert: String) { verifyContract(documentSha256: $sha, certificate: $cert) {
  executed matched contractId signers { party name } standing { state since supersededByVersion } } }`;

/** Names of the contracts database, and SQL, that no answer may show. */
const INTERNAL =
  /contract_signatures|audit_entries|audit_heads|contract_views|contract_templates|signing_keys|\bSELECT\b|\bINSERT\b|\bUPDATE\s+"|\bWHERE\b/;

describe('hostile requests to contracts, end to end', () => {
  let stack: TestStack;
  let origin: string;
  let brand: string;
  let analyst: string;
  let admin: string;
  let creator: string;
  let otherCreator: string;
  let otherBrand: string;
  let brandId: string;
  let contractId: string;
  let templateId: string;
  let otherTemplateId: string;
  let doc: { sha: string; consent: string };

  const db = () => dbOf(stack, 'contracts');
  /** Everything a refusal must leave as it was: the contract's row, its signatures, audit trail and events. */
  const state = async (id: string) => ({
    row: (
      await db()(
        `SELECT status, version, document, document_sha256, terms, template_id, sent_at, executed_at, ended_at, end_reason,
                certificate_jws, pdf_sha256, updated_at FROM contracts WHERE id = $1`,
        [id],
      )
    )[0],
    versions: (
      await db()(`SELECT count(*)::int AS n FROM contracts WHERE partnership_id = (SELECT partnership_id FROM contracts WHERE id = $1)`, [
        id,
      ])
    )[0],
    signatures: await db()(
      `SELECT role, subject, signer_name, signed_at FROM contract_signatures WHERE contract_id = $1 ORDER BY signed_at`,
      [id],
    ),
    audit: await db()<{ sequence: number; action: string; details: Record<string, unknown> }>(
      `SELECT sequence, action, details FROM audit_entries WHERE contract_id = $1 ORDER BY sequence`,
      [id],
    ),
    events: (await db()(`SELECT count(*)::int AS n FROM outbox WHERE key = $1`, [id]))[0],
    templates: (await db()(`SELECT count(*)::int AS n, max(updated_at) AS changed FROM contract_templates`))[0],
  });

  /** A refused GraphQL request: its code and field, nothing internal in it. */
  const expectRefusal = (r: GraphQLResponse<unknown>, code: string, field?: string) => expectRefusalIn(r, INTERNAL, code, field);

  /**
   * Runs each case against the contract and checks it left everything as it was, but for the
   * `sign_refused` entry a refused signature of an existing contract adds (`audited`).
   */
  const refuseAll = (cases: RefusalCase[], audited: (name: string, query: string) => boolean = () => false) =>
    refuseEach(
      stack,
      INTERNAL,
      cases,
      () => state(contractId),
      (before, after, [name, query, , , code]) => {
        if (audited(name, query)) {
          expect(after.audit.slice(0, -1)).toEqual(before.audit);
          expect(after.audit).toHaveLength(before.audit.length + 1);
          expect(after.audit.at(-1)).toMatchObject({ action: 'sign_refused', details: { code } });
          expect({ ...after, audit: before.audit }).toEqual(before);
        } else {
          expect(after).toEqual(before);
        }
      },
    );

  beforeAll(async () => {
    stack = await startTestStack();
    origin = stack.gateway.url.replace(/\/graphql$/, '');
    creator = await stack.token({ sub: 'hostile-creator-sub', roles: ['creator'], creatorId });
    otherCreator = await stack.token({ sub: 'hostile-other-creator', roles: ['creator'], creatorId: otherCreatorId });
    await saveCreator(
      stack,
      creator,
      { handle: 'hana.hostile', displayName: 'Hana Hostile', niches: ['tech'], country: 'DE' },
      { handle: 'hana.hostile', followers: 9000, engagementRate: 4 },
    );
    brandId = await createBrand(stack, 'Tamper & Co');
    brand = await stack.token({ sub: 'hostile-brand-sub', roles: ['brand_member'], brandIds: [brandId] });
    analyst = await stack.token({ sub: 'hostile-analyst', roles: ['analyst'], brandIds: [brandId] });
    admin = await stack.token({ sub: 'hostile-admin', roles: ['admin'] });
    otherBrand = await stack.token({ sub: 'hostile-other-brand', roles: ['brand_member'], brandIds: [otherBrandId] });
    const campaign = await ok<{ createCampaign: { id: string } }>(
      stack,
      `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
      {
        input: {
          brandId,
          name: 'Hostile summer',
          goal: { type: 'CONTENT', target: 1 },
          budget: { amountMinor: 300_000, currency: 'EUR' },
          startsOn: daysFromToday(10),
          endsOn: daysFromToday(40),
        },
      },
      brand,
    );
    await ok(
      stack,
      `mutation($id: ID!, $due: String!) { publishBrief(campaignId: $id, input: { brandStory: "Gadgets",
        deliverables: [{ platform: INSTAGRAM, format: REEL, count: 1, dueOn: $due }] }) { version } }`,
      { id: campaign.createCampaign.id, due: daysFromToday(20) },
      brand,
    );
    const partnershipId = await inviteWhenKnown(stack, brand, {
      campaignId: campaign.createCampaign.id,
      creatorId,
      fee: { amountMinor: 50_000, currency: 'EUR' },
    });
    contractId = await acceptAndAwaitDraft(stack, partnershipId, creator, brand);
    const body = 'Agreement between {{brand.name}} and {{creator.name}}.';
    templateId = (
      await ok<{ createContractTemplate: { id: string } }>(stack, CREATE_TEMPLATE, { input: { brandId, name: 'Ours', body } }, brand)
    ).createContractTemplate.id;
    otherTemplateId = (
      await ok<{ createContractTemplate: { id: string } }>(
        stack,
        CREATE_TEMPLATE,
        { input: { brandId: otherBrandId, name: 'Theirs', body } },
        otherBrand,
      )
    ).createContractTemplate.id;
  }, 180_000);
  afterAll(() => stack?.close());

  const readDocument = async (token: string) => {
    const c = (
      await ok<{ contract: { document: string; consentStatement: string } }>(
        stack,
        `query($id: ID!) { contract(id: $id) { document consentStatement } }`,
        { id: contractId },
        token,
      )
    ).contract;
    return { sha: createHash('sha256').update(c.document, 'utf8').digest('hex'), consent: c.consentStatement };
  };

  it('refuses hostile reads, term changes, sending and templates of a draft, writing nothing', async () => {
    await readDocument(brand); // the brand's first read is recorded now, not during the refusals
    await refuseAll([
      ['contract: an id that is not a UUID', CONTRACT, () => ({ id: 'not-a-uuid' }), () => brand, 'BAD_USER_INPUT', 'id'],
      ['contract: an id with a NUL byte', CONTRACT, () => ({ id: `${contractId}\u0000` }), () => brand, 'BAD_USER_INPUT', 'id'],
      ['contract: another brand', CONTRACT, () => ({ id: contractId }), () => otherBrand, 'NOT_FOUND'],
      ['contract: another creator', CONTRACT, () => ({ id: contractId }), () => otherCreator, 'NOT_FOUND'],
      ['contract: no token', CONTRACT, () => ({ id: contractId }), () => undefined, 'UNAUTHENTICATED'],
      ['contracts: a brand id that is not a UUID', CONTRACTS, () => ({ brandId: '1 OR 1=1' }), () => brand, 'BAD_USER_INPUT', 'brandId'],
      ['contracts: another brand', CONTRACTS, () => ({ brandId }), () => otherBrand, 'FORBIDDEN'],
      ['updateContractTerms: not a UUID', UPDATE, () => ({ id: 'x', input: { paymentNetDays: 10 } }), () => brand, 'BAD_USER_INPUT', 'id'],
      [
        'updateContractTerms: NUL in the usage scope',
        UPDATE,
        () => ({ id: contractId, input: { usageRights: { scope: NUL, durationMonths: 12 } } }),
        () => brand,
        'BAD_USER_INPUT',
        'input.usageRights.scope',
      ],
      [
        'updateContractTerms: a huge scope',
        UPDATE,
        () => ({ id: contractId, input: { usageRights: { scope: HUGE, durationMonths: 12 } } }),
        () => brand,
        'BAD_USER_INPUT',
        'input.usageRights.scope',
      ],
      [
        'updateContractTerms: a negative fee',
        UPDATE,
        () => ({ id: contractId, input: { compensation: { flatFee: { amountMinor: -1, currency: 'EUR' } } } }),
        () => brand,
        'BAD_USER_INPUT',
      ],
      [
        'updateContractTerms: another brand',
        UPDATE,
        () => ({ id: contractId, input: { paymentNetDays: 10 } }),
        () => otherBrand,
        'NOT_FOUND',
      ],
      ['updateContractTerms: the creator', UPDATE, () => ({ id: contractId, input: { paymentNetDays: 10 } }), () => creator, 'FORBIDDEN'],
      ['updateContractTerms: an analyst', UPDATE, () => ({ id: contractId, input: { paymentNetDays: 10 } }), () => analyst, 'FORBIDDEN'],
      [
        "updateContractTerms: another brand's template",
        UPDATE,
        () => ({ id: contractId, input: { templateId: otherTemplateId } }),
        () => brand,
        'NOT_FOUND',
        'input.templateId',
      ],
      ['sendContract: not a UUID', SEND, () => ({ id: 'contract-1' }), () => brand, 'BAD_USER_INPUT', 'id'],
      ['sendContract: the creator', SEND, () => ({ id: contractId }), () => creator, 'FORBIDDEN'],
      ['sendContract: another brand', SEND, () => ({ id: contractId }), () => otherBrand, 'NOT_FOUND'],
      ['amendContract: a draft', AMEND, () => ({ id: contractId, input: { paymentNetDays: 10 } }), () => brand, 'INVALID_STATE'],
      [
        'terminateContract: a NUL in the reason',
        TERMINATE,
        () => ({ id: contractId, reason: NUL }),
        () => brand,
        'BAD_USER_INPUT',
        'reason',
      ],
      ['terminateContract: a huge reason', TERMINATE, () => ({ id: contractId, reason: HUGE }), () => brand, 'BAD_USER_INPUT', 'reason'],
      [
        'terminateContract: a reason over 1,000 characters',
        TERMINATE,
        () => ({ id: contractId, reason: 'y'.repeat(1001) }),
        () => brand,
        'BAD_USER_INPUT',
        'reason',
      ],
      ['terminateContract: an analyst', TERMINATE, () => ({ id: contractId, reason: 'no' }), () => analyst, 'FORBIDDEN'],
      ['terminateContract: another creator', TERMINATE, () => ({ id: contractId, reason: 'no' }), () => otherCreator, 'NOT_FOUND'],
      ['contractTemplate: not a UUID', TEMPLATE, () => ({ id: "'; DROP TABLE x; --" }), () => brand, 'BAD_USER_INPUT', 'id'],
      ["contractTemplate: another brand's", TEMPLATE, () => ({ id: otherTemplateId }), () => brand, 'NOT_FOUND'],
      ['contractTemplates: another brand', TEMPLATES, () => ({ brandId: otherBrandId }), () => brand, 'FORBIDDEN'],
      [
        'createContractTemplate: NUL in the name',
        CREATE_TEMPLATE,
        () => ({ input: { brandId, name: NUL, body: 'x' } }),
        () => brand,
        'BAD_USER_INPUT',
        'input.name',
      ],
      [
        'createContractTemplate: NUL in the body',
        CREATE_TEMPLATE,
        () => ({ input: { brandId, name: 'n', body: NUL } }),
        () => brand,
        'BAD_USER_INPUT',
        'input.body',
      ],
      [
        'createContractTemplate: a huge body',
        CREATE_TEMPLATE,
        () => ({ input: { brandId, name: 'n', body: HUGE } }),
        () => brand,
        'BAD_USER_INPUT',
        'input.body',
      ],
      [
        'createContractTemplate: a name over 200 characters',
        CREATE_TEMPLATE,
        () => ({ input: { brandId, name: 'n'.repeat(201), body: 'x' } }),
        () => brand,
        'BAD_USER_INPUT',
        'input.name',
      ],
      [
        'createContractTemplate: a brand id that is not a UUID',
        CREATE_TEMPLATE,
        () => ({ input: { brandId: 'b', name: 'n', body: 'x' } }),
        () => brand,
        'BAD_USER_INPUT',
        'input.brandId',
      ],
      [
        'createContractTemplate: another brand',
        CREATE_TEMPLATE,
        () => ({ input: { brandId: otherBrandId, name: 'n', body: 'x' } }),
        () => brand,
        'FORBIDDEN',
      ],
      [
        'createContractTemplate: a creator',
        CREATE_TEMPLATE,
        () => ({ input: { brandId, name: 'n', body: 'x' } }),
        () => creator,
        'FORBIDDEN',
      ],
      [
        'updateContractTemplate: not a UUID',
        UPDATE_TEMPLATE,
        () => ({ id: 'x', input: { name: 'n' } }),
        () => brand,
        'BAD_USER_INPUT',
        'id',
      ],
      [
        'updateContractTemplate: NUL in the body',
        UPDATE_TEMPLATE,
        () => ({ id: templateId, input: { body: NUL } }),
        () => brand,
        'BAD_USER_INPUT',
        'input.body',
      ],
      [
        'updateContractTemplate: NUL in the name',
        UPDATE_TEMPLATE,
        () => ({ id: templateId, input: { name: NUL } }),
        () => brand,
        'BAD_USER_INPUT',
        'input.name',
      ],
      [
        "updateContractTemplate: another brand's",
        UPDATE_TEMPLATE,
        () => ({ id: otherTemplateId, input: { name: 'mine now' } }),
        () => brand,
        'NOT_FOUND',
      ],
    ]);
    // A signature of a draft is refused, and audited.
    const d = await readDocument(creator);
    await refuseAll(
      [['signContract: a draft', SIGN, () => ({ id: contractId, sha: d.sha, consent: d.consent }), () => creator, 'INVALID_STATE']],
      () => true,
    );
    // Nothing was created for the other brand, nor taken from it.
    expect(await db()(`SELECT name FROM contract_templates WHERE brand_id = $1`, [otherBrandId])).toEqual([{ name: 'Theirs' }]);
  });

  it('refuses hostile signatures of a sent contract; a replayed one is CONFLICT with one signature', async () => {
    await ok(stack, SEND, { id: contractId }, brand);
    doc = await readDocument(creator);
    const sign =
      (over: Record<string, unknown> = {}) =>
      () => ({ id: contractId, sha: doc.sha, consent: doc.consent, ...over });
    // Shape refusals never reach the service: nothing at all is written.
    await refuseAll([
      ['signContract: an id that is not a UUID', SIGN, sign({ id: 'abc' }), () => creator, 'BAD_USER_INPUT', 'contractId'],
      ['signContract: NUL in the signer name', SIGN, sign({ name: NUL }), () => creator, 'BAD_USER_INPUT', 'signerName'],
      ['signContract: a huge signer name', SIGN, sign({ name: HUGE }), () => creator, 'BAD_USER_INPUT', 'signerName'],
      ['signContract: a huge consent', SIGN, sign({ consent: HUGE }), () => creator, 'BAD_USER_INPUT', 'consent'],
      ['signContract: NUL in the consent', SIGN, sign({ consent: `${doc.consent}\u0000` }), () => creator, 'BAD_USER_INPUT', 'consent'],
    ]);
    // The service's refusals of an existing contract: each audited as sign_refused, nothing else written.
    await refuseAll(
      [
        [
          'signContract: a hash that is not 64 hex digits',
          SIGN,
          sign({ sha: 'z'.repeat(64) }),
          () => creator,
          'BAD_USER_INPUT',
          'documentSha256',
        ],
        ['signContract: a wrong documentSha256', SIGN, sign({ sha: 'e'.repeat(64) }), () => creator, 'CONFLICT', 'documentSha256'],
        [
          'signContract: a consent that is not the statement',
          SIGN,
          sign({ consent: 'I agree' }),
          () => creator,
          'BAD_USER_INPUT',
          'consent',
        ],
        [
          'signContract: a signer name over 200 characters',
          SIGN,
          sign({ name: 'n'.repeat(201) }),
          () => creator,
          'BAD_USER_INPUT',
          'signerName',
        ],
        ["signContract: a creator signing another creator's contract", SIGN, sign(), () => otherCreator, 'NOT_FOUND'],
        ["signContract: another brand's member", SIGN, sign(), () => otherBrand, 'NOT_FOUND'],
        ['signContract: an analyst', SIGN, sign(), () => analyst, 'FORBIDDEN'],
        ['signContract: an admin', SIGN, sign(), () => admin, 'FORBIDDEN'],
      ],
      () => true,
    );
    const refused = (await state(contractId)).audit.filter((e) => e.action === 'sign_refused');
    expect(refused.find((e) => e.details.code === 'NOT_FOUND')?.details).toMatchObject({ code: 'NOT_FOUND' });

    // The creator signs; the very same request again is CONFLICT, and the creator has signed once.
    const body = sign({ name: 'Hana H.' })();
    expect((await ok<{ signContract: { status: string } }>(stack, SIGN, body, creator)).signContract.status).toBe('SIGNED');
    await refuseAll([['signContract: replayed', SIGN, () => body, () => creator, 'CONFLICT']], () => true);
    expect((await state(contractId)).signatures.map((s) => s.role)).toEqual(['creator']);
  });

  it('refuses hostile moves of an executed contract: signing again, amending or ending from the wrong side', async () => {
    const b = await readDocument(brand);
    expect(
      (await ok<{ signContract: { status: string } }>(stack, SIGN, { id: contractId, sha: b.sha, consent: b.consent }, brand)).signContract
        .status,
    ).toBe('EXECUTED');
    await refuseAll(
      [['signContract: signing twice', SIGN, () => ({ id: contractId, sha: b.sha, consent: b.consent }), () => brand, 'INVALID_STATE']],
      () => true,
    );
    await refuseAll([
      ['amendContract: not a UUID', AMEND, () => ({ id: '42', input: { paymentNetDays: 10 } }), () => brand, 'BAD_USER_INPUT', 'id'],
      ['amendContract: the creator', AMEND, () => ({ id: contractId, input: { paymentNetDays: 10 } }), () => creator, 'FORBIDDEN'],
      ['amendContract: another brand', AMEND, () => ({ id: contractId, input: { paymentNetDays: 10 } }), () => otherBrand, 'NOT_FOUND'],
      ['amendContract: an analyst', AMEND, () => ({ id: contractId, input: { paymentNetDays: 10 } }), () => analyst, 'FORBIDDEN'],
      [
        'amendContract: NUL in the exclusivity',
        AMEND,
        () => ({ id: contractId, input: { exclusivity: { category: NUL, windowDays: 10 } } }),
        () => brand,
        'BAD_USER_INPUT',
        'input.exclusivity.category',
      ],
      [
        'updateContractTerms: an executed contract',
        UPDATE,
        () => ({ id: contractId, input: { paymentNetDays: 10 } }),
        () => brand,
        'INVALID_STATE',
      ],
      ['terminateContract: an analyst', TERMINATE, () => ({ id: contractId, reason: 'done' }), () => analyst, 'FORBIDDEN'],
      ['terminateContract: an admin', TERMINATE, () => ({ id: contractId, reason: 'done' }), () => admin, 'FORBIDDEN'],
      ['terminateContract: another brand', TERMINATE, () => ({ id: contractId, reason: 'done' }), () => otherBrand, 'NOT_FOUND'],
      [
        'terminateContract: NUL in the reason',
        TERMINATE,
        () => ({ id: contractId, reason: NUL }),
        () => creator,
        'BAD_USER_INPUT',
        'reason',
      ],
      [
        'terminateContract: a blank reason',
        TERMINATE,
        () => ({ id: contractId, reason: '   ' }),
        () => creator,
        'BAD_USER_INPUT',
        'reason',
      ],
    ]);
    const after = await state(contractId);
    expect(after.row.status).toBe('executed');
    expect(after.signatures.map((s) => s.role)).toEqual(['creator', 'brand']);
  });

  it('refuses forged and malformed certificates and hashes to verifyContract, and tells no subject', async () => {
    const certificate = (
      await ok<{ contract: { certificate: string } }>(
        stack,
        `query($id: ID!) { contract(id: $id) { certificate } }`,
        { id: contractId },
        creator,
      )
    ).contract.certificate;
    const [h, p, s] = certificate.split('.');
    const payload = Buffer.from(p, 'base64url').toString('utf8');
    const edited = `${h}.${Buffer.from(payload.replace('"version":1', '"version":7')).toString('base64url')}.${s}`;
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'influenceflow-certificate+jwt' })).toString('base64url')}.${p}.`;
    const cases: [string, Record<string, unknown>, string, string | undefined][] = [
      ['an edited payload', { cert: edited }, 'certificate', 'CERTIFICATE_BAD_SIGNATURE'],
      ['a changed signature', { cert: `${h}.${p}.${s.slice(0, -4)}${s.endsWith('AAAA') ? 'BBBB' : 'AAAA'}` }, 'certificate', undefined],
      ['alg none', { cert: none }, 'certificate', undefined],
      ['not a JWS', { cert: 'hello' }, 'certificate', undefined],
      ['a NUL byte', { cert: `${certificate}\u0000` }, 'certificate', undefined],
      ['a huge certificate', { cert: `${h}.${'A'.repeat(99_000)}.${s}` }, 'certificate', undefined],
      ['a hash that is not hex', { sha: 'g'.repeat(64) }, 'documentSha256', undefined],
      ['a hash with a NUL', { sha: `${'a'.repeat(63)}\u0000` }, 'documentSha256', undefined],
      ['both a hash and a certificate', { sha: 'a'.repeat(64), cert: certificate }, 'certificate', undefined],
      ['neither', {}, 'documentSha256', undefined],
    ];
    for (const [name, variables, field, reason] of cases) {
      for (const token of [undefined, creator]) {
        const r = await stack.query(VERIFY, variables, token);
        try {
          expectRefusal(r, 'BAD_USER_INPUT', field);
          if (reason) expect(r.errors![0].extensions).toMatchObject({ reason });
          expect(JSON.stringify(r.errors)).not.toContain(p.slice(0, 40));
        } catch (err) {
          throw new Error(`verifyContract, ${name}: ${(err as Error).message}\n${JSON.stringify(r.errors)}`);
        }
      }
    }
    const genuine = await ok<{ verifyContract: Record<string, unknown> }>(stack, VERIFY, { cert: certificate }, undefined);
    expect(genuine.verifyContract).toMatchObject({ executed: true, matched: 'CERTIFICATE', contractId, standing: { state: 'IN_FORCE' } });
    expect(JSON.stringify(genuine)).not.toMatch(/hostile-(creator|brand)-sub/);
    expect(Buffer.from(p, 'base64url').toString('utf8')).not.toMatch(/hostile-(creator|brand)-sub|"subject"/);
  });

  it('answers hostile calls of the public routes with a JSON error, never a stack', async () => {
    const certificate = (await db()<{ certificate_jws: string }>(`SELECT certificate_jws FROM contracts WHERE id = $1`, [contractId]))[0]
      .certificate_jws;
    const [h, p, s] = certificate.split('.');
    const forged = `${h}.${Buffer.from(Buffer.from(p, 'base64url').toString('utf8').replace('"version":1', '"version":9')).toString('base64url')}.${s}`;
    const call = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${origin}${path}`, init);
      const text = await res.text();
      expect(text).not.toMatch(/<html|<!doctype|\bat .+:\d+:\d+|node_modules|QueryFailedError/i);
      expect(text).not.toMatch(INTERNAL);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      return {
        status: res.status,
        body: JSON.parse(text) as { error?: { code: string; field?: string; reason?: string }; executed?: boolean },
      };
    };
    const json = (value: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });

    const before = await state(contractId);
    const refusals: [string, string, RequestInit, number, Record<string, unknown>][] = [
      ['GET: not a hash', '/verify?sha256=nope', {}, 400, { code: 'BAD_USER_INPUT', field: 'sha256' }],
      ['GET: a NUL byte', `/verify?sha256=${'a'.repeat(63)}%00`, {}, 400, { code: 'BAD_USER_INPUT', field: 'sha256' }],
      ['GET: twice', `/verify?sha256=${'a'.repeat(64)}&sha256=${'b'.repeat(64)}`, {}, 400, { code: 'BAD_USER_INPUT', field: 'sha256' }],
      ['GET: no hash', '/verify', {}, 400, { code: 'BAD_USER_INPUT', field: 'sha256' }],
      [
        'POST: a forged certificate',
        '/verify',
        json({ certificate: forged }),
        400,
        { code: 'BAD_USER_INPUT', field: 'certificate', reason: 'CERTIFICATE_BAD_SIGNATURE' },
      ],
      [
        'POST: a certificate with a NUL',
        '/verify',
        json({ certificate: `${certificate}\u0000` }),
        400,
        { code: 'BAD_USER_INPUT', field: 'certificate' },
      ],
      ['POST: a hash that is not hex', '/verify', json({ sha256: 'nope' }), 400, { code: 'BAD_USER_INPUT', field: 'sha256' }],
      [
        'POST: malformed JSON',
        '/verify',
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"certificate": "abc' },
        400,
        { code: 'BAD_USER_INPUT', field: 'body' },
      ],
      ['POST: JSON of another shape', '/verify', json([certificate]), 400, { code: 'BAD_USER_INPUT', field: 'body' }],
      ['POST: JSON with both', '/verify', json({ certificate, sha256: 'a'.repeat(64) }), 400, { code: 'BAD_USER_INPUT', field: 'body' }],
      [
        'POST: an empty body',
        '/verify',
        { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: '' },
        400,
        { code: 'BAD_USER_INPUT', field: 'body' },
      ],
      [
        'POST: a body over 20 MiB',
        '/verify',
        { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: Buffer.alloc(21 * 1024 * 1024, 0x25) },
        413,
        { code: 'BAD_REQUEST' },
      ],
    ];
    for (const [name, path, init, status, error] of refusals) {
      const r = await call(path, init);
      try {
        expect(r.status).toBe(status);
        expect(r.body.error).toMatchObject(error);
        expect(JSON.stringify(r.body)).not.toContain(p.slice(0, 40));
      } catch (err) {
        throw new Error(`${name}: ${(err as Error).message}\n${JSON.stringify(r.body).slice(0, 500)}`);
      }
    }
    // What the routes do answer: the genuine certificate, as JSON; bytes that match nothing.
    const genuine = await call('/verify', json({ certificate }));
    expect(genuine).toMatchObject({
      status: 200,
      body: { executed: true, matched: 'CERTIFICATE', contractId, standing: { state: 'IN_FORCE' } },
    });
    expect(JSON.stringify(genuine.body)).not.toMatch(/hostile-(creator|brand)-sub/);
    const junk = await call('/verify', {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: '{"certificate": "abc',
    });
    expect(junk).toMatchObject({ status: 200, body: { executed: false, matched: null } });
    expect(await state(contractId)).toEqual(before);
  });
});
