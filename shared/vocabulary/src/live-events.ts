import type { EventType } from './events';

/**
 * The event types a campaign's live subscription carries (the gateway's `campaignEvents`): what happens
 * in a running campaign — clicks, orders, deliverable reviews, signatures, payouts and messages. Each
 * one's `data` names its campaign (`campaignId`) and partnership (`partnershipId`): see liveRouteOf.
 * The GraphQL enum value is the type in upper snake case (`click.recorded` → CLICK_RECORDED).
 */
export const LIVE_EVENT_TYPES = [
  'click.recorded',
  'order.attributed',
  'order.refunded',
  'deliverable.submitted',
  'deliverable.resubmitted',
  'deliverable.changes-requested',
  'deliverable.approved',
  'deliverable.posted',
  'contract.sent',
  'contract.signed',
  'contract.executed',
  'contract.terminated',
  'payout.succeeded',
  'payout.failed',
  'payout.reversed',
  'message.posted',
] as const satisfies readonly EventType[];

export type LiveEventType = (typeof LIVE_EVENT_TYPES)[number];

export function isLiveEventType(value: unknown): value is LiveEventType {
  return typeof value === 'string' && (LIVE_EVENT_TYPES as readonly string[]).includes(value);
}

/** `click.recorded` → `CLICK_RECORDED`, and back. */
export function liveEnumOf(type: LiveEventType): string {
  return type.replace(/[.-]/g, '_').toUpperCase();
}

export function liveTypeOfEnum(value: string): LiveEventType | null {
  return LIVE_EVENT_TYPES.find((t) => liveEnumOf(t) === value) ?? null;
}

/** Where a live event belongs: its campaign and partnership. */
export interface LiveRoute {
  campaignId: string;
  partnershipId: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The campaign (and partnership) of a live event, from its `data`: every live type carries `campaignId`
 * and `partnershipId` (docs/events.asyncapi.yaml). `contract.executed` from producers older than the
 * contracts feature lacks `campaignId`: such an event (and anything malformed) has no route and is not
 * sent live — no cache of partnerships is kept for a case current producers never make.
 */
export function liveRouteOf(event: { type: string; data: unknown }): LiveRoute | null {
  if (!isLiveEventType(event.type) || typeof event.data !== 'object' || event.data === null) return null;
  const data = event.data as { campaignId?: unknown; partnershipId?: unknown };
  if (typeof data.campaignId !== 'string' || !UUID.test(data.campaignId)) return null;
  const partnershipId = typeof data.partnershipId === 'string' && UUID.test(data.partnershipId) ? data.partnershipId.toLowerCase() : null;
  return { campaignId: data.campaignId.toLowerCase(), partnershipId };
}
