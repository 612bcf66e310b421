import { randomUUID } from 'node:crypto';
import { createClient, Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createEvent } from '@influenceflow/kit';
import { eventually } from '@influenceflow/kit/testing';
import { startTestStack, TestStack } from '../../src/testing/stack';
import { campaignInput, createBrand, daysFromToday, inviteWhenKnown, ok, partnerToken, saveCreator } from './support';

/** What a subscription got: its results (data or errors), whether it completed, and a way to wait. */
interface Received {
  results: { data?: { campaignEvents?: LiveEventShape } | null; errors?: { message: string; extensions?: Record<string, unknown> }[] }[];
  error: unknown;
  completed: boolean;
  dispose: () => void;
}
interface LiveEventShape {
  id: string;
  type: string;
  subject: string;
  campaignId: string;
  partnershipId: string | null;
  data: Record<string, unknown>;
  missedBefore: number;
}

const EVENTS = `subscription($campaignId: ID!, $types: [LiveEventType!]) {
  campaignEvents(campaignId: $campaignId, types: $types) { id type time subject campaignId partnershipId data missedBefore } }`;
/** What a leak would look like in an error: a stack, a source path, an internal library name. */
const LEAK = /stacktrace|at [\w.<>]+ \(|\.ts:\d|\/src\/|node_modules|kafkajs|typeorm/i;

/**
 * The live subscription through the real gateway and services (issue 16, item 3): the graphql-ws client
 * subscribes over WebSocket with a real token; a real action makes a service publish an event, which
 * arrives; the refusals (another brand, a bad token, partners without a grant, hostile documents) and a
 * client that does not read.
 */
describe('live campaign events over graphql-ws', () => {
  let stack: TestStack;
  let wsUrl: string;
  let brandId: string;
  let campaignId: string;
  let partnershipId: string;
  const creatorId = '00000000-0000-4000-8000-0000000e1601';
  const tokens: Record<
    'max' | 'analyst' | 'creator' | 'otherCreator' | 'rival' | 'partnerOther' | 'partnerHere' | 'partnerGranted',
    string
  > = {
    max: '',
    analyst: '',
    creator: '',
    otherCreator: '',
    rival: '',
    partnerOther: '',
    partnerHere: '',
    partnerGranted: '',
  };
  const clients: Client[] = [];

  const client = (token: string | undefined): Client => {
    const c = createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: token === undefined ? {} : { authorization: `Bearer ${token}` },
      retryAttempts: 0,
      lazy: true,
    });
    clients.push(c);
    return c;
  };
  const subscribe = (c: Client, variables: Record<string, unknown>, query = EVENTS): Received => {
    const r: Received = { results: [], error: null, completed: false, dispose: () => undefined };
    r.dispose = c.subscribe(
      { query, variables },
      {
        next: (v) => r.results.push(v as Received['results'][number]),
        error: (e) => (r.error = e),
        complete: () => (r.completed = true),
      },
    );
    return r;
  };
  const eventsOf = (r: Received) => r.results.map((x) => x.data?.campaignEvents).filter((e): e is LiveEventShape => !!e);
  const postMessage = (body: string) =>
    ok(
      stack,
      `mutation($input: PostMessageInput!) { postPartnershipMessage(input: $input) { id } }`,
      { input: { partnershipId, body } },
      tokens.max,
    );
  /** A raw graphql-transport-ws connection (for close codes and a client that stops reading). */
  const rawConnect = async (
    authorization: unknown,
  ): Promise<{ ws: WebSocket; messages: Record<string, unknown>[]; closed: Promise<number> }> => {
    const ws = new WebSocket(wsUrl, 'graphql-transport-ws');
    const messages: Record<string, unknown>[] = [];
    const closed = new Promise<number>((done) => ws.on('close', (code) => done(code)));
    ws.on('message', (m) => messages.push(JSON.parse(m.toString()) as Record<string, unknown>));
    await new Promise((done, fail) => {
      ws.once('open', done);
      ws.once('error', fail);
    });
    ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization } }));
    return { ws, messages, closed };
  };
  /** An order.attributed envelope of the campaign, handed to the gateway's feed as its consumer would. */
  const order = (pad = 0) =>
    createEvent('analytics', {
      type: 'order.attributed',
      subject: randomUUID(),
      brandid: brandId,
      data: {
        orderId: randomUUID(),
        campaignId,
        partnershipId,
        brandId,
        creatorId,
        amountMinor: 4200,
        currency: 'GBP',
        pad: 'x'.repeat(pad),
      },
    });

  beforeAll(async () => {
    // the slow client below stops reading (and so answering pings) for the whole burst: a keep-alive it
    // outlasts on a busy machine, so that what is tested is the queue, not the ping
    stack = await startTestStack({ liveLimits: { keepAliveMs: 600_000 } });
    wsUrl = stack.gateway.url.replace(/^http/, 'ws');
    brandId = await createBrand(stack, 'Live Outdoor Co');
    const rivalBrand = await createBrand(stack, 'Live Rival Co');
    tokens.max = await stack.token({ sub: 'live-max', roles: ['brand_member'], brandIds: [brandId] });
    tokens.analyst = await stack.token({ sub: 'live-ana', roles: ['analyst'], brandIds: [brandId] });
    tokens.creator = await stack.token({ sub: 'live-tia', roles: ['creator'], creatorId });
    tokens.otherCreator = await stack.token({ sub: 'live-sam', roles: ['creator'], creatorId: '00000000-0000-4000-8000-0000000e1602' });
    tokens.rival = await stack.token({ sub: 'live-rival', roles: ['brand_member'], brandIds: [rivalBrand] });
    // real partner tokens from POST /oauth/token: one granted by the rival brand only, one with no grant,
    // one granted this brand's orders only
    tokens.partnerOther = (
      await partnerToken(stack, 'Rival CRM', [
        { brandId: rivalBrand, memberToken: tokens.rival, eventTypes: ['order.attributed', 'deliverable.approved'] },
      ])
    ).token;
    tokens.partnerHere = (await partnerToken(stack, 'Ungranted CRM')).token;
    tokens.partnerGranted = (
      await partnerToken(stack, 'Orders CRM', [{ brandId, memberToken: tokens.max, eventTypes: ['order.attributed'] }])
    ).token;
    await saveCreator(
      stack,
      tokens.creator,
      { handle: 'live.tia', displayName: 'Tia', niches: ['hiking'], country: 'GB' },
      { handle: 'live.tia', followers: 12_000 },
    );
    campaignId = (
      await ok<{ createCampaign: { id: string } }>(
        stack,
        `mutation($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
        { input: campaignInput(brandId, { name: 'Live trails' }) },
        tokens.max,
      )
    ).createCampaign.id;
    await ok(
      stack,
      `mutation($id: ID!, $due: String!) { publishBrief(campaignId: $id, input: { brandStory: "Boots for wet hills", deliverables: [{ platform: INSTAGRAM, format: REEL, count: 1, dueOn: $due }] }) { version } }`,
      { id: campaignId, due: daysFromToday(40) },
      tokens.max,
    );
    partnershipId = await inviteWhenKnown(stack, tokens.max, { campaignId, creatorId, fee: { amountMinor: 30_000, currency: 'GBP' } });
    await eventually(async () => stack.gateway.live.consuming(), 60_000, "the gateway's live consumer to join");
  }, 180_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await stack?.close();
  });

  it('delivers a message a member posts, as campaign publishes it over Kafka, to the brand’s member, its analyst and the creator', async () => {
    const member = subscribe(client(tokens.max), { campaignId });
    const analyst = subscribe(client(tokens.analyst), { campaignId });
    const creator = subscribe(client(tokens.creator), { campaignId: campaignId.toUpperCase() });
    // a subscription listens once its access check has answered: post until the first one arrives
    const body = `Live hello ${randomUUID()}`;
    await eventually(
      async () => {
        if ([member, analyst, creator].every((r) => eventsOf(r).some((e) => e.data.body === body))) return true;
        await postMessage(body);
        return false;
      },
      60_000,
      'the message to arrive live',
    );
    for (const r of [member, analyst, creator]) {
      const event = eventsOf(r).find((e) => e.data.body === body)!;
      expect(event).toMatchObject({ type: 'MESSAGE_POSTED', campaignId, partnershipId, missedBefore: 0 });
      expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.results.every((x) => !x.errors)).toBe(true);
    }
  });

  it('refuses another brand’s member, a creator without a partnership and partners without a grant at subscribe, with nothing else', async () => {
    for (const token of [tokens.rival, tokens.otherCreator, tokens.partnerOther, tokens.partnerHere]) {
      const r = subscribe(client(token), { campaignId });
      await eventually(async () => r.completed || r.error !== null, 30_000, 'the refusal');
      expect(eventsOf(r)).toEqual([]);
      const errors = r.results[0]?.errors ?? (r.error as { message: string; extensions?: Record<string, unknown> }[]);
      expect(errors[0].extensions).toMatchObject({ code: 'NOT_FOUND' });
      expect(JSON.stringify(errors)).not.toMatch(LEAK);
    }
  });

  it('answers campaignLiveAccess (what the gateway asks) per role, and refuses the others as the campaign query does', async () => {
    const ACCESS = `query($id: ID!) { campaignLiveAccess(campaignId: $id) { campaignId brandId eventTypes partnershipIds } }`;
    const asMember = await ok<{ campaignLiveAccess: Record<string, unknown> }>(stack, ACCESS, { id: campaignId }, tokens.max);
    expect(asMember.campaignLiveAccess).toMatchObject({ campaignId, brandId, partnershipIds: null });
    expect(asMember.campaignLiveAccess.eventTypes).toContain('message.posted');
    const asCreator = await ok<{ campaignLiveAccess: Record<string, unknown> }>(stack, ACCESS, { id: campaignId }, tokens.creator);
    expect(asCreator.campaignLiveAccess.partnershipIds).toEqual([partnershipId]);
    const refused: [string | undefined, unknown, string][] = [
      [undefined, campaignId, 'UNAUTHENTICATED'],
      [tokens.rival, campaignId, 'NOT_FOUND'],
      [tokens.otherCreator, campaignId, 'NOT_FOUND'],
      [tokens.partnerOther, campaignId, 'NOT_FOUND'],
      [tokens.partnerHere, campaignId, 'NOT_FOUND'],
      [tokens.max, 'not-a-uuid', 'BAD_USER_INPUT'],
    ];
    for (const [token, id, code] of refused) {
      const r = await stack.query(ACCESS, { id }, token);
      expect(r.data?.campaignLiveAccess ?? null).toBeNull();
      expect(r.errors?.[0]?.extensions?.code).toBe(code);
      expect(JSON.stringify(r.errors)).not.toMatch(LEAK);
    }
  });

  it('closes a connection with a bad, missing or expired-looking token with 4401 before anything is served', async () => {
    for (const authorization of ['Bearer not-a-token', 'Basic abc', '', 42, `Bearer ${tokens.max}x`]) {
      const raw = await rawConnect(authorization);
      expect(await raw.closed).toBe(4401);
      expect(raw.messages).toEqual([]);
    }
  });

  it('closes the connection when its token expires (4401), ending its subscriptions', async () => {
    const shortLived = await stack.issuer.sign({ sub: 'live-max', roles: ['brand_member'], brandIds: [brandId] }, '3s');
    const raw = await rawConnect(`Bearer ${shortLived}`);
    await eventually(async () => raw.messages.some((m) => m.type === 'connection_ack'), 10_000, 'the ack');
    raw.ws.send(JSON.stringify({ id: 'e', type: 'subscribe', payload: { query: EVENTS, variables: { campaignId } } }));
    expect(await raw.closed).toBe(4401);
  });

  it('answers invalid documents, unknown fields, bad ids and mutations with graphql-ws errors without a stack, and closes on a huge message', async () => {
    const c = client(tokens.max);
    const cases: [string, Record<string, unknown>, string, string?][] = [
      ['subscription { campaignEvents(campaignId: "x") { nope } }', {}, 'BAD_REQUEST'],
      ['subscription { campaignEvents(', {}, 'BAD_REQUEST'],
      ['mutation { x }', {}, 'BAD_REQUEST'],
      [EVENTS, { campaignId: 'not-a-uuid' }, 'BAD_USER_INPUT', 'campaignId'],
      [EVENTS, { campaignId: `${'x'.repeat(5000)}\u0000` }, 'BAD_USER_INPUT', 'campaignId'],
      [EVENTS, { campaignId: randomUUID() }, 'NOT_FOUND'],
      [EVENTS, { campaignId, types: ['CAMPAIGN_CREATED'] }, 'BAD_USER_INPUT', 'types'],
    ];
    for (const [query, variables, code, field] of cases) {
      const r = subscribe(c, variables, query);
      await eventually(async () => r.completed || r.error !== null, 30_000, `the refusal of ${query.slice(0, 40)}`);
      const errors = (r.results[0]?.errors ?? r.error) as { message: string; extensions?: Record<string, unknown> }[];
      expect(Array.isArray(errors)).toBe(true);
      expect(errors[0].extensions).toMatchObject({ code, ...(field ? { field } : {}) });
      const text = JSON.stringify(errors);
      expect(text).not.toMatch(LEAK);
      expect(text).not.toContain('xxxxxxxxxx');
      expect(text).not.toContain('\u0000');
    }
    const raw = await rawConnect(`Bearer ${tokens.max}`);
    await eventually(async () => raw.messages.some((m) => m.type === 'connection_ack'), 10_000, 'the ack');
    raw.ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `subscription { ${'a'.repeat(70_000)} }` } }));
    expect(await raw.closed).toBe(1009);
  });

  it("gives a partner only its grant's types: a brand's orders reach it, the messages its members see do not", async () => {
    const ACCESS = `query($id: ID!) { campaignLiveAccess(campaignId: $id) { eventTypes partnershipIds } }`;
    const access = await ok<{ campaignLiveAccess: { eventTypes: string[] } }>(stack, ACCESS, { id: campaignId }, tokens.partnerGranted);
    expect(access.campaignLiveAccess.eventTypes).toEqual(['order.attributed']);
    const partner = subscribe(client(tokens.partnerGranted), { campaignId });
    const member = subscribe(client(tokens.max), { campaignId });
    const probe = order();
    await eventually(
      async () => {
        if (eventsOf(partner).length > 0 && eventsOf(member).some((e) => e.id === probe.id)) return true;
        stack.gateway.live.dispatch(probe);
        return false;
      },
      30_000,
      'both to listen',
    );
    const body = `Members only ${randomUUID()}`;
    await postMessage(body);
    await eventually(async () => eventsOf(member).some((e) => e.data.body === body), 30_000, 'the message to reach the member');
    const last = order();
    stack.gateway.live.dispatch(last);
    await eventually(async () => eventsOf(partner).some((e) => e.id === last.id), 30_000, 'the order to reach the partner');
    // the message was dispatched before the last order: had it been sent to the partner, it would be there
    expect(
      eventsOf(partner)
        .map((e) => e.type)
        .every((t) => t === 'ORDER_ATTRIBUTED'),
    ).toBe(true);
    expect(partner.results.every((x) => !x.errors)).toBe(true);
    // asking only for types beyond the grant is refused, naming the argument
    const beyond = subscribe(client(tokens.partnerGranted), { campaignId, types: ['MESSAGE_POSTED'] });
    await eventually(async () => beyond.completed || beyond.error !== null, 30_000, 'the refusal');
    expect(eventsOf(beyond)).toEqual([]);
    const errors = beyond.results[0]?.errors ?? (beyond.error as { extensions?: Record<string, unknown> }[]);
    expect(errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', field: 'types' });
  });

  it('sends only the types asked for', async () => {
    const c = client(tokens.max);
    const orders = subscribe(c, { campaignId, types: ['ORDER_ATTRIBUTED'] });
    const all = subscribe(c, { campaignId });
    const probe = order();
    await eventually(
      async () => {
        if (eventsOf(orders).length > 0 && eventsOf(all).some((e) => e.id === probe.id)) return true;
        stack.gateway.live.dispatch(probe);
        return false;
      },
      30_000,
      'both subscriptions to listen',
    );
    const body = `Only for all ${randomUUID()}`;
    await postMessage(body);
    await eventually(async () => eventsOf(all).some((e) => e.data.body === body), 30_000, 'the message on the unfiltered one');
    const last = order();
    stack.gateway.live.dispatch(last);
    await eventually(async () => eventsOf(orders).some((e) => e.id === last.id), 30_000, 'the order on the filtered one');
    expect(eventsOf(orders).every((e) => e.type === 'ORDER_ATTRIBUTED')).toBe(true);
  });

  it('drops the oldest events of a client that does not read, says how many it missed, and holds up no one else', async () => {
    const slow = await rawConnect(`Bearer ${tokens.max}`);
    await eventually(async () => slow.messages.some((m) => m.type === 'connection_ack'), 10_000, 'the ack');
    slow.ws.send(JSON.stringify({ id: 's', type: 'subscribe', payload: { query: EVENTS, variables: { campaignId } } }));
    const fast = subscribe(client(tokens.analyst), { campaignId });
    const probe = order();
    await eventually(
      async () => {
        if (slow.messages.some((m) => m.type === 'next') && eventsOf(fast).some((e) => e.id === probe.id)) return true;
        stack.gateway.live.dispatch(probe);
        return false;
      },
      30_000,
      'both to listen',
    );
    const socket = (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    socket.pause();
    slow.messages.length = 0;
    const burst = Array.from({ length: 3000 }, () => order(8000));
    const fastBefore = eventsOf(fast).length;
    // in batches the reading client keeps up with (its own queue holds 100): it gets every one, while the
    // other reads nothing
    for (let i = 0; i < burst.length; i += 50) {
      for (const e of burst.slice(i, i + 50)) stack.gateway.live.dispatch(e);
      await eventually(
        async () => eventsOf(fast).length - fastBefore >= Math.min(burst.length, i + 50),
        30_000,
        'the reading client to keep up',
      );
    }
    expect(
      eventsOf(fast)
        .slice(fastBefore)
        .map((e) => e.id),
    ).toEqual(burst.map((e) => e.id));
    socket.resume();
    const last = burst[burst.length - 1].id;
    const burstIds = new Set(burst.map((e) => e.id));
    const slowEvents = () =>
      slow.messages
        .filter((m) => m.type === 'next')
        .map((m) => (m.payload as { data: { campaignEvents: LiveEventShape } }).data.campaignEvents)
        .filter((e) => burstIds.has(e.id));
    await eventually(async () => slowEvents().some((e) => e.id === last), 120_000, 'the slow client to catch up');
    const got = slowEvents();
    const missed = got.reduce((n, e) => n + e.missedBefore, 0);
    expect(missed).toBeGreaterThan(0);
    expect(got.length + missed).toBe(burst.length);
    slow.ws.close();
  }, 300_000);
});
