/**
 * The event types a webhook endpoint or a partner grant may name: the shared vocabulary's
 * PARTNER_EVENT_TYPES (docs/webhooks.md, "Who may do what"). The API takes them as strings and does not
 * list them (no enum, no query), and the dashboard may import nothing of ours, so they are copied here;
 * a type the API stops taking comes back as its error beside the field (BAD_USER_INPUT on input.eventTypes).
 */
export const SUBSCRIBABLE_EVENT_TYPES = [
  'campaign.created',
  'campaign.launched',
  'campaign.paused',
  'campaign.resumed',
  'campaign.completed',
  'campaign.cancelled',
  'brief.published',
  'partnership.invited',
  'partnership.accepted',
  'partnership.declined',
  'partnership.contracted',
  'partnership.activated',
  'partnership.paused',
  'partnership.resumed',
  'partnership.completed',
  'partnership.terminated',
  'partnership.countered',
  'partnership.code-changed',
  'contract.sent',
  'contract.signed',
  'contract.executed',
  'contract.terminated',
  'deliverable.submitted',
  'deliverable.resubmitted',
  'deliverable.changes-requested',
  'deliverable.approved',
  'deliverable.posted',
  'deliverable.verified',
  'deliverable.flagged',
  'deliverable.unflagged',
  'payout.succeeded',
  'payout.failed',
  'payout.reversed',
  'spend.accrued',
  'funding.requested',
  'order.attributed',
  'order.refunded',
] as const;

/** The types grouped by what comes before the dot (campaign, partnership, …), in the list's order. */
export function eventTypeGroups(types: readonly string[] = SUBSCRIBABLE_EVENT_TYPES): { group: string; types: string[] }[] {
  const groups: { group: string; types: string[] }[] = [];
  for (const t of types) {
    const group = t.split('.')[0];
    const last = groups[groups.length - 1];
    if (last?.group === group) last.types.push(t);
    else groups.push({ group, types: [t] });
  }
  return groups;
}
