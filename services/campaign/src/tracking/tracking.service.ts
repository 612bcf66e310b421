import { badInput, conflict, RequestContext } from '@influenceflow/kit';
import type { EntityManager } from 'typeorm';
import { Brand } from '../brands/brand.entity';
import { Campaign } from '../campaigns/campaign.entity';
import { CreatorCopy } from '../creators/creator-copy.entity';
import { Partnership } from '../partnerships/partnership.entity';
import { CODE_PATTERN, codeCandidates, linkSlug, linkTarget } from './tracking-codes';

const UNIQUE_VIOLATION = '23505';

/**
 * Runs `attempt` with each candidate inside a savepoint until one does not hit a unique index. Under
 * concurrency a second transaction waits for the first's commit, fails on the index, and moves on to the
 * next candidate, without aborting its own transaction.
 */
async function firstFree(tx: EntityManager, candidates: Iterable<string>, attempt: (candidate: string) => Promise<void>): Promise<string> {
  for (const candidate of candidates) {
    await tx.query('SAVEPOINT tracking_candidate');
    try {
      await attempt(candidate);
      await tx.query('RELEASE SAVEPOINT tracking_candidate');
      return candidate;
    } catch (err) {
      await tx.query('ROLLBACK TO SAVEPOINT tracking_candidate');
      if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
    }
  }
  throw new Error('no free tracking candidate');
}

/** Discount codes and tracking links: one of each for every accepted partnership. */
export class TrackingService {
  /**
   * Gives an accepted partnership its code (from the creator's handle, unique per brand) and its link
   * (sending people to the campaign's landing page, else the brand's website, with UTM parameters).
   */
  async assign(tx: EntityManager, p: Partnership): Promise<void> {
    const creator = await tx.getRepository(CreatorCopy).findOneByOrFail({ id: p.creatorId });
    const campaign = await tx.getRepository(Campaign).findOneByOrFail({ id: p.campaignId });
    const brand = await tx.getRepository(Brand).findOneByOrFail({ id: p.brandId });
    const landing = campaign.landingUrl ?? brand.websiteUrl;
    p.linkTarget = landing ? linkTarget(landing, campaign.name, creator.handle) : null;
    p.discountCode = await firstFree(tx, codeCandidates(creator.handle), (code) =>
      tx.query(`UPDATE partnerships SET discount_code = $2 WHERE id = $1`, [p.id, code]).then(() => undefined),
    );
    p.linkSlug = await firstFree(
      tx,
      (function* () {
        for (;;) yield linkSlug(creator.handle);
      })(),
      (slug) =>
        tx
          .query(`UPDATE partnerships SET link_slug = $2, link_target = $3 WHERE id = $1`, [p.id, slug, p.linkTarget])
          .then(() => undefined),
    );
  }

  /** The brand picks another code for a partnership: 3–20 letters and digits, free within the brand. */
  async setDiscountCode(tx: EntityManager, p: Partnership, code: string): Promise<string> {
    const normalised = code.trim().toUpperCase();
    if (!CODE_PATTERN.test(normalised)) throw badInput('code', 'must be 3–20 letters and digits');
    try {
      await tx.query(`UPDATE partnerships SET discount_code = $2, updated_at = now() WHERE id = $1`, [p.id, normalised]);
    } catch (err) {
      if ((err as { code?: string }).code === UNIQUE_VIOLATION)
        throw conflict(`The code ${normalised} is already used by this brand`, 'code');
      throw err;
    }
    return normalised;
  }

  /** The public address of a partnership's tracking link. */
  trackingUrl(ctx: RequestContext, p: Partnership): string | null {
    return p.linkSlug ? `${ctx.runtime.publicBaseUrl ?? ''}/r/${p.linkSlug}` : null;
  }
}
