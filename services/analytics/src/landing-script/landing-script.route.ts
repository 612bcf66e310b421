import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Express } from 'express';
import { minify_sync } from 'terser';

/** Where brands load the click keeper from (the gateway publishes the same path on the public origin). */
export const LANDING_SCRIPT_PATH = '/t.js';

/**
 * The readable source. It is not TypeScript, so the build does not copy it: it is read from src/, which
 * sits beside dist/ in the package (and in the image), one folder up from this file in both.
 */
export const CLICK_KEEPER_SOURCE = join(__dirname, '..', '..', 'src', 'landing-script', 'click-keeper.js');

export interface LandingScript {
  body: Buffer;
  etag: string;
}

let cached: LandingScript | null = null;

/**
 * The script as served: the source minified (ES2017 in, ES2017 out, the comment that says what it is
 * kept), and its strong ETag. Made once per process; a source terser cannot read fails at start, not
 * on a brand's page.
 */
export function landingScript(): LandingScript {
  if (cached) return cached;
  const source = readFileSync(CLICK_KEEPER_SOURCE, 'utf8');
  const result = minify_sync(source, {
    ecma: 2017,
    compress: { passes: 2 },
    mangle: true,
    format: { comments: false, preamble: '/* InfluenceFlow click keeper: first-party, no network calls. docs/landing-script.md */' },
  });
  if (!result.code) throw new Error('the click keeper did not minify');
  const body = Buffer.from(result.code, 'utf8');
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return (cached = { body, etag });
}

/**
 * `GET`/`HEAD /t.js`: the click keeper, cacheable for an hour by anyone (it is the same for everybody),
 * loadable from any site (Cross-Origin-Resource-Policy: brands' pages are other origins), and revalidated
 * by its ETag: Express answers `If-None-Match` with 304 when the tag matches (`res.send` checks `req.fresh`).
 */
export function landingScriptRoute(app: Express): void {
  const script = landingScript();
  app.get(LANDING_SCRIPT_PATH, (_req, res) => {
    res.set({
      'content-type': 'application/javascript; charset=utf-8',
      'cache-control': 'public, max-age=3600',
      etag: script.etag,
      'x-content-type-options': 'nosniff',
      'cross-origin-resource-policy': 'cross-origin',
    });
    res.send(script.body);
  });
}
