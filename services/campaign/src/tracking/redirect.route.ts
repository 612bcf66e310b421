import type { IncomingMessage, ServerResponse } from 'node:http';
import { clientAddressResolver, parsePublicHttpUrl, RawHandler, SubgraphRuntime } from '@influenceflow/kit';
import { ClickRecorder, newClickId } from './click-recorder';
import { allowIpHosts } from './destination';
import { clickIdSlot } from './tracking-codes';
import { ENDED_PARTNERSHIP } from '../partnerships/partnership-status';
import type { CampaignSettings } from '../settings';

interface Link {
  partnershipId: string;
  campaignId: string;
  brandId: string;
  creatorId: string;
  target: string | null;
  /** The partnership has ended: the link still redirects, and its clicks are marked as after the end. */
  ended: boolean;
  /** The Location is `head + clickId + tail` (clickIdSlot); null: no destination, or not a public one. */
  location: { head: string; tail: string } | null;
}

const SLUG = /^[A-Za-z0-9_-]{4,64}$/;
const CACHE_MS = 30_000;
const MISS_CACHE_MS = 5_000;
const CACHE_SIZE = 100_000;

/**
 * Links by slug, cached for 30 s (5 s for unknown slugs, so a scan of made-up slugs cannot flood the
 * database): a popular link is answered from memory. The lookup is an index-only scan (the slug index
 * includes what a redirect needs). A loaded link's target is checked once, here, to still be a public
 * http(s) URL (one stored before that rule, or written around it, gets no location: 404), and cut where
 * the click id goes, so a redirect does no URL work.
 */
class LinkCache {
  private readonly entries = new Map<string, { link: Link | null; until: number }>();
  private readonly allowIpHosts: boolean;
  private readonly endedLocation: Link['location'];
  constructor(
    private readonly runtime: SubgraphRuntime,
    settings: CampaignSettings,
  ) {
    this.allowIpHosts = allowIpHosts(runtime);
    this.endedLocation = settings.campaignEndedUrl ? clickIdSlot(settings.campaignEndedUrl) : null;
  }

  /** The cached link (null: known not to exist), or undefined when it must be looked up. */
  peek(slug: string): Link | null | undefined {
    const hit = this.entries.get(slug);
    return hit && hit.until > Date.now() ? hit.link : undefined;
  }

  async get(slug: string): Promise<Link | null> {
    const now = Date.now();
    const cached = this.peek(slug);
    if (cached !== undefined) return cached;
    const [row] = (await this.runtime.dataSource.query(
      `SELECT id AS "partnershipId", campaign_id AS "campaignId", brand_id AS "brandId", creator_id AS "creatorId", link_target AS target,
              status = ANY($2) AS ended
         FROM partnerships WHERE link_slug = $1`,
      [slug, [...ENDED_PARTNERSHIP]],
    )) as Omit<Link, 'location'>[];
    // An ended partnership's link goes to the configured "campaign ended" page, else where it always went.
    const link = row ? { ...row, location: (row.ended && this.endedLocation) || this.locationOf(row) } : null;
    if (this.entries.size >= CACHE_SIZE) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(slug, { link, until: now + (link ? CACHE_MS : MISS_CACHE_MS) });
    return link;
  }

  private locationOf(link: Omit<Link, 'location'>): Link['location'] {
    if (!link.target) return null;
    try {
      parsePublicHttpUrl(link.target, 'link_target', { allowIpHosts: this.allowIpHosts });
    } catch {
      this.runtime.logger.warn({ partnershipId: link.partnershipId }, 'tracking link target is not a public URL; answering 404');
      return null;
    }
    return clickIdSlot(link.target);
  }
}

const PREFIX = '/r/';

/**
 * GET (or HEAD) /r/<slug>: 302 to the partnership's landing page with UTM parameters and a click id,
 * answered at once; the click goes to the ClickRecorder (outbox, then Kafka), which marks bots and link
 * previews as such. Unknown links, and links without a public destination, are 404. The client address
 * comes from X-Forwarded-For only through TRUSTED_PROXIES. It runs before Express (a RawHandler):
 * Express's per-request work cost more than half the redirect's throughput.
 */
export function redirectHandler(runtime: SubgraphRuntime, recorder: ClickRecorder, settings: CampaignSettings): RawHandler {
  const links = new LinkCache(runtime, settings);
  const clientIp = clientAddressResolver(runtime.config.trustedProxies);
  const answer = (req: IncomingMessage, res: ServerResponse, slug: string, link: Link | null) => {
    const location = link?.location;
    if (!link || !location) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('This link does not exist or has no destination yet.');
      return;
    }
    const clickId = newClickId();
    const click = {
      link: slug,
      partnershipId: link.partnershipId,
      campaignId: link.campaignId,
      brandId: link.brandId,
      creatorId: link.creatorId,
      clickId,
      at: new Date(),
      referrer: req.headers.referer?.slice(0, 2000) ?? null,
      ip: clientIp(req),
      userAgent: req.headers['user-agent']?.slice(0, 1000) ?? null,
      method: req.method,
      afterEnd: link.ended,
    };
    const redirect = () => res.writeHead(302, { location: location.head + clickId + location.tail, 'cache-control': 'no-store' }).end();
    // Usually taken at once; when the database is far behind, the redirect waits rather than drop it.
    if (recorder.offer(click)) redirect();
    else void recorder.record(click).then(redirect);
  };
  return (req, res) => {
    if (!req.url?.startsWith(PREFIX) || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
    const query = req.url.indexOf('?');
    const slug = req.url.slice(PREFIX.length, query === -1 ? undefined : query);
    if (!SLUG.test(slug)) {
      answer(req, res, slug, null);
      return true;
    }
    // The hot path stays synchronous: a cached link is answered without a promise.
    const cached = links.peek(slug);
    if (cached !== undefined) answer(req, res, slug, cached);
    else {
      links.get(slug).then(
        (link) => answer(req, res, slug, link),
        () => void res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('Try again in a moment.'),
      );
    }
    return true;
  };
}
