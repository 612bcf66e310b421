import type { Platform, PostFormat } from '../rules/types';

/*
 * A platform connector: the OAuth 2.0 authorization-code flow of one platform's API and the figures it
 * reads of the creator's own account. Adapters (youtube.ts, instagram.ts) follow each API's documented
 * requests and responses; docs/connectors.md lists what each reads.
 */

/** The tokens of a grant. Never logged, never in GraphQL; stored encrypted (the kit's SecretCipher). */
export interface TokenSet {
  accessToken: string;
  /** Null when the platform issues none (Facebook's long-lived tokens are exchanged again instead). */
  refreshToken: string | null;
  /** When the access token stops working; null when the platform does not say. */
  expiresAt: Date | null;
}

/** One recent post as the platform reports it; metrics the API does not give are null. */
export interface FetchedPost {
  id: string;
  postedAt: Date;
  format: PostFormat;
  likes: number | null;
  comments: number | null;
  views: number | null;
  shares: number | null;
  saves: number | null;
  reach: number | null;
  caption: string;
  /** The platform's own paid-partnership / paid-promotion flag; null where the API does not give it. */
  paidPartnership: boolean | null;
  url: string | null;
}

/** The figures of the creator's account, as read from the platform's API. */
export interface FetchedAccount {
  platform: Platform;
  /** The platform's stable id of the account (a channel id, an Instagram user id). */
  externalId: string;
  /** The account's handle on the platform (lower case, without "@"). */
  handle: string;
  followers: number;
  following: number | null;
  postCount: number;
  /** Newest first, at most `MAX_FETCHED_POSTS`. */
  posts: FetchedPost[];
  /** Follower counts over time, where the API gives them (neither adapter's API does today). */
  followerHistory: { date: Date; followers: number }[];
}

/** How many recent posts an adapter reads (the account record keeps at most 50). */
export const MAX_FETCHED_POSTS = 50;

export interface Connector {
  readonly platform: Platform;
  /** The URL to send the creator to for consent; the platform comes back to `redirectUri` with code and state. */
  authorizationUrl(state: string): string;
  /** Trades the authorization code for tokens (long-lived ones where the platform has them). */
  exchangeCode(code: string): Promise<TokenSet>;
  /** New tokens before the access token expires; a revoked grant is a ConnectorError of kind 'revoked'. */
  refresh(tokens: TokenSet): Promise<TokenSet>;
  /** The account's figures with a valid access token. */
  fetchAccount(accessToken: string): Promise<FetchedAccount>;
}

/**
 * Why a call to a platform failed:
 * - `revoked`: the grant is gone (Google's invalid_grant, Facebook's OAuthException 190): reconnect;
 * - `rate_limited`: the platform asked us to slow down (429, quota errors); `retryAfterMs` when it said;
 * - `malformed`: the platform answered something that is not the documented response;
 * - `refused`: the platform refused the request (a bad code, a missing permission, no linked account);
 * - `unavailable`: the platform could not be reached or failed (5xx, network, timeout).
 */
export type ConnectorErrorKind = 'revoked' | 'rate_limited' | 'malformed' | 'refused' | 'unavailable';

export class ConnectorError extends Error {
  constructor(
    readonly kind: ConnectorErrorKind,
    message: string,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'ConnectorError';
  }
}

/**
 * The hashtags of a caption (without "#", lower case, unique, at most 30 as the account record keeps); a
 * "#" inside a word ("a#b") starts none.
 */
export function hashtagsOf(caption: string): string[] {
  const tags = [...caption.matchAll(/(?<![\p{L}\p{N}_])#([\p{L}\p{N}_]{1,100})/gu)].map((m) => m[1].toLowerCase());
  return [...new Set(tags)].slice(0, 30);
}
