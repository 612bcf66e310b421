import { GraphQLError } from 'graphql';
import {
  ClientInfo,
  ErrorCode,
  IDENTITY_HEADER,
  Identity,
  Logger,
  REQUEST_ID_HEADER,
  requestIdOf,
  signGatewayCall,
} from '@influenceflow/kit';

/** What the campaign subgraph says a caller may receive of a campaign's live events. */
export interface LiveAccess {
  campaignId: string;
  brandId: string;
  eventTypes: string[];
  partnershipIds: string[] | null;
}

const QUERY = `query LiveAccess($campaignId: ID!) { campaignLiveAccess(campaignId: $campaignId) { campaignId brandId eventTypes partnershipIds } }`;

export type AskLiveAccess = (identity: Identity, client: ClientInfo | null, campaignId: string) => Promise<LiveAccess>;

/**
 * Asks the campaign subgraph, with the caller's identity signed like every gateway call, which of a
 * campaign's live events the caller may receive. Its refusals (NOT_FOUND, FORBIDDEN, BAD_USER_INPUT) reach
 * the client with their code and field; anything else is INTERNAL, without detail.
 */
export function liveAccessClient(campaignUrl: string, secret: string, timeoutMs: number, logger: Logger): AskLiveAccess {
  return async (identity, client, campaignId) => {
    const body = JSON.stringify({ query: QUERY, variables: { campaignId } });
    let answer: {
      data?: { campaignLiveAccess?: LiveAccess | null } | null;
      errors?: { message: string; extensions?: Record<string, unknown> }[];
    };
    try {
      const res = await fetch(campaignUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [IDENTITY_HEADER]: signGatewayCall(identity, { method: 'POST', subgraph: 'campaign', body, client }, secret),
          [REQUEST_ID_HEADER]: requestIdOf(undefined),
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      answer = (await res.json()) as typeof answer;
    } catch (err) {
      logger.warn({ err }, 'live: the campaign subgraph did not answer');
      throw new GraphQLError('Could not check access to the campaign; try again', { extensions: { code: ErrorCode.INTERNAL } });
    }
    const refused = answer.errors?.[0];
    if (refused) {
      const code = refused.extensions?.code;
      if (
        code === ErrorCode.NOT_FOUND ||
        code === ErrorCode.FORBIDDEN ||
        code === ErrorCode.BAD_USER_INPUT ||
        code === ErrorCode.UNAUTHENTICATED
      ) {
        const field = refused.extensions?.field === 'id' ? 'campaignId' : refused.extensions?.field;
        throw new GraphQLError(refused.message, { extensions: { code, ...(typeof field === 'string' ? { field } : {}) } });
      }
      logger.warn({ errors: answer.errors }, 'live: the campaign subgraph refused the access check');
      throw new GraphQLError('Could not check access to the campaign; try again', { extensions: { code: ErrorCode.INTERNAL } });
    }
    const access = answer.data?.campaignLiveAccess;
    if (!access) throw new GraphQLError('Could not check access to the campaign; try again', { extensions: { code: ErrorCode.INTERNAL } });
    return access;
  };
}

/** True when an access check failed because the caller may not (any longer) read the campaign. */
export function isRefusal(err: unknown): boolean {
  const code = err instanceof GraphQLError ? err.extensions.code : undefined;
  return code === ErrorCode.NOT_FOUND || code === ErrorCode.FORBIDDEN || code === ErrorCode.UNAUTHENTICATED;
}
