import { ensureChromium } from './chromium';

describe('ensureChromium', () => {
  it('does nothing when the browser is there', () => {
    const lines: string[] = [];
    expect(() => ensureChromium({ path: process.execPath, canInstall: false, log: (l) => lines.push(l) })).not.toThrow();
    expect(lines).toEqual([]);
  });

  it('says what to do when it is missing and cannot be installed', () => {
    expect(() => ensureChromium({ path: '/nonexistent/chromium', canInstall: false, log: () => undefined })).toThrow(
      'Chromium is needed at /nonexistent/chromium for the browser tests: install it (Debian: apt-get install chromium) or set CHROMIUM_PATH (this user cannot install packages)',
    );
  });
});
