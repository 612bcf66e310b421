import { assessOffer, RateCardPrice } from './creator-rate';

const CARD: RateCardPrice[] = [
  { platform: 'INSTAGRAM', format: 'REEL', priceMinor: 30_000, currency: 'USD' },
  { platform: 'TIKTOK', format: 'VIDEO', priceMinor: 20_000, currency: 'USD' },
  { platform: 'YOUTUBE', format: 'VIDEO', priceMinor: 90_000, currency: 'EUR' },
];
const offer = (amountMinor: number, deliverables: { platform: string; format: string; count: number }[], currency = 'USD') => ({
  fee: { amountMinor, currency },
  deliverables,
});

describe('the creator rate of an offer', () => {
  it('is each deliverable at its price times its count, and warns when the fee is below it', () => {
    const work = [
      { platform: 'INSTAGRAM', format: 'REEL', count: 2 },
      { platform: 'TIKTOK', format: 'VIDEO', count: 1 },
    ];
    expect(assessOffer(offer(79_999, work), CARD)).toEqual({
      creatorRate: { amountMinor: 80_000, currency: 'USD' },
      belowCreatorRate: true,
      warnings: ["The fee is below the creator's own rate for these deliverables ($800.00)"],
    });
  });

  it('is not below at exactly the rate or above it', () => {
    const work = [{ platform: 'INSTAGRAM', format: 'REEL', count: 1 }];
    expect(assessOffer(offer(30_000, work), CARD)).toEqual({
      creatorRate: { amountMinor: 30_000, currency: 'USD' },
      belowCreatorRate: false,
      warnings: [],
    });
    expect(assessOffer(offer(50_000, work), CARD).belowCreatorRate).toBe(false);
  });

  it('says a missing price instead of guessing', () => {
    const a = assessOffer(offer(10, [{ platform: 'TWITCH', format: 'STREAM', count: 1 }]), CARD);
    expect(a).toEqual({ creatorRate: null, belowCreatorRate: null, warnings: ["The creator's rate card has no price for TWITCH STREAM"] });
  });

  it('says a currency mismatch instead of converting', () => {
    const a = assessOffer(offer(10, [{ platform: 'YOUTUBE', format: 'VIDEO', count: 1 }]), CARD);
    expect(a.creatorRate).toBeNull();
    expect(a.belowCreatorRate).toBeNull();
    expect(a.warnings).toEqual(['The creator prices YOUTUBE VIDEO in EUR, the offer is in USD']);
  });

  it('knows nothing from an empty rate card, and reports every gap', () => {
    const a = assessOffer(
      offer(10, [
        { platform: 'INSTAGRAM', format: 'STORY', count: 1 },
        { platform: 'YOUTUBE', format: 'VIDEO', count: 2 },
      ]),
      CARD,
    );
    expect(a.warnings).toHaveLength(2);
    expect(assessOffer(offer(10, [{ platform: 'INSTAGRAM', format: 'REEL', count: 1 }]), []).creatorRate).toBeNull();
  });
});
