import { classifyTraffic, PREVIEW_AGENTS, TrafficClassifier } from './traffic';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const IPHONE_INSTAGRAM =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 330.0.0.0 (iPhone15,2; iOS 17_4; en_US)';
const TIKTOK_ANDROID =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/124.0 Mobile Safari/537.36 trill_340003 BytedanceWebview/d8a21c6';

describe('click traffic classification', () => {
  it('counts browsers, in-app browsers included, as people', () => {
    for (const ua of [CHROME, IPHONE_INSTAGRAM, TIKTOK_ANDROID])
      expect(classifyTraffic('GET', ua)).toEqual({ traffic: 'human', agent: null });
  });

  it('marks crawlers, scripts and a missing user agent as bots, naming the bot without repeating its user agent', () => {
    expect(classifyTraffic('GET', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)')).toEqual({
      traffic: 'bot',
      agent: 'Googlebot',
    });
    expect(classifyTraffic('GET', 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)')).toEqual({
      traffic: 'bot',
      agent: 'bingbot',
    });
    expect(classifyTraffic('GET', 'Slackbot 1.0 (+https://api.slack.com/robots)')).toEqual({ traffic: 'bot', agent: 'Slackbot' });
    expect(classifyTraffic('GET', 'curl/8.5.0')).toEqual({ traffic: 'bot', agent: 'curl' });
    expect(classifyTraffic('GET', 'python-requests/2.31.0')).toEqual({ traffic: 'bot', agent: 'python-requests' });
    expect(classifyTraffic('GET', 'Mozilla/5.0 (test)')).toEqual({ traffic: 'bot', agent: 'unnamed bot' });
    expect(classifyTraffic('GET', '')).toEqual({ traffic: 'bot', agent: 'no user agent' });
    expect(classifyTraffic('GET', '   ')).toEqual({ traffic: 'bot', agent: 'no user agent' });
    expect(classifyTraffic('GET', null)).toEqual({ traffic: 'bot', agent: 'no user agent' });
    expect(classifyTraffic('GET', undefined)).toEqual({ traffic: 'bot', agent: 'no user agent' });
  });

  it('marks link-preview fetches and HEAD requests as previews', () => {
    const previews: [string, string][] = [
      ['facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)', 'facebookexternalhit'],
      ['Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)', 'Slackbot-LinkExpanding'],
      ['Twitterbot/1.0', 'Twitterbot'],
      ['LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)', 'LinkedInBot'],
      ['WhatsApp/2.23.20.0 A', 'WhatsApp'],
      ['TelegramBot (like TwitterBot)', 'TelegramBot'],
      ['Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)', 'Discordbot'],
      ['Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5', 'SkypeUriPreview'],
      ['Mozilla/5.0 (compatible; redditbot/1.0; +http://www.reddit.com/feedback)', 'redditbot'],
      ['Iframely/1.3.1 (+https://iframely.com/docs/about)', 'Iframely'],
      ['Mozilla/5.0 (compatible; Embedly/0.2; +http://support.embed.ly/)', 'Embedly'],
    ];
    for (const [ua, agent] of previews) expect([ua, classifyTraffic('GET', ua)]).toEqual([ua, { traffic: 'preview', agent }]);
    expect(PREVIEW_AGENTS).toEqual(expect.arrayContaining(previews.map(([, agent]) => agent)));
    expect(classifyTraffic('HEAD', CHROME)).toEqual({ traffic: 'preview', agent: 'HEAD request' });
    expect(classifyTraffic('HEAD', undefined)).toEqual({ traffic: 'preview', agent: 'HEAD request' });
  });

  it('remembers user agents, within a bound, giving the same answers', () => {
    const classifier = new TrafficClassifier(2);
    const uas = [CHROME, 'curl/8.5.0', 'Twitterbot/1.0', CHROME, 'curl/8.5.0', ''];
    for (const ua of uas) expect(classifier.classify('GET', ua)).toEqual(classifyTraffic('GET', ua));
    expect(classifier.classify('HEAD', CHROME)).toEqual({ traffic: 'preview', agent: 'HEAD request' });
    expect(classifier.classify('GET', CHROME)).toEqual({ traffic: 'human', agent: null });
  });
});
