import { startTestStack, TestStack } from '../../src/testing/stack';
import { saveCreator } from './support';

/**
 * `me` through the gateway with real tokens: who the token says the caller is, the brands it names with
 * their names and the caller's role in each, and the creator profile (resolved by discovery).
 */
describe('who am I', () => {
  let stack: TestStack;
  const brands: Record<'trail' | 'alpine', string> = { trail: '', alpine: '' };
  const MISSING_BRAND = '00000000-0000-4000-8000-0000000b0999';
  const creator = { id: '00000000-0000-4000-8000-0000000e2001', handle: 'me.marta' };
  const ME = `{ me { subject roles creatorId brands { role brand { id name } } creator { id handle displayName } } }`;
  type MeResult = {
    me: {
      subject: string;
      roles: string[];
      creatorId: string | null;
      brands: { role: string; brand: { id: string; name: string } }[];
      creator: { id: string; handle: string; displayName: string } | null;
    };
  };

  beforeAll(async () => {
    stack = await startTestStack();
    const admin = await stack.token({ sub: 'ops', roles: ['admin'] });
    for (const [key, name] of [
      ['trail', 'Trailhead Outfitters'],
      ['alpine', 'Alpine Coffee'],
    ] as const) {
      const r = await stack.query<{ createBrand: { id: string } }>(`mutation($name: String!) { createBrand(input: { name: $name }) { id } }`, { name }, admin);
      expect(r.errors).toBeUndefined();
      brands[key] = r.data!.createBrand.id;
    }
  }, 120_000);
  afterAll(() => stack?.close());

  it("tells a brand member their brands by name, with their role, leaving out a brand that doesn't exist", async () => {
    const token = await stack.token({ sub: 'alice', roles: ['brand_member'], brandIds: [brands.trail, MISSING_BRAND, brands.alpine] });
    const r = await stack.query<MeResult>(ME, {}, token);
    expect(r.errors).toBeUndefined();
    expect(r.data!.me).toEqual({
      subject: 'alice',
      roles: ['BRAND_MEMBER'],
      creatorId: null,
      brands: [
        { role: 'MEMBER', brand: { id: brands.alpine, name: 'Alpine Coffee' } },
        { role: 'MEMBER', brand: { id: brands.trail, name: 'Trailhead Outfitters' } },
      ],
      creator: null,
    });
  });

  it('tells an analyst they read their brands, and an admin that they administer them', async () => {
    const analyst = await stack.token({ sub: 'ana', roles: ['analyst'], brandIds: [brands.trail] });
    const a = await stack.query<MeResult>(ME, {}, analyst);
    expect(a.errors).toBeUndefined();
    expect(a.data!.me.brands).toEqual([{ role: 'ANALYST', brand: { id: brands.trail, name: 'Trailhead Outfitters' } }]);

    const admin = await stack.token({ sub: 'ops', roles: ['admin'], brandIds: [brands.alpine] });
    const b = await stack.query<MeResult>(ME, {}, admin);
    expect(b.errors).toBeUndefined();
    expect(b.data!.me).toMatchObject({ roles: ['ADMIN'], brands: [{ role: 'ADMIN', brand: { name: 'Alpine Coffee' } }] });
  });

  it('gives a creator their profile once they have saved one, and their id before that', async () => {
    const token = await stack.token({ sub: 'marta', roles: ['creator'], creatorId: creator.id });
    const before = await stack.query<MeResult>(ME, {}, token);
    expect(before.errors).toBeUndefined();
    expect(before.data!.me).toEqual({ subject: 'marta', roles: ['CREATOR'], creatorId: creator.id, brands: [], creator: null });

    await saveCreator(stack, token, { handle: creator.handle, displayName: 'Marta M.', niches: ['food'], country: 'ES' }, { handle: 'marta.eats', followers: 21_000 });
    const after = await stack.query<MeResult>(ME, {}, token);
    expect(after.errors).toBeUndefined();
    expect(after.data!.me.creator).toEqual({ id: creator.id, handle: creator.handle, displayName: 'Marta M.' });
  });

  it("shows a creator no brand even when their token names one, and nothing of a brand's to a creator", async () => {
    const token = await stack.token({ sub: 'sly', roles: ['creator'], brandIds: [brands.trail], creatorId: creator.id });
    const r = await stack.query<MeResult>(ME, {}, token);
    expect(r.errors).toBeUndefined();
    expect(r.data!.me.brands).toEqual([]);
  });

  it('refuses an anonymous caller with UNAUTHENTICATED', async () => {
    const r = await stack.query(ME, {});
    expect(r.data).toBeNull();
    expect(r.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) })]);
    expect(JSON.stringify(r.errors)).not.toMatch(/stacktrace|at \w+ \(/i);
  });
});
