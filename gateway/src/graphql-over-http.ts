import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ErrorCode } from '@influenceflow/kit';

/** What Apollo answers with, in its order of preference when the client likes them equally. */
const RESPONSE_TYPES = [
  { mediaType: 'application/json', params: { charset: 'utf-8' } },
  { mediaType: 'application/graphql-response+json', params: { charset: 'utf-8' } },
  // Apollo's subscription-callback flavour of JSON: still application/json to the client.
  { mediaType: 'application/json', params: { callbackspec: '1.0', charset: 'utf-8' } },
] as const;

export type ResponseMediaType = 'application/json' | 'application/graphql-response+json';

interface MediaRange {
  type: string;
  subtype: string;
  params: Record<string, string>;
  q: number;
  order: number;
}

function parseAccept(accept: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  accept.split(',').forEach((part, order) => {
    const [full, ...rawParams] = part.split(';').map((s) => s.trim());
    const slash = full.indexOf('/');
    if (slash <= 0) return;
    const params: Record<string, string> = {};
    let q = 1;
    for (const p of rawParams) {
      const eq = p.indexOf('=');
      if (eq <= 0) continue;
      const key = p.slice(0, eq).trim().toLowerCase();
      const value = p
        .slice(eq + 1)
        .trim()
        .replace(/^"|"$/g, '')
        .toLowerCase();
      if (key === 'q') q = value === '' ? 1 : Number.parseFloat(value) || 0;
      else params[key] = value;
    }
    ranges.push({ type: full.slice(0, slash).toLowerCase(), subtype: full.slice(slash + 1).toLowerCase(), params, q, order });
  });
  return ranges;
}

/**
 * The media type Apollo Server answers a single result with, for this Accept header: the same negotiation
 * as Apollo's (the `negotiator` package: quality, then specificity, then the header's order, then Apollo's),
 * reduced to the two types a client can tell apart. No header means application/json; null means none of
 * them is acceptable (Apollo answers 406).
 */
export function negotiatedMediaType(accept: string | undefined): ResponseMediaType | null {
  if (!accept) return 'application/json';
  const ranges = parseAccept(accept);
  let best: { q: number; s: number; o: number; i: number } | null = null;
  for (const [i, candidate] of RESPONSE_TYPES.entries()) {
    const [type, subtype] = candidate.mediaType.split('/');
    const params = candidate.params as Record<string, string>;
    // The most specific range that matches the candidate decides its quality (then the higher q, then the later).
    let priority = { q: 0, s: 0, o: -1 };
    for (const range of ranges) {
      let s = 0;
      if (range.type === type) s |= 4;
      else if (range.type !== '*') continue;
      if (range.subtype === subtype) s |= 2;
      else if (range.subtype !== '*') continue;
      const keys = Object.keys(range.params);
      if (keys.length > 0) {
        if (!keys.every((k) => range.params[k] === '*' || range.params[k] === (params[k] ?? ''))) continue;
        s |= 1;
      }
      if ((priority.s - s || priority.q - range.q || priority.o - range.order) < 0) priority = { q: range.q, s, o: range.order };
    }
    if (priority.q <= 0) continue;
    const spec = { ...priority, i };
    if (!best || (spec.q - best.q || spec.s - best.s || best.o - spec.o || best.i - spec.i) > 0) best = spec;
  }
  return best ? RESPONSE_TYPES[best.i].mediaType : null;
}

/**
 * GraphQL over HTTP status codes by the media type of the response. Apollo answers every request error
 * (document not parsed, not valid, variables not coerced, and what our limits and input guard refuse with
 * `http.status` 400) with 400 whatever the client accepts. The spec's application/json rules ask for 200 to a
 * well-formed request, since a 4xx with plain JSON could come from any proxy on the way: so when the answer
 * is application/json, such a 400 becomes a 200 (same body, no `data`); application/graphql-response+json
 * keeps its 400. Requests that are not GraphQL requests at all (code BAD_REQUEST: no query, a parameter of
 * the wrong type, CSRF) keep their 4xx, as do every other status (401, 405, 5xx). docs/security.md, "GraphQL
 * over HTTP".
 */
export function graphqlOverHttpPlugin<C extends BaseContext>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ request, response }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          // The gateway's executor throws the client's mistakes (an unknown operation name, several
          // operations and none named) like failures: Apollo answers 500. They are request errors.
          if (response.http.status === 500 && result.data === undefined && result.errors?.length) {
            if (result.errors.every((e) => e.extensions?.code === ErrorCode.BAD_USER_INPUT)) response.http.status = 400;
          }
          // executeOperation (the media kit pages) has no HTTP request, hence nothing to negotiate.
          if (!request.http || response.http.status !== 400) return;
          if (result.data !== undefined || !result.errors?.length) return;
          if (result.errors.some((e) => e.extensions?.code === ErrorCode.BAD_REQUEST)) return;
          if (negotiatedMediaType(request.http.headers.get('accept')) !== 'application/json') return;
          response.http.status = 200;
          // Stated here so that the status and the media type can never disagree.
          response.http.headers.set('content-type', 'application/json; charset=utf-8');
        },
      };
    },
  };
}
