import { delay } from '@influenceflow/kit';
import type { ProviderName, PayoutSettings } from './payout-settings';

/** What a provider is asked to send: one attempt of one payout. */
export interface ProviderSendRequest {
  payoutId: string;
  attemptId: string;
  attempt: number;
  /** The provider-side idempotency key of this attempt (`payout:<payoutId>:attempt:<n>`), Stripe-style. */
  providerKey: string;
  creatorId: string;
  amountMinor: number;
  currency: string;
}

/** What the provider answered. */
export interface ProviderOutcome {
  /** SUCCEEDED: the money is sent; PENDING: taken, the answer comes later (manual); FAILED: not sent. */
  status: 'SUCCEEDED' | 'PENDING' | 'FAILED';
  providerRef: string | null;
  failureReason: string | null;
  /** FAILED only: whether trying again (a new attempt) may succeed. */
  retryable: boolean;
}

/**
 * A way money reaches creators. `send` is called at most once per attempt (the worker claims the attempt
 * in the database first); `lookup` answers, by the attempt's provider key, what became of an attempt whose
 * caller stopped mid-call (null: the provider never received it), for the sweeper.
 */
export interface PayoutProvider {
  readonly name: ProviderName;
  send(request: ProviderSendRequest): Promise<ProviderOutcome>;
  lookup(providerKey: string): Promise<ProviderOutcome | null>;
}

/**
 * A bank transfer an operator makes by hand: `send` only records that one is wanted (PENDING); an admin
 * confirms it with the bank's reference (`confirmManualPayout`) or fails it (`failManualPayout`). Nothing
 * leaves the platform by itself, so `lookup` knows of no attempt: one cut off mid-call was never taken.
 */
export class ManualTransferProvider implements PayoutProvider {
  readonly name = 'manual' as const;

  async send(request: ProviderSendRequest): Promise<ProviderOutcome> {
    return { status: 'PENDING', providerRef: `manual:${request.attemptId}`, failureReason: null, retryable: false };
  }

  async lookup(): Promise<ProviderOutcome | null> {
    return null;
  }
}

/**
 * A provider for development and tests: answers after `latencyMs`, fails a share `failureRate` of its
 * calls (retryable), or the next N calls when told (`failNext`), and counts its calls. It keeps its
 * outcomes by provider key, like a real provider's idempotency keys: a key sent again gets the first
 * outcome back (and counts as a call), and `lookup` answers for keys it has seen. In memory: one process.
 */
export class SimulatedProvider implements PayoutProvider {
  readonly name = 'simulated' as const;
  /** Every `send`, the repeated ones included. */
  calls = 0;
  /** The calls per provider key. */
  readonly callsByKey = new Map<string, number>();
  private readonly outcomes = new Map<string, ProviderOutcome>();
  private failures = 0;
  private failureReason = 'simulated failure';

  constructor(
    private latencyMs: number,
    private failureRate: number,
    private readonly random: () => number = Math.random,
  ) {}

  static fromSettings(settings: PayoutSettings): SimulatedProvider {
    return new SimulatedProvider(settings.simulatedLatencyMs, settings.simulatedFailureRate);
  }

  /** The next `n` calls fail (retryable), whatever the failure rate: a deterministic failure for tests. */
  failNext(n: number, reason = 'simulated failure'): void {
    this.failures = n;
    this.failureReason = reason;
  }

  configure(options: { latencyMs?: number; failureRate?: number }): void {
    if (options.latencyMs !== undefined) this.latencyMs = options.latencyMs;
    if (options.failureRate !== undefined) this.failureRate = options.failureRate;
  }

  async send(request: ProviderSendRequest): Promise<ProviderOutcome> {
    this.calls += 1;
    this.callsByKey.set(request.providerKey, (this.callsByKey.get(request.providerKey) ?? 0) + 1);
    if (this.latencyMs > 0) await delay(this.latencyMs);
    const known = this.outcomes.get(request.providerKey);
    if (known) return known;
    let outcome: ProviderOutcome;
    if (this.failures > 0 || this.random() < this.failureRate) {
      if (this.failures > 0) this.failures -= 1;
      outcome = { status: 'FAILED', providerRef: null, failureReason: this.failureReason, retryable: true };
    } else {
      outcome = { status: 'SUCCEEDED', providerRef: `sim_${request.attemptId}`, failureReason: null, retryable: false };
    }
    this.outcomes.set(request.providerKey, outcome);
    return outcome;
  }

  async lookup(providerKey: string): Promise<ProviderOutcome | null> {
    return this.outcomes.get(providerKey) ?? null;
  }
}

/** The providers of a process by name: every one is always there, so payouts made under another setting still finish. */
export type PayoutProviders = Record<ProviderName, PayoutProvider>;
