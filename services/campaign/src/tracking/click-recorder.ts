import { createHmac } from 'node:crypto';
import { BackgroundTask, Logger, NewEvent, ServiceRuntime, uuidv7 } from '@influenceflow/kit';
import { ClickRecordedData, TOPICS } from '@influenceflow/vocabulary';
import { TrafficClassifier } from './traffic';

/** What the redirect knows of a click; the recorder makes it an event. */
export interface Click {
  link: string;
  partnershipId: string;
  campaignId: string;
  brandId: string;
  creatorId: string;
  clickId: string;
  at: Date;
  referrer: string | null;
  ip: string | null;
  userAgent: string | null;
  /** The HTTP method (GET, or HEAD: a preview, not a visit). */
  method: string | undefined;
  /** The partnership had ended (its link still redirects; the click is kept apart). */
  afterEnd: boolean;
}

/**
 * Records clicks as click.recorded events without slowing the redirect: the redirect answers at once and
 * hands the click here; clicks are written to the outbox in batches (one INSERT per FLUSH_MS or per
 * MAX_BATCH clicks), and the relay publishes them when Kafka is there. Kafka being down only delays
 * them. A failed database write keeps the batch and tries again; clicks beyond MAX_PENDING wait in the
 * redirect (backpressure) rather than being dropped. Stopping flushes everything held.
 */
export class ClickRecorder implements BackgroundTask {
  readonly name = 'click recorder';
  static readonly FLUSH_MS = 20;
  static readonly MAX_BATCH = 2_000;
  static readonly MAX_PENDING = 50_000;

  private pending: Click[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private waiters: (() => void)[] = [];
  private stopped = false;
  private readonly hashKey: Buffer;
  private readonly traffic = new TrafficClassifier();

  constructor(
    private readonly runtime: ServiceRuntime,
    secret: string,
    private readonly logger: Logger,
  ) {
    // A key of its own, derived from the service's secret: hashes cannot be matched across deployments.
    this.hashKey = createHmac('sha256', secret).update('influenceflow click hashing').digest();
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {
    this.stopped = true;
    while (this.pending.length > 0 || this.flushing) await this.flush();
  }

  /** Takes a click if fewer than MAX_PENDING are waiting for the database; false means use `record`. */
  offer(click: Click): boolean {
    if (this.pending.length >= ClickRecorder.MAX_PENDING) return false;
    this.pending.push(click);
    if (this.pending.length >= ClickRecorder.MAX_BATCH) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), ClickRecorder.FLUSH_MS);
    return true;
  }

  /** Takes a click, waiting while MAX_PENDING clicks are already waiting for the database. */
  async record(click: Click): Promise<void> {
    while (!this.offer(click)) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  get held(): number {
    return this.pending.length;
  }

  hash(value: string | null): string | null {
    return value ? createHmac('sha256', this.hashKey).update(value).digest('hex') : null;
  }

  private flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.flushing ??= this.write().finally(() => {
      this.flushing = null;
      if (this.pending.length > 0 && !this.stopped) this.timer ??= setTimeout(() => void this.flush(), ClickRecorder.FLUSH_MS);
    });
    return this.flushing;
  }

  private async write(): Promise<void> {
    const batch = this.pending.slice(0, ClickRecorder.MAX_BATCH);
    if (batch.length === 0) return;
    // Classified here, after the redirect answered: bots and previews are recorded, marked as such.
    const events: NewEvent<ClickRecordedData>[] = batch.map((c) => ({
      type: 'click.recorded',
      subject: c.partnershipId,
      brandid: c.brandId,
      data: {
        clickId: c.clickId,
        link: c.link,
        partnershipId: c.partnershipId,
        campaignId: c.campaignId,
        brandId: c.brandId,
        creatorId: c.creatorId,
        at: c.at.toISOString(),
        referrer: c.referrer,
        ipHash: this.hash(c.ip),
        userAgentHash: this.hash(c.userAgent),
        ...this.traffic.classify(c.method, c.userAgent),
        afterEnd: c.afterEnd,
      },
    }));
    try {
      await this.runtime.dataSource.transaction((tx) => this.runtime.outbox.enqueueMany(tx, TOPICS.conversion, events));
    } catch (err) {
      this.logger.error({ err, clicks: batch.length }, 'could not record clicks; keeping them and trying again');
      await new Promise((resolve) => setTimeout(resolve, 500));
      return;
    }
    this.pending.splice(0, batch.length);
    this.runtime.onEventsCommitted?.();
    const free = ClickRecorder.MAX_PENDING - this.pending.length;
    for (const wake of this.waiters.splice(0, Math.max(0, free))) wake();
  }
}

/** A click id: time-ordered, so the outbox and analytics keep clicks in order. */
export const newClickId = (): string => uuidv7();
