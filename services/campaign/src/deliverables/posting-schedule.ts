import type { DeliverableSpec } from '../briefs/deliverable-spec';
import { addMonths } from '../campaigns/campaign-calendar';

/** One piece of the posting schedule: what is due when, and in which month of the partnership. */
export interface ScheduledPiece {
  sequence: number;
  /** 1 for a one-campaign partnership; 1…n for the months of a long-term one. */
  cycle: number;
  platform: DeliverableSpec['platform'];
  format: DeliverableSpec['format'];
  dueOn: string;
}

/**
 * The posting schedule of agreed terms. For one campaign (`lengthMonths` null) it is the terms: one piece per
 * promised count. A long-term partnership's terms are one month's set, repeated every month of its length,
 * each due date a month after the one before: a 3-month partnership promising 2 reels by 10 March posts 2
 * reels by 10 March, 10 April and 10 May. Pieces are numbered in due order (then in the terms' order).
 */
export function postingSchedule(terms: readonly DeliverableSpec[], lengthMonths: number | null): ScheduledPiece[] {
  const cycles = lengthMonths ?? 1;
  const pieces: Omit<ScheduledPiece, 'sequence'>[] = [];
  for (let cycle = 1; cycle <= cycles; cycle++) {
    for (const spec of terms) {
      for (let i = 0; i < spec.count; i++) {
        pieces.push({ cycle, platform: spec.platform, format: spec.format, dueOn: addMonths(spec.dueOn, cycle - 1) });
      }
    }
  }
  // A stable sort: within a due date the terms keep their order.
  return pieces
    .map((piece, order) => ({ piece, order }))
    .sort((a, b) => (a.piece.dueOn < b.piece.dueOn ? -1 : a.piece.dueOn > b.piece.dueOn ? 1 : a.order - b.order))
    .map(({ piece }, i) => ({ ...piece, sequence: i + 1 }));
}
