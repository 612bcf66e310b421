import { AppError, createLogger, ErrorCode, Money } from '@influenceflow/kit';
import type { EntityManager, QueryRunner } from 'typeorm';
import type { LedgerPostings } from '../ledger/postings';
import { payoutSettings } from './payout-settings';
import { CommitWaker, PayoutService } from './payout.service';
import { ManualTransferProvider, SimulatedProvider } from './providers';

const uuid = (n: number) => `00000000-0000-4000-8e15-${String(n).padStart(12, '0')}`;

/** A transaction that fails the test if anything reaches the database. */
const untouchable = new Proxy({} as EntityManager, {
  get: (_t, prop) => {
    if (prop === 'then') return undefined;
    throw new Error(`the request reached the database (${String(prop)})`);
  },
});

function service(): PayoutService {
  const runtime = { dataSource: { subscribers: [] }, outbox: {} } as never;
  const ledger = new Proxy({} as LedgerPostings, {
    get: () => () => {
      throw new Error('the request reached the ledger');
    },
  });
  return new PayoutService(
    runtime,
    ledger,
    { simulated: new SimulatedProvider(0, 0), manual: new ManualTransferProvider() },
    payoutSettings({}),
    createLogger('payments', 'silent'),
  );
}

const good = {
  partnershipId: uuid(1),
  campaignId: uuid(2),
  brandId: uuid(3),
  creatorId: uuid(4),
  idempotencyKey: `milestone:${uuid(5)}`,
  amount: Money.of(1_000, 'EUR'),
  reason: 'MILESTONE' as const,
  reference: uuid(5),
};

async function refusal(request: unknown): Promise<AppError> {
  try {
    await service().request(untouchable, request as typeof good);
  } catch (err) {
    return err as AppError;
  }
  throw new Error('accepted');
}

describe('PayoutRequests.request refuses hostile requests before touching anything', () => {
  it.each([
    ['a negative amount', { amount: Money.of(-1, 'EUR') }, 'amount.amountMinor'],
    ['a zero amount', { amount: Money.of(0, 'EUR') }, 'amount.amountMinor'],
    ['a fractional amount', { amount: Money.of(10.5, 'EUR') }, 'amount.amountMinor'],
    ['an amount beyond 2^53', { amount: Money.of(2 ** 53, 'EUR') }, 'amount.amountMinor'],
    ['an unknown currency', { amount: Money.of(100, 'ABC') }, 'amount.currency'],
    ['a party that is not a UUID', { creatorId: 'robert"); DROP TABLE payouts;--' }, 'creatorId'],
    ['an empty key', { idempotencyKey: '' }, 'idempotencyKey'],
    ['a huge key', { idempotencyKey: 'k'.repeat(10_000) }, 'idempotencyKey'],
    ['an unknown reason', { reason: 'REFUND' }, 'reason'],
    ['a huge reference', { reference: 'r'.repeat(501) }, 'reference'],
  ])('%s', async (_what, change, field) => {
    const err = await refusal({ ...good, ...change });
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(err.field).toBe(field);
  });

  it('names every bad field at once', async () => {
    const err = await refusal({ ...good, brandId: 'x', amount: Money.of(0, 'EUR'), reason: 'NOPE' });
    expect((err.details?.problems as { field: string }[]).map((p) => p.field)).toEqual(['brandId', 'amount.amountMinor', 'reason']);
  });
});

describe('CommitWaker', () => {
  const runner = (active: boolean) => ({ isTransactionActive: active }) as QueryRunner;

  it('wakes once the outermost transaction commits, not at a savepoint, never after a rollback', () => {
    const wake = jest.fn();
    const waker = new CommitWaker(wake);
    const qr = runner(true);
    waker.mark({ queryRunner: qr } as EntityManager);
    waker.afterTransactionCommit({ queryRunner: qr } as never); // a savepoint released: still in the transaction
    expect(wake).not.toHaveBeenCalled();
    (qr as { isTransactionActive: boolean }).isTransactionActive = false;
    waker.afterTransactionCommit({ queryRunner: qr } as never);
    waker.afterTransactionCommit({ queryRunner: qr } as never);
    expect(wake).toHaveBeenCalledTimes(1);

    const rolledBack = runner(true);
    waker.mark({ queryRunner: rolledBack } as EntityManager);
    (rolledBack as { isTransactionActive: boolean }).isTransactionActive = false;
    waker.afterTransactionRollback({ queryRunner: rolledBack } as never);
    waker.afterTransactionCommit({ queryRunner: rolledBack } as never);
    expect(wake).toHaveBeenCalledTimes(1);
  });

  it('wakes at once outside a transaction', () => {
    const wake = jest.fn();
    new CommitWaker(wake).mark({ queryRunner: undefined } as EntityManager);
    expect(wake).toHaveBeenCalledTimes(1);
  });
});
