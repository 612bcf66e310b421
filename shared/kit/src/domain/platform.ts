import { registerEnumType } from 'type-graphql';

/**
 * The nine platforms of PRODUCT.md (stored lowercase) and the post formats: one GraphQL enum each for
 * every subgraph (federation needs enums used as inputs to match everywhere).
 */
export enum Platform {
  TIKTOK = 'tiktok',
  INSTAGRAM = 'instagram',
  YOUTUBE = 'youtube',
  LINKEDIN = 'linkedin',
  THREADS = 'threads',
  DISCORD = 'discord',
  X = 'x',
  FACEBOOK = 'facebook',
  TWITCH = 'twitch',
}

export enum ContentFormat {
  REEL = 'reel',
  STORY = 'story',
  SHORT = 'short',
  VIDEO = 'video',
  POST = 'post',
  LIVE = 'live',
}

registerEnumType(Platform, { name: 'Platform' });
registerEnumType(ContentFormat, { name: 'ContentFormat' });
