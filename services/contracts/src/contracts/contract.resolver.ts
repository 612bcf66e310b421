import { Money } from '@influenceflow/kit';
import { Arg, Args, Ctx, Directive, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { ContractsContext } from '../services';
import { Contract, ContractSignature } from './contract.entity';
import { ContractStatus } from './contract-status';
import { resolveMilestones, termEndsOn } from './contract-terms';
import { seesAll, sideOf } from './contract.service';
import {
  AuditEntryGql,
  ContractParty,
  ContractPdf,
  ContractsArgs,
  ContractSignatureView,
  ContractTermsInput,
  ContractTermsView,
  MilestoneTriggerEnum,
  MyContractsArgs,
} from './contract.types';
import { ConnectionType } from '@influenceflow/kit';

export const ContractConnection = ConnectionType(Contract);

/** Campaign's entity, extended here with its contract. */
@ObjectType()
@Directive('@key(fields: "id")')
export class Partnership {
  @Field(() => ID) id: string;
}

function signatureView(s: ContractSignature): ContractSignatureView {
  return {
    party: s.role as ContractParty,
    subject: s.subject,
    signerName: s.signerName,
    consent: s.consent,
    documentSha256: s.documentSha256,
    ip: s.ip,
    userAgent: s.userAgent,
    signedAt: s.signedAt,
    voidedAt: s.voidedAt,
    voidReason: s.voidReason,
  };
}

/** What only the parties (and admins) read; null for the brand's analysts. */
function full(ctx: ContractsContext, c: Contract): boolean {
  return seesAll(sideOf(ctx, c));
}

@Resolver(() => Contract)
export class ContractResolver {
  @Query(() => Contract, { description: 'A contract its parties, its brand’s analysts (status only) or an admin may see.' })
  contract(@Arg('id', () => ID) id: string, @Ctx() ctx: ContractsContext): Promise<Contract> {
    return ctx.services.contracts.get(ctx, id);
  }

  @Query(() => ContractConnection, { description: "A brand's contracts, newest first (members and analysts)." })
  contracts(@Args() args: ContractsArgs, @Ctx() ctx: ContractsContext) {
    return ctx.services.contracts.list(ctx, args);
  }

  @Query(() => ContractConnection, { description: "The calling creator's contracts, newest first." })
  myContracts(@Args() args: MyContractsArgs, @Ctx() ctx: ContractsContext) {
    return ctx.services.contracts.mine(ctx, args);
  }

  @Mutation(() => Contract, { description: "Changes a draft's terms (partial update: left out keeps, null clears, lists replace)." })
  updateContractTerms(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => ContractTermsInput) input: ContractTermsInput,
    @Ctx() ctx: ContractsContext,
  ): Promise<Contract> {
    return ctx.services.contracts.updateTerms(ctx, id, input);
  }

  @Mutation(() => Contract, { description: 'The brand sends a draft to the creator: both may sign it from now on.' })
  sendContract(@Arg('id', () => ID) id: string, @Ctx() ctx: ContractsContext): Promise<Contract> {
    return ctx.services.contracts.send(ctx, id);
  }

  @Mutation(() => Contract, {
    description:
      'Signs the contract as its brand (a member) or its creator: `documentSha256` is the SHA-256 of the document you read, `consent` the contract’s consentStatement word for word. The second signature executes it.',
  })
  signContract(
    @Arg('contractId', () => ID) contractId: string,
    @Arg('documentSha256', () => String) documentSha256: string,
    @Arg('consent', () => String) consent: string,
    @Arg('signerName', () => String, {
      nullable: true,
      description: 'Your name as it appears on the certificate (default: the party’s name).',
    })
    signerName: string | null,
    @Ctx() ctx: ContractsContext,
  ): Promise<Contract> {
    return ctx.services.contracts.sign(ctx, { contractId, documentSha256, consent, signerName });
  }

  @Mutation(() => Contract, {
    description:
      'The brand takes a sent or half-signed contract back to draft to correct it, saying why: the signatures made are voided, the partnership stays as it is; send it again to be signed.',
  })
  recallContract(
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String) reason: string,
    @Ctx() ctx: ContractsContext,
  ): Promise<Contract> {
    return ctx.services.contracts.recall(ctx, id, reason);
  }

  @Mutation(() => Contract, {
    description:
      'The brand amends an executed contract: a new draft version with the changed terms, which both sign; its execution supersedes this one.',
  })
  amendContract(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => ContractTermsInput) input: ContractTermsInput,
    @Ctx() ctx: ContractsContext,
  ): Promise<Contract> {
    return ctx.services.contracts.amend(ctx, id, input);
  }

  @Mutation(() => Contract, {
    description: 'Either party ends the contract, saying why; the contract in force ending ends the partnership.',
  })
  terminateContract(
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String) reason: string,
    @Ctx() ctx: ContractsContext,
  ): Promise<Contract> {
    return ctx.services.contracts.terminate(ctx, id, reason);
  }

  @FieldResolver(() => Partnership)
  partnership(@Root() c: Contract): Partnership {
    return { id: c.partnershipId };
  }

  @FieldResolver(() => ContractTermsView, { nullable: true })
  terms(@Root() c: Contract, @Ctx() ctx: ContractsContext): ContractTermsView | null {
    if (!full(ctx, c)) return null;
    const t = c.terms;
    const money = (minor: number) => Money.of(minor, t.compensation.currency);
    return {
      parties: t.parties,
      campaignName: t.campaign.name,
      startsOn: t.campaign.startsOn,
      endsOn: termEndsOn(t),
      lengthMonths: t.lengthMonths,
      briefVersion: t.briefVersion,
      deliverables: t.deliverables,
      compensation: {
        currency: t.compensation.currency,
        flatFee: t.compensation.flatFeeMinor === null ? null : money(t.compensation.flatFeeMinor),
        commissionPercent: t.compensation.commissionPercent,
        bonus: t.compensation.bonus && {
          metric: t.compensation.bonus.metric,
          threshold: t.compensation.bonus.threshold,
          amount: money(t.compensation.bonus.amountMinor),
        },
        product: t.compensation.product && {
          description: t.compensation.product.description,
          declaredValue: money(t.compensation.product.declaredValueMinor),
        },
      },
      milestones: resolveMilestones(t.compensation, t.milestones).map((m) => ({
        label: m.label,
        amount: money(m.resolvedAmountMinor),
        sharePercent: m.sharePercent,
        trigger: m.trigger as MilestoneTriggerEnum,
        deliverableIndex: m.deliverableIndex,
      })),
      usageRights: t.usageRights,
      exclusivity: t.exclusivity,
      paymentNetDays: t.paymentNetDays,
      cancellationNoticeDays: t.cancellationNoticeDays,
    };
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'The rendered document, exactly as signed (UTF-8; its SHA-256 is documentSha256). Reading it is recorded once per party.',
  })
  async document(@Root() c: Contract, @Ctx() ctx: ContractsContext): Promise<string | null> {
    return full(ctx, c) ? ctx.services.contracts.readDocument(ctx, c) : null;
  }

  @FieldResolver(() => String, { nullable: true, description: "SHA-256 (hex) of the document's UTF-8 bytes." })
  documentSha256(@Root() c: Contract, @Ctx() ctx: ContractsContext): string | null {
    return full(ctx, c) ? c.documentSha256 : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'The statement a signer accepts, word for word (signContract’s consent).' })
  consentStatement(@Root() c: Contract, @Ctx() ctx: ContractsContext): string | null {
    return full(ctx, c) ? ctx.services.contracts.consent(c) : null;
  }

  @FieldResolver(() => Contract, { nullable: true, description: 'The version this one amends.' })
  async amends(@Root() c: Contract, @Ctx() ctx: ContractsContext): Promise<Contract | null> {
    return c.amendsId ? ctx.services.contracts.visible(ctx, c.amendsId) : null;
  }

  @FieldResolver(() => Contract, {
    nullable: true,
    description: 'An amendment of this executed contract on its way (draft, sent or signed by one party).',
  })
  async pendingAmendment(@Root() c: Contract, @Ctx() ctx: ContractsContext): Promise<Contract | null> {
    return c.status === ContractStatus.EXECUTED && full(ctx, c) ? ctx.services.contracts.pendingAmendment(ctx, c) : null;
  }

  @FieldResolver(() => [ContractSignatureView], { nullable: true, description: 'The signatures that count (of the current document).' })
  async signatures(@Root() c: Contract, @Ctx() ctx: ContractsContext): Promise<ContractSignatureView[] | null> {
    if (!full(ctx, c)) return null;
    return (await ctx.services.contracts.signatures(ctx, c)).map(signatureView);
  }

  @FieldResolver(() => [ContractSignatureView], {
    nullable: true,
    description: 'Signatures a recall voided: kept as they were made, never counted again.',
  })
  async voidedSignatures(@Root() c: Contract, @Ctx() ctx: ContractsContext): Promise<ContractSignatureView[] | null> {
    if (!full(ctx, c)) return null;
    return (await ctx.services.contracts.voidedSignatures(ctx, c)).map(signatureView);
  }

  @FieldResolver(() => [AuditEntryGql], {
    nullable: true,
    description: 'Every event of this contract version, oldest first: a hash chain.',
  })
  async auditTrail(@Root() c: Contract, @Ctx() ctx: ContractsContext): Promise<AuditEntryGql[] | null> {
    if (!full(ctx, c)) return null;
    return (await ctx.services.contracts.auditTrail(ctx, c)).map((e) => ({
      sequence: e.sequence,
      action: e.action,
      actor: e.actor,
      actorRole: e.actorRole,
      at: e.at,
      details: JSON.stringify(e.details),
      previousHash: e.previousHash,
      hash: e.hash,
    }));
  }

  @FieldResolver(() => Boolean, { nullable: true, description: 'Whether every entry of the audit trail verifies (nothing was changed).' })
  async auditIntact(@Root() c: Contract, @Ctx() ctx: ContractsContext): Promise<boolean | null> {
    return full(ctx, c) ? ctx.services.contracts.auditIntact(ctx, c) : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'The certificate of completion (a compact JWS), once executed.' })
  certificate(@Root() c: Contract, @Ctx() ctx: ContractsContext): string | null {
    return full(ctx, c) ? c.certificateJws : null;
  }

  @FieldResolver(() => ContractPdf, { nullable: true, description: 'The sealed PDF, once executed.' })
  async pdf(@Root() c: Contract, @Ctx() ctx: ContractsContext): Promise<ContractPdf | null> {
    if (!full(ctx, c)) return null;
    const stored = await ctx.services.contracts.sealedPdfOf(ctx, c);
    return stored && { sha256: stored.sha256, sizeBytes: stored.pdf.length, base64: stored.pdf.toString('base64') };
  }

  @FieldResolver(() => Date, { nullable: true })
  sentAt(@Root() c: Contract, @Ctx() ctx: ContractsContext): Date | null {
    return full(ctx, c) ? c.sentAt : null;
  }

  @FieldResolver(() => Date, { nullable: true })
  executedAt(@Root() c: Contract, @Ctx() ctx: ContractsContext): Date | null {
    return full(ctx, c) ? c.executedAt : null;
  }

  @FieldResolver(() => Date, { nullable: true, description: 'When it was completed, terminated or superseded.' })
  endedAt(@Root() c: Contract, @Ctx() ctx: ContractsContext): Date | null {
    return full(ctx, c) ? c.endedAt : null;
  }

  @FieldResolver(() => String, { nullable: true })
  endReason(@Root() c: Contract, @Ctx() ctx: ContractsContext): string | null {
    return full(ctx, c) ? c.endReason : null;
  }

  @FieldResolver(() => ID, { nullable: true, description: "The brand's template it is rendered from; null: the default agreement." })
  templateId(@Root() c: Contract, @Ctx() ctx: ContractsContext): string | null {
    return full(ctx, c) ? c.templateId : null;
  }
}

@Resolver(() => Partnership)
export class PartnershipContractResolver {
  @FieldResolver(() => Contract, {
    nullable: true,
    description: 'The contract in force (else the latest version); null when there is none or you may not see it.',
  })
  contract(@Root() p: Partnership, @Ctx() ctx: ContractsContext): Promise<Contract | null> {
    return ctx.services.contracts.forPartnership(ctx, p.id);
  }
}

/** The gateway asks for a contract by key: only those who may see it get it (else null). */
export function resolveContractReference(ref: { id: string }, ctx: ContractsContext): Promise<Contract | null> {
  return ctx.services.contracts.visible(ctx, ref.id);
}
