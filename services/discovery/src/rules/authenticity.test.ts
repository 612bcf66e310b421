import { readFileSync } from 'fs';
import { join } from 'path';
import { Tier } from './tier';
import {
  AUTHENTICITY_MODEL_VERSION,
  AUTHENTICITY_NORMS,
  AUTHENTICITY_PARAMETERS,
  AUTHENTICITY_WEIGHTS,
  AuthenticityInput,
  AuthenticityReport,
  authenticityReport,
  AuthenticitySignal,
  isGenericComment,
  NormBand,
  riskOutsideNorm,
  SIGNAL_KEYS,
  SignalKey,
} from './authenticity';
import { AudienceProfile, CommentSample, FollowerCount, PostSample } from './types';
import { at, post, T0 } from '../../test/post-samples';

const SPECIFIC = [
  'Which shoes are you wearing here?',
  'Tried this interval workout yesterday and my legs are still shaking',
  'How long did it take you to get to a sub-25 5k?',
  'The hill repeats tip finally made it click for me',
  'Do you stretch before or after the long run?',
  'My coach recommends the same cadence drill, good to see it explained',
  'Saving this for my marathon block in March',
  'What playlist were you listening to?',
  'Can you do a video on recovery meals next?',
  'That sunrise over the river is unreal, where is this trail?',
];

const GENERIC = ['Nice pic!', 'nice pic', 'NICE PIC!!!', '🔥🔥', 'Love this', 'Awesome', 'Great post', '😍😍😍', 'so nice'];

/** 10 comments by distinct one-off fans, with specific texts. */
function specificComments(postIndex: number, count = 10): CommentSample[] {
  return Array.from({ length: count }, (_, j) => ({ author: `fan_${postIndex}_${j}`, text: SPECIFIC[j % SPECIFIC.length] }));
}

function audience(p: Partial<AudienceProfile> = {}): AudienceProfile {
  return {
    ages: { '18-24': 0.4, '25-34': 0.4 },
    genders: { female: 0.6, male: 0.4 },
    countries: [
      { country: 'US', share: 0.6 },
      { country: 'CA', share: 0.2 },
      { country: 'GB', share: 0.05 },
    ],
    interests: ['running', 'fitness'],
    noProfilePictureShare: 0.05,
    ...p,
  };
}

/** Steady growth of 50 followers a day: never a spike. */
function steadyHistory(end: number, days = 30): FollowerCount[] {
  return Array.from({ length: days }, (_, i) => ({ date: at(i), followers: end - (days - 1 - i) * 50 }));
}

/** A clean micro account: 20,000 followers, ER 5 %, likes/comments 15, specific comments, 5 % without picture. */
function cleanMicro(overrides: Partial<AuthenticityInput> = {}): AuthenticityInput {
  return {
    followers: 20_000,
    posts: Array.from({ length: 12 }, (_, i) => post(i, { likes: 900, comments: 60, shares: 40, commentSamples: specificComments(i) })),
    audience: audience(),
    followerHistory: steadyHistory(20_000),
    creatorMarkets: ['US', 'CA'],
    ...overrides,
  };
}

const signal = (report: AuthenticityReport, key: SignalKey): AuthenticitySignal => {
  const s = report.signals.find((x) => x.key === key);
  if (!s) throw new Error(`no signal ${key}`);
  return s;
};

function expectContributionsAddUp(report: AuthenticityReport): void {
  const sum = report.signals.reduce((s, x) => s + x.contribution, 0);
  expect(Math.abs(sum - report.score)).toBeLessThanOrEqual(0.5 + 1e-9);
}

describe('authenticity constants', () => {
  it('weights sum to 1 and every tier has a band for every signal', () => {
    expect(SIGNAL_KEYS.reduce((s, k) => s + AUTHENTICITY_WEIGHTS[k], 0)).toBeCloseTo(1, 12);
    for (const tier of Object.values(Tier)) {
      for (const key of SIGNAL_KEYS) {
        const { min, max } = AUTHENTICITY_NORMS[tier][key];
        expect(min !== null || max !== null).toBe(true);
        if (min !== null && max !== null) expect(min).toBeLessThan(max);
      }
    }
    expect(AUTHENTICITY_NORMS[Tier.MICRO].engagement_rate).toEqual({ min: 3, max: 10 }); // the healthy band
  });

  describe('docs/authenticity.md matches the constants', () => {
    const doc = readFileSync(join(__dirname, '../../../../docs/authenticity.md'), 'utf8');

    /** The body rows (cells trimmed) of the first markdown table after `heading`. */
    function tableAfter(heading: string): string[][] {
      const lines = doc.split('\n');
      const start = lines.indexOf(heading);
      expect(start).toBeGreaterThanOrEqual(0);
      const rows: string[][] = [];
      let inTable = false;
      for (const line of lines.slice(start + 1)) {
        if (line.startsWith('|')) {
          inTable = true;
          rows.push(
            line
              .slice(1, -1)
              .split('|')
              .map((c) => c.trim()),
          );
        } else if (inTable) break;
      }
      return rows.slice(2); // header and separator
    }

    const key = (cell: string): string => cell.replace(/`/g, '');
    const parseBand = (cell: string): NormBand => {
      const max = /^≤\s*([\d.]+)$/.exec(cell);
      if (max) return { min: null, max: Number(max[1]) };
      const min = /^≥\s*([\d.]+)$/.exec(cell);
      if (min) return { min: Number(min[1]), max: null };
      const band = /^([\d.]+)–([\d.]+)$/.exec(cell);
      if (band) return { min: Number(band[1]), max: Number(band[2]) };
      throw new Error(`unreadable norm cell ${JSON.stringify(cell)}`);
    };

    it('norms table', () => {
      const rows = tableAfter('## Norms');
      expect(rows.map((r) => key(r[0]))).toEqual([...SIGNAL_KEYS]);
      const tiers = [Tier.NANO, Tier.MICRO, Tier.MACRO, Tier.MEGA];
      for (const row of rows) {
        tiers.forEach((tier, i) =>
          expect([key(row[0]), tier, parseBand(row[2 + i])]).toEqual([
            key(row[0]),
            tier,
            AUTHENTICITY_NORMS[tier][key(row[0]) as SignalKey],
          ]),
        );
      }
    });

    it('weights table', () => {
      const rows = tableAfter('## Weights');
      expect(Object.fromEntries(rows.map((r) => [key(r[0]), Number(r[1])]))).toEqual(AUTHENTICITY_WEIGHTS);
      expect(rows.map((r) => key(r[0]))).toEqual([...SIGNAL_KEYS]);
    });

    it('parameters table', () => {
      const rows = tableAfter('## Parameters');
      expect(Object.fromEntries(rows.map((r) => [key(r[0]), Number(r[1])]))).toEqual(AUTHENTICITY_PARAMETERS);
    });

    it('names the model version', () => {
      expect(doc).toContain(`# Authenticity model (\`${AUTHENTICITY_MODEL_VERSION}\`)`);
    });
  });
});

describe('isGenericComment', () => {
  it.each([
    'Nice pic!',
    'nice pic',
    'NICE   PIC!!!',
    'Niiiice pic 😍',
    'Great post',
    'Love this',
    'love this ❤️',
    'Awesome',
    'AWESOME!!!',
    '🔥🔥',
    '😍😍😍',
    '👍🏽',
    '🇺🇸🇺🇸',
    '❤️‍🔥',
    '!!!',
    '   ',
    '',
    'so nice',
    'wow amazing shot',
    'Soooo cool',
    'keep up the good work!',
    'Follow back?',
  ])('%j is generic', (text) => {
    expect(isGenericComment(text)).toBe(true);
  });

  it.each([
    'Which shoes are you wearing here?',
    'Love this recipe, made it twice already',
    'nice pic, where was it taken',
    'Is it good?',
    'Tried the cadence drill 🔥 my knees feel better',
    'this looks like the trail near Boulder',
    'Great post about lactate threshold, finally get it',
  ])('%j is not generic', (text) => {
    expect(isGenericComment(text)).toBe(false);
  });
});

describe('riskOutsideNorm', () => {
  const band = { min: 3, max: 10 };
  it.each([
    [5, 0],
    [3, 0],
    [10, 0],
    [15, 0.5], // (15 − 10) ÷ 10
    [20, 1], // 2 × max
    [30, 1],
    [2.25, 0.5], // (3 − 2.25) ÷ 1.5
    [1.5, 1], // 0.5 × min
    [0, 1],
  ])('band 3–10: %d → %d', (m, risk) => {
    expect(riskOutsideNorm(m, band)).toBeCloseTo(risk, 12);
  });

  it('handles one-sided and zero bounds', () => {
    expect(riskOutsideNorm(25, { min: null, max: 20 })).toBeCloseTo(0.25, 12);
    expect(riskOutsideNorm(0, { min: null, max: 20 })).toBe(0);
    expect(riskOutsideNorm(1, { min: null, max: 0 })).toBe(1);
    expect(riskOutsideNorm(1_000, { min: 10, max: null })).toBe(0);
    expect(() => riskOutsideNorm(Number.NaN, band)).toThrow(RangeError);
  });
});

describe('authenticityReport', () => {
  it('a clean micro account scores 100 (≥ 80) with every signal measured and risk 0', () => {
    const report = authenticityReport(cleanMicro());
    expect(report.modelVersion).toBe('authenticity-v1');
    expect(report.tier).toBe(Tier.MICRO);
    expect(report.measuredWeight).toBe(1);
    expect(report.signals.map((s) => s.key)).toEqual([...SIGNAL_KEYS]);
    expect(report.signals.map((s) => s.risk)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(report.score).toBe(100);
    expect(report.score).toBeGreaterThanOrEqual(80);
    expect(signal(report, 'engagement_rate').measured).toBeCloseTo(5, 10); // 1,000 ÷ 20,000 × 100
    expect(signal(report, 'likes_to_comments').measured).toBeCloseTo(15, 10); // 10,800 ÷ 720
    expect(signal(report, 'generic_comments').measured).toBe(0);
    expect(signal(report, 'engagement_pods').measured).toBe(0);
    expect(signal(report, 'follower_spikes').measured).toBe(0); // +50/day < 500/day
    expect(signal(report, 'foreign_audience').measured).toBeCloseTo(5, 10); // GB 0.05
    expect(signal(report, 'engagement_pods').explanation).toBe(
      'No account commented on at least 80 % of the 12 posts with comment samples, writing 0 of 120 sampled comments (0.00 %) — within the micro norm of at most 10.00 %.',
    );
    report.signals.forEach((s) => expect(s.contribution).toBeCloseTo(AUTHENTICITY_WEIGHTS[s.key] * 100, 10));
    expectContributionsAddUp(report);
  });

  it('mostly "Nice pic!" comments: 108 of 120 generic (90 %) → risk 1, score 85 instead of 100', () => {
    const posts = Array.from({ length: 12 }, (_, i) =>
      post(i, {
        likes: 900,
        comments: 60,
        shares: 40,
        commentSamples: [...GENERIC.map((text, j) => ({ author: `bot_${i}_${j}`, text })), { author: `fan_${i}`, text: SPECIFIC[i % 10] }],
      }),
    );
    const clean = authenticityReport(cleanMicro());
    const report = authenticityReport(cleanMicro({ posts }));
    const generic = signal(report, 'generic_comments');
    expect(generic.measured).toBeCloseTo(90, 10);
    expect(generic.risk).toBe(1);
    expect(generic.contribution).toBe(0);
    expect(generic.explanation).toBe(
      '108 of 120 sampled comments (90.00 %) are generic — above the micro norm of at most 20.00 % (risk 1.00).',
    );
    expect(report.score).toBe(85); // 100 × (1 − 0.15) ÷ 1
    expect(report.score).toBeLessThan(clean.score);
    expectContributionsAddUp(report);
  });

  it('generic comments need at least 10 sampled comments', () => {
    const posts = [
      post(0, { likes: 900, comments: 60, shares: 40, commentSamples: GENERIC.map((text, j) => ({ author: `b${j}`, text })) }),
    ];
    const s = signal(authenticityReport(cleanMicro({ posts })), 'generic_comments');
    expect(s.measured).toBeNull();
    expect(s.risk).toBeNull();
    expect(s.explanation).toBe('Generic comments not measured: only 9 sampled comments on the recent posts, at least 10 needed.');
  });

  describe('engagement pods', () => {
    /**
     * 6 posts × 20 sampled comments. pod_a and pod_b comment on all 6 posts, "almost" on 5 of 6 (83 % ≥ 80 %),
     * "loyal" on 4 of 6 (67 %, not a pod). The creator (@RunWithAna) replies once on every post.
     */
    function podPosts(): PostSample[] {
      return Array.from({ length: 6 }, (_, i) => {
        const regulars = [
          { author: 'pod_a', text: 'Such great energy in this one' },
          { author: '@Pod_B', text: 'Your form keeps getting better' },
          ...(i < 5 ? [{ author: 'almost', text: 'Adding this to my plan' }] : []),
          ...(i < 4 ? [{ author: 'loyal', text: 'Every week I look forward to these' }] : []),
        ];
        return post(i, {
          likes: 900,
          comments: 60,
          shares: 40,
          commentSamples: [
            ...regulars,
            ...specificComments(i, 20 - regulars.length),
            { author: '@RunWithAna', text: 'Thank you so much!' },
          ],
        });
      });
    }

    it('3 pod accounts wrote 17 of 120 comments: 14.17 % → risk (14.17 − 10) ÷ 10 = 5/12; own replies left out', () => {
      const report = authenticityReport(cleanMicro({ posts: podPosts(), ownHandles: ['runwithana'] }));
      const pods = signal(report, 'engagement_pods');
      expect(pods.measured).toBeCloseTo((17 / 120) * 100, 10);
      expect(pods.risk).toBeCloseTo(5 / 12, 10);
      expect(pods.explanation).toBe(
        '3 accounts commented on at least 80 % of the 6 posts with comment samples, writing 17 of 120 sampled comments (14.17 %) — above the micro norm of at most 10.00 % (risk 0.42).',
      );
      // every other signal is clean: score = 100 × (1 − 0.15 × 5/12) = 93.75 → 94
      expect(report.score).toBe(94);
      expectContributionsAddUp(report);
    });

    it('without ownHandles the creator’s own replies count as a 4th pod account: 23 of 126 comments', () => {
      const pods = signal(authenticityReport(cleanMicro({ posts: podPosts() })), 'engagement_pods');
      expect(pods.measured).toBeCloseTo((23 / 126) * 100, 10);
      expect(pods.risk).toBeCloseTo(((23 / 126) * 100 - 10) / 10, 10);
    });

    it('is not measured with fewer than 4 posts with comment samples', () => {
      const posts = podPosts().map((p, i) => (i < 3 ? p : { ...p, commentSamples: [] }));
      const pods = signal(authenticityReport(cleanMicro({ posts })), 'engagement_pods');
      expect(pods.measured).toBeNull();
      expect(pods.contribution).toBe(0);
      expect(pods.explanation).toBe('Engagement pods not measured: only 3 recent posts have comment samples, at least 4 needed.');
    });
  });

  describe('follower spikes', () => {
    it('+40 % in one day (15,000 → 21,000) → 40 %/day, risk 1', () => {
      const followerHistory = [
        { date: at(1), followers: 21_000 },
        { date: at(0), followers: 15_000 }, // unsorted on purpose
        { date: at(2), followers: 21_050 },
      ];
      const report = authenticityReport(cleanMicro({ followers: 21_050, followerHistory }));
      const spikes = signal(report, 'follower_spikes');
      expect(spikes.measured).toBeCloseTo(40, 10);
      expect(spikes.risk).toBe(1);
      expect(spikes.explanation).toBe(
        'Largest follower growth was 40.00 %/day (+6,000 from 15,000 between 2025-01-01 and 2025-01-02) — above the micro norm of at most 5.00 %/day (risk 1.00).',
      );
      expect(report.score).toBe(90); // 100 × (1 − 0.1)
    });

    it('normalises per day: 10,000 → 14,200 over 7 days = 600/day = 6 %/day → risk 0.2', () => {
      const spikes = signal(
        authenticityReport(
          cleanMicro({
            followerHistory: [
              { date: at(0), followers: 10_000 },
              { date: at(7), followers: 14_200 },
            ],
          }),
        ),
        'follower_spikes',
      );
      expect(spikes.measured).toBeCloseTo(6, 10);
      expect(spikes.risk).toBeCloseTo(0.2, 10);
    });

    it('is no spike when small in absolute terms: 1,000 → 1,400 in a day is +40 % but only 400 followers', () => {
      const spikes = signal(
        authenticityReport(
          cleanMicro({
            followers: 1_400,
            followerHistory: [
              { date: at(0), followers: 1_000 },
              { date: at(1), followers: 1_400 },
            ],
          }),
        ),
        'follower_spikes',
      );
      expect(spikes.measured).toBe(0);
      expect(spikes.risk).toBe(0);
      expect(spikes.explanation).toBe(
        'No growth of at least 500 followers per day across 2 follower-history points — within the nano norm of at most 5.00 %/day.',
      );
    });

    it('points less than a day apart count as one day: +1,000 on 20,000 within 2 hours = 5 %/day → risk 0', () => {
      const followerHistory = [
        { date: new Date(T0), followers: 20_000 },
        { date: new Date(T0 + 2 * 3_600_000), followers: 21_000 },
      ];
      const spikes = signal(authenticityReport(cleanMicro({ followerHistory })), 'follower_spikes');
      expect(spikes.measured).toBeCloseTo(5, 10);
      expect(spikes.risk).toBe(0);
    });

    it('needs two points', () => {
      const spikes = signal(authenticityReport(cleanMicro({ followerHistory: [{ date: at(0), followers: 20_000 }] })), 'follower_spikes');
      expect(spikes.measured).toBeNull();
      expect(spikes.explanation).toBe('Follower spikes not measured: only 1 follower-history points, at least 2 needed.');
    });
  });

  describe('foreign audience', () => {
    const foreignAudience = audience({
      countries: [
        { country: 'DE', share: 0.2 },
        { country: 'AT', share: 0.05 },
        { country: 'IN', share: 0.4 },
        { country: 'BD', share: 0.25 },
      ],
    });

    it('a German creator (markets de, AT) with 65 % of the audience in IN and BD → risk (65 − 40) ÷ 40 = 0.625', () => {
      const report = authenticityReport(cleanMicro({ audience: foreignAudience, creatorMarkets: ['de', 'AT'] }));
      const foreign = signal(report, 'foreign_audience');
      expect(foreign.measured).toBeCloseTo(65, 10);
      expect(foreign.risk).toBeCloseTo(0.625, 10);
      expect(foreign.explanation).toBe(
        '65.00 % of the audience is in countries outside the creator’s markets (DE, AT) — above the micro norm of at most 40.00 % (risk 0.63).',
      );
      // 100 × (1 − 0.15 × 0.625) = 90.625 → 91
      expect(report.score).toBe(91);
      expectContributionsAddUp(report);
    });

    it('declaring IN and BD as markets clears it', () => {
      const foreign = signal(
        authenticityReport(cleanMicro({ audience: foreignAudience, creatorMarkets: ['DE', 'AT', 'IN', 'BD'] })),
        'foreign_audience',
      );
      expect(foreign.measured).toBe(0);
      expect(foreign.risk).toBe(0);
    });

    it('is not measured without markets or audience countries', () => {
      expect(signal(authenticityReport(cleanMicro({ creatorMarkets: [] })), 'foreign_audience').risk).toBeNull();
      expect(signal(authenticityReport(cleanMicro({ audience: audience({ countries: [] }) })), 'foreign_audience').risk).toBeNull();
      expect(signal(authenticityReport(cleanMicro({ audience: null })), 'foreign_audience').risk).toBeNull();
    });
  });

  it('engagement far above the band is suspicious too: micro at 15 % → risk 0.5; at 25 % → risk 1', () => {
    const posts = (engagements: number): PostSample[] =>
      Array.from({ length: 12 }, (_, i) =>
        post(i, {
          likes: engagements * 0.9,
          comments: engagements * 0.06,
          shares: engagements * 0.04,
          commentSamples: specificComments(i),
        }),
      );
    const high = signal(authenticityReport(cleanMicro({ posts: posts(3_000) })), 'engagement_rate'); // 3,000 ÷ 20,000 = 15 %
    expect(high.measured).toBeCloseTo(15, 10);
    expect(high.risk).toBeCloseTo(0.5, 10);
    const extreme = signal(authenticityReport(cleanMicro({ posts: posts(5_000) })), 'engagement_rate'); // 25 %
    expect(extreme.risk).toBe(1);
  });

  it('with nothing measurable the score is the neutral 50, measuredWeight 0 and every signal unmeasured', () => {
    const report = authenticityReport({ followers: 0, posts: [], audience: null, followerHistory: [], creatorMarkets: [] });
    expect(report.tier).toBe(Tier.NANO);
    expect(report.score).toBe(50);
    expect(report.measuredWeight).toBe(0);
    expect(report.signals.every((s) => s.risk === null && s.measured === null && s.contribution === 0)).toBe(true);
    expect(signal(report, 'engagement_rate').explanation).toBe('Engagement rate not measured: no post samples.');
    expect(signal(report, 'no_profile_picture').explanation).toBe(
      'Followers without profile picture not measured: the audience profile is unknown.',
    );
  });

  it('hand-computed full report of a small micro fixture', () => {
    // 4 posts of 420 likes + 20 comments + 10 shares = 450 engagements; 8 sampled comments each:
    // "podder" on every post, 2 generic, 5 specific → 32 comments, 8 generic, 4 by the pod.
    const posts = Array.from({ length: 4 }, (_, i) =>
      post(i, {
        likes: 420,
        comments: 20,
        shares: 10,
        commentSamples: [
          { author: 'podder', text: 'Great tips, saving this for my next long run' },
          { author: `fan_${i}_a`, text: 'Nice pic!' },
          { author: `fan_${i}_b`, text: '🔥🔥' },
          ...specificComments(i, 5),
        ],
      }),
    );
    const report = authenticityReport({
      followers: 20_000,
      posts,
      audience: audience({ noProfilePictureShare: 0.18 }),
      followerHistory: [
        { date: at(0), followers: 16_000 },
        { date: at(1), followers: 17_200 }, // +1,200 = 7.5 %/day
        { date: at(15), followers: 20_000 }, // +2,800 over 14 days = 200/day < 500: not counted
      ],
      creatorMarkets: [], // foreign_audience not measured
    });

    // measuredWeight = 1 − 0.15 = 0.85; contribution = weight × (1 − risk) × 100 ÷ 0.85
    expect(report.measuredWeight).toBe(0.85);
    const expected: [SignalKey, number | null, number | null, number][] = [
      // key, measured, risk, contribution
      ['engagement_rate', 2.25, 0.5, 200 / 17], // 450 ÷ 20,000 × 100; (3 − 2.25) ÷ 1.5; 0.2 × 0.5 × 100 ÷ 0.85
      ['likes_to_comments', 21, 0, 200 / 17], // 1,680 ÷ 80; 0.1 × 1 × 100 ÷ 0.85
      ['generic_comments', 25, 0.25, 225 / 17], // 8 ÷ 32; (25 − 20) ÷ 20; 0.15 × 0.75 × 100 ÷ 0.85
      ['engagement_pods', 12.5, 0.25, 225 / 17], // 4 ÷ 32; (12.5 − 10) ÷ 10
      ['no_profile_picture', 18, 0.2, 240 / 17], // (18 − 15) ÷ 15; 0.15 × 0.8 × 100 ÷ 0.85
      ['follower_spikes', 7.5, 0.5, 100 / 17], // 1,200 ÷ 16,000; (7.5 − 5) ÷ 5; 0.1 × 0.5 × 100 ÷ 0.85
      ['foreign_audience', null, null, 0],
    ];
    expected.forEach(([key, measured, risk, contribution]) => {
      const s = signal(report, key);
      if (measured === null) expect(s.measured).toBeNull();
      else expect(s.measured).toBeCloseTo(measured, 10);
      if (risk === null) expect(s.risk).toBeNull();
      else expect(s.risk).toBeCloseTo(risk, 10);
      expect(s.contribution).toBeCloseTo(contribution, 10);
      expect(s.weight).toBe(AUTHENTICITY_WEIGHTS[key]);
      expect(s.norm).toEqual(AUTHENTICITY_NORMS[Tier.MICRO][key]);
    });
    // Σ = 1,190 ÷ 17 = 70
    expect(report.score).toBe(70);
    expectContributionsAddUp(report);
    expect(report.signals.map((s) => s.unit)).toEqual(['percent', 'ratio', 'percent', 'percent', 'percent', 'percent', 'percent']);
    expect(report.signals.map((s) => s.explanation)).toEqual([
      'Engagement rate 2.25 % of 20,000 followers over the last 4 posts — below the micro norm of 3.00–10.00 % (risk 0.50).',
      'Likes-to-comments ratio 21.0 (1,680 likes ÷ 80 comments over the last 4 posts) — within the micro norm of 10–100.',
      '8 of 32 sampled comments (25.00 %) are generic — above the micro norm of at most 20.00 % (risk 0.25).',
      '1 account commented on at least 80 % of the 4 posts with comment samples, writing 4 of 32 sampled comments (12.50 %) — above the micro norm of at most 10.00 % (risk 0.25).',
      '18.00 % of followers have no profile picture — above the micro norm of at most 15.00 % (risk 0.20).',
      'Largest follower growth was 7.50 %/day (+1,200 from 16,000 between 2025-01-01 and 2025-01-02) — above the micro norm of at most 5.00 %/day (risk 0.50).',
      'Audience outside the creator’s markets not measured: the creator’s markets are unknown.',
    ]);
  });

  it('uses the tier’s norms: a macro account at 2.25 % is within 1.5–6 %', () => {
    const posts = Array.from({ length: 12 }, (_, i) => post(i, { likes: 4_200, comments: 200, shares: 100 })); // 4,500 ÷ 200,000
    const s = signal(authenticityReport(cleanMicro({ followers: 200_000, posts })), 'engagement_rate');
    expect(s.measured).toBeCloseTo(2.25, 10);
    expect(s.norm).toEqual({ min: 1.5, max: 6 });
    expect(s.risk).toBe(0);
  });

  it('refuses invalid input with a RangeError', () => {
    expect(() => authenticityReport(cleanMicro({ followers: -1 }))).toThrow(RangeError);
    expect(() => authenticityReport(cleanMicro({ posts: [post(0, { likes: -1 })] }))).toThrow('likes');
    expect(() => authenticityReport(cleanMicro({ audience: audience({ noProfilePictureShare: 1.5 }) }))).toThrow('noProfilePictureShare');
    expect(() => authenticityReport(cleanMicro({ creatorMarkets: ['USA'] }))).toThrow('creatorMarkets[0]');
    expect(() => authenticityReport(cleanMicro({ followerHistory: [{ date: at(0), followers: Number.NaN }] }))).toThrow(
      'followerHistory[0].followers',
    );
    expect(() =>
      authenticityReport(
        cleanMicro({
          audience: audience({
            countries: [
              { country: 'US', share: 0.8 },
              { country: 'CA', share: 0.5 },
            ],
          }),
        }),
      ),
    ).toThrow('at most 1');
  });
});
