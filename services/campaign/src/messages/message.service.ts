import type { EntityManager } from 'typeorm';
import { Connection, InputProblems, invalidState, newestFirstPageBy, PageArgs, RequestContext, badInput, uuidv7 } from '@influenceflow/kit';
import { MessagePostedData, TOPICS } from '@influenceflow/vocabulary';
import { sideOf } from '../parties';
import { parseDestinationUrl } from '../tracking/destination';
import type { PartnershipService } from '../partnerships/partnership.service';
import { Partnership } from '../partnerships/partnership.entity';
import { PartnershipStatus } from '../partnerships/partnership-status';
import { MessageAttachment, MessageSide, PartnershipMessage } from './message.entity';
import { PostMessageInput } from './message.types';

const MAX_BODY = 5_000;
const MAX_ATTACHMENTS = 10;
const MAX_ATTACHMENT_NAME = 200;
const MAX_CLIENT_ID = 100;

/** A thread is open while the partnership is: after it ends (declined, completed, terminated) it is read-only. */
const CLOSED: ReadonlySet<PartnershipStatus> = new Set([
  PartnershipStatus.DECLINED,
  PartnershipStatus.COMPLETED,
  PartnershipStatus.TERMINATED,
]);

/**
 * A message thread per partnership between its brand's members and its creator, latest first, with how far
 * each reader has read. Whoever may see the partnership reads the thread (its brand's analysts too); its
 * members and its creator write (admins as the brand). Posts are announced as `message.posted`.
 */
export class MessageService {
  constructor(private readonly partnerships: PartnershipService) {}

  async post(ctx: RequestContext, input: PostMessageInput): Promise<PartnershipMessage> {
    const partnership = await this.partnerships.get(ctx, input.partnershipId);
    const side = sideOf(ctx, partnership) as MessageSide;
    const author = ctx.requireIdentity().sub;
    const { body, attachments, clientMessageId } = checkedMessage(ctx, input);

    return ctx.transaction(async (tx) => {
      // The partnership's row orders a post against the move that closes its thread.
      const p = (await tx.getRepository(Partnership).findOne({ where: { id: partnership.id }, lock: { mode: 'pessimistic_read' } }))!;
      if (CLOSED.has(p.status)) {
        throw invalidState(`The partnership is ${p.status}: its thread is read-only`, { partnershipStatus: p.status });
      }
      const repo = tx.getRepository(PartnershipMessage);
      if (clientMessageId) {
        const earlier = await repo.findOneBy({ partnershipId: p.id, authorSubject: author, clientMessageId });
        if (earlier) return earlier;
      }
      const message = await repo.save(
        repo.create({
          id: uuidv7(),
          partnershipId: p.id,
          campaignId: p.campaignId,
          brandId: p.brandId,
          creatorId: p.creatorId,
          authorSide: side,
          authorSubject: author,
          clientMessageId,
          body,
          attachments,
        }),
      );
      // The author has read everything up to their own message.
      await this.markRead(tx, p.id, author, side, message);
      const data: MessagePostedData = {
        messageId: message.id,
        partnershipId: p.id,
        campaignId: p.campaignId,
        brandId: p.brandId,
        creatorId: p.creatorId,
        authorSide: side,
        authorSubject: author,
        body,
        attachments,
        postedAt: message.createdAt.toISOString(),
      };
      await ctx.emit(tx, TOPICS.campaign, { type: 'message.posted', subject: p.id, brandid: p.brandId, data });
      return message;
    });
  }

  /** The thread of a partnership the caller may see (checked when it was loaded), latest first. */
  thread(ctx: RequestContext, partnership: Partnership, args: PageArgs): Promise<Connection<PartnershipMessage>> {
    return newestFirstPageBy(ctx, { entity: PartnershipMessage, keyColumn: 'partnership_id', key: partnership.id, args });
  }

  /** Marks the thread read by the caller up to a message of it (default: the latest). */
  async markThreadRead(ctx: RequestContext, partnershipId: string, upTo: string | null | undefined): Promise<Partnership> {
    const partnership = await this.partnerships.get(ctx, partnershipId);
    const reader = ctx.requireIdentity().sub;
    const side = readerSide(ctx, partnership);
    return ctx.transaction(async (tx) => {
      const repo = tx.getRepository(PartnershipMessage);
      const message = upTo
        ? await repo.findOneBy({ id: upTo, partnershipId })
        : await repo.findOne({ where: { partnershipId }, order: { createdAt: 'DESC', id: 'DESC' } });
      if (upTo && !message) throw badInput('upTo', "must be a message of this partnership's thread");
      if (message) await this.markRead(tx, partnershipId, reader, side, message);
      return partnership;
    });
  }

  /** Messages of the other side the caller has not read yet (batched across partnerships). */
  unreadCount(ctx: RequestContext, partnership: Partnership): Promise<number> {
    const reader = ctx.requireIdentity().sub;
    const side = readerSide(ctx, partnership);
    return ctx.loaders
      .get<string, number>(`messages.unread:${reader}:${side}`, async (ids) => {
        const rows: { partnership_id: string; n: number }[] = await ctx.dataSource.query(
          `SELECT m.partnership_id::text, count(*)::int AS n
             FROM partnership_messages m
             LEFT JOIN partnership_message_reads r ON r.partnership_id = m.partnership_id AND r.reader_subject = $2
            WHERE m.partnership_id = ANY($1) AND m.author_side <> $3
              AND (r.read_up_to IS NULL OR (m.created_at, m.id) > (r.read_up_to, r.read_up_to_id))
            GROUP BY m.partnership_id`,
          [[...ids], reader, side],
        );
        const counts = new Map(rows.map((r) => [r.partnership_id, r.n]));
        return ids.map((id) => counts.get(id) ?? 0);
      })
      .load(partnership.id);
  }

  /** Whether someone on the other side of the message's author has read up to it (batched). */
  async readByOtherSide(ctx: RequestContext, message: PartnershipMessage): Promise<boolean> {
    const other = message.authorSide === MessageSide.BRAND ? MessageSide.CREATOR : MessageSide.BRAND;
    const mark = await ctx.loaders
      .get<string, { at: Date; id: string } | null>(`messages.readMark:${other}`, async (ids) => {
        const rows: { partnership_id: string; at: Date; id: string }[] = await ctx.dataSource.query(
          `SELECT DISTINCT ON (partnership_id) partnership_id::text, read_up_to AS at, read_up_to_id::text AS id
             FROM partnership_message_reads WHERE partnership_id = ANY($1) AND reader_side = $2
            ORDER BY partnership_id, read_up_to DESC, read_up_to_id DESC`,
          [[...ids], other],
        );
        const marks = new Map(rows.map((r) => [r.partnership_id, { at: r.at, id: r.id }]));
        return ids.map((id) => marks.get(id) ?? null);
      })
      .load(message.partnershipId);
    if (!mark) return false;
    const at = mark.at.getTime();
    const posted = message.createdAt.getTime();
    return posted < at || (posted === at && message.id <= mark.id);
  }

  /** Moves a reader's mark forward to `message` (never back). */
  private async markRead(
    tx: EntityManager,
    partnershipId: string,
    reader: string,
    side: MessageSide,
    message: PartnershipMessage,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO partnership_message_reads (partnership_id, reader_subject, reader_side, read_up_to, read_up_to_id)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (partnership_id, reader_subject) DO UPDATE
         SET read_up_to = excluded.read_up_to, read_up_to_id = excluded.read_up_to_id, reader_side = excluded.reader_side, updated_at = now()
         WHERE (partnership_message_reads.read_up_to, partnership_message_reads.read_up_to_id) < (excluded.read_up_to, excluded.read_up_to_id)`,
      [partnershipId, reader, side, message.createdAt, message.id],
    );
  }
}

/** The side a reader is on: the creator, or the brand (members, analysts and admins). */
function readerSide(ctx: RequestContext, p: Partnership): MessageSide {
  return !ctx.isAdmin && ctx.isCreator(p.creatorId) ? MessageSide.CREATOR : MessageSide.BRAND;
}

/**
 * A message's body, links and client id, each checked; every bad field reported at once. Links are what
 * the other side clicks in the product: public http(s) URLs on a domain name, like the destinations of
 * tracking links (no user name before the host to disguise it, no localhost, intranet or private address).
 */
function checkedMessage(
  ctx: RequestContext,
  input: PostMessageInput,
): { body: string; attachments: MessageAttachment[]; clientMessageId: string | null } {
  const problems = new InputProblems();
  const body = input.body.trim();
  if (body.length === 0) problems.add('input.body', 'must not be empty');
  if (body.length > MAX_BODY) problems.add('input.body', `must be at most ${MAX_BODY.toLocaleString('en-US')} characters`);
  const given = input.attachments ?? [];
  if (given.length > MAX_ATTACHMENTS) problems.add('input.attachments', `give at most ${MAX_ATTACHMENTS} links`);
  const attachments = given.slice(0, MAX_ATTACHMENTS).map((a, i) => {
    const url = problems.check(() => parseDestinationUrl(ctx, a.url, `input.attachments.${i}.url`)) ?? '';
    const name = a.name?.trim() || null;
    if (name && name.length > MAX_ATTACHMENT_NAME)
      problems.add(`input.attachments.${i}.name`, `must be at most ${MAX_ATTACHMENT_NAME} characters`);
    return { url, name };
  });
  const clientMessageId = input.clientMessageId?.trim() || null;
  if (clientMessageId && clientMessageId.length > MAX_CLIENT_ID)
    problems.add('input.clientMessageId', `must be at most ${MAX_CLIENT_ID} characters`);
  problems.throwIfAny();
  return { body, attachments, clientMessageId };
}
