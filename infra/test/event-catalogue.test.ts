import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { EVENT_TOPIC, EVENT_TYPES } from '@influenceflow/vocabulary';

/** docs/events.asyncapi.yaml and the kit's catalogue describe the same events on the same topics. */
interface AsyncApi {
  channels: Record<string, { address: string; messages?: Record<string, { $ref: string }> }>;
  components: { messages: Record<string, { name: string }> };
}

const doc = parse(readFileSync(join(__dirname, '..', '..', 'docs', 'events.asyncapi.yaml'), 'utf8')) as AsyncApi;
const known = new Set<string>(Object.values(EVENT_TYPES));

describe('the event catalogue (AsyncAPI)', () => {
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
});
