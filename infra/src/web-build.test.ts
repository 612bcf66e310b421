import { runNeedsWeb } from './web-build';

describe('runNeedsWeb: when the test command builds the dashboard first', () => {
  it('builds it for the whole suite and for the paths of its browser tests', () => {
    expect(runNeedsWeb([])).toBe(true);
    expect(runNeedsWeb(['--runInBand'])).toBe(true);
    expect(runNeedsWeb(['infra/test/e2e/dashboard-browser.test.ts'])).toBe(true);
    expect(runNeedsWeb(['infra/test/e2e/'])).toBe(true);
    expect(runNeedsWeb(['web/src'])).toBe(true);
  });

  it('does not for other parts of the suite', () => {
    expect(runNeedsWeb(['services/campaign'])).toBe(false);
    expect(runNeedsWeb(['infra/test/e2e/webhooks.test.ts'])).toBe(false);
  });
});
