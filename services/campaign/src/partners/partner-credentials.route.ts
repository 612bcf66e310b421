import express, { type Express } from 'express';
import { IDENTITY_HEADER, SubgraphRuntime, verifyGatewayUpload } from '@influenceflow/kit';
import type { PartnerService } from './partner.service';

/**
 * Where the gateway's POST /oauth/token checks a partner's client id and secret (docs/partners.md). Only
 * the gateway can call it: its signature covers this path and these bytes (kit `signGatewayUpload`).
 * The answer is who the client is and its brands now, or 401 for every kind of wrong credential; the
 * gateway mints the token, so the token key never reaches a subgraph.
 */
export const PARTNER_CREDENTIALS_PATH = '/internal/partner-credentials';

export function mountPartnerCredentials(app: Express, partners: PartnerService, runtime: SubgraphRuntime): void {
  app.post(PARTNER_CREDENTIALS_PATH, express.raw({ type: () => true, limit: 4096 }), async (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const check = verifyGatewayUpload(
      req.header(IDENTITY_HEADER),
      { subgraph: 'campaign', pathAndQuery: PARTNER_CREDENTIALS_PATH, body },
      runtime.config.gatewaySigningSecret,
    );
    if (!check.ok) {
      res.status(401).json({ error: 'unsigned', reason: check.reason });
      return;
    }
    let parsed: { clientId?: unknown; clientSecret?: unknown };
    try {
      parsed = JSON.parse(body.toString('utf8')) as typeof parsed;
    } catch {
      res.status(400).json({ error: 'invalid_request' });
      return;
    }
    if (typeof parsed.clientId !== 'string' || typeof parsed.clientSecret !== 'string') {
      res.status(400).json({ error: 'invalid_request' });
      return;
    }
    try {
      const found = await partners.verifyCredentials(runtime.dataSource.manager, parsed.clientId, parsed.clientSecret);
      if (!found) {
        res.status(401).json({ error: 'invalid_client' });
        return;
      }
      res.json(found);
    } catch (err) {
      runtime.logger.error({ err }, 'partner credentials could not be checked');
      res.status(503).json({ error: 'temporarily_unavailable' });
    }
  });
}
