import type { Express, Request } from 'express';
import type { SubgraphRuntime } from '@influenceflow/kit';
import { ClickRecorder, newClickId } from './click-recorder';
import { withClickId } from './tracking-codes';

interface Link {
  partnershipId: string;
  campaignId: string;
  brandId: string;
  creatorId: string;
  target: string | null;
}

const SLUG = /^[A-Za-z0-9_-]{4,64}$/;
const CACHE_MS = 30_000;
const MISS_CACHE_MS = 5_000;
const CACHE_SIZE = 100_000;

/**
 * Links by slug, cached for 30 s (5 s for unknown slugs, so a scan of made-up slugs cannot flood the
 * database): a popular link is answered from memory. The lookup is an index-only scan (the slug index
 * includes what a redirect needs).
 */
class LinkCache {
  private readonly entries = new Map<string, { link: Link | null; until: number }>();
  constructor(private readonly runtime: SubgraphRuntime) {}

  async get(slug: string): Promise<Link | null> {
    const now = Date.now();
    const hit = this.entries.get(slug);
    if (hit && hit.until > now) return hit.link;
    const [row] = (await this.runtime.dataSource.query(
      `SELECT id AS "partnershipId", campaign_id AS "campaignId", brand_id AS "brandId", creator_id AS "creatorId", link_target AS target
         FROM partnerships WHERE link_slug = $1`,
      [slug],
    )) as Link[];
    const link = row ?? null;
    if (this.entries.size >= CACHE_SIZE) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(slug, { link, until: now + (link ? CACHE_MS : MISS_CACHE_MS) });
    return link;
  }
}

/** The client's address: the first X-Forwarded-For entry set by the proxy in front, else the socket's. */
function clientIp(req: Request): string | null {
  const forwarded = req.header('x-forwarded-for');
  if (forwarded) return forwarded.split(',')[0].trim() || null;
  return req.socket.remoteAddress ?? null;
}

/**
 * GET /r/<slug>: 302 to the partnership's landing page with UTM parameters and a click id, answered at
 * once; the click goes to the ClickRecorder (outbox, then Kafka). Unknown links are 404.
 */
export function mountRedirect(app: Express, runtime: SubgraphRuntime, recorder: ClickRecorder): void {
  const links = new LinkCache(runtime);
  app.get('/r/:slug', async (req, res) => {
    const slug = req.params.slug;
    const link = SLUG.test(slug) ? await links.get(slug).catch(() => undefined) : null;
    if (link === undefined) {
      res.status(503).type('text/plain').send('Try again in a moment.');
      return;
    }
    if (!link || !link.target) {
      res.status(404).type('text/plain').send('This link does not exist or has no destination yet.');
      return;
    }
    const clickId = newClickId();
    await recorder.record({
      link: slug,
      partnershipId: link.partnershipId,
      campaignId: link.campaignId,
      brandId: link.brandId,
      creatorId: link.creatorId,
      clickId,
      at: new Date(),
      referrer: req.header('referer')?.slice(0, 2000) ?? null,
      ip: clientIp(req),
      userAgent: req.header('user-agent')?.slice(0, 1000) ?? null,
    });
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, withClickId(link.target, clickId));
  });
}

const recorders = new WeakMap<SubgraphRuntime, ClickRecorder>();

/** The process's click recorder (one per running subgraph). */
export function clickRecorderFor(runtime: SubgraphRuntime): ClickRecorder {
  let recorder = recorders.get(runtime);
  if (!recorder) {
    recorder = new ClickRecorder(runtime, runtime.config.gatewaySigningSecret, runtime.logger.child({ component: 'clicks' }));
    recorders.set(runtime, recorder);
  }
  return recorder;
}
