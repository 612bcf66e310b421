import { randomUUID } from 'node:crypto';
import type { ApolloServer } from '@apollo/server';
import type { Express, Response } from 'express';
import type { GatewayContext } from '../context';
import { contentSecurityPolicy, renderPage } from './template';
import { KitData, MEDIA_KIT_QUERY, pageView } from './view';

export { MEDIA_KIT_QUERY };

/** Headers of every HTML answer: the strict CSP (template.ts), no sniffing, no framing. */
function htmlHeaders(res: Response, avatarUrl: string | null): void {
  res.setHeader('content-security-policy', contentSecurityPolicy(avatarUrl));
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'strict-origin-when-cross-origin');
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
    const response = await apollo.executeOperation<{ mediaKit: KitData }>(
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
      if (json) {
        res.status(status).json({ error: { code: status === 404 ? 'NOT_FOUND' : 'INTERNAL', message } });
      } else {
        htmlHeaders(res, null);
        res
          .status(status)
          .type('html')
          .send(`<!doctype html><html lang="en"><meta charset="utf-8"><title>${status}</title><p>${message}.</p></html>`);
      }
      return;
    }
    res.setHeader('cache-control', 'public, max-age=300');
    if (json) {
      res.json(kit);
      return;
    }
    const view = pageView(kit);
    htmlHeaders(res, view.avatarUrl);
    res.type('html').send(renderPage(view));
  });
}
