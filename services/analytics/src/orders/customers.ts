import type { CustomerFact } from '../rollups/contributions';

const REPEAT_WINDOW_MS = 90 * 86_400_000;

/** What deciding a customer needs of each of their orders with one brand. */
export interface CustomerOrder {
  id: string;
  partnership_id: string | null;
  excluded: string | null;
  ordered_at: Date;
}

/** A customer's standing with a brand, derived from all their orders. */
export interface CustomerStanding {
  /** The one order that is the customer's new one (their first); every other is returning. */
  newOrderId: string;
  /** The partnership that referred them (their first counted attributed order) and whether they ordered again within 90 days. */
  referral: (CustomerFact & { firstOrderId: string }) | null;
}

/**
 * A customer's first order with the brand is new, later ones returning; the partnership of their first
 * counted attributed order referred them, and they repeat if they ordered again within 90 days after it.
 * `orders` must be sorted by (ordered_at, id) and not empty. Used by the intake and by `rebuild` alike.
 */
export function customerStanding(orders: readonly CustomerOrder[]): CustomerStanding {
  const first = orders.find((o) => o.partnership_id && !o.excluded);
  const referral = first
    ? {
        firstOrderId: first.id,
        partnershipId: first.partnership_id!,
        firstAt: first.ordered_at,
        orderedAgain: orders.some(
          (o) =>
            o.id !== first.id &&
            o.ordered_at.getTime() > first.ordered_at.getTime() &&
            o.ordered_at.getTime() - first.ordered_at.getTime() <= REPEAT_WINDOW_MS,
        ),
      }
    : null;
  return { newOrderId: orders[0].id, referral };
}
