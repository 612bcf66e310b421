import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { createEvent } from '@influenceflow/kit';
import { EVENT_TOPIC, EVENT_TYPES } from '@influenceflow/vocabulary';
import { Catalogue, CATALOGUE_FILE, describeErrors, loadCatalogue } from './catalogue-support';

/** docs/events.asyncapi.yaml and the kit's catalogue describe the same events on the same topics. */
interface AsyncApi {
  channels: Record<string, { address: string; messages?: Record<string, { $ref: string }> }>;
  components: { messages: Record<string, { name: string }> };
}

const doc = parse(readFileSync(CATALOGUE_FILE, 'utf8')) as AsyncApi;
const known = new Set<string>(Object.values(EVENT_TYPES));

describe('the event catalogue (AsyncAPI)', () => {
  let catalogue: Catalogue;
  beforeAll(async () => {
    catalogue = await loadCatalogue();
  }, 60_000);

  it('documents only event types the kit knows, each on the topic the kit sends it to', () => {
    const documented: string[] = [];
    for (const channel of Object.values(doc.channels)) {
      for (const ref of Object.values(channel.messages ?? {})) {
        const message = doc.components.messages[ref.$ref.split('/').pop()!];
        expect(known).toContain(message.name);
        expect(EVENT_TOPIC[message.name as keyof typeof EVENT_TOPIC]).toBe(channel.address);
        documented.push(message.name);
      }
    }
    expect(documented).toEqual(
      expect.arrayContaining([
        'campaign.created',
        'campaign.launched',
        'creator.created',
        'creator.stats-updated',
        'authenticity.scored',
        'ratecard.updated',
      ]),
    );
  });

  it('parses with @asyncapi/parser with no error', () => {
    expect(catalogue.errors.map((d) => `${d.code}: ${d.message} at ${d.path.join('.')}`)).toEqual([]);
    expect(catalogue.messages.size).toBeGreaterThan(0);
  });

  it('has, for every event type of the kit, one message with a payload schema, on the topic the kit sends it to', () => {
    const missing: string[] = [];
    for (const type of Object.values(EVENT_TYPES)) {
      const message = catalogue.messages.get(type);
      if (!message?.validate) {
        missing.push(type);
        continue;
      }
      expect({ type, channels: message.channels }).toEqual({ type, channels: [EVENT_TOPIC[type]] });
      // the payload is the envelope with this type's data: an object schema under `data`, not just any object
      expect(JSON.stringify(message.payload)).toContain('"specversion"');
    }
    expect(missing).toEqual([]);
    expect([...catalogue.messages.keys()].filter((t) => !known.has(t))).toEqual([]);
  });

  describe('refuses events that break it', () => {
    const data = {
      clickId: '018f0000-0000-7000-8000-000000000001',
      link: 'tess-spring',
      partnershipId: '018f0000-0000-7000-8000-000000000002',
      campaignId: '018f0000-0000-7000-8000-000000000003',
      brandId: '018f0000-0000-7000-8000-000000000004',
      creatorId: '018f0000-0000-7000-8000-000000000005',
      at: '2026-03-01T10:00:00.000Z',
      referrer: null,
      ipHash: null,
      userAgentHash: null,
      traffic: 'human',
      agent: null,
    };
    const event = (d: Record<string, unknown>) =>
      JSON.parse(
        JSON.stringify(createEvent('campaign', { type: 'click.recorded', subject: data.partnershipId, brandid: data.brandId, data: d })),
      ) as Record<string, unknown>;
    const check = (e: unknown) => {
      const validate = catalogue.messages.get('click.recorded')!.validate!;
      return validate(e) ? 'valid' : describeErrors(validate);
    };

    it('accepts a well-formed click.recorded (the control)', () => {
      expect(check(event(data))).toBe('valid');
    });

    it.each<[string, (d: Record<string, unknown>) => Record<string, unknown>, RegExp]>([
      ['a required data field missing', ({ clickId: _c, ...rest }) => rest, /must have required property 'clickId'/],
      ['a field of the wrong type', (d) => ({ ...d, campaignId: 42 }), /\/data\/campaignId must be string/],
      ['null where the field is not nullable', (d) => ({ ...d, link: null }), /\/data\/link must be string/],
      ['a value outside its enum', (d) => ({ ...d, traffic: 'robot' }), /\/data\/traffic must be equal to one of the allowed values/],
      ['an id that is not a UUID', (d) => ({ ...d, brandId: 'acme' }), /\/data\/brandId must match format "uuid"/],
    ])('refuses %s', (_name, tamper, expected) => {
      expect(check(event(tamper(data)))).toMatch(expected);
    });

    it('refuses a broken envelope: no id, another specversion, a time that is not a date-time', () => {
      const { id: _id, ...noId } = event(data);
      expect(check(noId)).toMatch(/must have required property 'id'/);
      expect(check({ ...event(data), specversion: '0.3' })).toMatch(/\/specversion must be equal to constant/);
      expect(check({ ...event(data), time: 'yesterday' })).toMatch(/\/time must match format "date-time"/);
      // no field the envelope does not have (the kit's createEvent is its only producer), a W3C traceparent only
      expect(check({ ...event(data), brand: data.brandId })).toMatch(
        /must NOT have additional properties \{"additionalProperty":"brand"\}/,
      );
      expect(check({ ...event(data), traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' })).toBe('valid');
      expect(check({ ...event(data), traceparent: 'trace me' })).toMatch(/\/traceparent must match pattern/);
    });
  });
});
