import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { newTestRunId } from '@influenceflow/kit/testing';
import { repoRoot } from './repo';
import { ensureChromium } from './testing/chromium';
import { ensurePoppler } from './testing/poppler';
import { removeTestBroker } from './testing/test-kafka';
import { buildWeb, runNeedsWeb } from './web-build';

interface JestSummary {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numRuntimeErrorTestSuites: number;
  numTotalTestSuites: number;
  success: boolean;
}

/**
 * Runs the whole jest suite and ends with the plain line `N passed, N failed` that CI reads. Whatever
 * the run started (Kafka included) is stopped on every path out: success, failure or a signal.
 */
/**
 * The checks beside jest, each counted as one test: the lint (import boundaries included) and the type
 * check of the test files (the build checks the sources; ts-jest only transpiles the tests).
 */
function staticChecks(root: string, args: string[]): { passed: number; failed: number } {
  // A run of some tests only (`pnpm test services/campaign`) skips them.
  if (args.some((a) => !a.startsWith('-'))) return { passed: 0, failed: 0 };
  const checks: [string, string[]][] = [
    ['lint', [join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--max-warnings', '0', '.']],
    ['type check of the tests', [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.test.json', '--noEmit']],
  ];
  let passed = 0;
  let failed = 0;
  for (const [name, command] of checks) {
    const result = spawnSync(process.execPath, command, { cwd: root, stdio: 'inherit' });
    if (result.status === 0) {
      passed++;
      console.log(`✔ ${name}`);
    } else {
      failed++;
      console.log(`✖ ${name} failed`);
    }
  }
  return { passed, failed };
}

async function main(): Promise<void> {
  const root = repoRoot();
  const checks = staticChecks(root, process.argv.slice(2));
  // The dashboard's browser tests need its build (web/dist), made here before jest (docs/web.md).
  if (runNeedsWeb(process.argv.slice(2))) {
    if (buildWeb(root, (line) => console.log(`  ${line}`))) {
      checks.passed++;
      console.log('✔ web build');
    } else {
      checks.failed++;
      console.log('✖ web build failed');
    }
  }
  // The browser tests drive Debian's Chromium; a fresh machine installs it here (once, quietly).
  ensureChromium();
  // The sealed-PDF tests check the contracts' PDFs with poppler's pdfsig, pdftoppm and pdftotext.
  ensurePoppler();
  // The run id is chosen here so that this process can clean up after jest whatever happens to it.
  const runId = process.env.TEST_RUN_ID ?? newTestRunId();
  const resultsDir = join(root, '.test-results');
  mkdirSync(resultsDir, { recursive: true });
  const resultsFile = join(resultsDir, 'jest.json');
  rmSync(resultsFile, { force: true });

  const jest = spawn(
    process.execPath,
    [join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--json', `--outputFile=${resultsFile}`, ...process.argv.slice(2)],
    { cwd: root, stdio: 'inherit', env: { ...process.env, TEST_RUN_ID: runId, APOLLO_TELEMETRY_DISABLED: '1' } },
  );

  let cleaning: Promise<void> | null = null;
  const cleanup = () =>
    (cleaning ??= (async () => {
      // jest's teardown normally did this already; after a crash or a signal it did not.
      await removeTestBroker(runId).catch((err: Error) => console.error(`could not stop the test Kafka: ${err.message}`));
    })());
  const onSignal = (signal: NodeJS.Signals) => {
    jest.kill(signal);
    void cleanup().then(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const code: number = await new Promise((resolve) => jest.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))));
  await cleanup();

  let passed = 0;
  let failed = 0;
  if (existsSync(resultsFile)) {
    const summary = JSON.parse(readFileSync(resultsFile, 'utf8')) as JestSummary;
    passed = summary.numPassedTests;
    // A suite that fails to load has no failed *tests*; count it so it cannot hide.
    failed = summary.numFailedTests + summary.numRuntimeErrorTestSuites;
  } else if (code !== 0) {
    failed = 1; // jest could not even start (e.g. global setup failed)
  }
  if (code !== 0 && failed === 0) failed = 1;
  passed += checks.passed;
  failed += checks.failed;
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(code === 0 && failed === 0 ? 0 : 1);
}

main().catch((err: Error) => {
  console.error(err.message);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
