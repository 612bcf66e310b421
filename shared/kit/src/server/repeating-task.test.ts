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
