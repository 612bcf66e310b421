import { parse } from 'graphql';
import { columnChart, rankedBars, stackedBar } from '../pages/charts';
import { compactMoney, money, orUnknown, percent } from '../pages/format';
import { REPORT_CSP, renderReportPage, STYLE_HASH } from './template';
import { kpisOf, REPORT_QUERY, ReportData, reportView, SHARED_REPORT_QUERY } from './view';

const usd = (amountMinor: number) => ({ amountMinor, currency: 'USD' });
const sentiment = { positive: 0, neutral: 0, negative: 0, positivePercent: null, neutralPercent: null, negativePercent: null };

/** A campaign with nothing measured yet: every rate unknown, no periods, no creators. */
const empty = (overrides: Partial<ReportData> = {}): ReportData => ({
  campaignId: '00000000-0000-4000-8000-000000000010',
  name: 'Spring',
  status: 'draft',
  currency: 'USD',
  attributionWindowDays: 21,
  startsOn: null,
  endsOn: null,
  results: {
    clicks: 0,
    orders: 0,
    revenue: usd(0),
    spend: usd(0),
    cpa: null,
    roi: null,
    ctr: null,
    conversionRate: null,
    engagementRateByReach: null,
    repeatPurchaseRate: null,
    sentiment,
  },
  goal: null,
  series: [],
  creators: [],
  ...overrides,
});

const period = (p: string, clicks: number, orders: number, revenue: number, spend: number) => ({
  period: p,
  clicks,
  orders,
  revenue: { amountMinor: revenue },
  spend: { amountMinor: spend },
});

/** The golden campaign's figures (services/analytics/test/golden.test.ts). */
const golden = (): ReportData =>
  empty({
    status: 'active',
    startsOn: '2026-03-01',
    endsOn: '2026-03-31',
    results: {
      clicks: 4,
      orders: 3,
      revenue: usd(19_000),
      spend: usd(39_800),
      cpa: usd(13_267),
      roi: 19_000 / 39_800,
      ctr: 0.05,
      conversionRate: 75,
      engagementRateByReach: 10.6,
      repeatPurchaseRate: (2 / 3) * 100,
      sentiment: { positive: 1, neutral: 1, negative: 1, positivePercent: 100 / 3, neutralPercent: 100 / 3, negativePercent: 100 / 3 },
    },
    goal: { goalType: 'sales', target: 4, value: 3, percent: 75 },
    series: [
      period('2026-03-01', 2, 0, 0, 35_000),
      period('2026-03-02', 1, 0, 0, 0),
      period('2026-03-03', 0, 1, 10_000, 1_000),
      period('2026-03-10', 0, -1, -2_000, -200),
    ],
    creators: [
      { key: 'e', label: 'Ella Runs (@ella)', partnerships: 1, results: { revenue: usd(19_000), orders: 3, clicks: 2 } },
      { key: 'n', label: 'Noah Lifts (@noah)', partnerships: 1, results: { revenue: usd(0), orders: 0, clicks: 2 } },
    ],
  });

describe('campaign report page view', () => {
  it('asks for the same fields in both queries, which parse', () => {
    for (const q of [REPORT_QUERY, SHARED_REPORT_QUERY]) {
      expect(() => parse(q)).not.toThrow();
      expect(q).toContain('...ReportPageFields');
      expect(q).toContain('sentiment { positive neutral negative positivePercent neutralPercent negativePercent }');
    }
    expect(SHARED_REPORT_QUERY).toContain('sharedCampaignReport(campaignId: $campaignId, share: $share, interval: $interval)');
  });

  it('formats money from minor units in its currency, percentages with two decimals, unknowns as —', () => {
    expect(money(13_267, 'USD')).toBe('$132.67');
    expect(money(-200, 'USD')).toBe('-$2.00');
    expect(money(35_000, 'JPY')).toBe('¥35,000');
    expect(money(1_234_567, 'EUR')).toBe('€12,345.67');
    expect(money(5, 'US')).toBe('5 US (minor units)');
    expect(compactMoney(1_234_567, 'USD')).toBe('$12.3K');
    expect(compactMoney(35_000, 'JPY')).toBe('¥35K');
    expect(percent(66.666_666)).toBe('66.67 %');
    expect(percent(0.05)).toBe('0.05 %');
    expect(orUnknown(null, percent)).toBe('—');
    expect(orUnknown(0, percent)).toBe('0.00 %');
  });

  it('writes every tile of the golden campaign', () => {
    expect(kpisOf(golden()).map((k) => [k.label, k.value])).toEqual([
      ['Clicks', '4'],
      ['Orders', '3'],
      ['Revenue', '$190.00'],
      ['Spend', '$398.00'],
      ['CPA', '$132.67'],
      ['ROI', '0.48×'],
      ['CTR', '0.05 %'],
      ['Conversion rate', '75.00 %'],
      ['Engagement rate', '10.60 %'],
      ['Repeat-purchase rate', '66.67 %'],
      ['Goal progress', '75.00 %'],
    ]);
    expect(kpisOf(golden()).find((k) => k.key === 'goal')?.note).toBe('3 of 4 orders');
  });

  it('shows — for every unknown figure of an empty campaign, and no-data notes instead of charts', () => {
    const view = reportView(empty(), { interval: 'day', share: null });
    expect(view.kpis.map((k) => k.value)).toEqual(['0', '0', '$0.00', '$0.00', '—', '—', '—', '—', '—', '—', '—']);
    expect(view.kpis.find((k) => k.key === 'goal')?.note).toBe('no numeric goal');
    expect([view.activity, view.money, view.creators, view.sentiment]).toEqual([null, null, null, null]);
    const html = renderReportPage(view);
    expect(html.match(/class="empty"/g)).toHaveLength(4);
    expect(html).toContain('No data yet: clicks and orders show here from the first one.');
    expect(html).not.toMatch(/<svg/);
    expect(html).toContain('<li class="status status-draft">Draft</li>');
    expect(html).not.toContain('class="dates"');
  });

  it('draws one column per period and series, to one scale, below the zero line for a day of refunds', () => {
    const view = reportView(golden(), { interval: 'day', share: null });
    const [clicks, orders] = view.activity!;
    expect(clicks.columns).toHaveLength(4);
    expect(orders.columns).toHaveLength(4);
    expect(view.money!.columns).toHaveLength(8);
    // clicks: 2 is twice 1; 0 draws nothing
    expect(clicks.columns[0].height).toBeCloseTo(2 * clicks.columns[1].height, 0);
    expect(clicks.columns[2].height).toBe(0);
    // orders: the refund day goes below zero, from the zero line down
    const refund = orders.columns[3];
    expect(refund.y).toBe(orders.zeroY);
    expect(refund.height).toBeGreaterThan(0);
    expect(orders.axis.map((a) => a.text)).toEqual(['1', '0', '-1']);
    // spend and revenue side by side in each period, on one money scale
    const [spend1, revenue1] = view.money!.columns;
    expect([spend1.key, revenue1.key]).toEqual(['spend', 'revenue']);
    expect(spend1.x).toBeLessThan(revenue1.x);
    expect(spend1.title).toBe('Mar 1 · Spend: $350.00');
    expect(view.money!.axis.map((a) => a.text)).toEqual(['$350', '$0', '-$20']);
    expect(clicks.ticks.map((t) => t.text)).toEqual(['Mar 1', 'Mar 2', 'Mar 3', 'Mar 10']);
    expect(clicks.description).toBe('Clicks, 4 periods from Mar 1 to Mar 10: Clicks 3 in all');
  });

  it('labels weeks, and thins the period labels of a long series', () => {
    const weekly = reportView(golden(), { interval: 'week', share: null });
    expect(weekly.byPeriod).toBe('by week');
    expect(weekly.activity![0].ticks[0].text).toBe('Mar 1');
    expect(weekly.activity![0].columns[0].title).toBe('Week of Mar 1 · Clicks: 2');
    expect(weekly.activity![0].description).toBe('Clicks, 4 periods from Week of Mar 1 to Week of Mar 10: Clicks 3 in all');
    const days = Array.from({ length: 30 }, (_, i) => period(`2026-03-${String(i + 1).padStart(2, '0')}`, i, 0, 0, 0));
    const long = reportView(golden(), { interval: 'day', share: null });
    const chart = columnChart(
      'Clicks',
      days.map((d) => ({ key: d.period, label: d.period })),
      [{ name: 'Clicks', key: 'clicks', values: days.map((d) => d.clicks), format: String }],
    )!;
    expect(chart.columns).toHaveLength(30);
    expect(chart.ticks.length).toBeLessThanOrEqual(6);
    expect(chart.columns.every((c) => c.x >= chart.plotLeft && c.x + c.width <= chart.plotRight)).toBe(true);
    expect(long.activity![0].columns.every((c) => c.x >= 0 && c.x + c.width <= long.activity![0].width)).toBe(true);
  });

  it('ranks the creators with bars to scale of the best, and none for no revenue', () => {
    const view = reportView(golden(), { interval: 'day', share: null });
    expect(view.creators!.bars).toEqual([
      { rank: 1, label: 'Ella Runs (@ella)', value: '$190.00', note: '3 orders · 2 clicks', width: 100 },
      { rank: 2, label: 'Noah Lifts (@noah)', value: '$0.00', note: '0 orders · 2 clicks', width: 0 },
    ]);
    expect(rankedBars('x', [])).toBeNull();
    expect(
      rankedBars('x', [
        { label: 'a', value: 1, formatted: '1', note: '1 order' },
        { label: 'b', value: 4, formatted: '4', note: '' },
      ])!.bars.map((b) => b.width),
    ).toEqual([25, 100]);
  });

  it('stacks the sentiment shares, leaving out an empty part, and writes each with its count', () => {
    const view = reportView(golden(), { interval: 'day', share: null });
    expect(view.sentiment!.chart.parts.map((p) => [p.key, p.width])).toEqual([
      ['positive', 106.7],
      ['neutral', 106.7],
      ['negative', 106.7],
    ]);
    expect(view.sentiment!.legend.map((l) => l.value)).toEqual(['1 · 33.33 %', '1 · 33.33 %', '1 · 33.33 %']);
    const twoParts = stackedBar('S', [
      { key: 'positive', label: 'Positive', percent: 75, value: '3' },
      { key: 'neutral', label: 'Neutral', percent: 0, value: '0' },
      { key: 'negative', label: 'Negative', percent: 25, value: '1' },
    ])!;
    expect(twoParts.parts.map((p) => [p.key, p.x, p.width])).toEqual([
      ['positive', 0, 240],
      ['negative', 240, 80],
    ]);
  });

  it('keeps the share token in the period links of a shared page, and says it is shared', () => {
    const view = reportView(golden(), { interval: 'week', share: 'tok_en-1' });
    expect(view.intervals).toEqual([
      { label: 'Daily', href: '?share=tok_en-1&interval=day', current: false },
      { label: 'Weekly', href: '?share=tok_en-1&interval=week', current: true },
    ]);
    expect(reportView(golden(), { interval: 'day', share: null }).intervals[1].href).toBe('?interval=week');
    const html = renderReportPage(view);
    expect(html).toContain('<a href="?share&#x3D;tok_en-1&amp;interval&#x3D;day">Daily</a>');
    expect(html).toContain('<span aria-current="page">Weekly</span>');
    expect(html).toContain('Shared campaign report');
  });

  it('escapes the names of the campaign and its creators', () => {
    const hostile = golden();
    hostile.name = '<script>alert(1)</script>';
    hostile.creators[0].label = '"><img src=x onerror=alert(1)>';
    const html = renderReportPage(reportView(hostile, { interval: 'day', share: '"><b>' }));
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('"><b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
  });

  it('renders the golden campaign with every chart, under a CSP that allows its style only', () => {
    const html = renderReportPage(reportView(golden(), { interval: 'day', share: null }));
    expect(html.match(/<rect class="bar clicks"/g)).toHaveLength(4);
    expect(html.match(/<rect class="bar orders"/g)).toHaveLength(4);
    expect(html.match(/<rect class="bar spend"/g)).toHaveLength(4);
    expect(html.match(/<rect class="bar revenue"/g)).toHaveLength(4);
    expect(html.match(/<li class="creator"/g)).toHaveLength(2);
    expect(html.match(/<rect class="part /g)).toHaveLength(3);
    expect(html).toContain('<li class="dates">Mar 1, 2026 – Mar 31, 2026</li>');
    expect(html).not.toMatch(/<script|\son[a-z]+=/i);
    expect(REPORT_CSP).toBe(
      `default-src 'none'; style-src ${STYLE_HASH}; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    );
  });
});
