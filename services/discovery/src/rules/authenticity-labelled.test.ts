import { AUTHENTICITY_PARAMETERS, authenticityReport, SignalKey } from './authenticity';
import { AccountLabel, LABELLED_ACCOUNTS } from './authenticity.fixtures';

const reportOf = (name: string) => {
  const account = LABELLED_ACCOUNTS.find((a) => a.name === name);
  if (!account) throw new Error(`no labelled account ${name}`);
  return authenticityReport(account.input);
};
const ofLabel = (label: AccountLabel) => LABELLED_ACCOUNTS.filter((a) => a.label === label);
const table = (label: AccountLabel) => ofLabel(label).map((a) => [a.name, a.pattern, a] as const);

describe('the labelled set', () => {
  it('has several accounts per pattern: ≥ 10 genuine across tiers and platforms, ≥ 3 per fraud pattern, two-weak and thin ones', () => {
    const genuine = ofLabel('genuine');
    expect(genuine.length).toBeGreaterThanOrEqual(10);
    expect(new Set(genuine.map((a) => authenticityReport(a.input).tier)).size).toBe(4);
    expect(new Set(genuine.map((a) => a.platform)).size).toBeGreaterThanOrEqual(3);
    const patterns = new Map<string, number>();
    for (const a of ofLabel('strong_fraud')) {
      const pattern = a.name.replace(/-\d+$/, '');
      patterns.set(pattern, (patterns.get(pattern) ?? 0) + 1);
    }
    expect([...patterns.keys()].sort()).toEqual(
      ['bought-followers', 'bought-likes', 'bot-comments', 'foreign-audience', 'no-picture', 'pod', 'subtle-spike'].sort(),
    );
    for (const count of patterns.values()) expect(count).toBeGreaterThanOrEqual(3);
    expect(ofLabel('two_weak_signs').length).toBeGreaterThanOrEqual(3);
    expect(ofLabel('thin_evidence').length).toBeGreaterThanOrEqual(3);
    expect(new Set(LABELLED_ACCOUNTS.map((a) => a.name)).size).toBe(LABELLED_ACCOUNTS.length);
  });

  it.each(table('genuine'))('genuine %s (%s) scores at least 70', (_name, _pattern, account) => {
    const report = authenticityReport(account.input);
    expect(report.score).toBeGreaterThanOrEqual(70);
    expect(report.confidence.level).not.toBe('LOW');
    // nothing genuine trips a cap
    expect(report.signals.filter((s) => s.risk !== null && s.risk >= AUTHENTICITY_PARAMETERS.strongRisk)).toEqual([]);
  });

  it.each(table('strong_fraud'))('fraud %s (%s) scores below 50, decided by a strong sign', (_name, _pattern, account) => {
    const report = authenticityReport(account.input);
    expect(report.score).toBeLessThan(50);
    expect(report.decidedBy.length).toBeGreaterThan(0);
    const decisive = report.signals.filter((s) => s.decisive);
    expect(decisive.map((s) => s.key)).toEqual(expect.arrayContaining(report.decidedBy));
    expect(decisive.some((s) => (s.risk ?? 0) >= AUTHENTICITY_PARAMETERS.strongRisk)).toBe(true);
    expect(report.verdict).toMatch(/strong sign/i);
  });

  it.each(table('two_weak_signs'))('two weak signs %s (%s) score below 70 though neither is strong', (_name, _pattern, account) => {
    const report = authenticityReport(account.input);
    expect(report.score).toBeLessThan(70);
    const outside = report.signals.filter((s) => (s.risk ?? 0) > 0);
    expect(outside.length).toBeGreaterThanOrEqual(2);
    expect(outside.every((s) => (s.risk ?? 0) < AUTHENTICITY_PARAMETERS.strongRisk)).toBe(true);
    // each alone would leave the account above 70: it is the combination that sinks it
    for (const s of outside) expect(100 * s.factor).toBeGreaterThan(70);
    expect(report.decidedBy).toHaveLength(outside.length);
  });

  it.each(table('thin_evidence'))(
    'thin evidence %s (%s): LOW confidence, never above what the evidence supports',
    (_name, _pattern, account) => {
      const report = authenticityReport(account.input);
      expect(report.confidence.level).toBe('LOW');
      expect(report.confidence.reasons.length).toBeGreaterThanOrEqual(2);
      // pulled towards neutral: at most neutral + confidence × (100 − neutral), and below a fully evidenced clean account
      const { neutralScore } = AUTHENTICITY_PARAMETERS;
      expect(report.score).toBeLessThanOrEqual(Math.round(neutralScore + report.confidence.value * (100 - neutralScore)));
      expect(report.score).toBeLessThan(70);
      expect(report.score).toBeLessThan(Math.min(...ofLabel('genuine').map((a) => authenticityReport(a.input).score)));
    },
  );

  it('the same clean figures earn more the better their provenance: fetched 100 > imported 98 > self-reported 93', () => {
    const account = LABELLED_ACCOUNTS.find((a) => a.name === 'micro-runner')!;
    const score = (provenance: 'fetched' | 'imported' | 'self_reported') => authenticityReport({ ...account.input, provenance }).score;
    expect([score('fetched'), score('imported'), score('self_reported')]).toEqual([100, 98, 93]);
  });

  it('a brand-new creator with one self-reported post stays near the neutral 50 and says why', () => {
    const report = reportOf('brand-new-one-post');
    expect(report.score).toBe(51);
    expect(report.confidence.value).toBeLessThan(0.05);
    expect(report.confidence.reasons).toEqual(
      expect.arrayContaining([
        'only 1 recent posts (12 are a full sample)',
        'Followers without profile picture not measured: the audience profile is unknown',
        'the figures are self-reported by the creator, not fetched from the platform',
      ]),
    );
  });

  it('bought followers are decided by both signs they leave: the spike and the collapsed engagement', () => {
    const report = reportOf('bought-followers-1');
    expect([...report.decidedBy].sort()).toEqual(['engagement_rate', 'follower_spikes'] satisfies SignalKey[]);
    // both at risk 1: factors 0.4 and 0.5 multiply to 20, below the engagement cap of 40
    expect(report.evidenceScore).toBeCloseTo(20, 9);
    expect(report.verdict).toMatch(/^Strong signs of fakery: Engagement rate \(risk 1\.00\), Follower spikes \(risk 1\.00\); /);
  });
});
