import { readFileSync } from 'fs';
import { join } from 'path';
import { Tier } from './tier';
import {
  AUTHENTICITY_EFFECTS,
  AUTHENTICITY_MODEL_VERSION,
  AUTHENTICITY_NORMS,
  AUTHENTICITY_PARAMETERS,
  AUTHENTICITY_WEIGHTS,
  AuthenticityInput,
  AuthenticityReport,
  authenticityReport,
  AuthenticitySignal,
  confidenceLevel,
  isGenericComment,
  NormBand,
  PROVENANCE_TRUST,
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
    // fetched and full samples: confidence 1, so a score is the evidence score itself
    provenance: 'fetched',
    ...overrides,
  };
}

const signal = (report: AuthenticityReport, key: SignalKey): AuthenticitySignal => {
  const s = report.signals.find((x) => x.key === key);
  if (!s) throw new Error(`no signal ${key}`);
  return s;
};

/** The score is the product of the factors (or the binding cap), pulled towards 50 by the confidence. */
function expectScoreFromFactors(report: AuthenticityReport): void {
  const product = 100 * report.signals.reduce((p, x) => p * x.factor, 1);
  const caps = report.signals.filter((x) => x.risk !== null && x.risk >= AUTHENTICITY_PARAMETERS.strongRisk).map((x) => x.cap);
  const evidence = Math.min(product, ...caps);
  expect(report.evidenceScore).toBeCloseTo(evidence, 9);
  expect(Math.abs(50 + report.confidence.value * (evidence - 50) - report.score)).toBeLessThanOrEqual(0.5 + 1e-9);
  report.signals.forEach((x) => expect(x.contribution).toBe(0));
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

  it('every strong sign caps below 50, lower than its own factor at strongRisk would leave (the cap is what decides)', () => {
    for (const key of SIGNAL_KEYS) {
      const { strength, cap } = AUTHENTICITY_EFFECTS[key];
      expect(cap).toBeLessThan(50);
      expect(strength).toBeGreaterThan(0);
      expect(strength).toBeLessThanOrEqual(1);
      expect(cap).toBeLessThan(100 * (1 - strength * AUTHENTICITY_PARAMETERS.strongRisk));
    }
    expect(PROVENANCE_TRUST.self_reported).toBeLessThan(PROVENANCE_TRUST.imported);
    expect(PROVENANCE_TRUST.imported).toBeLessThan(PROVENANCE_TRUST.fetched);
    expect(PROVENANCE_TRUST.fetched).toBe(1);
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

    it('weights, strengths and caps table', () => {
      const rows = tableAfter('## Weights, strengths and caps');
      expect(Object.fromEntries(rows.map((r) => [key(r[0]), Number(r[1])]))).toEqual(AUTHENTICITY_WEIGHTS);
      expect(Object.fromEntries(rows.map((r) => [key(r[0]), { strength: Number(r[2]), cap: Number(r[3]) }]))).toEqual(AUTHENTICITY_EFFECTS);
      expect(rows.map((r) => key(r[0]))).toEqual([...SIGNAL_KEYS]);
    });

    it('provenance table', () => {
      const rows = tableAfter('## Provenance');
      expect(Object.fromEntries(rows.map((r) => [key(r[0]), Number(r[1])]))).toEqual(PROVENANCE_TRUST);
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
    // promotional spam, question or not
    'Send a DM to @growthhub to collab 💰',
    'send us a dm for a shoutout',
    'Check my bio!',
    'want more followers?',
    'Want more LIKES? 👀',
    'promote it on @viral_pages',
    'Earn from home 👉 bit.ly/3xAmple',
    'visit https://example.org now',
    'www.cheapfollowers.shop',
    'follow for follow',
    'f4f l4l',
    // stock praise of other languages
    'Muy bonito',
    'que lindo 😍',
    'Qué bonita!!',
    'lindo demais',
    'Lindooo demaaais ❤️',
    'trop beau',
    'Très belle',
    'sehr schön',
    'Sehr schon',
    'wunderschön 😍',
    'bellissimo',
    'che bella',
    'keren banget',
    'keren banget kak',
    'çok güzel',
    'Cok guzel',
    'bahut badhiya',
    'kya baat hai',
    'mantap jiwa',
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
    'Que receta tan buena, la hice el domingo',
    'Onde você comprou essa mochila?',
    'Ich habe das Rezept ausprobiert, mit weniger Zucker',
    'Bhai yeh camera setting kaunsi hai',
    'Kak ini lokasinya di mana?',
    'Is the link to the recipe in the caption?',
    'My brother became a brand ambassador for this shoe, he loves it',
    'Lindo demais, onde fica essa praia? Quero ir em janeiro',
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
  it('a clean micro account with full, fetched evidence scores 100 with HIGH confidence and nothing deciding against it', () => {
    const report = authenticityReport(cleanMicro());
    expect(report.modelVersion).toBe('authenticity-v2');
    expect(report.tier).toBe(Tier.MICRO);
    expect(report.measuredWeight).toBe(1);
    expect(report.signals.map((s) => s.key)).toEqual([...SIGNAL_KEYS]);
    expect(report.signals.map((s) => s.risk)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(report.signals.map((s) => s.factor)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(report.signals.every((s) => !s.decisive)).toBe(true);
    expect(report.score).toBe(100);
    expect(report.decidedBy).toEqual([]);
    expect(report.confidence).toEqual({
      level: 'HIGH',
      value: 1,
      reasons: ['every signal was measured on a full sample of figures fetched from the platform'],
    });
    expect(report.verdict).toBe(
      'No measured signal is outside its norm, so nothing lowers the score; confidence is full (1.00), so the score is 100.',
    );
    expect(signal(report, 'engagement_rate').measured).toBeCloseTo(5, 10); // 1,000 ÷ 20,000 × 100
    expect(signal(report, 'likes_to_comments').measured).toBeCloseTo(15, 10); // 10,800 ÷ 720
    expect(signal(report, 'generic_comments').measured).toBe(0);
    expect(signal(report, 'engagement_pods').measured).toBe(0);
    expect(signal(report, 'follower_spikes').measured).toBe(0); // steady +50/day: no excess over the typical growth
    expect(signal(report, 'foreign_audience').measured).toBeCloseTo(5, 10); // GB 0.05
    expect(signal(report, 'engagement_pods').explanation).toBe(
      'No account commented on at least 80 % of the 12 posts with comment samples, writing 0 of 120 sampled comments (0.00 %) — within the micro norm of at most 10.00 %.',
    );
    report.signals.forEach((s) => {
      expect(s.weight).toBe(AUTHENTICITY_WEIGHTS[s.key]);
      expect(s.strength).toBe(AUTHENTICITY_EFFECTS[s.key].strength);
      expect(s.cap).toBe(AUTHENTICITY_EFFECTS[s.key].cap);
    });
    expectScoreFromFactors(report);
  });

  it('the same figures self-reported: confidence 0.85 pulls the score to 50 + 0.85 × 50 = 92.5 → 93', () => {
    const report = authenticityReport(cleanMicro({ provenance: 'self_reported' }));
    expect(report.confidence).toEqual({
      level: 'HIGH',
      value: 0.85,
      reasons: ['the figures are self-reported by the creator, not fetched from the platform'],
    });
    expect(report.evidenceScore).toBe(100);
    expect(report.score).toBe(93);
    expect(report.verdict).toBe(
      'No measured signal is outside its norm, so nothing lowers the score; confidence HIGH (0.85) pulls 100.0 towards the neutral 50: 93.',
    );
  });

  it('mostly "Nice pic!" comments: 108 of 120 generic (90 %) is a strong sign that caps the score at 40', () => {
    const posts = Array.from({ length: 12 }, (_, i) =>
      post(i, {
        likes: 900,
        comments: 60,
        shares: 40,
        commentSamples: [...GENERIC.map((text, j) => ({ author: `bot_${i}_${j}`, text })), { author: `fan_${i}`, text: SPECIFIC[i % 10] }],
      }),
    );
    const report = authenticityReport(cleanMicro({ posts }));
    const generic = signal(report, 'generic_comments');
    expect(generic.measured).toBeCloseTo(90, 10);
    expect(generic.risk).toBe(1);
    expect(generic.factor).toBeCloseTo(0.4, 12);
    expect(generic.decisive).toBe(true);
    expect(generic.explanation).toBe(
      '108 of 120 sampled comments (90.00 %) are generic — above the micro norm of at most 20.00 % (risk 1.00).',
    );
    expect(report.score).toBe(40); // v1 left 85: 100 × (1 − 0.15)
    expect(report.decidedBy).toEqual(['generic_comments']);
    expect(report.verdict).toBe(
      'A strong sign of fakery: Generic comments (risk 1.00) caps the score at 40; confidence is full (1.00), so the score is 40.',
    );
    expectScoreFromFactors(report);
  });

  it('generic comments need at least 10 sampled comments', () => {
    const posts = [
      post(0, { likes: 900, comments: 60, shares: 40, commentSamples: GENERIC.map((text, j) => ({ author: `b${j}`, text })) }),
    ];
    const s = signal(authenticityReport(cleanMicro({ posts })), 'generic_comments');
    expect(s.measured).toBeNull();
    expect(s.risk).toBeNull();
    expect(s.factor).toBe(1);
    expect(s.explanation).toBe('Generic comments not measured: only 9 sampled comments on the recent posts, at least 10 needed.');
  });

  it('two weak signs compound: 21 % without a picture (×0.76) and 52 % foreign audience (×0.85) give 64.6 → 65 (v1: 90)', () => {
    const report = authenticityReport(
      cleanMicro({
        audience: audience({
          noProfilePictureShare: 0.21,
          countries: [
            { country: 'US', share: 0.4 },
            { country: 'CA', share: 0.08 },
            { country: 'DE', share: 0.3 },
            { country: 'FR', share: 0.22 },
          ],
        }),
      }),
    );
    expect(signal(report, 'no_profile_picture').risk).toBeCloseTo(0.4, 10);
    expect(signal(report, 'foreign_audience').risk).toBeCloseTo(0.3, 10);
    expect(report.score).toBe(65);
    expect(report.decidedBy).toEqual(['no_profile_picture', 'foreign_audience']);
    expect(report.verdict).toBe(
      'Lowered by Followers without profile picture ×0.76, Audience outside the creator’s markets ×0.85: 100 × 0.76 × 0.85 = 64.6; confidence is full (1.00), so the score is 65.',
    );
    expectScoreFromFactors(report);
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

    it('3 pod accounts wrote 17 of 120 comments: 14.17 % → risk 5/12 → factor 1 − 0.6 × 5/12 = 0.75; own replies left out', () => {
      const report = authenticityReport(cleanMicro({ posts: podPosts(), ownHandles: ['runwithana'] }));
      const pods = signal(report, 'engagement_pods');
      expect(pods.measured).toBeCloseTo((17 / 120) * 100, 10);
      expect(pods.risk).toBeCloseTo(5 / 12, 10);
      expect(pods.factor).toBeCloseTo(0.75, 10);
      expect(pods.explanation).toBe(
        '3 accounts commented on at least 80 % of the 6 posts with comment samples, writing 17 of 120 sampled comments (14.17 %) — above the micro norm of at most 10.00 % (risk 0.42).',
      );
      // 6 posts of 12: the post-based signals are half samples, so the confidence is below 1 and pulls 75 towards 50
      expect(report.evidenceScore).toBeCloseTo(75, 10);
      expect(report.confidence.reasons).toContain('only 6 recent posts (12 are a full sample)');
      expect(report.confidence.value).toBeCloseTo(1 - (0.2 + 0.1 + 0.15) / 2, 10); // the post-based ones count half
      expect(report.score).toBe(69); // 50 + 0.775 × 25 = 69.4
      expectScoreFromFactors(report);
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
      expect(pods.factor).toBe(1);
      expect(pods.explanation).toBe('Engagement pods not measured: only 3 recent posts have comment samples, at least 4 needed.');
    });
  });

  describe('follower spikes (against the account’s own typical growth)', () => {
    const spikes = (followerHistory: FollowerCount[], followers = 20_000) =>
      signal(authenticityReport(cleanMicro({ followers, followerHistory })), 'follower_spikes');

    it('+40 % in one day (15,000 → 21,000) against a typical +50 a day: 39.76 % beyond typical, risk 1, capped at 45', () => {
      const followerHistory = [
        { date: at(1), followers: 21_000 },
        { date: at(0), followers: 15_000 }, // unsorted on purpose
        { date: at(2), followers: 21_050 },
      ];
      const report = authenticityReport(cleanMicro({ followers: 21_050, followerHistory }));
      const s = signal(report, 'follower_spikes');
      // typical = the other interval's rate, 50 ÷ 21,000 a day; excess = 6,000 − 15,000 × 50 ÷ 21,000 = 5,964.29
      expect(s.measured).toBeCloseTo(((6_000 - (15_000 * 50) / 21_000) / 15_000) * 100, 10);
      expect(s.risk).toBe(1);
      expect(s.explanation).toBe(
        'Largest growth beyond the typical 0.24 %/day was 39.76 % of followers (+6,000 from 15,000 between 2025-01-01 and 2025-01-02) — above the micro norm of at most 5.00 % (risk 1.00).',
      );
      expect(report.score).toBe(45); // the cap (the factor alone would leave 50); v1 left 90
      expect(report.decidedBy).toEqual(['follower_spikes']);
    });

    /** 57 days growing 0.2 % a day, with +30 % overnight on day 30. */
    const daily = Array.from({ length: 57 }, (_, d) => ({ date: at(d), followers: Math.round(20_000 * 1.002 ** d * (d >= 30 ? 1.3 : 1)) }));

    it('a spike is as visible in a weekly resampling of the history as in the daily one (v1 divided the week’s jump by 7)', () => {
      const weekly = daily.filter((_, d) => d % 7 === 0);
      const fromDaily = spikes(daily, 26_000);
      const fromWeekly = spikes(weekly, 26_000);
      expect(fromDaily.measured).toBeGreaterThan(29);
      expect(fromDaily.measured).toBeLessThan(31);
      expect(fromWeekly.measured).toBeGreaterThan(29);
      expect(fromWeekly.measured).toBeLessThan(31.5);
      expect(fromWeekly.risk).toBe(1);
      // what v1 measured on the weekly points: about 4.3 %/day, inside its 5 %/day norm
      expect(((weekly[5].followers - weekly[4].followers) / 7 / weekly[4].followers) * 100).toBeLessThan(5);
    });

    it('works on monthly and irregular histories', () => {
      // 6 monthly points growing 3 % a month, +25 % in the fifth month
      const monthly = [1, 1.03, 1.0609, 1.092727, 1.092727 * 1.28, 1.092727 * 1.28 * 1.03].map((f, i) => ({
        date: at(i * 30),
        followers: Math.round(40_000 * f),
      }));
      expect(spikes(monthly, 60_000).measured).toBeCloseTo(25, 0);
      // irregular spacing at 0.5 %/day, +20 % between day 30 and day 31
      const days = [0, 3, 10, 30, 31, 45];
      const irregular = days.map((d) => ({ date: at(d), followers: Math.round(30_000 * (1 + 0.005 * d) * (d >= 31 ? 1.2 : 1)) }));
      const s = spikes(irregular, 45_000);
      expect(s.measured).toBeGreaterThan(19);
      expect(s.measured).toBeLessThan(21);
      // steady irregular growth is no spike
      expect(
        spikes(
          days.map((d) => ({ date: at(d), followers: Math.round(30_000 * (1 + 0.005 * d)) })),
          45_000,
        ).measured,
      ).toBe(0);
    });

    it('compares each interval with the median of the others in a long, uneven history (400 daily points)', () => {
      // growth alternating 0.1 % and 0.3 % a day (median of the others 0.1–0.3 %), +25 % overnight on day 300
      let followers = 20_000;
      const history = Array.from({ length: 400 }, (_, d) => {
        if (d > 0) followers *= d === 300 ? 1.25 : d % 2 === 0 ? 1.001 : 1.003;
        return { date: at(d), followers: Math.round(followers) };
      });
      const s = spikes(history, history[399].followers);
      expect(s.measured).toBeGreaterThan(24.6);
      expect(s.measured).toBeLessThan(25);
      expect(s.risk).toBe(1);
      expect(s.explanation).toContain(`between ${at(299).toISOString().slice(0, 10)} and ${at(300).toISOString().slice(0, 10)}`);
    });

    it('a declining account’s typical growth counts as 0, not as a loss that would inflate the excess', () => {
      const s = spikes([
        { date: at(0), followers: 20_000 },
        { date: at(1), followers: 19_000 },
        { date: at(2), followers: 18_000 },
        { date: at(3), followers: 21_600 },
      ]);
      expect(s.measured).toBeCloseTo(20, 10); // 3,600 ÷ 18,000
    });

    it('is no spike when small in absolute terms: 1,000 → 1,400 in a day is +40 % but only 400 followers', () => {
      const s = spikes(
        [
          { date: at(0), followers: 1_000 },
          { date: at(1), followers: 1_400 },
          { date: at(2), followers: 1_410 },
        ],
        1_410,
      );
      expect(s.measured).toBe(0);
      expect(s.risk).toBe(0);
      expect(s.explanation).toBe(
        'No growth of at least 500 followers beyond the account’s typical growth across 3 follower-history points — within the nano norm of at most 5.00 %.',
      );
    });

    it('points less than a day apart count as one day: +1,000 on 20,000 within 2 hours is 4.95 % beyond typical → risk 0', () => {
      const s = spikes([
        { date: new Date(T0), followers: 20_000 },
        { date: new Date(T0 + 2 * 3_600_000), followers: 21_000 },
        { date: new Date(T0 + 26 * 3_600_000), followers: 21_010 },
      ]);
      expect(s.measured).toBeCloseTo(((1_000 - (20_000 * 10) / 21_000) / 20_000) * 100, 10);
      expect(s.risk).toBe(0);
    });

    it('needs two intervals, to know the typical growth', () => {
      const s = spikes([
        { date: at(0), followers: 20_000 },
        { date: at(7), followers: 20_500 },
      ]);
      expect(s.measured).toBeNull();
      expect(s.explanation).toBe(
        'Follower spikes not measured: only 1 follower-history intervals, at least 2 needed to know the account’s typical growth.',
      );
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

    it('a German creator (markets de, AT) with 65 % of the audience in IN and BD → risk 0.625 → factor 0.6875 → 69', () => {
      const report = authenticityReport(cleanMicro({ audience: foreignAudience, creatorMarkets: ['de', 'AT'] }));
      const foreign = signal(report, 'foreign_audience');
      expect(foreign.measured).toBeCloseTo(65, 10);
      expect(foreign.risk).toBeCloseTo(0.625, 10);
      expect(foreign.explanation).toBe(
        '65.00 % of the audience is in countries outside the creator’s markets (DE, AT) — above the micro norm of at most 40.00 % (risk 0.63).',
      );
      expect(report.score).toBe(69); // 100 × (1 − 0.5 × 0.625) = 68.75
      expectScoreFromFactors(report);
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
    const extreme = authenticityReport(cleanMicro({ posts: posts(5_000) })); // 25 %
    expect(signal(extreme, 'engagement_rate').risk).toBe(1);
    expect(extreme.score).toBe(40);
  });

  it('with nothing measurable the score is the neutral 50, confidence 0 and every signal unmeasured', () => {
    const report = authenticityReport({
      followers: 0,
      posts: [],
      audience: null,
      followerHistory: [],
      creatorMarkets: [],
      provenance: 'self_reported',
    });
    expect(report.tier).toBe(Tier.NANO);
    expect(report.score).toBe(50);
    expect(report.measuredWeight).toBe(0);
    expect(report.confidence.value).toBe(0);
    expect(report.confidence.level).toBe('LOW');
    expect(report.decidedBy).toEqual([]);
    expect(report.verdict).toBe('No signal could be measured, so the score is the neutral 50.');
    expect(report.signals.every((s) => s.risk === null && s.measured === null && s.factor === 1)).toBe(true);
    expect(signal(report, 'engagement_rate').explanation).toBe('Engagement rate not measured: no post samples.');
    expect(signal(report, 'no_profile_picture').explanation).toBe(
      'Followers without profile picture not measured: the audience profile is unknown.',
    );
  });

  it('hand-computed full report of a small, self-reported micro fixture', () => {
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
        { date: at(1), followers: 17_200 }, // +1,200 in a day
        { date: at(15), followers: 20_000 }, // +2,800 over 14 days: the typical growth the day is compared with
      ],
      creatorMarkets: [], // foreign_audience not measured
      provenance: 'self_reported',
    });

    const typical = 2_800 / 17_200 / 14; // per day
    const spike = ((1_200 - 16_000 * typical) / 16_000) * 100; // 6.34 %
    const expected: [SignalKey, number | null, number | null, number][] = [
      // key, measured, risk, factor
      ['engagement_rate', 2.25, 0.5, 0.7], // 450 ÷ 20,000 × 100; (3 − 2.25) ÷ 1.5; 1 − 0.6 × 0.5
      ['likes_to_comments', 21, 0, 1], // 1,680 ÷ 80
      ['generic_comments', 25, 0.25, 0.85], // 8 ÷ 32; (25 − 20) ÷ 20; 1 − 0.6 × 0.25
      ['engagement_pods', 12.5, 0.25, 0.85], // 4 ÷ 32; (12.5 − 10) ÷ 10
      ['no_profile_picture', 18, 0.2, 0.88], // (18 − 15) ÷ 15; 1 − 0.6 × 0.2
      ['follower_spikes', spike, (spike - 5) / 5, 1 - 0.5 * ((spike - 5) / 5)],
      ['foreign_audience', null, null, 1],
    ];
    expected.forEach(([key, measured, risk, factor]) => {
      const s = signal(report, key);
      if (measured === null) expect(s.measured).toBeNull();
      else expect(s.measured).toBeCloseTo(measured, 10);
      if (risk === null) expect(s.risk).toBeNull();
      else expect(s.risk).toBeCloseTo(risk, 10);
      expect(s.factor).toBeCloseTo(factor, 10);
      expect(s.weight).toBe(AUTHENTICITY_WEIGHTS[key]);
      expect(s.norm).toEqual(AUTHENTICITY_NORMS[Tier.MICRO][key]);
    });
    // no risk reaches 0.75, so no cap: evidence = 100 × Π factors = 38.56 (v1 added the same signals up to 70)
    const evidence = 100 * expected.reduce((p, e) => p * e[3], 1);
    expect(report.evidenceScore).toBeCloseTo(evidence, 10);
    expect(report.decidedBy).toEqual(['engagement_rate', 'generic_comments', 'engagement_pods', 'follower_spikes', 'no_profile_picture']);
    // confidence = 0.85 × (0.2 × 4/12 + 0.1 × 4/12 + 0.15 × 32/60 + 0.15 × 4/12 + 0.15 + 0.1 × 2/4 + 0) = 0.85 × 0.43
    const confidence = 0.85 * (0.2 / 3 + 0.1 / 3 + (0.15 * 32) / 60 + 0.15 / 3 + 0.15 + 0.05);
    expect(report.confidence.value).toBeCloseTo(confidence, 9);
    expect(report.confidence.level).toBe('LOW');
    expect(report.confidence.reasons).toEqual([
      'only 4 recent posts (12 are a full sample)',
      'only 32 sampled comments (60 are a full sample)',
      'only 4 recent posts have comment samples',
      'only 2 follower-history intervals (4 are a full sample)',
      'Audience outside the creator’s markets not measured: the creator’s markets are unknown',
      'the figures are self-reported by the creator, not fetched from the platform',
    ]);
    // 50 + 0.3655 × (38.56 − 50) = 45.82 → 46
    expect(report.score).toBe(Math.round(50 + confidence * (evidence - 50)));
    expect(report.score).toBe(46);
    expectScoreFromFactors(report);
    expect(report.signals.map((s) => s.unit)).toEqual(['percent', 'ratio', 'percent', 'percent', 'percent', 'percent', 'percent']);
    expect(report.signals.map((s) => s.explanation)).toEqual([
      'Engagement rate 2.25 % of 20,000 followers over the last 4 posts — below the micro norm of 3.00–10.00 % (risk 0.50).',
      'Likes-to-comments ratio 21.0 (1,680 likes ÷ 80 comments over the last 4 posts) — within the micro norm of 10–100.',
      '8 of 32 sampled comments (25.00 %) are generic — above the micro norm of at most 20.00 % (risk 0.25).',
      '1 account commented on at least 80 % of the 4 posts with comment samples, writing 4 of 32 sampled comments (12.50 %) — above the micro norm of at most 10.00 % (risk 0.25).',
      '18.00 % of followers have no profile picture — above the micro norm of at most 15.00 % (risk 0.20).',
      'Largest growth beyond the typical 1.16 %/day was 6.34 % of followers (+1,200 from 16,000 between 2025-01-01 and 2025-01-02) — above the micro norm of at most 5.00 % (risk 0.27).',
      'Audience outside the creator’s markets not measured: the creator’s markets are unknown.',
    ]);
    expect(report.verdict).toBe(
      'Lowered by Engagement rate ×0.70, Generic comments ×0.85, Engagement pods ×0.85, Follower spikes ×0.87, Followers without profile picture ×0.88: 100 × 0.70 × 0.85 × 0.85 × 0.87 × 0.88 = 38.6; confidence LOW (0.37) pulls 38.6 towards the neutral 50: 46.',
    );
  });

  it('confidence levels: HIGH from 0.75, MEDIUM from 0.5, LOW below', () => {
    expect([1, 0.75, 0.7499, 0.5, 0.4999, 0].map(confidenceLevel)).toEqual(['HIGH', 'HIGH', 'MEDIUM', 'MEDIUM', 'LOW', 'LOW']);
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
    expect(() => authenticityReport(cleanMicro({ provenance: 'scraped' as never }))).toThrow('provenance');
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
