import type { PostFormat } from '../rules/types';
import type { OAuthClient } from './connector-config';
import { Connector, ConnectorError, FetchedAccount, FetchedPost, MAX_FETCHED_POSTS, TokenSet } from './connector';
import {
  arrayAt,
  countAt,
  dateAt,
  ErrorReading,
  joinUrl,
  malformed,
  objectAt,
  optionalCountAt,
  platformJson,
  PlatformHttpOptions,
  stringAt,
  withQuery,
} from './platform-http';

const NAME = 'YouTube';
/** Read-only access to the creator's own channel, videos and their statistics. */
export const YOUTUBE_SCOPE = 'https://www.googleapis.com/auth/youtube.readonly';
/** The Data API has no Shorts flag: a video of at most this length is counted as a short. */
const SHORT_MAX_SECONDS = 60;
const GOOGLE_RATE_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'quotaExceeded', 'dailyLimitExceeded']);

export interface YouTubeSettings extends OAuthClient {
  authUrl: string;
  tokenUrl: string;
  apiUrl: string;
  timeoutMs: number;
}

/**
 * Google's errors: the token endpoint answers `{ error: "invalid_grant", error_description }`; the Data API
 * `{ error: { code, message, errors: [{ reason, domain }] } }`, with quota and rate reasons on 403.
 */
const readGoogleError: ErrorReading = (status, body) => {
  const error = (body as { error?: unknown } | undefined)?.error;
  if (typeof error === 'string') {
    if (error === 'invalid_grant')
      return new ConnectorError('revoked', 'Google says the grant is invalid, expired or revoked (invalid_grant)');
    return new ConnectorError(
      status >= 500 ? 'unavailable' : 'refused',
      `Google refused the token request (${error.slice(0, 40).replace(/[^\w.-]/g, '')})`,
    );
  }
  if (error && typeof error === 'object') {
    const reasons = ((error as { errors?: { reason?: unknown }[] }).errors ?? []).map((e) => String(e?.reason ?? ''));
    if (reasons.some((r) => GOOGLE_RATE_REASONS.has(r)))
      return new ConnectorError('rate_limited', 'YouTube says the quota or rate limit is exceeded');
    if (status === 401) return new ConnectorError('revoked', 'YouTube refused the access token (401)');
  }
  return null;
};

/** Hours, minutes and seconds of an ISO 8601 duration ("PT1M5S"), or null. */
export function durationSeconds(iso: unknown): number | null {
  const m = typeof iso === 'string' ? /^P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(iso) : null;
  if (!m) return null;
  const [, d, h, min, s] = m.map((x) => Number(x ?? 0));
  return ((d * 24 + h) * 60 + min) * 60 + s;
}

/** The YouTube Data API v3 through Google OAuth 2.0 (docs/connectors.md, "YouTube"). */
export class YouTubeConnector implements Connector {
  readonly platform = 'youtube' as const;
  private readonly http: PlatformHttpOptions;

  constructor(private readonly settings: YouTubeSettings) {
    this.http = { name: NAME, timeoutMs: settings.timeoutMs, readError: readGoogleError };
  }

  authorizationUrl(state: string): string {
    return withQuery(this.settings.authUrl, {
      client_id: this.settings.clientId,
      redirect_uri: this.settings.redirectUri,
      response_type: 'code',
      scope: YOUTUBE_SCOPE,
      // offline + consent: Google gives a refresh token, also to a creator connecting again.
      access_type: 'offline',
      prompt: 'consent',
      include_granted_scopes: 'true',
      state,
    });
  }

  async exchangeCode(code: string): Promise<TokenSet> {
    return this.tokens(
      {
        grant_type: 'authorization_code',
        code,
        client_id: this.settings.clientId,
        client_secret: this.settings.clientSecret,
        redirect_uri: this.settings.redirectUri,
      },
      null,
    );
  }

  async refresh(tokens: TokenSet): Promise<TokenSet> {
    if (!tokens.refreshToken) throw new ConnectorError('revoked', 'Google gave no refresh token: connect again');
    return this.tokens(
      {
        grant_type: 'refresh_token',
        refresh_token: tokens.refreshToken,
        client_id: this.settings.clientId,
        client_secret: this.settings.clientSecret,
      },
      tokens.refreshToken,
    );
  }

  /** The token endpoint's answer: `{ access_token, expires_in, refresh_token?, scope, token_type }`. */
  private async tokens(form: Record<string, string>, previousRefresh: string | null): Promise<TokenSet> {
    const body = objectAt(NAME, await platformJson(this.http, this.settings.tokenUrl, { method: 'POST', form }), 'a token object');
    const accessToken = stringAt(NAME, body.access_token, 'access_token');
    const expiresIn = optionalCountAt(NAME, body.expires_in, 'expires_in');
    const refreshToken = body.refresh_token === undefined ? previousRefresh : stringAt(NAME, body.refresh_token, 'refresh_token');
    return { accessToken, refreshToken, expiresAt: expiresIn === null ? null : new Date(Date.now() + expiresIn * 1000) };
  }

  async fetchAccount(accessToken: string): Promise<FetchedAccount> {
    const get = (path: string, query: Record<string, string | undefined>) =>
      platformJson(this.http, withQuery(joinUrl(this.settings.apiUrl, path), query), { bearer: accessToken });
    const channels = objectAt(NAME, await get('channels', { part: 'snippet,statistics,contentDetails', mine: 'true' }), 'a channel list');
    const items = channels.items === undefined ? [] : arrayAt(NAME, channels.items, 'items');
    if (items.length === 0) throw new ConnectorError('refused', 'This Google account has no YouTube channel');
    const channel = objectAt(NAME, items[0], 'a channel');
    const id = stringAt(NAME, channel.id, 'the channel id');
    const snippet = objectAt(NAME, channel.snippet, 'the channel snippet');
    const statistics = objectAt(NAME, channel.statistics, 'the channel statistics');
    const uploads = stringAt(
      NAME,
      objectAt(NAME, objectAt(NAME, channel.contentDetails, 'contentDetails').relatedPlaylists, 'relatedPlaylists').uploads,
      'the uploads playlist',
    );

    const videoIds: string[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < 10 && videoIds.length < MAX_FETCHED_POSTS; page++) {
      const list = objectAt(
        NAME,
        await get('playlistItems', { part: 'contentDetails', playlistId: uploads, maxResults: '50', pageToken }),
        'a playlist item list',
      );
      for (const item of arrayAt(NAME, list.items ?? [], 'items')) {
        videoIds.push(
          stringAt(NAME, objectAt(NAME, objectAt(NAME, item, 'a playlist item').contentDetails, 'contentDetails').videoId, 'a videoId'),
        );
      }
      if (list.nextPageToken === undefined) break;
      pageToken = stringAt(NAME, list.nextPageToken, 'nextPageToken');
    }

    const posts: FetchedPost[] = [];
    const wanted = videoIds.slice(0, MAX_FETCHED_POSTS);
    if (wanted.length > 0) {
      const videos = objectAt(
        NAME,
        await get('videos', {
          part: 'snippet,statistics,contentDetails,paidProductPlacementDetails',
          id: wanted.join(','),
          maxResults: '50',
        }),
        'a video list',
      );
      for (const v of arrayAt(NAME, videos.items ?? [], 'items')) posts.push(this.post(objectAt(NAME, v, 'a video')));
    }
    posts.sort((a, b) => b.postedAt.getTime() - a.postedAt.getTime());

    const customUrl = typeof snippet.customUrl === 'string' ? snippet.customUrl.replace(/^@/, '').toLowerCase() : '';
    return {
      platform: 'youtube',
      externalId: id,
      handle: /^[a-z0-9._-]{1,60}$/.test(customUrl) ? customUrl : id.toLowerCase(),
      followers: countAt(NAME, statistics.subscriberCount, 'subscriberCount'),
      following: null,
      postCount: countAt(NAME, statistics.videoCount, 'videoCount'),
      posts,
      followerHistory: [],
    };
  }

  private post(video: Record<string, unknown>): FetchedPost {
    const id = stringAt(NAME, video.id, 'a video id');
    const snippet = objectAt(NAME, video.snippet, 'a video snippet');
    const statistics = objectAt(NAME, video.statistics ?? {}, 'video statistics');
    const seconds = durationSeconds(objectAt(NAME, video.contentDetails ?? {}, 'contentDetails').duration);
    const live = snippet.liveBroadcastContent === 'live' || snippet.liveBroadcastContent === 'upcoming';
    const format: PostFormat = live ? 'live' : seconds !== null && seconds <= SHORT_MAX_SECONDS ? 'short' : 'video';
    const paid = (video.paidProductPlacementDetails as { hasPaidProductPlacement?: unknown } | undefined)?.hasPaidProductPlacement;
    const title = typeof snippet.title === 'string' ? snippet.title : '';
    const description = typeof snippet.description === 'string' ? snippet.description : '';
    if (snippet.publishedAt === undefined) throw malformed(NAME, 'a video publishedAt');
    return {
      id,
      postedAt: dateAt(NAME, snippet.publishedAt, 'a video publishedAt'),
      format,
      likes: optionalCountAt(NAME, statistics.likeCount, 'likeCount'),
      comments: optionalCountAt(NAME, statistics.commentCount, 'commentCount'),
      views: optionalCountAt(NAME, statistics.viewCount, 'viewCount'),
      shares: null,
      saves: null,
      reach: null,
      caption: description ? `${title}\n\n${description}` : title,
      paidPartnership: typeof paid === 'boolean' ? paid : null,
      url: `https://www.youtube.com/watch?v=${encodeURIComponent(id)}`,
    };
  }
}
