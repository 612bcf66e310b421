import {
  AppError,
  badInput,
  conflict,
  Connection,
  ErrorCode,
  EventHandlerContext,
  forbidden,
  invalidState,
  isUuid,
  keysetPage,
  loadById,
  loadManyBy,
  Logger,
  notFound,
  Outbox,
  RequestContext,
  toConnection,
} from '@influenceflow/kit';
import type { CampaignEventData, ContractMilestoneData, PartnershipEventData } from '@influenceflow/vocabulary';
import { decodeJwt } from 'jose';
import { In, IsNull, type DataSource, type EntityManager } from 'typeorm';
import { ContractTemplate } from '../templates/contract-template.entity';
import { consentStatement, renderContractDocument, sha256Hex, SHA256_HEX } from './contract-document';
import { Contract, ContractSignature } from './contract.entity';
import { contractEventData, emitContractEvent } from './contract-events';
import { ContractActor, contractMachine, ContractStatus, OPEN_CONTRACT, SIGNABLE } from './contract-status';
import { checkTerms, ContractTerms, contractTitle, defaultMilestones, resolveMilestones } from './contract-terms';
import type { AuditEntryView, TrailHead } from './seams';
import type { ContractsArgs, ContractTermsInput, MyContractsArgs } from './contract.types';
import type { AuditEntryInput, AuditLog, Certificates, PdfSealer } from './seams';
import { rateLimited, SignRefusals } from './sign-refusals';
import { applyTermsPatch } from './terms-patch';

/** How a caller stands to a contract: one of its parties, an analyst of its brand, an admin, or nobody. */
export type ContractSide = 'brand' | 'creator' | 'analyst' | 'admin';

export function sideOf(ctx: RequestContext, c: { brandId: string; creatorId: string }): ContractSide | null {
  if (ctx.isAdmin) return 'admin';
  if (ctx.canActForBrand(c.brandId)) return 'brand';
  if (ctx.isCreator(c.creatorId)) return 'creator';
  if (ctx.canActForBrand(c.brandId, ['analyst'])) return 'analyst';
  return null;
}

/** Whether a side sees all of a contract (terms, document, signatures, audit trail), not just that it exists. */
export const seesAll = (side: ContractSide | null): boolean => side === 'brand' || side === 'creator' || side === 'admin';

const MAX_REASON = 1000;
const MAX_NAME = 200;
const SYSTEM = 'system';

function reasonOf(reason: string | null | undefined, missing = 'say why the contract ends: the other party reads it'): string {
  const text = (reason ?? '').trim();
  if (!text) throw badInput('reason', missing);
  if (text.length > MAX_REASON) throw badInput('reason', `must be at most ${MAX_REASON.toLocaleString('en-US')} characters`);
  return text;
}

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/**
 * The audit head hash an executed contract's certificate of completion recorded (its own stored
 * certificate, read without checking the signature: it is the platform's), or null without one.
 */
export function auditAnchorOf(c: Pick<Contract, 'certificateJws'>): string | null {
  if (!c.certificateJws) return null;
  try {
    const claims = decodeJwt(c.certificateJws) as { auditHeadHash?: unknown };
    return typeof claims.auditHeadHash === 'string' ? claims.auditHeadHash : null;
  } catch {
    return null;
  }
}

/** The terms a draft starts from: what the partnership's accepted offer agreed, and the platform's defaults for the rest. */
export function termsFromPartnership(data: PartnershipEventData): ContractTerms {
  const compensation = {
    currency: data.fee.currency,
    flatFeeMinor: data.fee.amountMinor > 0 ? data.fee.amountMinor : null,
    commissionPercent: data.commissionPercent && data.commissionPercent > 0 ? data.commissionPercent : null,
    bonus: null,
    product: null,
  };
  const deliverables = data.deliverables.map((d) => ({ platform: d.platform, format: d.format, count: d.count, dueOn: d.dueOn }));
  const parties = data.parties;
  return {
    parties: {
      brandId: data.brandId,
      brandName: parties?.brandName ?? 'the Brand',
      creatorId: data.creatorId,
      creatorName: parties?.creatorName ?? 'the Creator',
      creatorHandle: parties?.creatorHandle ?? null,
    },
    campaign: {
      id: data.campaignId,
      name: parties?.campaignName ?? 'the campaign',
      startsOn: parties?.campaignStartsOn ?? null,
      endsOn: parties?.campaignEndsOn ?? null,
    },
    briefVersion: data.briefVersion,
    lengthMonths: data.lengthMonths,
    deliverables,
    compensation,
    milestones: defaultMilestones(compensation, deliverables.length),
    usageRights: { scope: "the brand's own social media channels and website (organic, not paid ads)", durationMonths: 12 },
    exclusivity: null,
    paymentNetDays: 30,
    cancellationNoticeDays: 14,
  };
}

/** A sealed PDF as stored, with the SHA-256 verification looks it up by. */
export interface StoredPdf {
  pdf: Buffer;
  sha256: string;
}

export interface SignInput {
  contractId: string;
  documentSha256: string;
  consent: string;
  signerName?: string | null;
}

/**
 * Contracts as data: a draft is generated when a partnership is accepted (campaign's event), the brand
 * edits its terms and sends it, both parties sign it (the second signature executes it: certificate of
 * completion, sealed PDF, contract.executed), an executed one is amended by a new version both sign, and
 * either party (or the end of the partnership) ends it. Every move is checked against the status machine
 * under the contract's row lock, written to the audit trail and, where others need it, announced on
 * contract.events through the outbox.
 */
export class ContractService {
  private readonly refusals: SignRefusals;

  constructor(
    private readonly audit: AuditLog,
    private readonly certificates: Certificates,
    private readonly pdf: PdfSealer,
    /** Where the platform's public routes are (the verify link printed on the certificate page). */
    private readonly publicBaseUrl: () => string,
  ) {
    this.refusals = new SignRefusals(audit);
  }

  // ---- reading ----

  /** A contract its parties, its brand's analysts and admins may see; NOT_FOUND for everyone else. */
  async get(ctx: RequestContext, id: string): Promise<Contract> {
    ctx.requireIdentity();
    const c = await this.visible(ctx, id);
    if (!c) throw notFound('Contract', id);
    return c;
  }

  /** The contract if the caller may see it, else null (federation references, Partnership.contract). */
  async visible(ctx: RequestContext, id: string): Promise<Contract | null> {
    if (!isUuid(id)) return null;
    const c = await loadById(ctx, Contract, id.toLowerCase());
    return c && sideOf(ctx, c) ? c : null;
  }

  /**
   * The partnership's contract the caller may see: the version in force (executed or completed), else the
   * latest version; null when there is none or the caller is not a party, an analyst of the brand or an admin.
   */
  async forPartnership(ctx: RequestContext, partnershipId: string): Promise<Contract | null> {
    if (!ctx.identity || !isUuid(partnershipId)) return null;
    const versions = await loadManyBy(ctx, Contract, 'partnershipId', partnershipId.toLowerCase(), { version: 'DESC' });
    const current =
      versions.find((c) => c.status === ContractStatus.EXECUTED || c.status === ContractStatus.COMPLETED) ?? versions[0] ?? null;
    return current && sideOf(ctx, current) ? current : null;
  }

  /** The amendment of an executed contract still on its way (draft, sent or signed by one party), if any. */
  async pendingAmendment(ctx: RequestContext, c: Contract): Promise<Contract | null> {
    const versions = await loadManyBy(ctx, Contract, 'partnershipId', c.partnershipId, { version: 'DESC' });
    return versions.find((v) => v.amendsId === c.id && OPEN_CONTRACT.includes(v.status) && v.status !== ContractStatus.EXECUTED) ?? null;
  }

  /** A brand's contracts for its members and analysts, newest first. */
  list(ctx: RequestContext, args: ContractsArgs): Promise<Connection<Contract>> {
    ctx.requireBrand(args.brandId, ['brand_member', 'analyst']);
    const qb = ctx.dataSource.getRepository(Contract).createQueryBuilder('t').where('t.brand_id = :brandId', { brandId: args.brandId });
    if (args.statuses?.length) qb.andWhere('t.status IN (:...statuses)', { statuses: [...new Set(args.statuses)] });
    return keysetPage(qb, { column: 't.created_at', direction: 'DESC', part: 'timestamp', keyOf: (r) => r.createdAt.toISOString() }, args);
  }

  /** The calling creator's contracts, newest first. */
  async mine(ctx: RequestContext, args: MyContractsArgs): Promise<Connection<Contract>> {
    const identity = ctx.requireRole('creator');
    if (!identity.creatorId) {
      if (ctx.isAdmin) return toConnection<Contract>([], 1, () => [], false);
      throw forbidden('Your token names no creator profile');
    }
    const qb = ctx.dataSource
      .getRepository(Contract)
      .createQueryBuilder('t')
      .where('t.creator_id = :creatorId', { creatorId: identity.creatorId });
    if (args.statuses?.length) qb.andWhere('t.status IN (:...statuses)', { statuses: [...new Set(args.statuses)] });
    return keysetPage(qb, { column: 't.created_at', direction: 'DESC', part: 'timestamp', keyOf: (r) => r.createdAt.toISOString() }, args);
  }

  /** The signatures that count: made on the current document, not voided by a recall. */
  async signatures(ctx: RequestContext, c: Contract): Promise<ContractSignature[]> {
    return (await loadManyBy(ctx, ContractSignature, 'contractId', c.id, { signedAt: 'ASC' })).filter((s) => !s.voidedAt);
  }

  /** The signatures a recall voided (kept, never counted again), oldest first. */
  async voidedSignatures(ctx: RequestContext, c: Contract): Promise<ContractSignature[]> {
    return (await loadManyBy(ctx, ContractSignature, 'contractId', c.id, { signedAt: 'ASC' })).filter((s) => s.voidedAt);
  }

  /** The contract's audit entries, batched for every contract of the request (one query). */
  auditTrail(ctx: RequestContext, c: Contract): Promise<AuditEntryView[]> {
    return ctx.loaders.get<string, AuditEntryView[]>('contracts:auditEntries', (ids) => this.audit.listMany(ids)).load(c.id);
  }

  /**
   * Whether the audit trail is whole. For an executed contract the chain must also hold the head hash its
   * certificate of completion recorded (kept outside the trail), so a trail rewritten from scratch, even
   * with recomputed hashes, is found. Entries and heads are batched for every contract of the request.
   */
  async auditIntact(ctx: RequestContext, c: Contract): Promise<boolean> {
    const anchorHash = auditAnchorOf(c);
    const [entries, head] = await Promise.all([
      this.auditTrail(ctx, c),
      ctx.loaders.get<string, TrailHead | null>('contracts:auditHeads', (ids) => this.audit.headsOf(ids)).load(c.id),
    ]);
    const expect = anchorHash ? { anchorHash } : {};
    if (this.audit.check(entries, head, expect).intact) return true;
    // The trail and its head were read apart, and the same request may append to the trail (a party's first
    // read of the document writes `viewed`): before saying it is broken, read both again from one snapshot.
    return ctx.runtime.dataSource.transaction('REPEATABLE READ', async (tx) => (await this.audit.verify(c.id, tx, expect)).intact);
  }

  /**
   * The sealed PDF of an executed contract. It is made after the execution committed (`sign`); one that is
   * missing (the process stopped in between, or it failed) is made and stored on this first request.
   */
  async sealedPdfOf(ctx: RequestContext, c: Contract): Promise<StoredPdf | null> {
    const stored = await this.storedPdf(ctx.dataSource, c.id);
    if (stored || !c.certificateJws) return stored;
    return this.storePdf(ctx.dataSource, c);
  }

  /** The sealed PDF's bytes (see `sealedPdfOf`). */
  async pdfOf(ctx: RequestContext, c: Contract): Promise<Buffer | null> {
    return (await this.sealedPdfOf(ctx, c))?.pdf ?? null;
  }

  /**
   * The document, as a party reads it: the first time each side reads a version is written to the audit
   * trail (`viewed`). Admins read without being recorded as a party.
   */
  async readDocument(ctx: RequestContext, c: Contract): Promise<string> {
    const side = sideOf(ctx, c);
    if (side === 'brand' || side === 'creator') {
      await ctx.transaction(async (tx) => {
        const first = (await tx.query(
          `INSERT INTO contract_views (contract_id, side) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING contract_id`,
          [c.id, side],
        )) as unknown[];
        if (first.length) {
          await this.audit.append(tx, c.id, {
            action: 'viewed',
            actor: ctx.identity!.sub,
            actorRole: side,
            at: new Date(),
            details: { version: c.version, documentSha256: c.documentSha256, ...this.clientOf(ctx) },
          });
        }
      });
    }
    return c.document;
  }

  consent(c: Contract): string {
    return consentStatement(c, contractTitle(c.terms));
  }

  // ---- the brand's moves ----

  /** The brand edits a draft's terms (partial update); the document is rendered again. */
  async updateTerms(ctx: RequestContext, id: string, input: ContractTermsInput): Promise<Contract> {
    const visible = await this.get(ctx, id);
    const identity = ctx.requireBrand(visible.brandId);
    // Bad input is refused before any lock; the patch itself is applied to the terms read under the lock
    // (a concurrent edit of another field is not lost).
    applyTermsPatch(visible.terms, input, 'input');
    return ctx.transaction(async (tx) => {
      const c = await this.lock(tx, id);
      const { terms, templateId } = applyTermsPatch(c.terms, input, 'input');
      if (c.status !== ContractStatus.DRAFT) {
        const hint = c.status === ContractStatus.EXECUTED ? ': amend it' : SIGNABLE.has(c.status) ? ': recall it first' : '';
        throw invalidState(`Only a draft's terms change; this contract is ${c.status}${hint}`, {
          status: c.status,
        });
      }
      const chosen = templateId === undefined ? c.templateId : templateId;
      const template = await this.templateFor(tx, c.brandId, chosen, 'input.templateId');
      const before = c.documentSha256;
      await this.render(tx, c, terms, template);
      c.templateId = chosen;
      await tx.getRepository(Contract).save(c);
      await this.audit.append(tx, c.id, {
        action: 'amended',
        actor: identity.sub,
        actorRole: 'brand',
        at: new Date(),
        details: {
          version: c.version,
          draft: true,
          fields: Object.keys(input),
          previousDocumentSha256: before,
          documentSha256: c.documentSha256,
        },
      });
      return c;
    });
  }

  /** The brand sends a draft to be signed: draft → sent (contract.sent). */
  async send(ctx: RequestContext, id: string): Promise<Contract> {
    const visible = await this.get(ctx, id);
    const identity = ctx.requireBrand(visible.brandId);
    contractMachine.assertActor(ContractStatus.SENT, 'brand');
    return ctx.transaction(async (tx) => {
      const c = await this.lock(tx, id);
      const from = c.status;
      contractMachine.assert(from, ContractStatus.SENT, 'brand');
      // A draft may be incomplete (no compensation yet); what is sent to be signed is complete.
      checkTerms(c.terms, 'terms');
      c.status = ContractStatus.SENT;
      c.sentAt = new Date();
      await tx.getRepository(Contract).save(c);
      await emitContractEvent(ctx.runtime.outbox, tx, 'contract.sent', c, contractEventData(c, from));
      await this.audit.append(tx, c.id, {
        action: 'sent',
        actor: identity.sub,
        actorRole: 'brand',
        at: c.sentAt,
        details: { version: c.version, documentSha256: c.documentSha256 },
      });
      return c;
    });
  }

  /**
   * The brand takes a sent contract, or one signed by one party, back to draft to correct it, saying why
   * (the creator reads it): the signatures made are voided (kept and marked void, never counted again), the
   * partnership stays as it is, and the brand edits the terms and sends it again; both then sign the new
   * document. An amendment on its way is recalled the same way. No event: nothing downstream follows a
   * contract before its execution (the next contract.sent says it is out again).
   */
  async recall(ctx: RequestContext, id: string, reason: string | null | undefined): Promise<Contract> {
    const visible = await this.get(ctx, id);
    const side = sideOf(ctx, visible);
    if (side === 'analyst') throw forbidden("Analysts see a brand's contracts; only its members recall them");
    if (side === 'admin') throw forbidden("An admin does not recall a contract for the brand: the brand's member does");
    contractMachine.assertActor(ContractStatus.DRAFT, side as 'brand' | 'creator');
    const identity = ctx.requireBrand(visible.brandId);
    const text = reasonOf(reason, 'say why the contract is recalled: the creator reads it');
    return ctx.transaction(async (tx) => {
      const c = await this.lock(tx, id);
      const from = c.status;
      if (!SIGNABLE.has(from)) {
        throw invalidState(
          from === ContractStatus.DRAFT
            ? 'This contract is a draft already: change its terms and send it'
            : `Only a sent contract, or one signed by one party, is recalled; this one is ${from}${from === ContractStatus.EXECUTED ? ': amend it' : ''}`,
          { status: from },
        );
      }
      contractMachine.assert(from, ContractStatus.DRAFT, 'brand');
      const now = new Date();
      const voided = (await tx.query(
        `UPDATE contract_signatures SET voided_at = $2, void_reason = $3 WHERE contract_id = $1 AND voided_at IS NULL
         RETURNING role, subject, signed_at, document_sha256`,
        [c.id, now, `recalled: ${text}`],
      )) as [{ role: string; subject: string; signed_at: Date; document_sha256: string }[], number];
      c.status = ContractStatus.DRAFT;
      c.sentAt = null;
      await tx.getRepository(Contract).save(c);
      // The next reading of the (corrected) document is a first reading again, recorded as such.
      await tx.query(`DELETE FROM contract_views WHERE contract_id = $1`, [c.id]);
      await this.audit.append(tx, c.id, {
        action: 'recalled',
        actor: identity.sub,
        actorRole: 'brand',
        at: now,
        details: {
          version: c.version,
          from,
          reason: text,
          documentSha256: c.documentSha256,
          voidedSignatures: voided[0].map((s) => ({
            role: s.role,
            subject: s.subject,
            signedAt: new Date(s.signed_at).toISOString(),
            documentSha256: s.document_sha256,
          })),
        },
      });
      return c;
    });
  }

  /**
   * The brand amends an executed contract: a new draft version (version + 1) that names it, with the
   * changed terms; both sign it, and its execution supersedes this one. Amending a contract that is not
   * executed is INVALID_STATE; a second amendment while one is on its way is CONFLICT.
   */
  async amend(ctx: RequestContext, id: string, input: ContractTermsInput): Promise<Contract> {
    const visible = await this.get(ctx, id);
    const identity = ctx.requireBrand(visible.brandId);
    const { terms, templateId } = applyTermsPatch(visible.terms, input, 'input');
    return ctx.transaction(async (tx) => {
      const c = await this.lock(tx, id);
      if (c.status !== ContractStatus.EXECUTED) {
        throw invalidState(
          `Only an executed contract is amended; this one is ${c.status}${c.status === ContractStatus.DRAFT ? ': change its terms instead' : ''}`,
          {
            status: c.status,
          },
        );
      }
      const repo = tx.getRepository(Contract);
      const open = await repo.findOne({
        where: { amendsId: c.id, status: In([ContractStatus.DRAFT, ContractStatus.SENT, ContractStatus.SIGNED]) },
      });
      if (open) throw conflict(`Version ${open.version} already amends this contract: send, sign or terminate it first`, 'contractId');
      const chosen = templateId === undefined ? c.templateId : templateId;
      const template = await this.templateFor(tx, c.brandId, chosen, 'input.templateId');
      const amendment = repo.create({
        partnershipId: c.partnershipId,
        campaignId: c.campaignId,
        brandId: c.brandId,
        creatorId: c.creatorId,
        version: c.version + 1,
        amendsId: c.id,
        status: ContractStatus.DRAFT,
        templateId: chosen,
        sentAt: null,
        executedAt: null,
        endedAt: null,
        endReason: null,
        endedBy: null,
        certificateJws: null,
        pdf: null,
        pdfSha256: null,
      });
      await this.render(tx, amendment, terms, template, c.version);
      await repo.save(amendment);
      const at = new Date();
      await this.audit.append(tx, amendment.id, {
        action: 'created',
        actor: identity.sub,
        actorRole: 'brand',
        at,
        details: { version: amendment.version, amends: c.id, amendsVersion: c.version, documentSha256: amendment.documentSha256 },
      });
      await this.audit.append(tx, c.id, {
        action: 'amended',
        actor: identity.sub,
        actorRole: 'brand',
        at,
        details: { version: c.version, amendment: amendment.id, amendmentVersion: amendment.version, fields: Object.keys(input) },
      });
      return amendment;
    });
  }

  // ---- signatures ----

  /**
   * A party signs: the brand's member for the brand, the creator for themselves. The identity is the
   * token's; the consent must be the contract's statement word for word; the hash must be the current
   * document's (one that changed since the signer read it is refused). Every refusal of a contract that
   * exists is written to its audit trail (`sign_refused`) in a transaction of its own, and nothing else is,
   * up to the rate limit per contract and signer (`SignRefusals`): beyond it the attempt is RATE_LIMITED.
   * The second signature executes the contract; its sealed PDF is made after that commit, outside the locks.
   */
  async sign(ctx: RequestContext, input: SignInput): Promise<Contract> {
    ctx.requireIdentity();
    const id = input.contractId.toLowerCase();
    const existing = isUuid(id) ? await ctx.dataSource.getRepository(Contract).findOne({ where: { id } }) : null;
    let c: Contract;
    try {
      c = await this.trySign(ctx, existing, input);
    } catch (err) {
      if (existing && err instanceof AppError) {
        const outcome = await this.refusals
          .record(ctx.dataSource, existing.id, this.refusal(ctx, existing, input, err))
          .catch((auditErr: unknown) => {
            ctx.logger.error({ err: auditErr, contractId: existing.id }, 'could not record a refused signature');
            return null;
          });
        if (outcome && !outcome.recorded) throw rateLimited(outcome.retryAfterSeconds);
      }
      throw err;
    }
    if (c.status === ContractStatus.EXECUTED) {
      // Executed and committed: a PDF that fails now is made on its first request (pdfOf).
      await this.storePdf(ctx.dataSource, c).catch((err: unknown) =>
        ctx.logger.error({ err, contractId: c.id }, 'could not make the sealed PDF; it is made when first asked for'),
      );
    }
    return c;
  }

  private refusal(ctx: RequestContext, c: Contract, input: SignInput, err: AppError): AuditEntryInput {
    const side = sideOf(ctx, c);
    return {
      action: 'sign_refused',
      actor: ctx.identity!.sub,
      // An analyst is of the brand's side (details.role says which member); 'public' is for anyone else.
      actorRole: side === 'brand' || side === 'creator' || side === 'admin' ? side : side === 'analyst' ? 'brand' : 'public',
      at: new Date(),
      details: {
        ...(side === 'analyst' ? { role: 'analyst' } : {}),
        version: c.version,
        code: err.code,
        reason: err.message,
        ...(err.field ? { field: err.field } : {}),
        ...(SHA256_HEX.test(input.documentSha256) ? { documentSha256: input.documentSha256 } : {}),
        ...this.clientOf(ctx),
      },
    };
  }

  private async trySign(ctx: RequestContext, existing: Contract | null, input: SignInput): Promise<Contract> {
    const identity = ctx.requireIdentity();
    const side = existing ? sideOf(ctx, existing) : null;
    if (!existing || !side) throw notFound('Contract', input.contractId);
    if (side === 'analyst') throw forbidden("Analysts see a brand's contracts; only its members sign them");
    if (side === 'admin') throw forbidden("An admin does not sign for a party: the brand's member or the creator signs");
    const actor: ContractActor = side;
    const hash = input.documentSha256.trim().toLowerCase();
    if (!SHA256_HEX.test(hash)) throw badInput('documentSha256', 'must be the SHA-256 of the document you read, as 64 hexadecimal digits');
    const signerName = (input.signerName ?? '').trim() || this.defaultSignerName(existing, side);
    if (signerName.length > MAX_NAME) throw badInput('signerName', `must be at most ${MAX_NAME} characters`);

    return ctx.transaction(async (tx) => {
      const c = await this.lock(tx, existing.id);
      const from = c.status;
      if (!SIGNABLE.has(from)) {
        throw invalidState(
          from === ContractStatus.DRAFT
            ? 'This contract is a draft: the brand sends it before anyone signs'
            : `A contract that is ${from} is not signed any more`,
          { status: from },
        );
      }
      const signatures = await tx
        .getRepository(ContractSignature)
        .find({ where: { contractId: c.id, voidedAt: IsNull() }, order: { signedAt: 'ASC' } });
      if (signatures.some((s) => s.role === side)) {
        throw new AppError(ErrorCode.CONFLICT, `The ${side} has already signed version ${c.version}`, {
          details: { status: from, signed: signatures.map((s) => s.role) },
        });
      }
      if (hash !== c.documentSha256) {
        throw new AppError(
          ErrorCode.CONFLICT,
          'The document changed since you read it (its SHA-256 is not the one you sent): read it again before signing',
          { field: 'documentSha256', details: { status: from } },
        );
      }
      const expected = this.consent(c);
      if (input.consent !== expected)
        throw badInput('consent', "must be the contract's consent statement (Contract.consentStatement), word for word");

      const to = signatures.length === 0 ? ContractStatus.SIGNED : ContractStatus.EXECUTED;
      contractMachine.assert(from, to, actor);
      const now = new Date();
      const client = ctx.client;
      const signature = await tx.getRepository(ContractSignature).save(
        tx.getRepository(ContractSignature).create({
          contractId: c.id,
          role: side,
          subject: identity.sub,
          signerName,
          consent: input.consent,
          documentSha256: hash,
          ip: client?.ip ?? null,
          userAgent: client?.userAgent ?? null,
          signedAt: now,
          voidedAt: null,
          voidReason: null,
        }),
      );
      const all = [...signatures, signature];
      c.status = to;
      await tx.getRepository(Contract).save(c);
      await emitContractEvent(ctx.runtime.outbox, tx, 'contract.signed', c, {
        ...contractEventData(c, from),
        signedBy: side,
        signedAt: now.toISOString(),
        signatures: all.map((s) => s.role),
      });
      await this.refusals.flush(tx, c.id, { actor: identity.sub, actorRole: side, at: now });
      await this.audit.append(tx, c.id, {
        action: 'signed',
        actor: identity.sub,
        actorRole: side,
        at: now,
        details: { version: c.version, documentSha256: hash, signerName, consent: input.consent, ...this.clientOf(ctx) },
      });
      if (to === ContractStatus.EXECUTED) await this.execute(tx, ctx.runtime.outbox, c, all, now, ctx.logger);
      return c;
    });
  }

  /** The name on the certificate when the signer gives none: never the token subject, which certificates do not reveal. */
  private defaultSignerName(c: Contract, side: 'brand' | 'creator'): string {
    return side === 'creator' ? c.terms.parties.creatorName : `On behalf of ${c.terms.parties.brandName}`;
  }

  /**
   * Both have signed: the contract is executed. The certificate of completion is issued over the audit
   * trail's head (the `executed` entry), the amended version (if any) superseded, and contract.executed
   * carries the terms payments needs. One transaction; the PDF is made after it commits (`storePdf`).
   */
  private async execute(tx: EntityManager, outbox: Outbox, c: Contract, signatures: ContractSignature[], now: Date, logger: Logger) {
    c.executedAt = now;
    const repo = tx.getRepository(Contract);
    let amended: Contract | null = null;
    if (c.amendsId) {
      amended = await this.lock(tx, c.amendsId);
      if (amended.status === ContractStatus.EXECUTED) {
        contractMachine.assert(amended.status, ContractStatus.SUPERSEDED, 'system');
        amended.status = ContractStatus.SUPERSEDED;
        amended.endedAt = now;
        amended.endReason = `superseded by version ${c.version}`;
        amended.endedBy = SYSTEM;
        await repo.save(amended);
      } else {
        // The version it amends ended meanwhile (terminated): an amendment of nothing cannot take effect.
        throw invalidState(`Version ${amended.version} this amends is ${amended.status}: the amendment cannot take effect`, {
          status: c.status,
          amends: amended.status,
        });
      }
    }
    const executedEntry = await this.audit.append(tx, c.id, {
      action: 'executed',
      actor: SYSTEM,
      actorRole: 'system',
      at: now,
      details: { version: c.version, documentSha256: c.documentSha256, amends: c.amendsId },
    });
    if (amended) {
      await this.audit.append(tx, amended.id, {
        action: 'amended',
        actor: SYSTEM,
        actorRole: 'system',
        at: now,
        details: { version: amended.version, supersededBy: c.id, supersededByVersion: c.version },
      });
    }
    const signers = signatures.map((s) => ({
      role: s.role,
      name: s.signerName,
      subject: s.subject,
      signedAt: s.signedAt.toISOString(),
      consent: s.consent,
    }));
    const claims = {
      contractId: c.id,
      version: c.version,
      title: contractTitle(c.terms),
      documentSha256: c.documentSha256,
      signers,
      executedAt: now.toISOString(),
      auditHeadHash: executedEntry.hash,
    };
    c.certificateJws = await this.certificates.issue(claims);
    await repo.save(c);
    const resolved = resolveMilestones(c.terms.compensation, c.terms.milestones);
    const milestones: ContractMilestoneData[] = resolved.map((m, index) => ({
      index,
      label: m.label,
      amountMinor: m.resolvedAmountMinor,
      sharePercent: m.sharePercent,
      trigger: m.trigger,
      deliverableIndex: m.deliverableIndex,
    }));
    await emitContractEvent(outbox, tx, 'contract.executed', c, {
      contractId: c.id,
      partnershipId: c.partnershipId,
      brandId: c.brandId,
      creatorId: c.creatorId,
      executedAt: now.toISOString(),
      campaignId: c.campaignId,
      version: c.version,
      amends: c.amendsId,
      documentSha256: c.documentSha256,
      currency: c.terms.compensation.currency,
      compensation: c.terms.compensation,
      milestones,
      // What the milestones' deliverableIndex points into, and the term (payments maps posted deliverables to them).
      deliverables: c.terms.deliverables.map((d) => ({ platform: d.platform, format: d.format, count: d.count, dueOn: d.dueOn })),
      lengthMonths: c.terms.lengthMonths,
    });
    logger.info({ contractId: c.id, version: c.version }, 'contract executed');
  }

  // ---- ending ----

  /**
   * A party ends the contract, with a reason the other reads: the brand's member or the creator. The
   * contract in force (or the first version, before it is executed) ending ends the partnership
   * (contract.terminated with endsPartnership); an amendment on its way is only discarded.
   */
  async terminate(ctx: RequestContext, id: string, reason: string | null | undefined): Promise<Contract> {
    const visible = await this.get(ctx, id);
    const side = sideOf(ctx, visible);
    if (side === 'analyst') throw forbidden("Analysts see a brand's contracts; only its members end them");
    if (side === 'admin') throw forbidden("An admin does not end a contract for a party: the brand's member or the creator does");
    const actor = side as 'brand' | 'creator';
    contractMachine.assertActor(ContractStatus.TERMINATED, actor);
    const text = reasonOf(reason);
    return ctx.transaction(async (tx) => {
      const c = await this.lock(tx, id);
      await this.end(tx, ctx.runtime.outbox, c, ContractStatus.TERMINATED, actor, ctx.identity!.sub, text);
      return c;
    });
  }

  /** One contract's end (terminated, completed) under its lock, with what it takes along (a pending amendment). */
  private async end(
    tx: EntityManager,
    outbox: Outbox,
    c: Contract,
    to: ContractStatus.TERMINATED | ContractStatus.COMPLETED,
    actor: ContractActor,
    subject: string,
    reason: string,
  ): Promise<void> {
    const from = c.status;
    contractMachine.assert(from, to, actor);
    const now = new Date();
    c.status = to;
    c.endedAt = now;
    c.endReason = reason;
    c.endedBy = actor;
    await tx.getRepository(Contract).save(c);
    if (to === ContractStatus.TERMINATED) {
      await emitContractEvent(outbox, tx, 'contract.terminated', c, {
        ...contractEventData(c, from),
        reason,
        terminatedBy: actor,
        terminatedAt: now.toISOString(),
        endsPartnership: !(c.amendsId && from !== ContractStatus.EXECUTED),
      });
    }
    await this.audit.append(tx, c.id, {
      action: to === ContractStatus.TERMINATED ? 'terminated' : 'completed',
      actor: subject,
      actorRole: actor,
      at: now,
      details: { version: c.version, from, reason },
    });
    // The version in force ending takes its pending amendment with it.
    if (from === ContractStatus.EXECUTED) {
      const pending = await tx.getRepository(Contract).find({
        where: { amendsId: c.id, status: In([ContractStatus.DRAFT, ContractStatus.SENT, ContractStatus.SIGNED]) },
        lock: { mode: 'pessimistic_write' },
      });
      for (const a of pending)
        await this.end(tx, outbox, a, ContractStatus.TERMINATED, 'system', SYSTEM, `version ${c.version} it amends was ${to}`);
    }
  }

  // ---- what campaign's events do ----

  /**
   * partnership.accepted: a draft contract (version 1) from the agreed terms, rendered with the default
   * agreement. Idempotent: a partnership that has one already keeps it (a redelivery, a replay).
   */
  async draftForPartnership(tx: EntityManager, data: PartnershipEventData, context: EventHandlerContext): Promise<void> {
    const repo = tx.getRepository(Contract);
    // Serialise drafts of one partnership (a replayed event racing the first delivery).
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`contract-draft:${data.partnershipId}`]);
    const earlier = await repo.findOne({ where: { partnershipId: data.partnershipId, version: 1 } });
    if (earlier) {
      context.logger.debug({ partnershipId: data.partnershipId, contractId: earlier.id }, 'the partnership has its contract already');
      return;
    }
    const c = repo.create({
      partnershipId: data.partnershipId,
      campaignId: data.campaignId,
      brandId: data.brandId,
      creatorId: data.creatorId,
      version: 1,
      amendsId: null,
      status: ContractStatus.DRAFT,
      templateId: null,
      sentAt: null,
      executedAt: null,
      endedAt: null,
      endReason: null,
      endedBy: null,
      certificateJws: null,
      pdf: null,
      pdfSha256: null,
    });
    await this.render(tx, c, termsFromPartnership(data), null);
    await repo.save(c);
    await this.audit.append(tx, c.id, {
      action: 'created',
      actor: SYSTEM,
      actorRole: 'system',
      at: new Date(),
      details: { version: 1, partnershipId: data.partnershipId, documentSha256: c.documentSha256 },
    });
  }

  /**
   * partnership.terminated, campaign.cancelled: the partnership's open contracts end (the system's move,
   * the partnership's reason). partnership.completed: the contract in force is completed, anything on
   * its way terminated. Idempotent: contracts already ended stay as they are.
   */
  async endForPartnership(
    tx: EntityManager,
    outbox: Outbox,
    where: { partnershipId: string } | { campaignId: string },
    outcome: 'terminated' | 'completed',
    reason: string,
  ): Promise<number> {
    const open = await tx.getRepository(Contract).find({
      where: { ...where, status: In(OPEN_CONTRACT) },
      order: { version: 'DESC' },
      lock: { mode: 'pessimistic_write' },
    });
    let ended = 0;
    for (const c of open) {
      // Taken along already by the version it amends.
      if (c.status === ContractStatus.TERMINATED) continue;
      const to = outcome === 'completed' && c.status === ContractStatus.EXECUTED ? ContractStatus.COMPLETED : ContractStatus.TERMINATED;
      await this.end(tx, outbox, c, to, 'system', SYSTEM, reason);
      ended++;
    }
    return ended;
  }

  async onPartnershipEnded(
    tx: EntityManager,
    data: PartnershipEventData,
    context: EventHandlerContext,
    outcome: 'terminated' | 'completed',
  ) {
    const reason =
      outcome === 'completed' ? 'the partnership completed' : `the partnership was terminated${data.reason ? `: ${data.reason}` : ''}`;
    await this.endForPartnership(tx, context.outbox, { partnershipId: data.partnershipId }, outcome, reason.slice(0, MAX_REASON));
  }

  async onCampaignCancelled(tx: EntityManager, data: CampaignEventData, context: EventHandlerContext) {
    await this.endForPartnership(tx, context.outbox, { campaignId: data.campaignId }, 'terminated', 'the campaign was cancelled');
  }

  // ---- the sealed PDF ----

  private async storedPdf(ds: DataSource, id: string): Promise<StoredPdf | null> {
    const [row] = (await ds.query(`SELECT pdf, pdf_sha256 FROM contracts WHERE id = $1 AND pdf IS NOT NULL`, [id])) as {
      pdf: Buffer;
      pdf_sha256: string;
    }[];
    return row ? { pdf: row.pdf, sha256: row.pdf_sha256 } : null;
  }

  /**
   * Renders and seals an executed contract's PDF from what its execution stored (no lock held meanwhile),
   * then stores it with its SHA-256 in one conditional update: a PDF once stored is never replaced, so a
   * request that loses the race answers with the one stored (the same bytes for everyone afterwards).
   */
  private async storePdf(ds: DataSource, c: Contract): Promise<StoredPdf> {
    const [row] = (await ds.query(`SELECT certificate_jws, executed_at FROM contracts WHERE id = $1`, [c.id])) as {
      certificate_jws: string | null;
      executed_at: Date | null;
    }[];
    if (!row?.certificate_jws || !row.executed_at) throw new Error(`contract ${c.id} has no certificate to make its PDF from`);
    const signatures = await ds
      .getRepository(ContractSignature)
      .find({ where: { contractId: c.id, voidedAt: IsNull() }, order: { signedAt: 'ASC' } });
    const title = contractTitle(c.terms);
    const pdf = await this.pdf.sealedPdf({
      title,
      documentText: c.document,
      certificate: {
        contractId: c.id,
        version: c.version,
        title,
        documentSha256: c.documentSha256,
        executedAt: new Date(row.executed_at).toISOString(),
        auditHeadHash: auditAnchorOf({ certificateJws: row.certificate_jws }) ?? '',
        signers: signatures.map((s) => ({
          role: s.role,
          name: s.signerName,
          signedAt: s.signedAt.toISOString(),
          ip: s.ip,
          userAgent: s.userAgent,
        })),
        certificateJws: row.certificate_jws,
        verifyUrl: `${this.publicBaseUrl()}/verify?sha256=${c.documentSha256}`,
      },
    });
    const sha256 = sha256Hex(pdf);
    const stored = (await ds.query(
      `UPDATE contracts SET pdf = $2, pdf_sha256 = $3, updated_at = now()
       WHERE id = $1 AND pdf IS NULL AND certificate_jws IS NOT NULL RETURNING id`,
      [c.id, pdf, sha256],
    )) as [unknown[], number];
    const result = stored[1] > 0 ? { pdf, sha256 } : await this.storedPdf(ds, c.id);
    if (!result) throw new Error(`contract ${c.id}: its PDF could not be stored`);
    c.pdfSha256 = result.sha256;
    return result;
  }

  // ---- helpers ----

  private async lock(tx: EntityManager, id: string): Promise<Contract> {
    const c = await tx.getRepository(Contract).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!c) throw notFound('Contract', id);
    return c;
  }

  /** The brand's template, or null for the default agreement (NOT_FOUND on `field` for another brand's). */
  private async templateFor(tx: EntityManager, brandId: string, templateId: string | null, field: string) {
    if (!templateId) return null;
    const t = await tx.getRepository(ContractTemplate).findOne({ where: { id: templateId } });
    if (!t || t.brandId !== brandId)
      throw new AppError(ErrorCode.NOT_FOUND, `ContractTemplate ${templateId} was not found`, {
        field,
        details: { entity: 'ContractTemplate', id: templateId },
      });
    return t;
  }

  private async render(
    _tx: EntityManager,
    c: Contract,
    terms: ContractTerms,
    template: ContractTemplate | null,
    amendsVersion: number | null = null,
  ) {
    const createdOn = isoDay(c.createdAt ?? new Date());
    const rendered = renderContractDocument(
      terms,
      { version: c.version, amendsVersion: amendsVersion ?? (c.amendsId ? c.version - 1 : null), createdOn },
      template,
    );
    c.terms = terms;
    c.document = rendered.document;
    c.documentSha256 = rendered.documentSha256;
    c.templateVersion = rendered.templateVersion;
  }

  private clientOf(ctx: RequestContext): { ip: string | null; userAgent: string | null } {
    return { ip: ctx.client?.ip ?? null, userAgent: ctx.client?.userAgent ?? null };
  }
}
