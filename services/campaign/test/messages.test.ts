import { Identity } from '@influenceflow/kit';
import { identities, startTestSubgraph, TestSubgraph } from '@influenceflow/kit/testing';
import { campaignSubgraph } from '../src/schema';
import { codeOf, invitedPartnership, knownCreators, newBrand, ok, outboxEvents } from './support';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const CREATOR = uuid(711);
const OTHER_CREATOR = uuid(712);

const POST = `mutation($input: PostMessageInput!) {
  postPartnershipMessage(input: $input) { id partnershipId authorSide authorSubject body attachments { url name } postedAt readByOtherSide }
}`;
const THREAD = `query($id: ID!, $first: Int, $after: String) { partnership(id: $id) {
  unreadMessages messages(first: $first, after: $after) { edges { node { body authorSide readByOtherSide } } pageInfo { hasNextPage endCursor } }
} }`;
const READ = `mutation($id: ID!, $upTo: ID) { markPartnershipMessagesRead(partnershipId: $id, upTo: $upTo) { id unreadMessages } }`;
const MINE = `{ myPartnerships { edges { node { id unreadMessages messages(first: 1) { edges { node { body } } } } } } }`;

type Thread = {
  partnership: {
    unreadMessages: number;
    messages: {
      edges: { node: { body: string; authorSide: string; readByOtherSide: boolean } }[];
      pageInfo: { hasNextPage: boolean; endCursor: string };
    };
  };
};

describe('partnership messages', () => {
  let sub: TestSubgraph;
  let brandId: string;
  let member: Identity;
  let partnershipId: string;
  const creator = identities.creator(CREATOR);
  const post = (who: Identity, input: Record<string, unknown>) =>
    sub.query<{ postPartnershipMessage: Record<string, unknown> & { id: string } }>(POST, { input: { partnershipId, ...input } }, who);
  const thread = (who: Identity, variables: Record<string, unknown> = {}) =>
    sub.query<Thread>(THREAD, { id: partnershipId, ...variables }, who);
  const stored = async () => (await sub.runtime.dataSource.query(`SELECT count(*)::int AS n FROM partnership_messages`))[0].n as number;

  beforeAll(async () => {
    sub = await startTestSubgraph(campaignSubgraph);
    brandId = await newBrand(sub, { name: 'Peakwear' });
    member = identities.brandMember(brandId);
    await knownCreators(sub, [
      [CREATOR, 'mia.peaks'],
      [OTHER_CREATOR, 'otto.hikes'],
    ]);
    partnershipId = await invitedPartnership(sub, member, brandId, CREATOR);
  }, 60_000);
  afterAll(() => sub?.close());

  it('carries a conversation both ways, latest first, with links, unread counts and read marks', async () => {
    const first = ok(
      await post(member, {
        body: '  Hi Mia! The brief is attached.  ',
        attachments: [{ url: 'https://files.example/brief.pdf', name: 'Brief' }, { url: 'https://files.example/moodboard' }],
      }),
    ).postPartnershipMessage;
    expect(first).toMatchObject({
      partnershipId,
      authorSide: 'BRAND',
      authorSubject: member.sub,
      body: 'Hi Mia! The brief is attached.',
      attachments: [
        { url: 'https://files.example/brief.pdf', name: 'Brief' },
        { url: 'https://files.example/moodboard', name: null },
      ],
      readByOtherSide: false,
    });
    expect(ok(await thread(creator)).partnership.unreadMessages).toBe(1);
    expect(ok(await thread(member)).partnership.unreadMessages).toBe(0); // one's own messages are read

    ok(await post(creator, { body: 'Thanks! Can the reel be 30 s?' }));
    ok(await post(creator, { body: 'And can I film in the rain?' }));
    const seen = ok(await thread(member)).partnership;
    expect(seen.unreadMessages).toBe(2);
    expect(seen.messages.edges.map((e) => [e.node.authorSide, e.node.body, e.node.readByOtherSide])).toEqual([
      ['CREATOR', 'And can I film in the rain?', false],
      ['CREATOR', 'Thanks! Can the reel be 30 s?', false],
      ['BRAND', 'Hi Mia! The brief is attached.', true], // the creator has read up to it by replying
    ]);

    // Pages of one, latest first, with a stable cursor.
    const page1 = ok(await thread(member, { first: 1 })).partnership.messages;
    const page2 = ok(await thread(member, { first: 1, after: page1.pageInfo.endCursor })).partnership.messages;
    expect([page1.edges[0].node.body, page2.edges[0].node.body, page2.pageInfo.hasNextPage]).toEqual([
      'And can I film in the rain?',
      'Thanks! Can the reel be 30 s?',
      true,
    ]);

    const read = ok(await sub.query<{ markPartnershipMessagesRead: { unreadMessages: number } }>(READ, { id: partnershipId }, member));
    expect(read.markPartnershipMessagesRead.unreadMessages).toBe(0);
    expect(ok(await thread(creator)).partnership.messages.edges[0].node.readByOtherSide).toBe(true);
    // An analyst reads the thread; their read mark is their own.
    expect(ok(await thread(identities.analyst(brandId))).partnership.unreadMessages).toBe(2);

    const types = (await outboxEvents(sub, partnershipId)).filter((e) => e.type === 'message.posted');
    expect(types.map((e) => e.envelope.data.body)).toEqual([
      'Hi Mia! The brief is attached.',
      'Thanks! Can the reel be 30 s?',
      'And can I film in the rain?',
    ]);
    expect(types[0].envelope.data).toMatchObject({
      authorSide: 'brand',
      brandId,
      creatorId: CREATOR,
      attachments: [
        { url: 'https://files.example/brief.pdf', name: 'Brief' },
        { url: 'https://files.example/moodboard', name: null },
      ],
    });
  });

  it('lands a retried post once when the client names it', async () => {
    const before = await stored();
    const a = ok(await post(creator, { body: 'Sent twice by a flaky network', clientMessageId: 'phone-42' })).postPartnershipMessage;
    const b = ok(await post(creator, { body: 'Sent twice by a flaky network', clientMessageId: 'phone-42' })).postPartnershipMessage;
    expect(b.id).toBe(a.id);
    expect(await stored()).toBe(before + 1);
  });

  it('batches unread counts and threads under a list of partnerships', async () => {
    const mine = ok(
      await sub.query<{ myPartnerships: { edges: { node: { id: string; unreadMessages: number; messages: { edges: unknown[] } } }[] } }>(
        MINE,
        {},
        creator,
      ),
    );
    expect(mine.myPartnerships.edges).toEqual([
      { node: { id: partnershipId, unreadMessages: 0, messages: { edges: [{ node: { body: 'Sent twice by a flaky network' } }] } } },
    ]);
  });

  it('refuses bad messages with every field at fault, and writes nothing', async () => {
    const before = await stored();
    const r = await post(member, {
      body: 'x'.repeat(5_001),
      attachments: [{ url: 'javascript:alert(1)' }, { url: 'https://ok.example', name: 'n'.repeat(201) }],
      clientMessageId: 'c'.repeat(101),
    });
    expect(codeOf(r)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.body' });
    expect((codeOf(r)!.problems as { field: string }[]).map((p) => p.field)).toEqual([
      'input.body',
      'input.attachments.0.url',
      'input.attachments.1.name',
      'input.clientMessageId',
    ]);
    expect(codeOf(await post(member, { body: '   ' }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.body' });
    const tooMany = Array.from({ length: 11 }, (_, i) => ({ url: `https://files.example/${i}` }));
    expect(codeOf(await post(member, { body: 'links', attachments: tooMany }))).toMatchObject({ field: 'input.attachments' });
    expect(codeOf(await sub.query(READ, { id: partnershipId, upTo: uuid(999) }, member))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'upTo',
    });
    expect(await stored()).toBe(before);
  });

  it('refuses links that would disguise or reach a private place, each on its own field', async () => {
    const before = await stored();
    const hostile = [
      'https://peakwear.example@evil.example/brief.pdf', // reads as peakwear.example, goes to evil.example
      'http://localhost:8080/admin',
      'http://169.254.169.254/latest/meta-data',
      'http://intranet/share',
      'http://printer.local/',
      'http://10.0.0.7/files',
      'javascript:alert(1)',
      'data:text/html,<b>hi</b>',
      'file:///etc/passwd',
    ];
    const r = await post(member, { body: 'Files', attachments: hostile.map((url) => ({ url })) });
    expect(codeOf(r)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.attachments.0.url' });
    expect((codeOf(r)!.problems as { field: string }[]).map((p) => p.field)).toEqual(hostile.map((_, i) => `input.attachments.${i}.url`));
    expect(JSON.stringify(r.errors)).not.toContain('evil.example');
    expect(await stored()).toBe(before);
  });

  it('lets only the two sides write, hides the thread from everyone else, and closes it when the partnership ends', async () => {
    const before = await stored();
    const analyst = await post(identities.analyst(brandId), { body: 'Looks good' });
    expect(codeOf(analyst)).toMatchObject({ code: 'FORBIDDEN' });
    for (const outsider of [identities.creator(OTHER_CREATOR), identities.brandMember(await newBrand(sub, { name: 'Rival' }))]) {
      expect(codeOf(await post(outsider, { body: 'Hello?' }))).toMatchObject({ code: 'NOT_FOUND' });
      expect(codeOf(await thread(outsider))).toMatchObject({ code: 'NOT_FOUND' });
    }
    expect(codeOf(await sub.query(POST, { input: { partnershipId, body: 'anon' } }, null))).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await stored()).toBe(before);

    ok(
      await sub.query(
        `mutation($id: ID!) { respondToInvitation(id: $id, accept: false, reason: "Booked that month") { status } }`,
        { id: partnershipId },
        creator,
      ),
    );
    const closed = await post(member, { body: 'Maybe next time?' });
    expect(codeOf(closed)).toMatchObject({ code: 'INVALID_STATE', partnershipStatus: 'declined' });
    expect(ok(await thread(member)).partnership.messages.edges.length).toBeGreaterThan(0); // still readable
    expect(await stored()).toBe(before);
  });
});
