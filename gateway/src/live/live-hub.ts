import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Consumer } from 'kafkajs';
import { createKafka, Logger, parseEvent, physicalTopic, type CloudEvent } from '@influenceflow/kit';
import { EVENT_TOPIC, LIVE_EVENT_TYPES, liveRouteOf, type LiveRoute } from '@influenceflow/vocabulary';

/** A live event as subscriptions get it: the envelope and where it belongs. */
export interface LiveEvent {
  envelope: CloudEvent;
  route: LiveRoute;
}

type Listener = (event: LiveEvent) => void;

/** The topics that carry live types. */
export const LIVE_TOPICS: readonly string[] = [...new Set(LIVE_EVENT_TYPES.map((t) => EVENT_TOPIC[t]))];

/**
 * The gateway's one Kafka consumer (per process) and its fan-out to the subscriptions of each campaign.
 * The group id is this process's own, so every gateway replica sees every event, and it starts from the
 * latest offsets: live events are what happens from now on, nothing is replayed. If Kafka is down the
 * gateway serves HTTP as ever and this retries in the background; subscriptions get events once it is back.
 */
export class LiveHub {
  private readonly byCampaign = new Map<string, Set<Listener>>();
  private consumer: Consumer | null = null;
  private stopped = false;
  private fetched = false;
  private running: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly kafka: { brokers: string[]; topicPrefix: string },
    private readonly logger: Logger,
  ) {}

  /** True once the consumer has joined and fetched: events published from then on reach subscriptions. */
  get consuming(): boolean {
    return this.fetched;
  }

  start(): void {
    this.running ??= this.loop();
  }

  listen(campaignId: string, listener: Listener): () => void {
    let set = this.byCampaign.get(campaignId);
    if (!set) this.byCampaign.set(campaignId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.byCampaign.delete(campaignId);
    };
  }

  /** Hands an envelope to the listeners of its campaign (the consumer calls this; tests may too). */
  dispatch(envelope: CloudEvent): void {
    const route = liveRouteOf(envelope);
    if (!route) return;
    for (const listener of this.byCampaign.get(route.campaignId) ?? []) listener({ envelope, route });
  }

  /** Stops consuming; a connection attempt under way is abandoned (the gateway does not wait out its retries). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.consumer?.disconnect().catch(() => undefined);
  }

  private async loop(): Promise<void> {
    const client = createKafka(`gateway-live-${process.pid}`, this.kafka.brokers, this.logger);
    for (let attempt = 0; !this.stopped; attempt++) {
      const consumer = client.consumer({ groupId: `gateway-live-${hostname()}-${process.pid}-${randomUUID()}`, retry: { retries: 5 } });
      this.consumer = consumer;
      try {
        consumer.on(consumer.events.FETCH, () => (this.fetched = true));
        consumer.on(consumer.events.CRASH, () => (this.fetched = false));
        await consumer.connect();
        await consumer.subscribe({ topics: LIVE_TOPICS.map((t) => physicalTopic(this.kafka.topicPrefix, t)), fromBeginning: false });
        await consumer.run({
          // at most once, by design: a live feed that restarts does not replay
          autoCommit: true,
          eachMessage: async ({ message }) => {
            try {
              this.dispatch(parseEvent(message.value));
            } catch (err) {
              this.logger.debug({ err }, 'live: skipped a message that is not an event');
            }
          },
        });
        return;
      } catch (err) {
        this.fetched = false;
        await consumer.disconnect().catch(() => undefined);
        if (this.stopped) return;
        this.logger.warn({ err }, 'live: Kafka is not reachable; retrying');
        await new Promise<void>((done) => {
          const timer = setTimeout(done, Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5)));
          this.wake = () => {
            clearTimeout(timer);
            done();
          };
        });
      }
    }
  }
}
