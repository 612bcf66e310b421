import type { TestStack } from '../../src/testing/stack';

/** The ISO date `days` from today in UTC (campaigns may not lie wholly in the past). */
export function daysFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** A campaign input that passes every rule; tests override what they are about. */
export function campaignInput(brandId: string, overrides: Record<string, unknown> = {}) {
  return {
    brandId,
    name: 'Spring trail launch',
    goal: { type: 'TRAFFIC', target: 500 },
    budget: { amountMinor: 1_250_000, currency: 'USD' },
    startsOn: daysFromToday(30),
    endsOn: daysFromToday(75),
    ...overrides,
  };
}

/** Saves a creator's profile and one platform account through the gateway, as the creator (token). */
export async function saveCreator(
  stack: TestStack,
  token: string,
  profile: Record<string, unknown>,
  account: Record<string, unknown>,
): Promise<void> {
  const saved = await stack.query(
    `mutation($input: CreatorProfileInput!) { saveMyCreatorProfile(input: $input) { id } }`,
    { input: profile },
    token,
  );
  expect(saved.errors).toBeUndefined();
  const accountSaved = await stack.query(
    `mutation($input: PlatformAccountInput!) { saveMyPlatformAccount(input: $input) { id } }`,
    { input: { platform: 'INSTAGRAM', ...account } },
    token,
  );
  expect(accountSaved.errors).toBeUndefined();
}

/** What a fault-free delivery of `events` looks like in the event-backbone scenarios' ledger. */
export function exactDelivery(events: number) {
  return {
    produced: events,
    unsent: 0,
    applications: events,
    applied: events,
    appliedTwice: 0,
    missing: 0,
    unexpected: 0,
    outOfOrder: 0,
    accountsDiffering: 0,
    inbox: events,
  };
}
