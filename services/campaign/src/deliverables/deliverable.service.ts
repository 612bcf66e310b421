import {
  badInput,
  Connection,
  decodeCursor,
  forbidden,
  InputProblems,
  keysetPage,
  KeysetOrder,
  loadManyBy,
  newestFirstPage,
  invalidState,
  loadById,
  notFound,
  pageSize,
  parseHttpUrl,
  RequestContext,
  toConnection,
} from '@influenceflow/kit';
import { ComplianceOverrideData, DeliverableEventData, TOPICS } from '@influenceflow/vocabulary';
import type { ComplianceService } from '../compliance/compliance.service';
import type { ComplianceFindingKind } from '../compliance/compliance-rule';
import type { EntityManager } from 'typeorm';
import { canSeeAsParty, sideOf } from '../parties';
import { Partnership } from '../partnerships/partnership.entity';
import { PartnershipStatus } from '../partnerships/partnership-status';
import { Deliverable, DeliverableReview, DeliverableSubmission, ReviewDecision } from './deliverable.entity';
import { DeliverableActor, deliverableEventType, deliverableMachine, DeliverableStatus } from './deliverable-status';
import {
  BrandDeliverablesArgs,
  ContentLibraryArgs,
  FlaggedContentArgs,
  ReviewDraftInput,
  ReviewQueueArgs,
  ReviewQueueItem,
  ReviewReason,
  SubmitDraftInput,
} from './deliverable.types';
import { postingSchedule } from './posting-schedule';
import { isoDate } from '../campaigns/campaign.service';
import { todayUtc } from '../campaigns/campaign-calendar';
import { Campaign } from '../campaigns/campaign.entity';
import { CampaignStatus } from '../campaigns/campaign-status';

/** The latest draft's version of a deliverable (0 before the first), inside the move's transaction. */
async function latestDraftVersion(tx: EntityManager, deliverableId: string): Promise<number> {
  const [{ latest }] = await tx.query(
    `SELECT coalesce(max(version), 0)::int AS latest FROM deliverable_submissions WHERE deliverable_id = $1`,
    [deliverableId],
  );
  return latest;
}

/**
 * Moves that put content in front of the public (posting it, verifying the post): only while the campaign
 * is active. Drafts and reviews may happen before launch, and while the campaign is paused.
 */
const GOES_LIVE: ReadonlySet<DeliverableStatus> = new Set([DeliverableStatus.POSTED, DeliverableStatus.VERIFIED]);

/** Deliverables not yet out: past their due date, they are overdue. */
const NOT_YET_POSTED: readonly DeliverableStatus[] = [
  DeliverableStatus.PLANNED,
  DeliverableStatus.SUBMITTED,
  DeliverableStatus.CHANGES_REQUESTED,
  DeliverableStatus.APPROVED,
];

/** The due-date order of deliverable lists (the review queue's SQL keeps the same order and cursor). */
const DUE_ORDER: KeysetOrder<Deliverable> = { column: 'd.due_on', direction: 'ASC', part: 'date', cast: 'date', keyOf: (d) => d.dueOn };

/** Partnerships whose content is being made: drafts, reviews and posts are accepted only then. */
const WORKING: ReadonlySet<PartnershipStatus> = new Set([
  PartnershipStatus.ACCEPTED,
  PartnershipStatus.CONTRACTED,
  PartnershipStatus.ACTIVE,
]);

function bounded(value: string | undefined | null, field: string, max: number): string {
  const text = (value ?? '').trim();
  if (text.length > max) throw badInput(field, `must be at most ${max.toLocaleString('en-US')} characters`);
  return text;
}

export function deliverableSnapshot(
  d: Deliverable,
  previousStatus: DeliverableStatus | null,
  draftVersion: number | null,
): DeliverableEventData {
  return {
    deliverableId: d.id,
    partnershipId: d.partnershipId,
    campaignId: d.campaignId,
    brandId: d.brandId,
    creatorId: d.creatorId,
    sequence: d.sequence,
    platform: d.platform,
    format: d.format,
    dueOn: d.dueOn,
    status: d.status,
    previousStatus,
    postUrl: d.postUrl,
    draftVersion,
    ugcReuseAllowed: d.ugcReuseAllowed,
    flagReason: d.flagReason,
  };
}

/**
 * Deliverables: the posting schedule a partnership's terms promise, drafts and their reviews, the post
 * and its verification, UGC permission, and content flags. Moves follow the deliverable status machine,
 * under a row lock, each announced on campaign.events.
 */
export class DeliverableService {
  constructor(private readonly compliance: ComplianceService) {}

  /**
   * The posting schedule of an accepted partnership: one deliverable per promised piece, due as agreed,
   * and for a long-term partnership the month's set again every month of its length (posting-schedule.ts).
   */
  async schedule(tx: EntityManager, p: Partnership): Promise<void> {
    const repo = tx.getRepository(Deliverable);
    const rows = postingSchedule(p.deliverableTerms, p.lengthMonths).map((piece) =>
      repo.create({
        partnershipId: p.id,
        campaignId: p.campaignId,
        brandId: p.brandId,
        creatorId: p.creatorId,
        ...piece,
        status: DeliverableStatus.PLANNED,
        ugcReuseAllowed: false,
      }),
    );
    await repo.save(rows);
  }

  async submitDraft(ctx: RequestContext, input: SubmitDraftInput): Promise<Deliverable> {
    const mover = await this.mover(ctx, input.deliverableId, DeliverableStatus.SUBMITTED);
    const problems = new InputProblems();
    const draftUrl = problems.check(() => parseHttpUrl(input.draftUrl, 'input.draftUrl'));
    const caption = problems.check(() => bounded(input.caption, 'input.caption', 2200));
    const note = problems.check(() => bounded(input.note, 'input.note', 2000));
    problems.throwIfAny();
    return this.move(ctx, mover, async (tx, d, identity) => {
      const latest = await latestDraftVersion(tx, d.id);
      const compliance = await this.compliance.checkDraft(tx, d.partnershipId, { caption: caption!, note: note! });
      const repo = tx.getRepository(DeliverableSubmission);
      await repo.save(
        repo.create({ deliverableId: d.id, version: latest + 1, draftUrl, caption, note, submittedBy: identity, compliance }),
      );
      return { draftVersion: latest + 1 };
    });
  }

  async review(ctx: RequestContext, input: ReviewDraftInput): Promise<Deliverable> {
    const to = input.decision === ReviewDecision.APPROVED ? DeliverableStatus.APPROVED : DeliverableStatus.CHANGES_REQUESTED;
    const mover = await this.mover(ctx, input.deliverableId, to);
    const problems = new InputProblems();
    const comments = problems.check(() => bounded(input.comments, 'input.comments', 5000));
    if (input.decision === ReviewDecision.CHANGES_REQUESTED && comments === '') {
      problems.add('input.comments', 'say what to change: the creator reads it');
    }
    const reason = input.overrideCompliance ? problems.check(() => overrideReason(input)) : undefined;
    problems.throwIfAny();
    return this.move(ctx, mover, async (tx, d, identity) => {
      const latest = await latestDraftVersion(tx, d.id);
      const submission = await tx.getRepository(DeliverableSubmission).findOneByOrFail({ deliverableId: d.id, version: latest });
      const complianceOverride = approvalOverride(input.decision, submission, reason, identity);
      const repo = tx.getRepository(DeliverableReview);
      await repo.save(
        repo.create({
          deliverableId: d.id,
          submissionVersion: latest,
          decision: input.decision,
          comments,
          reviewedBy: identity,
          complianceOverride: complianceOverride
            ? {
                ...complianceOverride,
                overriddenAt: new Date(complianceOverride.overriddenAt),
                findings: complianceOverride.findings as ComplianceFindingKind[],
              }
            : null,
        }),
      );
      return { draftVersion: latest, complianceOverride };
    });
  }

  async markPosted(ctx: RequestContext, id: string, postUrl: string): Promise<Deliverable> {
    const mover = await this.mover(ctx, id, DeliverableStatus.POSTED);
    const url = parseHttpUrl(postUrl, 'postUrl');
    return this.move(ctx, mover, async (_tx, d) => {
      d.postUrl = url;
      d.postedAt = new Date();
      d.overdueSince = null;
      return { draftVersion: null };
    });
  }

  async verify(ctx: RequestContext, id: string): Promise<Deliverable> {
    return this.move(ctx, await this.mover(ctx, id, DeliverableStatus.VERIFIED), async (_tx, d) => {
      d.verifiedAt = new Date();
      return { draftVersion: null };
    });
  }

  /** The creator grants or withdraws the brand's right to reuse this content (UGC). */
  async setUgcReuse(ctx: RequestContext, id: string, allowed: boolean, until?: string | null): Promise<Deliverable> {
    const d = await this.get(ctx, id);
    if (sideOf(ctx, d) !== 'creator') throw forbidden('Only the creator grants or withdraws UGC reuse of their content');
    const lastDay = until ? isoDate(until, 'until') : null;
    if (lastDay && lastDay < todayUtc()) throw badInput('until', 'must be today or later');
    if (lastDay && !allowed) throw badInput('until', 'give a last day only when allowing reuse');
    return ctx.transaction(async (tx) => {
      const repo = tx.getRepository(Deliverable);
      const locked = (await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } }))!;
      locked.ugcReuseAllowed = allowed;
      locked.ugcReuseUntil = allowed ? lastDay : null;
      return repo.save(locked);
    });
  }

  /**
   * The brand's content library: approved and posted content of all its partnerships, newest first, each
   * with its reuse permission and last day; `reusableOnly` keeps what the brand may reuse today.
   */
  library(ctx: RequestContext, args: ContentLibraryArgs): Promise<Connection<Deliverable>> {
    ctx.requireBrand(args.brandId, ['brand_member', 'analyst']);
    const qb = ctx.dataSource
      .getRepository(Deliverable)
      .createQueryBuilder('d')
      .where('d.brand_id = :brandId', { brandId: args.brandId })
      .andWhere(`d.status IN ('approved', 'posted', 'verified')`);
    if (args.reusableOnly) {
      qb.andWhere('d.ugc_reuse_allowed AND (d.ugc_reuse_until IS NULL OR d.ugc_reuse_until >= :today)', { today: todayUtc() });
    }
    return newestFirstPage(qb, args);
  }

  /** Crisis handling: the brand flags a piece of content with a reason (or clears the flag with null). */
  async flag(ctx: RequestContext, id: string, reason: string | null): Promise<Deliverable> {
    const d = await this.get(ctx, id);
    const identity = ctx.requireBrand(d.brandId);
    const text = reason === null ? null : bounded(reason, 'reason', 1000);
    if (text === '') throw badInput('reason', 'say why the content is flagged');
    return ctx.transaction(async (tx) => {
      const repo = tx.getRepository(Deliverable);
      const locked = (await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } }))!;
      const wasFlagged = locked.flaggedAt !== null;
      if (text === null && !wasFlagged) return locked;
      locked.flagReason = text;
      locked.flaggedAt = text === null ? null : new Date();
      locked.flaggedBy = text === null ? null : identity.sub;
      await repo.save(locked);
      await ctx.emit(tx, TOPICS.campaign, {
        type: text === null ? 'deliverable.unflagged' : 'deliverable.flagged',
        subject: locked.id,
        brandid: locked.brandId,
        data: deliverableSnapshot(locked, locked.status, null),
      });
      return locked;
    });
  }

  /** The brand's flagged content, most recently flagged first. */
  async flagged(ctx: RequestContext, args: FlaggedContentArgs): Promise<Connection<Deliverable>> {
    ctx.requireBrand(args.brandId, ['brand_member', 'analyst']);
    const qb = ctx.dataSource
      .getRepository(Deliverable)
      .createQueryBuilder('d')
      .where('d.brand_id = :brandId AND d.flagged_at IS NOT NULL', { brandId: args.brandId });
    return keysetPage(qb, { column: 'd.flagged_at', direction: 'DESC', part: 'timestamp', keyOf: (d) => d.flaggedAt!.toISOString() }, args);
  }

  /**
   * The overdue rule, the only one (run by the lifecycle task): a deliverable of a partnership at work,
   * not yet posted, whose due date is before `today`, is overdue since the day after its due date.
   * Posting clears it. Returns how many it marked.
   */
  async markOverdue(tx: EntityManager, today: string): Promise<number> {
    const [, marked] = (await tx.query(
      `UPDATE deliverables d SET overdue_since = d.due_on + 1, updated_at = now()
         FROM partnerships p
        WHERE p.id = d.partnership_id AND p.status = ANY($2) AND d.status = ANY($3)
          AND d.due_on < $1::date AND d.overdue_since IS NULL`,
      [today, [...WORKING], NOT_YET_POSTED],
    )) as [unknown, number];
    return marked;
  }

  /** The brand's deliverables across its campaigns, by status and overdue, in due order. */
  async forBrand(ctx: RequestContext, args: BrandDeliverablesArgs): Promise<Connection<Deliverable>> {
    ctx.requireBrand(args.brandId, ['brand_member', 'analyst']);
    const qb = ctx.dataSource.getRepository(Deliverable).createQueryBuilder('d').where('d.brand_id = :brandId', { brandId: args.brandId });
    if (args.statuses?.length) qb.andWhere('d.status IN (:...statuses)', { statuses: args.statuses });
    if (args.overdue != null) qb.andWhere(args.overdue ? 'd.overdue_since IS NOT NULL' : 'd.overdue_since IS NULL');
    return keysetPage(qb, DUE_ORDER, args);
  }

  /**
   * What waits for the brand across its campaigns, in due order, each with why (ReviewReason): drafts
   * awaiting review and overdue deliverables of partnerships at work, and flagged content. The reasons
   * are decided here, in one statement, and the queue is what has at least one.
   */
  async reviewQueue(ctx: RequestContext, args: ReviewQueueArgs): Promise<Connection<ReviewQueueItem>> {
    ctx.requireBrand(args.brandId, ['brand_member', 'analyst']);
    const limit = pageSize(args.first);
    const params: unknown[] = [args.brandId, [...WORKING], DeliverableStatus.SUBMITTED, limit + 1];
    let after = '';
    if (args.after) {
      params.push(...decodeCursor(args.after, ['date', 'uuid']));
      after = `AND (q.due_on, q.id) > ($5::date, $6::uuid)`;
    }
    const rows = (await ctx.dataSource.query(
      `SELECT q.id, q.due_on::text AS "dueOn", q.reasons FROM (
         SELECT d.id, d.due_on, array_remove(ARRAY[
             CASE WHEN p.status = ANY($2) AND d.status = $3 THEN '${ReviewReason.AWAITING_REVIEW}' END,
             CASE WHEN p.status = ANY($2) AND d.overdue_since IS NOT NULL THEN '${ReviewReason.OVERDUE}' END,
             CASE WHEN d.flagged_at IS NOT NULL THEN '${ReviewReason.FLAGGED}' END
           ], NULL) AS reasons
           FROM deliverables d JOIN partnerships p ON p.id = d.partnership_id
          WHERE d.brand_id = $1
       ) q
       WHERE cardinality(q.reasons) > 0 ${after}
       ORDER BY q.due_on, q.id LIMIT $4`,
      params,
    )) as { id: string; dueOn: string; reasons: ReviewReason[] }[];
    const deliverables = await Promise.all(rows.map((r) => this.load(ctx, r.id)));
    const items = rows.map((r, i) => ({ ...r, deliverable: deliverables[i]! }));
    return toConnection(items, limit, (item) => [item.dueOn, item.id], !!args.after);
  }

  /** A deliverable its brand's members and analysts, its creator, and admins may see; NOT_FOUND for others. */
  async get(ctx: RequestContext, id: string): Promise<Deliverable> {
    ctx.requireIdentity();
    const d = await this.visibleReference(ctx, id);
    if (!d) throw notFound('Deliverable', id);
    return d;
  }

  /**
   * A deliverable its brand's members and analysts, its creator and admins may see, else null: what
   * another subgraph gets when it references the deliverable (federation), and what `get` checks.
   */
  async visibleReference(ctx: RequestContext, id: string): Promise<Deliverable | null> {
    const d = await this.load(ctx, id);
    return d && canSeeAsParty(ctx, d) ? d : null;
  }

  load(ctx: RequestContext, id: string): Promise<Deliverable | null> {
    return loadById(ctx, Deliverable, id);
  }

  /** A partnership's deliverables in schedule order (batched across partnerships). */
  ofPartnership(ctx: RequestContext, partnershipId: string): Promise<Deliverable[]> {
    return loadManyBy(ctx, Deliverable, 'partnershipId', partnershipId, { sequence: 'ASC' });
  }

  /** Every draft of each deliverable, first to latest (batched). */
  submissions(ctx: RequestContext, deliverableId: string): Promise<DeliverableSubmission[]> {
    return loadManyBy(ctx, DeliverableSubmission, 'deliverableId', deliverableId, { version: 'ASC' });
  }

  /** Every review of each deliverable, first to latest (batched). */
  reviews(ctx: RequestContext, deliverableId: string): Promise<DeliverableReview[]> {
    return loadManyBy(ctx, DeliverableReview, 'deliverableId', deliverableId, { createdAt: 'ASC', id: 'ASC' });
  }

  /**
   * Who may make a move, checked before its input and its state: the caller must see the deliverable
   * (else NOT_FOUND), act for one of its sides (else FORBIDDEN), and be the side that makes moves into
   * `to` (else FORBIDDEN, whatever the status is now).
   */
  private async mover(ctx: RequestContext, id: string, to: DeliverableStatus): Promise<Mover> {
    const visible = await this.get(ctx, id);
    const actor = sideOf(ctx, visible);
    deliverableMachine.assertActor(to, actor);
    return { id, to, actor, identity: ctx.requireIdentity().sub };
  }

  /**
   * One move, under the row's lock: the partnership must be at work and the machine must allow it from
   * where the deliverable is now; `apply` records what goes with the move and returns its draft version.
   */
  private async move(
    ctx: RequestContext,
    mover: Mover,
    apply: (tx: EntityManager, d: Deliverable, identity: string) => Promise<MoveRecord>,
  ): Promise<Deliverable> {
    const { id, to, actor, identity } = mover;
    return ctx.transaction(async (tx) => {
      const repo = tx.getRepository(Deliverable);
      const d = (await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } }))!;
      const partnership = await tx.getRepository(Partnership).findOneByOrFail({ id: d.partnershipId });
      if (!WORKING.has(partnership.status)) {
        throw invalidState(`The partnership is ${partnership.status}: its content cannot move now`, {
          partnershipStatus: partnership.status,
        });
      }
      if (GOES_LIVE.has(to)) {
        const campaign = await tx.getRepository(Campaign).findOneByOrFail({ id: d.campaignId });
        if (campaign.status !== CampaignStatus.ACTIVE) {
          throw invalidState(`The campaign is ${campaign.status}: content is posted and verified only while it is active`, {
            campaignStatus: campaign.status,
          });
        }
      }
      const from = d.status;
      deliverableMachine.assert(from, to, actor);
      d.status = to;
      const { draftVersion, complianceOverride } = await apply(tx, d, identity);
      await repo.save(d);
      const data = deliverableSnapshot(d, from, draftVersion);
      await ctx.emit(tx, TOPICS.campaign, {
        type: deliverableEventType(from, to),
        subject: d.id,
        brandid: d.brandId,
        data: complianceOverride ? { ...data, complianceOverride } : data,
      });
      return d;
    });
  }
}

/** A move its caller may make: the deliverable, where to, as which side, by whom. */
interface Mover {
  id: string;
  to: DeliverableStatus;
  actor: DeliverableActor;
  identity: string;
}

/** What a move records for its event: the draft it is about, and an approval's compliance override. */
interface MoveRecord {
  draftVersion: number | null;
  complianceOverride?: ComplianceOverrideData;
}

const OVERRIDE_REASON = 2000;

/** An override's reason: said (1 to 2,000 characters), and only with an approval. */
function overrideReason(input: ReviewDraftInput): string {
  if (input.decision !== ReviewDecision.APPROVED) {
    throw badInput('input.overrideCompliance', 'an override goes with an approval only');
  }
  const reason = bounded(input.overrideCompliance!.reason, 'input.overrideCompliance.reason', OVERRIDE_REASON);
  if (!reason) throw badInput('input.overrideCompliance.reason', 'say why the draft may go out despite its findings');
  return reason;
}

/**
 * The compliance rule of an approval: a draft that fails its check is approved only with an override
 * (INVALID_STATE without, naming the findings' kinds); an override of a draft that passes is refused.
 * Drafts submitted before checks existed have none and need none.
 */
function approvalOverride(
  decision: ReviewDecision,
  submission: DeliverableSubmission,
  reason: string | undefined,
  identity: string,
): ComplianceOverrideData | undefined {
  if (decision !== ReviewDecision.APPROVED) return undefined;
  const failing = submission.compliance && !submission.compliance.passed ? submission.compliance.findings.map((f) => f.kind) : [];
  if (failing.length === 0) {
    if (reason !== undefined)
      throw badInput('input.overrideCompliance', 'the draft passes its compliance check: there is nothing to override');
    return undefined;
  }
  const findings = [...new Set(failing)];
  if (reason === undefined) {
    throw invalidState(
      `The draft fails its compliance check (${findings.join(', ')}): ask for changes, or approve with overrideCompliance and a reason`,
      { findings },
    );
  }
  return { reason, overriddenBy: identity, overriddenAt: new Date().toISOString(), findings };
}
