import type { EntityManager } from 'typeorm';
import type { ClickRecordedData } from '@influenceflow/vocabulary';
import { clickContribution } from '../rollups/contributions';
import { addToDays } from '../rollups/rollup-store';

/** What is waiting for a click analytics had not heard of (orders and other conversions that name it). */
export interface AwaitsClicks {
  onClickArrived(db: EntityManager, clickId: string): Promise<void>;
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
    if (d.traffic === 'human') for (const w of this.waiting) await w.onClickArrived(tx, d.clickId);
  }
}
