import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ErrorCode } from '@influenceflow/kit';
import Negotiator from 'negotiator';

/** The response types Apollo chooses among, in Apollo's order of preference (its MEDIA_TYPES). */
const RESPONSE_TYPES = [
  'application/json; charset=utf-8',
  'application/graphql-response+json; charset=utf-8',
  'application/json; callbackSpec=1.0; charset=utf-8',
];

export type ResponseMediaType = 'application/json' | 'application/graphql-response+json';

/**
 * The media type Apollo Server answers a single result with, for this Accept header: Apollo's own
 * negotiation (the `negotiator` package over the same candidates: quality, then specificity, then the
 * header's order, then Apollo's), reduced to the two types a client can tell apart. No header means
 * application/json; null means none of them is acceptable (Apollo answers 406).
 */
export function negotiatedMediaType(accept: string | undefined): ResponseMediaType | null {
  if (!accept) return 'application/json';
  // The same library and the same candidates as Apollo, so the two can never disagree.
  const preferred = new Negotiator({ headers: { accept } }).mediaType(RESPONSE_TYPES);
  return preferred ? (preferred.split(';')[0] as ResponseMediaType) : null;
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
