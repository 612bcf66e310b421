import { ConfigError } from '../config/load';
import { StartupError } from './startup-error';

/**
 * Runs a long-lived process: starts it, stops it gracefully on SIGINT/SIGTERM, and reports known
 * start-up problems as one message instead of a stack trace.
 */
export async function runProcess(name: string, start: () => Promise<{ stop(): Promise<void> }>): Promise<void> {
  let running: { stop(): Promise<void> };
  try {
    running = await start();
  } catch (err) {
    if (err instanceof ConfigError || err instanceof StartupError) {
      process.stderr.write(`\n✖ ${name} cannot start: ${err.message}\n\n`);
    } else {
      process.stderr.write(`\n✖ ${name} failed to start: ${(err as Error).stack ?? String(err)}\n\n`);
    }
    process.exit(1);
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => {
      process.stderr.write(`${name}: shutdown took too long after ${signal}; exiting\n`);
      process.exit(1);
    }, 20_000);
    force.unref();
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}
