import type { ClickRecordedData } from '@influenceflow/vocabulary';
import { isbot } from 'isbot';

export type Traffic = ClickRecordedData['traffic'];

/** What a click was: a person, a bot, or a link preview; `agent` names what matched (null for a person). */
export interface TrafficClass {
  traffic: Traffic;
  agent: string | null;
}

/**
 * Apps that fetch a link to show its preview (title, image) when someone shares it: the fetch is not
 * a person following the link. isbot knows them all as bots; these are told apart first.
 */
export const PREVIEW_AGENTS: readonly string[] = [
  'facebookexternalhit',
  'Slackbot-LinkExpanding',
  'Slack-ImgProxy',
  'Twitterbot',
  'LinkedInBot',
  'WhatsApp',
  'TelegramBot',
  'Discordbot',
  'SkypeUriPreview',
  'redditbot',
  'Iframely',
  'Embedly',
  'vkShare',
  'Viber',
  'Mastodon',
  'Cardyb',
];

const PREVIEW = new RegExp(PREVIEW_AGENTS.map((name) => name.replace(/[-.]/g, '\\$&')).join('|'), 'i');
const PREVIEW_NAME = new Map(PREVIEW_AGENTS.map((name) => [name.toLowerCase(), name]));
/** A bot's own name in its user agent: "Googlebot", "bingbot", "AhrefsBot", "YandexSpider". */
const BOT_NAME = /[a-z][\w-]{0,30}?(?:bot|crawler|spider)\b/i;
/** The product at the start of a user agent: "curl", "python-requests", "Go-http-client". */
const PRODUCT = /^[a-z][\w.-]{0,39}/i;

/**
 * A bot's name, without repeating its user agent: events never carry raw user agents, and isbot also
 * flags some odd browsers. The bot's own name if it gives one, else the product a script announces
 * (but not "Mozilla"), else "unnamed bot".
 */
function botName(userAgent: string): string {
  const named = BOT_NAME.exec(userAgent);
  if (named) return named[0];
  const product = PRODUCT.exec(userAgent)?.[0];
  return product && !/^mozilla$/i.test(product) ? product : 'unnamed bot';
}

const HUMAN: TrafficClass = Object.freeze({ traffic: 'human', agent: null });

/**
 * Classifies a request to a tracking link: a HEAD request or a known link-preview agent is `preview`; a
 * missing or empty user agent, or one the maintained isbot list recognises, is `bot`; anything else is
 * `human`. Only human clicks count in metrics.
 */
export function classifyTraffic(method: string | undefined, userAgent: string | null | undefined): TrafficClass {
  if (method === 'HEAD') return { traffic: 'preview', agent: 'HEAD request' };
  const ua = userAgent?.trim();
  if (!ua) return { traffic: 'bot', agent: 'no user agent' };
  const preview = PREVIEW.exec(ua);
  if (preview) return { traffic: 'preview', agent: PREVIEW_NAME.get(preview[0].toLowerCase()) ?? preview[0] };
  if (isbot(ua)) return { traffic: 'bot', agent: botName(ua) };
  return HUMAN;
}

/**
 * classifyTraffic for user agents, remembered: a popular link sees the same few thousand user agents
 * again and again, and isbot's pattern costs microseconds per new one. Bounded: when full it starts over.
 */
export class TrafficClassifier {
  private readonly known = new Map<string, TrafficClass>();
  constructor(private readonly capacity = 5_000) {}

  classify(method: string | undefined, userAgent: string | null | undefined): TrafficClass {
    if (method === 'HEAD' || !userAgent) return classifyTraffic(method, userAgent);
    let hit = this.known.get(userAgent);
    if (!hit) {
      hit = classifyTraffic(method, userAgent);
      if (this.known.size >= this.capacity) this.known.clear();
      this.known.set(userAgent, hit);
    }
    return hit;
  }
}
