import type { EntityManager } from 'typeorm';
import type { ClickRecordedData } from '@influenceflow/vocabulary';
import { clickContribution } from '../rollups/contributions';
import { addToDays } from '../rollups/rollup-store';

/** What is waiting for a click analytics had not heard of (orders and other conversions that name it). */
export interface AwaitsClicks {
  onClickArrived(db: EntityManager, clickId: string): Promise<void>;
  /** Of these click ids, the ones something waits for (one query for a batch of clicks). */
  awaitedAmong(db: EntityManager, clickIds: string[]): Promise<Set<string>>;
}

/**
 * Clicks from `click.recorded`, every one kept (bots and link previews too, counted apart: only human
 * clicks count). A human click that an order or a sign-up named before it arrived credits them now.
 */
export class ClicksService {
  constructor(private readonly waiting: AwaitsClicks[]) {}

  async record(tx: EntityManager, d: ClickRecordedData): Promise<void> {
    const inserted = (await tx.query(
      `INSERT INTO clicks (click_id, partnership_id, campaign_id, brand_id, link, at, traffic, after_end)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (click_id) DO NOTHING RETURNING click_id`,
      [d.clickId, d.partnershipId, d.campaignId, d.brandId, d.link, d.at, d.traffic, d.afterEnd ?? false],
    )) as unknown[];
    if (inserted.length === 0) return; // the same click twice counts once
    await addToDays(tx, clickContribution({ partnershipId: d.partnershipId, at: new Date(d.at), traffic: d.traffic }));
    if (d.traffic === 'human') for (const w of this.waiting) await w.onClickArrived(tx, d.clickId.toLowerCase());
  }

  /**
   * Many clicks at once (the batched consumer), with the effect of `record` for each: one multi-row insert,
   * what waited for the new human clicks settled click by click as `record` settles it, then the roll-up
   * contributions of the new clicks summed per partnership and day in one `addToDays`.
   */
  async recordMany(tx: EntityManager, clicks: ClickRecordedData[]): Promise<void> {
    if (clicks.length === 0) return;
    // the first of a click id in the batch is the one kept, as one by one
    const byId = new Map<string, ClickRecordedData>();
    for (const d of clicks) if (!byId.has(d.clickId)) byId.set(d.clickId, d);
    const list = [...byId.values()];
    const inserted = (await tx.query(
      `INSERT INTO clicks (click_id, partnership_id, campaign_id, brand_id, link, at, traffic, after_end)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::timestamptz[], $7::text[], $8::boolean[])
       ON CONFLICT (click_id) DO NOTHING RETURNING click_id`,
      [
        list.map((d) => d.clickId),
        list.map((d) => d.partnershipId),
        list.map((d) => d.campaignId),
        list.map((d) => d.brandId),
        list.map((d) => d.link),
        list.map((d) => d.at),
        list.map((d) => d.traffic),
        list.map((d) => d.afterEnd ?? false),
      ],
    )) as { click_id: string }[];
    // PostgreSQL answers uuids in lower case, whatever case the event wrote them in
    const isNew = new Set(inserted.map((r) => r.click_id.toLowerCase()));
    const fresh = list.filter((d) => isNew.has(d.clickId.toLowerCase()));
    if (fresh.length === 0) return; // every click already known
    // what waited for these clicks first: it takes its customers' locks before any roll-up row, as every
    // writer of orders does; the batch's roll-up rows (one statement, in key order) come last
    const human = fresh.filter((d) => d.traffic === 'human').map((d) => d.clickId.toLowerCase());
    if (human.length > 0) {
      const awaited = await Promise.all(this.waiting.map((w) => w.awaitedAmong(tx, human)));
      for (const clickId of human) {
        for (let i = 0; i < this.waiting.length; i++) if (awaited[i].has(clickId)) await this.waiting[i].onClickArrived(tx, clickId);
      }
    }
    await addToDays(
      tx,
      fresh.flatMap((d) => clickContribution({ partnershipId: d.partnershipId, at: new Date(d.at), traffic: d.traffic })),
    );
  }
}
