import { randomUUID } from 'node:crypto';
import type { ApolloServer } from '@apollo/server';
import type { Express } from 'express';
import type { GatewayContext } from './context';

/** What the public page shows: the same query any client could send, run as an anonymous caller. */
export const MEDIA_KIT_QUERY = `query MediaKitPage($handle: String!) {
  mediaKit(handle: $handle) {
    handle displayName bio niches languages country city path
    stats { followers tier engagementRate authenticityScore accounts { platform handle followers tier engagementRate } }
    stats { sponsoredPerformance { ratio sponsoredPosts organicPosts sponsoredEngagementRate organicEngagementRate gap explanation } }
    audience { ages { key share } genders { key share } countries { key share } interests }
    rates { platform format price { formatted } }
    bestPosts { platform format postedAt caption engagements engagementRate }
  }
}`;

const escape = (value: unknown) =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const percent = (share: number) => `${(share * 100).toFixed(0)} %`;
const rate = (r: number | null) => (r === null ? '—' : `${r.toFixed(2)} %`);

type Kit = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function renderMediaKit(kit: Kit): string {
  const list = (items: string[]) => `<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>`;
  const sections: string[] = [];
  if (kit.stats) {
    sections.push(
      `<h2>Reach</h2><p><b>${escape(kit.stats.followers.toLocaleString('en-US'))}</b> followers (${escape(kit.stats.tier.toLowerCase())}),
       engagement ${escape(rate(kit.stats.engagementRate))}${kit.stats.authenticityScore === null ? '' : `, authenticity ${escape(kit.stats.authenticityScore)}/100`}</p>` +
        list(
          kit.stats.accounts.map(
            (a: Kit) =>
              `${escape(a.platform.toLowerCase())} @${escape(a.handle)}: ${escape(a.followers.toLocaleString('en-US'))} followers, ${escape(rate(a.engagementRate))}`,
          ),
        ),
    );
  }
  if (kit.audience) {
    sections.push(
      `<h2>Audience</h2>` +
        list([
          `Countries: ${kit.audience.countries.map((c: Kit) => `${escape(c.key)} ${percent(c.share)}`).join(', ')}`,
          `Ages: ${kit.audience.ages.map((c: Kit) => `${escape(c.key)} ${percent(c.share)}`).join(', ')}`,
          `Genders: ${kit.audience.genders.map((c: Kit) => `${escape(c.key)} ${percent(c.share)}`).join(', ')}`,
          `Interests: ${kit.audience.interests.map(escape).join(', ')}`,
        ]),
    );
  }
  if (kit.rates) {
    sections.push(
      `<h2>Rates</h2>` +
        list(
          kit.rates.map((r: Kit) => `${escape(r.platform.toLowerCase())} ${escape(r.format.toLowerCase())}: ${escape(r.price.formatted)}`),
        ),
    );
  }
  if (kit.bestPosts) {
    sections.push(
      `<h2>Best posts</h2>` +
        list(
          kit.bestPosts.map(
            (p: Kit) =>
              `${escape(p.platform.toLowerCase())} ${escape(p.format.toLowerCase())} — “${escape(p.caption)}”: ${escape(p.engagements.toLocaleString('en-US'))} engagements`,
          ),
        ),
    );
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(kit.displayName)} (@${escape(kit.handle)}) — media kit</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#222}h1{margin-bottom:0}small{color:#666}</style>
</head><body><h1>${escape(kit.displayName)}</h1><small>@${escape(kit.handle)} · ${escape(kit.niches.join(', '))}${kit.city ? ` · ${escape(kit.city)}` : ''}${kit.country ? ` · ${escape(kit.country)}` : ''}</small>
<p>${escape(kit.bio)}</p>${sections.join('\n')}
<p><small>Machine-readable: <a href="${escape(kit.path)}.json">${escape(kit.path)}.json</a></small></p></body></html>`;
}

/**
 * The shareable media kit at `/media-kits/<handle>` (HTML) and `/media-kits/<handle>.json`: the gateway
 * runs the public `mediaKit` query as an anonymous caller, so the page shows exactly what the creator
 * published, and subgraphs stay unreachable from outside.
 */
export function mountMediaKitPages(app: Express, apollo: ApolloServer<GatewayContext>): void {
  app.get('/media-kits/:handle', async (req, res) => {
    const raw = String(req.params.handle);
    const json = raw.endsWith('.json');
    const handle = json ? raw.slice(0, -'.json'.length) : raw;
    const response = await apollo.executeOperation<{ mediaKit: Kit }>(
      { query: MEDIA_KIT_QUERY, variables: { handle } },
      { contextValue: { requestId: randomUUID(), identity: null } },
    );
    const result = response.body.kind === 'single' ? response.body.singleResult : null;
    const kit = result?.data?.mediaKit;
    if (!kit) {
      const code = result?.errors?.[0]?.extensions?.code;
      // A handle that cannot be one (BAD_USER_INPUT) has no media kit either.
      const status = code === 'NOT_FOUND' || code === 'BAD_USER_INPUT' ? 404 : 502;
      const message = status === 404 ? 'No published media kit with this handle' : 'The media kit could not be loaded';
      if (json) res.status(status).json({ error: { code: code ?? 'INTERNAL', message } });
      else res.status(status).type('html').send(`<!doctype html><title>${status}</title><p>${message}.</p>`);
      return;
    }
    res.setHeader('cache-control', 'public, max-age=300');
    if (json) res.json(kit);
    else res.type('html').send(renderMediaKit(kit));
  });
}
