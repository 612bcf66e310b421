import { DEFAULT_RECENT_POSTS } from '../rules/engagement';
import type { PostFormat } from '../rules/types';
import type { OAuthClient } from './connector-config';
import { Connector, ConnectorError, FetchedAccount, FetchedPost, MAX_FETCHED_POSTS, TokenSet } from './connector';
import {
  arrayAt,
  countAt,
  dateAt,
  ErrorReading,
  joinUrl,
  objectAt,
  optionalCountAt,
  platformJson,
  PlatformHttpOptions,
  stringAt,
  withQuery,
} from './platform-http';

const NAME = 'Instagram';
/** Facebook Login permissions for a professional Instagram account linked to a Facebook Page. */
export const INSTAGRAM_SCOPES = ['instagram_basic', 'instagram_manage_insights', 'pages_show_list', 'pages_read_engagement'];
/** Graph API error codes that mean "slow down" (application, user, page and business-use-case limits). */
const RATE_CODES = new Set([4, 17, 32, 613, 80001, 80002, 80005, 80006]);
/** The media insights read per post (those a media type lacks are left out by the API or null here). */
const MEDIA_METRICS = ['reach', 'saved', 'shares', 'views'];
/** Posts whose insights are read: the newest, those the engagement rates count (rules/engagement.ts). */
const INSIGHT_POSTS = DEFAULT_RECENT_POSTS;

export interface InstagramSettings extends OAuthClient {
  authUrl: string;
  graphUrl: string;
  timeoutMs: number;
}

/** Graph API errors: `{ error: { message, type, code, error_subcode, fbtrace_id } }`. */
const readGraphError: ErrorReading = (status, body) => {
  const error = (body as { error?: { code?: unknown; type?: unknown } } | undefined)?.error;
  if (!error || typeof error !== 'object') return null;
  const code = Number(error.code);
  if (code === 190)
    return new ConnectorError('revoked', 'Facebook says the access token is invalid, expired or revoked (OAuthException 190)');
  if (RATE_CODES.has(code)) return new ConnectorError('rate_limited', `Facebook says the rate limit is reached (code ${code})`);
  if (code === 10 || (code >= 200 && code < 300))
    return new ConnectorError('refused', `Facebook refused a permission this needs (code ${code})`);
  return new ConnectorError(
    status >= 500 ? 'unavailable' : 'refused',
    `Facebook refused the request (code ${Number.isFinite(code) ? code : status})`,
  );
};

/** The Instagram Graph API through Facebook Login (docs/connectors.md, "Instagram"). */
export class InstagramConnector implements Connector {
  readonly platform = 'instagram' as const;
  private readonly http: PlatformHttpOptions;

  constructor(private readonly settings: InstagramSettings) {
    this.http = { name: NAME, timeoutMs: settings.timeoutMs, readError: readGraphError };
  }

  authorizationUrl(state: string): string {
    return withQuery(this.settings.authUrl, {
      client_id: this.settings.clientId,
      redirect_uri: this.settings.redirectUri,
      response_type: 'code',
      scope: INSTAGRAM_SCOPES.join(','),
      state,
    });
  }

  /** The code for a short-lived user token, then that for a long-lived one (`fb_exchange_token`, ~60 days). */
  async exchangeCode(code: string): Promise<TokenSet> {
    const short = await this.token({
      client_id: this.settings.clientId,
      client_secret: this.settings.clientSecret,
      redirect_uri: this.settings.redirectUri,
      code,
    });
    return this.longLived(short.accessToken);
  }

  /** Facebook has no refresh token: a long-lived token still valid is exchanged for a new one. */
  async refresh(tokens: TokenSet): Promise<TokenSet> {
    return this.longLived(tokens.accessToken);
  }

  private longLived(accessToken: string): Promise<TokenSet> {
    return this.token({
      grant_type: 'fb_exchange_token',
      client_id: this.settings.clientId,
      client_secret: this.settings.clientSecret,
      fb_exchange_token: accessToken,
    });
  }

  /** `/oauth/access_token` answers `{ access_token, token_type, expires_in? }`. */
  private async token(query: Record<string, string>): Promise<TokenSet> {
    const body = objectAt(
      NAME,
      await platformJson(this.http, withQuery(joinUrl(this.settings.graphUrl, 'oauth/access_token'), query)),
      'a token object',
    );
    const accessToken = stringAt(NAME, body.access_token, 'access_token');
    const expiresIn = optionalCountAt(NAME, body.expires_in, 'expires_in');
    return { accessToken, refreshToken: null, expiresAt: expiresIn === null ? null : new Date(Date.now() + expiresIn * 1000) };
  }

  async fetchAccount(accessToken: string): Promise<FetchedAccount> {
    const igUserId = await this.instagramAccountId(accessToken);
    const user = objectAt(
      NAME,
      await this.get(igUserId, null, { fields: 'id,username,followers_count,follows_count,media_count,profile_picture_url' }, accessToken),
      'an Instagram user',
    );
    const username = stringAt(NAME, user.username, 'username').toLowerCase();

    const media: Record<string, unknown>[] = [];
    let next: string | null = withQuery(joinUrl(this.settings.graphUrl, `${encodeURIComponent(igUserId)}/media`), {
      fields: 'id,caption,media_type,media_product_type,timestamp,like_count,comments_count,permalink',
      limit: '50',
      access_token: accessToken,
    });
    for (let page = 0; next && page < 10 && media.length < MAX_FETCHED_POSTS; page++) {
      const list = objectAt(NAME, await platformJson(this.http, next), 'a media list');
      for (const m of arrayAt(NAME, list.data, 'data')) media.push(objectAt(NAME, m, 'a media object'));
      next = this.nextPage(list);
    }
    const posts: FetchedPost[] = [];
    // Insights cost one call per post: read for the posts engagement is computed over (newest first) only.
    for (const [i, m] of media.slice(0, MAX_FETCHED_POSTS).entries()) posts.push(await this.post(m, accessToken, i < INSIGHT_POSTS));
    posts.sort((a, b) => b.postedAt.getTime() - a.postedAt.getTime());
    return {
      platform: 'instagram',
      externalId: stringAt(NAME, user.id ?? igUserId, 'the user id'),
      handle: username,
      followers: countAt(NAME, user.followers_count, 'followers_count'),
      following: optionalCountAt(NAME, user.follows_count, 'follows_count'),
      postCount: countAt(NAME, user.media_count, 'media_count'),
      posts,
      followerHistory: [],
    };
  }

  /** `/me/accounts`: the creator's Pages; the first with an `instagram_business_account` is theirs. */
  private async instagramAccountId(accessToken: string): Promise<string> {
    let next: string | null = withQuery(joinUrl(this.settings.graphUrl, 'me/accounts'), {
      fields: 'id,name,instagram_business_account',
      access_token: accessToken,
    });
    for (let page = 0; next && page < 10; page++) {
      const list = objectAt(NAME, await platformJson(this.http, next), 'a page list');
      for (const p of arrayAt(NAME, list.data, 'data')) {
        const linked = objectAt(NAME, p, 'a page').instagram_business_account;
        if (linked !== undefined) return stringAt(NAME, objectAt(NAME, linked, 'instagram_business_account').id, 'an Instagram account id');
      }
      next = this.nextPage(list);
    }
    throw new ConnectorError('refused', 'None of your Facebook Pages has a professional Instagram account linked to it');
  }

  /**
   * `paging.next` of a list, followed only on the configured Graph API's origin (it carries the access
   * token, and a page must not send us elsewhere).
   */
  private nextPage(list: Record<string, unknown>): string | null {
    const next = (list.paging as { next?: unknown } | undefined)?.next;
    if (next === undefined) return null;
    const url = stringAt(NAME, next, 'paging.next');
    let origin: string;
    try {
      origin = new URL(url).origin;
    } catch {
      throw new ConnectorError('malformed', 'Instagram sent a next page that is not a URL');
    }
    if (origin !== new URL(this.settings.graphUrl).origin)
      throw new ConnectorError('malformed', 'Instagram sent a next page on another host');
    return url;
  }

  /** GET `/{id}` or `/{id}/{edge}` with the token as the API documents it (`access_token`). */
  private get(id: string, edge: string | null, query: Record<string, string>, accessToken: string): Promise<unknown> {
    const path = edge ? `${encodeURIComponent(id)}/${edge}` : encodeURIComponent(id);
    return platformJson(this.http, withQuery(joinUrl(this.settings.graphUrl, path), { ...query, access_token: accessToken }));
  }

  private async post(m: Record<string, unknown>, accessToken: string, withInsights: boolean): Promise<FetchedPost> {
    const id = stringAt(NAME, m.id, 'a media id');
    const product = m.media_product_type;
    const format: PostFormat = product === 'REELS' ? 'reel' : product === 'STORY' ? 'story' : m.media_type === 'VIDEO' ? 'video' : 'post';
    const insights = withInsights ? await this.insights(id, accessToken) : {};
    return {
      id,
      postedAt: dateAt(NAME, m.timestamp, 'a media timestamp'),
      format,
      likes: optionalCountAt(NAME, m.like_count, 'like_count'),
      comments: optionalCountAt(NAME, m.comments_count, 'comments_count'),
      views: insights.views ?? null,
      shares: insights.shares ?? null,
      saves: insights.saved ?? null,
      reach: insights.reach ?? null,
      caption: typeof m.caption === 'string' ? m.caption : '',
      // The Graph API's media fields carry no paid-partnership label.
      paidPartnership: null,
      url: typeof m.permalink === 'string' ? m.permalink : null,
    };
  }

  /**
   * `/{media-id}/insights`: `{ data: [{ name, values: [{ value }] }] }` (newer versions: `total_value`).
   * A media the metrics do not apply to (refused) has none; rate limits and revocations stop the fetch.
   */
  private async insights(mediaId: string, accessToken: string): Promise<Record<string, number>> {
    let body: unknown;
    try {
      body = await this.get(mediaId, 'insights', { metric: MEDIA_METRICS.join(',') }, accessToken);
    } catch (err) {
      if (err instanceof ConnectorError && err.kind === 'refused') return {};
      throw err;
    }
    const out: Record<string, number> = {};
    for (const entry of arrayAt(NAME, objectAt(NAME, body, 'insights').data, 'insights data')) {
      const metric = objectAt(NAME, entry, 'an insight');
      const name = stringAt(NAME, metric.name, 'an insight name');
      const values = metric.values === undefined ? [] : arrayAt(NAME, metric.values, 'insight values');
      const raw =
        values.length > 0
          ? objectAt(NAME, values[0], 'an insight value').value
          : (metric.total_value as { value?: unknown } | undefined)?.value;
      if (MEDIA_METRICS.includes(name) && raw !== undefined) out[name] = countAt(NAME, raw, `the ${name} insight`);
    }
    return out;
  }
}
