import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * Test support: Google's OAuth 2.0 + the YouTube Data API v3, and Facebook Login + the Instagram Graph API,
 * served on 127.0.0.1 with the responses (and error bodies) their documentation gives, so the connectors
 * are tested without a call leaving the machine. Consent is a redirect from the `auth` endpoints to the
 * redirect URI with `code` and `state` (or `error=access_denied`).
 */

export interface FakeVideo {
  id: string;
  publishedAt: string;
  title: string;
  description?: string;
  duration: string;
  viewCount?: string;
  likeCount?: string;
  commentCount?: string;
  paid?: boolean;
}

export interface FakeMedia {
  id: string;
  timestamp: string;
  caption?: string;
  media_type: 'IMAGE' | 'VIDEO' | 'CAROUSEL_ALBUM';
  media_product_type: 'FEED' | 'REELS' | 'STORY';
  like_count?: number;
  comments_count?: number;
  insights?: { reach?: number; saved?: number; shares?: number; views?: number } | 'unsupported';
}

export interface FakeChannel {
  id: string;
  customUrl: string;
  title: string;
  subscriberCount: string;
  videoCount: string;
}

export interface FakePlatformsOptions {
  clientId?: string;
  clientSecret?: string;
}

/** What one answer should be instead of the documented success, once each (a queue per platform). */
export type Fault = { kind: 'rate_limit'; retryAfterSeconds: number } | { kind: 'malformed' } | { kind: 'server_error' };

export class FakePlatforms {
  readonly clientId: string;
  readonly clientSecret: string;
  url = '';
  private server: Server | null = null;

  // YouTube: the channel a consent grants is the one `channel` is then (assign another object for another creator's).
  channel: FakeChannel = {
    id: 'UCfakeTrailChannel0001',
    customUrl: '@TrailTessVideos',
    title: 'Trail Tess',
    subscriberCount: '48210',
    videoCount: '3',
  };
  videos: FakeVideo[] = [];
  /** Items per page of playlistItems (the API's maximum is 50; smaller here, to page). */
  uploadsPageSize = 50;

  // Instagram
  igUser = { id: '17841400000000001', username: 'trail.tess', followers_count: 31_200, follows_count: 410, media_count: 2 };
  media: FakeMedia[] = [];
  mediaPageSize = 25;
  /** Where media pages' `paging.next` points (default: this server); another host tests that it is not followed. */
  pagingOrigin: string | null = null;
  pages = [{ id: '1090000000000001', name: 'Trail Tess', linked: true }];

  /** Faults to answer the next API (not token) requests of each platform with, in order. */
  faults: { youtube: Fault[]; instagram: Fault[] } = { youtube: [], instagram: [] };
  /** Every request: method and path (queries left out: they carry tokens). */
  readonly requests: { method: string; path: string }[] = [];
  /** Access tokens issued and still valid, with their platform. */
  private readonly accessTokens = new Map<string, 'youtube' | 'instagram'>();
  private readonly refreshTokens = new Set<string>();
  private readonly codes = new Map<string, { platform: 'youtube' | 'instagram'; redirectUri: string; channel: FakeChannel }>();
  /** The channel each YouTube grant (access or refresh token) reads. */
  private readonly channels = new Map<string, FakeChannel>();
  /** Every token issued (access and refresh), to check none is stored or shown as it is. */
  readonly issued: string[] = [];
  /** Lifetime of the access tokens issued (Google: ~1 h). */
  accessLifetimeSeconds = 3599;

  constructor(options: FakePlatformsOptions = {}) {
    this.clientId = options.clientId ?? 'fake-client-id.apps.example';
    this.clientSecret = options.clientSecret ?? 'fake-client-secret';
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The variables that point discovery's connectors here (docs/configuration.md). */
  env(redirectUrl = 'https://app.example/connect/callback'): Record<string, string> {
    return {
      CONNECT_REDIRECT_URL: redirectUrl,
      YOUTUBE_CLIENT_ID: this.clientId,
      YOUTUBE_CLIENT_SECRET: this.clientSecret,
      YOUTUBE_AUTH_URL: `${this.url}/google/o/oauth2/v2/auth`,
      YOUTUBE_TOKEN_URL: `${this.url}/google/token`,
      YOUTUBE_API_URL: `${this.url}/youtube/v3`,
      INSTAGRAM_CLIENT_ID: this.clientId,
      INSTAGRAM_CLIENT_SECRET: this.clientSecret,
      INSTAGRAM_AUTH_URL: `${this.url}/facebook/v21.0/dialog/oauth`,
      INSTAGRAM_GRAPH_URL: `${this.url}/graph/v21.0`,
    };
  }

  /** Revokes every grant: tokens stop working, refreshes get invalid_grant / OAuthException 190. */
  revokeAll(): void {
    this.accessTokens.clear();
    this.refreshTokens.clear();
  }

  /** Makes the access tokens issued so far stop working (expired), refresh tokens still good. */
  expireAccessTokens(): void {
    this.accessTokens.clear();
  }

  /** How many requests went to paths starting with `prefix`. */
  count(prefix: string): number {
    return this.requests.filter((r) => r.path.startsWith(prefix)).length;
  }

  /**
   * What the platform does when the creator opens `authorizationUrl`: its redirect (consent given, or
   * denied) to the redirect URI. Returns that URL's query: `code` and `state`, or `error` and `state`.
   */
  async consent(authorizationUrl: string, deny = false): Promise<URLSearchParams> {
    const res = await fetch(`${authorizationUrl}${deny ? '&fake_deny=1' : ''}`, { redirect: 'manual' });
    const location = res.headers.get('location');
    if (res.status !== 302 || !location) throw new Error(`the fake consent page answered ${res.status}: ${await res.text()}`);
    return new URL(location).searchParams;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    this.requests.push({ method: req.method ?? 'GET', path: url.pathname });
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
      res.end(JSON.stringify(body));
    };
    const path = url.pathname;
    const q = url.searchParams;
    if (path === '/google/o/oauth2/v2/auth' || path === '/facebook/v21.0/dialog/oauth') return this.authorize(q, res);
    if (path === '/google/token') return this.googleToken(form, json);
    if (path.startsWith('/youtube/v3/')) return this.youtube(path.slice('/youtube/v3/'.length), q, req, json);
    if (path === '/graph/v21.0/oauth/access_token') return this.facebookToken(q, json);
    if (path.startsWith('/graph/v21.0/')) return this.graph(path.slice('/graph/v21.0/'.length), q, json);
    json(404, { error: 'not found' });
  }

  private authorize(q: URLSearchParams, res: ServerResponse): void {
    const platform = q.get('scope')?.includes('youtube') ? 'youtube' : 'instagram';
    const redirectUri = q.get('redirect_uri') ?? '';
    if (q.get('client_id') !== this.clientId || !redirectUri || q.get('response_type') !== 'code' || !q.get('state')) {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('invalid authorization request');
      return;
    }
    const back = new URL(redirectUri);
    if (q.get('fake_deny')) {
      back.searchParams.set('error', 'access_denied');
      if (platform === 'instagram') back.searchParams.set('error_reason', 'user_denied');
    } else {
      const code = `${platform === 'youtube' ? '4/0A' : 'AQ'}${randomBytes(18).toString('base64url')}`;
      this.codes.set(code, { platform, redirectUri, channel: this.channel });
      back.searchParams.set('code', code);
    }
    back.searchParams.set('state', q.get('state')!);
    res.writeHead(302, { location: back.toString() });
    res.end();
  }

  private issue(platform: 'youtube' | 'instagram', channel?: FakeChannel): string {
    const token = `${platform === 'youtube' ? 'ya29.' : 'EAAG'}${randomBytes(24).toString('base64url')}`;
    this.accessTokens.set(token, platform);
    if (channel) this.channels.set(token, channel);
    this.issued.push(token);
    return token;
  }

  private googleToken(form: URLSearchParams, json: (s: number, b: unknown, h?: Record<string, string>) => void): void {
    if (form.get('client_id') !== this.clientId || form.get('client_secret') !== this.clientSecret) {
      return json(401, { error: 'invalid_client', error_description: 'The OAuth client was not found.' });
    }
    if (form.get('grant_type') === 'authorization_code') {
      const granted = this.codes.get(form.get('code') ?? '');
      this.codes.delete(form.get('code') ?? '');
      if (!granted || granted.platform !== 'youtube' || granted.redirectUri !== form.get('redirect_uri')) {
        return json(400, { error: 'invalid_grant', error_description: 'Malformed auth code.' });
      }
      const refresh = `1//0g${randomBytes(24).toString('base64url')}`;
      this.refreshTokens.add(refresh);
      this.channels.set(refresh, granted.channel);
      this.issued.push(refresh);
      return json(200, {
        access_token: this.issue('youtube', granted.channel),
        expires_in: this.accessLifetimeSeconds,
        refresh_token: refresh,
        scope: 'https://www.googleapis.com/auth/youtube.readonly',
        token_type: 'Bearer',
      });
    }
    if (form.get('grant_type') === 'refresh_token') {
      if (!this.refreshTokens.has(form.get('refresh_token') ?? '')) {
        return json(400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
      }
      return json(200, {
        access_token: this.issue('youtube', this.channels.get(form.get('refresh_token')!)),
        expires_in: this.accessLifetimeSeconds,
        scope: 'https://www.googleapis.com/auth/youtube.readonly',
        token_type: 'Bearer',
      });
    }
    json(400, { error: 'unsupported_grant_type', error_description: 'Invalid grant_type.' });
  }

  /** A fault queued for this platform's API, answered instead of the success; true when one was. */
  private fault(platform: 'youtube' | 'instagram', json: (s: number, b: unknown, h?: Record<string, string>) => void): boolean {
    const fault = this.faults[platform].shift();
    if (!fault) return false;
    if (fault.kind === 'rate_limit') {
      if (platform === 'youtube') {
        json(
          429,
          {
            error: {
              code: 429,
              message: 'Resource has been exhausted.',
              errors: [{ message: 'Rate Limit Exceeded', domain: 'usageLimits', reason: 'rateLimitExceeded' }],
              status: 'RESOURCE_EXHAUSTED',
            },
          },
          { 'retry-after': String(fault.retryAfterSeconds) },
        );
      } else {
        json(
          400,
          {
            error: {
              message: 'Application request limit reached',
              type: 'OAuthException',
              is_transient: true,
              code: 4,
              fbtrace_id: 'AbCdEf',
            },
          },
          { 'retry-after': String(fault.retryAfterSeconds) },
        );
      }
    } else if (fault.kind === 'malformed') {
      json(
        200,
        platform === 'youtube'
          ? { kind: 'youtube#channelListResponse', items: [{ kind: 'youtube#channel', id: this.channel.id }] }
          : { id: this.igUser.id, followers_count: 'many' },
      );
    } else {
      json(
        503,
        platform === 'youtube'
          ? { error: { code: 503, message: 'The service is currently unavailable.', status: 'UNAVAILABLE' } }
          : { error: { message: 'An unexpected error has occurred.', type: 'OAuthException', code: 2, fbtrace_id: 'x' } },
      );
    }
    return true;
  }

  private youtube(
    resource: string,
    q: URLSearchParams,
    req: IncomingMessage,
    json: (s: number, b: unknown, h?: Record<string, string>) => void,
  ): void {
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (this.accessTokens.get(token) !== 'youtube') {
      return json(401, {
        error: {
          code: 401,
          message:
            'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
          errors: [
            { message: 'Invalid Credentials', domain: 'global', reason: 'authError', location: 'Authorization', locationType: 'header' },
          ],
          status: 'UNAUTHENTICATED',
        },
      });
    }
    if (this.fault('youtube', json)) return;
    const channel = this.channels.get(token) ?? this.channel;
    const uploads = `UU${channel.id.slice(2)}`;
    if (resource === 'channels') {
      if (q.get('mine') !== 'true' || !q.get('part')?.includes('statistics'))
        return json(400, { error: { code: 400, message: 'bad request', errors: [{ reason: 'badRequest' }] } });
      return json(200, {
        kind: 'youtube#channelListResponse',
        etag: 'etag-1',
        pageInfo: { totalResults: 1, resultsPerPage: 5 },
        items: [
          {
            kind: 'youtube#channel',
            etag: 'etag-2',
            id: channel.id,
            snippet: {
              title: channel.title,
              description: 'Trails and gear',
              customUrl: channel.customUrl,
              publishedAt: '2019-03-02T10:00:00Z',
            },
            contentDetails: { relatedPlaylists: { likes: '', uploads } },
            statistics: {
              viewCount: '1200000',
              subscriberCount: channel.subscriberCount,
              hiddenSubscriberCount: false,
              videoCount: channel.videoCount,
            },
          },
        ],
      });
    }
    if (resource === 'playlistItems') {
      if (q.get('playlistId') !== uploads)
        return json(404, { error: { code: 404, message: 'playlist not found', errors: [{ reason: 'playlistNotFound' }] } });
      const size = Math.min(Number(q.get('maxResults') ?? 5), this.uploadsPageSize);
      const start = Number(q.get('pageToken')?.replace('page-', '') ?? 0);
      const page = this.videos.slice(start, start + size);
      return json(200, {
        kind: 'youtube#playlistItemListResponse',
        etag: 'etag-3',
        ...(start + size < this.videos.length ? { nextPageToken: `page-${start + size}` } : {}),
        pageInfo: { totalResults: this.videos.length, resultsPerPage: size },
        items: page.map((v) => ({
          kind: 'youtube#playlistItem',
          id: `item-${v.id}`,
          contentDetails: { videoId: v.id, videoPublishedAt: v.publishedAt },
        })),
      });
    }
    if (resource === 'videos') {
      const ids = (q.get('id') ?? '').split(',');
      if (ids.length > 50) return json(400, { error: { code: 400, message: 'too many ids', errors: [{ reason: 'badRequest' }] } });
      return json(200, {
        kind: 'youtube#videoListResponse',
        etag: 'etag-4',
        items: this.videos
          .filter((v) => ids.includes(v.id))
          .map((v) => ({
            kind: 'youtube#video',
            id: v.id,
            snippet: {
              publishedAt: v.publishedAt,
              channelId: channel.id,
              title: v.title,
              description: v.description ?? '',
              liveBroadcastContent: 'none',
            },
            contentDetails: { duration: v.duration, dimension: '2d', definition: 'hd', caption: 'false' },
            statistics: { viewCount: v.viewCount, likeCount: v.likeCount, favoriteCount: '0', commentCount: v.commentCount },
            ...(v.paid === undefined ? {} : { paidProductPlacementDetails: { hasPaidProductPlacement: v.paid } }),
          })),
        pageInfo: { totalResults: ids.length, resultsPerPage: ids.length },
      });
    }
    json(404, { error: { code: 404, message: 'Not Found', errors: [{ reason: 'notFound' }] } });
  }

  private graphError(json: (s: number, b: unknown) => void, status: number, code: number, message: string, subcode?: number): void {
    json(status, {
      error: { message, type: 'OAuthException', code, ...(subcode ? { error_subcode: subcode } : {}), fbtrace_id: 'AXyZ123' },
    });
  }

  private facebookToken(q: URLSearchParams, json: (s: number, b: unknown) => void): void {
    if (q.get('client_id') !== this.clientId || q.get('client_secret') !== this.clientSecret) {
      return this.graphError(json, 400, 101, 'Error validating application. Invalid application ID.');
    }
    if (q.get('grant_type') === 'fb_exchange_token') {
      if (this.accessTokens.get(q.get('fb_exchange_token') ?? '') !== 'instagram') {
        return this.graphError(
          json,
          400,
          190,
          'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.',
          460,
        );
      }
      return json(200, { access_token: this.issue('instagram'), token_type: 'bearer', expires_in: 5_183_944 });
    }
    const granted = this.codes.get(q.get('code') ?? '');
    this.codes.delete(q.get('code') ?? '');
    if (!granted || granted.platform !== 'instagram' || granted.redirectUri !== q.get('redirect_uri')) {
      return this.graphError(json, 400, 100, 'Invalid verification code format.');
    }
    json(200, { access_token: this.issue('instagram'), token_type: 'bearer', expires_in: 5_400 });
  }

  private graph(path: string, q: URLSearchParams, json: (s: number, b: unknown, h?: Record<string, string>) => void): void {
    if (this.accessTokens.get(q.get('access_token') ?? '') !== 'instagram') {
      return this.graphError(json, 400, 190, 'Error validating access token: Session has expired.', 463);
    }
    if (this.fault('instagram', json)) return;
    const nextOf = (resource: string, after: number, total: number, extra: Record<string, string>) => {
      if (after >= total) return {};
      const next = new URL(`${this.pagingOrigin ?? this.url}/graph/v21.0/${resource}`);
      for (const [k, v] of Object.entries(extra)) next.searchParams.set(k, v);
      next.searchParams.set('after', String(after));
      return { next: next.toString() };
    };
    if (path === 'me/accounts') {
      return json(200, {
        data: this.pages.map((p) => ({
          id: p.id,
          name: p.name,
          ...(p.linked ? { instagram_business_account: { id: this.igUser.id } } : {}),
        })),
        paging: { cursors: { before: 'QVFIUb', after: 'QVFIUa' } },
      });
    }
    if (path === this.igUser.id) {
      const fields = (q.get('fields') ?? '').split(',');
      const user: Record<string, unknown> = { id: this.igUser.id };
      for (const f of fields) if (f in this.igUser) user[f] = this.igUser[f as keyof typeof this.igUser];
      return json(200, user);
    }
    if (path === `${this.igUser.id}/media`) {
      const limit = Math.min(Number(q.get('limit') ?? 25), this.mediaPageSize);
      const after = Number(q.get('after') ?? 0);
      const page = this.media
        .slice(after, after + limit)
        .map(({ insights: _insights, ...m }) => ({ ...m, permalink: `https://www.instagram.com/p/${m.id}/` }));
      return json(200, {
        data: page,
        paging: {
          cursors: { before: `c${after}`, after: `c${after + limit}` },
          ...nextOf(`${this.igUser.id}/media`, after + limit, this.media.length, {
            fields: q.get('fields') ?? '',
            limit: String(limit),
            access_token: q.get('access_token') ?? '',
          }),
        },
      });
    }
    const insights = /^(\d+)\/insights$/.exec(path);
    const media = insights && this.media.find((m) => m.id === insights[1]);
    if (media) {
      if (media.insights === 'unsupported') {
        return this.graphError(
          json,
          400,
          100,
          '(#100) The Media Insights API does not support the impressions metric for this media product type.',
        );
      }
      const values = media.insights ?? {};
      return json(200, {
        data: (q.get('metric') ?? '')
          .split(',')
          .filter((m) => values[m as keyof typeof values] !== undefined)
          .map((name) => ({
            name,
            period: 'lifetime',
            values: [{ value: values[name as keyof typeof values] }],
            title: name,
            description: name,
            id: `${media.id}/insights/${name}/lifetime`,
          })),
      });
    }
    this.graphError(json, 400, 100, 'Unsupported get request. Object does not exist.');
  }
}
