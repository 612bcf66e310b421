import { attribute, AttributionReason, ClickCandidate, landingParameters, withinWindow } from './attribution';

const at = new Date('2026-03-22T12:00:00Z');
const click = (id: string, partnershipId: string, iso: string, windowDays = 21): ClickCandidate => ({
  clickId: id,
  partnershipId,
  at: new Date(iso),
  windowDays,
});
const none = { byCode: null, byClickId: null, byUtm: [], hadCodes: false };

describe('attribution', () => {
  it('credits a discount code first, over any click', () => {
    const a = attribute(at, {
      ...none,
      byCode: { partnershipId: 'p1', code: 'ELLA' },
      byClickId: click('k', 'p2', '2026-03-21T00:00:00Z'),
      hadCodes: true,
    });
    expect(a).toEqual({ partnershipId: 'p1', clickId: null, matchedCode: 'ELLA', reason: AttributionReason.DISCOUNT_CODE });
  });

  it('else the click in the landing URL, within the window (both ends included)', () => {
    expect(attribute(at, { ...none, byClickId: click('k', 'p2', '2026-03-01T12:00:00Z') })).toMatchObject({
      partnershipId: 'p2',
      reason: 'CLICK_ID',
    });
    expect(attribute(at, { ...none, byClickId: click('k', 'p2', '2026-03-01T11:59:59Z') })).toMatchObject({
      partnershipId: null,
      reason: 'OUTSIDE_WINDOW',
    });
    expect(attribute(at, { ...none, byClickId: click('k', 'p2', '2026-03-22T12:00:00Z') })).toMatchObject({ reason: 'CLICK_ID' });
  });

  it('uses the window of the click’s campaign', () => {
    expect(attribute(at, { ...none, byClickId: click('k', 'p2', '2026-03-01T00:00:00Z', 30) })).toMatchObject({ reason: 'CLICK_ID' });
    expect(attribute(at, { ...none, byClickId: click('k', 'p2', '2026-03-20T00:00:00Z', 1) })).toMatchObject({ reason: 'OUTSIDE_WINDOW' });
  });

  it('never credits a click made after the order', () => {
    expect(withinWindow(click('k', 'p', '2026-03-22T12:00:01Z'), at)).toBe(false);
    expect(attribute(at, { ...none, byUtm: [click('k', 'p', '2026-03-23T00:00:00Z')] })).toMatchObject({
      partnershipId: null,
      reason: 'NO_REFERRAL',
    });
  });

  it('else the latest eligible click its UTM parameters name', () => {
    const a = attribute(at, {
      ...none,
      byUtm: [
        click('old', 'p1', '2026-03-10T00:00:00Z'),
        click('new', 'p2', '2026-03-20T00:00:00Z'),
        click('future', 'p3', '2026-03-23T00:00:00Z'),
      ],
    });
    expect(a).toEqual({ partnershipId: 'p2', clickId: 'new', matchedCode: null, reason: AttributionReason.UTM });
  });

  it('waits for a click it has not heard of, and keeps the rest unattributed with why', () => {
    expect(attribute(at, { ...none, byClickId: 'unknown' })).toMatchObject({ partnershipId: null, reason: 'AWAITING_CLICK' });
    expect(attribute(at, { ...none, hadCodes: true })).toMatchObject({ partnershipId: null, reason: 'UNKNOWN_CODE' });
    expect(attribute(at, none)).toMatchObject({ partnershipId: null, reason: 'NO_REFERRAL' });
  });

  it('reads the click id and UTM parameters from a full URL or a Shopify landing path, and nothing from junk', () => {
    expect(landingParameters('https://shop.example/p?utm_campaign=Spring&utm_content=Ella.Runs&ifclid=abc')).toEqual({
      clickId: 'abc',
      utmCampaign: 'spring',
      utmContent: 'ella.runs',
    });
    expect(landingParameters('/products/x?ifclid=k1')).toMatchObject({ clickId: 'k1' });
    expect(landingParameters(null)).toEqual({ clickId: null, utmCampaign: null, utmContent: null });
    expect(landingParameters('http://[::1')).toEqual({ clickId: null, utmCampaign: null, utmContent: null });
  });
});
