import { createHash } from 'node:crypto';

/** The CSP source of an inline `<style>`: its SHA-256, so that style and no other may apply. */
export const styleHashOf = (css: string) => `'sha256-${createHash('sha256').update(css).digest('base64')}'`;

/**
 * The Content-Security-Policy of the gateway's pages: nothing may load but the page's own inline style (by
 * its hash) and, when given, images from one origin; no scripts, frames, forms or base URL.
 */
export function strictContentSecurityPolicy(styleHash: string, imgSrc = "'none'"): string {
  return [
    "default-src 'none'",
    `style-src ${styleHash}`,
    `img-src ${imgSrc}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
