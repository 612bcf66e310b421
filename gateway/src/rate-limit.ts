import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { ErrorCode } from '@influenceflow/kit';

/**
 * GraphQL requests per minute per caller: per bearer token (its hash: the limit holds before the token is
 * verified, so a flood costs no verification), else per client address. Over the limit: 429 with
 * `Retry-After` and `RATE_LIMITED` with `retryAfterSeconds`. The counts are this process's (in memory): with
 * several gateway replicas behind a balancer each counts its own share. `keyOfToken` may name a bucket
 * for a token shared by all of its holder's tokens (partners: one per client, however many tokens it asks
 * for); null keeps the token's own.
 */
export function rateLimit(
  perMinute: number,
  addressOf: (req: Request) => string,
  keyOfToken: (token: string) => Promise<string | null> = async () => null,
): RequestHandler {
  const limiter = new RateLimiterMemory({ points: perMinute, duration: 60 });
  return (req, res, next) => {
    if (req.method === 'OPTIONS') return next();
    const token = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '')?.[1];
    const key = token
      ? keyOfToken(token).then((shared) => shared ?? `t:${createHash('sha256').update(token).digest('base64url')}`)
      : Promise.resolve(`a:${addressOf(req)}`);
    key
      .then((k) => limiter.consume(k))
      .then(
        () => next(),
        (refused: unknown) => {
          if (!(refused instanceof RateLimiterRes)) return next(refused);
          const retryAfterSeconds = Math.max(1, Math.ceil(refused.msBeforeNext / 1000));
          res.setHeader('retry-after', String(retryAfterSeconds));
          res
            .status(429)
            .type('application/json')
            .send(
              JSON.stringify({
                errors: [
                  {
                    message: `Too many requests: at most ${perMinute} a minute. Try again in ${retryAfterSeconds} s.`,
                    extensions: { code: ErrorCode.RATE_LIMITED, retryAfterSeconds },
                  },
                ],
              }),
            );
        },
      );
  };
}
