import pino from 'pino';
import { RepeatingTask } from './repeating-task';

class Counting extends RepeatingTask {
  readonly name = 'counting';
  rounds = 0;
  constructor(
    private readonly failFirst: boolean,
    private readonly onRound: (n: number) => void,
  ) {
    super(pino({ level: 'silent' }), 1, 'a round failed');
  }
  async round(): Promise<number> {
    this.rounds++;
    this.onRound(this.rounds);
    if (this.failFirst && this.rounds === 1) throw new Error('the first round fails');
    return this.rounds;
  }
}

describe('RepeatingTask', () => {
  it('does a round at start and keeps going after a failed one, until stopped', async () => {
    let third!: () => void;
    const reachedThird = new Promise<void>((resolve) => (third = resolve));
    const task = new Counting(true, (n) => n === 3 && third());
    await task.start();
    await reachedThird;
    await task.stop();
    const after = task.rounds;
    await new Promise((r) => setTimeout(r, 20));
    expect(after).toBeGreaterThanOrEqual(3);
    expect(task.rounds).toBe(after); // no round after stop
  });

  it('stop() waits for the round under way', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let finished = false;
    class Slow extends RepeatingTask {
      readonly name = 'slow';
      constructor() {
        super(pino({ level: 'silent' }), 1_000, 'a round failed');
      }
      async round(): Promise<void> {
        await held;
        finished = true;
      }
    }
    const task = new Slow();
    await task.start();
    const stopping = task.stop();
    release();
    await stopping;
    expect(finished).toBe(true);
  });
});

describe('RepeatingTask rounds', () => {
  class Gated extends RepeatingTask<number> {
    readonly name = 'gated';
    rounds = 0;
    inRound = 0;
    maxInRound = 0;
    gate: Promise<void> = Promise.resolve();
    constructor(
      everyMs: number,
      private readonly next: (r: number | undefined) => number = () => everyMs,
    ) {
      super(pino({ level: 'silent' }), everyMs, 'a round failed');
    }
    protected override nextDelayMs(r: number | undefined): number {
      return this.next(r);
    }
    async round(): Promise<number> {
      this.inRound++;
      this.maxInRound = Math.max(this.maxInRound, this.inRound);
      await this.gate;
      this.inRound--;
      return ++this.rounds;
    }
  }

  it('never overlaps a runOnce with the scheduled round', async () => {
    const task = new Gated(60_000);
    let open!: () => void;
    task.gate = new Promise((r) => (open = r));
    await task.start(); // the first round waits at the gate
    const manual = task.runOnce();
    open();
    expect(await manual).toBe(2);
    expect(task.maxInRound).toBe(1);
    await task.stop();
  });

  it('runs at once when woken while sleeping, and again right after a round that was woken', async () => {
    const task = new Gated(60_000);
    await task.start();
    await task.stop();
    expect(task.rounds).toBe(1);
    const woken = new Gated(60_000);
    let open!: () => void;
    woken.gate = new Promise((r) => (open = r));
    await woken.start();
    woken.wake(); // during the first round
    open();
    while (woken.rounds < 2) await new Promise((r) => setTimeout(r, 5));
    woken.wake(); // while sleeping the long interval
    while (woken.rounds < 3) await new Promise((r) => setTimeout(r, 5));
    await woken.stop();
    expect(woken.rounds).toBe(3);
  });

  it('sleeps what nextDelayMs says after each round', async () => {
    const task = new Gated(60_000, (r) => (r !== undefined && r < 5 ? 0 : 60_000));
    await task.start();
    while (task.rounds < 5) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 30));
    await task.stop();
    expect(task.rounds).toBe(5);
  });
});
