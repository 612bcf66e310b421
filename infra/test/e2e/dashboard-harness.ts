import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { BrowserContext, chromium, Page, Route } from 'playwright-core';
import { repoRoot } from '../../src/repo';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../src/testing/chromium';
import { webDist } from '../../src/web-build';

/** The dashboard build's trusted operations: the browser tests' gateway runs only these. */
export const DASHBOARD_MANIFEST = join(webDist(repoRoot()), 'persisted-operations.json');
/** Where the dashboard's screenshots are kept (test artifacts). */
export const DASHBOARD_SHOTS = join(repoRoot(), '.test-results', 'dashboard');

/** Debian's Chromium on the dashboard: pages that record console errors and refused operations. */
export interface DashboardBrowser {
  context: BrowserContext;
  /** Console errors and page errors of every page (a CSP refusal logs one). */
  consoleErrors: string[];
  /** Bodies of GraphQL requests the gateway refused (403: not a trusted operation). */
  refusedOperations: string[];
  newPage(width?: number, height?: number): Promise<Page>;
  /** No serious or critical accessibility violation on what the page shows now. */
  expectAccessible(page: Page, screen: string): Promise<void>;
  /** A full-page screenshot kept under .test-results/dashboard/. */
  shot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

/** Fails with what to do when the test command's preparations (Chromium, the dashboard's build) are missing. */
export function requireDashboardBuild(): void {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}: the test command installs it (bash scripts/test.sh), or apt-get install chromium`,
    );
  if (!existsSync(DASHBOARD_MANIFEST))
    throw new Error(
      `${DASHBOARD_MANIFEST} is missing: the test command builds the dashboard (node infra/dist/test-runner.js builds web/ first)`,
    );
}

/** A headless Chromium of its own profile, reaching only this machine (anything else is aborted). */
export async function openDashboardBrowser(profilePrefix: string): Promise<DashboardBrowser> {
  mkdirSync(DASHBOARD_SHOTS, { recursive: true });
  const profileDir = mkdtempSync(join(tmpdir(), `${profilePrefix}-`));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  await context.route('**/*', (route) =>
    (/^(http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/|data:)/.test(route.request().url()) ? route.continue() : route.abort()).catch(
      () => undefined,
    ),
  );
  const consoleErrors: string[] = [];
  const refusedOperations: string[] = [];
  return {
    context,
    consoleErrors,
    refusedOperations,
    async newPage(width = 1280, height = 900) {
      const page = await context.newPage();
      await page.setViewportSize({ width, height });
      page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
      page.on('pageerror', (e) => consoleErrors.push(e.message));
      page.on('response', (r) => {
        if (r.url().endsWith('/graphql') && r.status() === 403) refusedOperations.push(r.request().postData() ?? '');
      });
      return page;
    },
    async expectAccessible(page, screen) {
      const { violations } = await new AxeBuilder({ page }).analyze();
      const bad = violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
      expect([screen, bad]).toEqual([screen, []]);
    },
    async shot(page, name) {
      const png = await page.screenshot({ path: join(DASHBOARD_SHOTS, `${name}.png`), fullPage: true });
      expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    },
    async close() {
      await context.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/**
 * Holds the page's next GraphQL request naming `operation` (e.g. 'mutation CreateCampaign') until
 * `release()`, so a test can see what the page shows while it waits; `held` resolves once it arrived.
 */
export async function holdOperation(page: Page, origin: string, operation: string): Promise<{ held: Promise<Route>; release(): void }> {
  let release: () => void = () => undefined;
  let arrived: (route: Route) => void = () => undefined;
  const held = new Promise<Route>((resolve) => (arrived = resolve));
  const releasing = new Promise<void>((resolve) => (release = resolve));
  await page.route(`${origin}/graphql`, async (route) => {
    if (route.request().postData()?.includes(operation)) {
      arrived(route);
      await releasing;
    }
    await route.fallback();
  });
  return { held, release: () => release() };
}
