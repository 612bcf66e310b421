import { badInput } from '@influenceflow/kit';
import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { ContractsContext } from '../services';
import { ContractParty } from '../contracts/contract.types';
import type { Verification } from './verification.service';
import { ContractStanding, ContractVerification, VerificationMatch } from './verification.types';

export function verificationView(v: Verification): ContractVerification {
  const c = v.claims;
  return {
    executed: v.executed,
    matched: v.matched as VerificationMatch | null,
    contractId: c?.contractId ?? null,
    version: c?.version ?? null,
    title: c?.title ?? null,
    documentSha256: c?.documentSha256 ?? null,
    signers: (c?.signers ?? []).map((s) => ({
      party: s.role as ContractParty,
      name: s.name,
      signedAt: new Date(s.signedAt),
      consent: s.consent,
    })),
    executedAt: c ? new Date(c.executedAt) : null,
    auditHeadHash: c?.auditHeadHash ?? null,
    certificate: v.certificate,
    standing: v.standing && {
      state: v.standing.state as ContractStanding,
      since: v.standing.since,
      supersededByVersion: v.standing.supersededByVersion,
    },
    reason: v.reason ?? null,
  };
}

@Resolver()
export class VerificationResolver {
  @Query(() => ContractVerification, {
    description:
      'Public: is this an executed contract, who signed it and when, and does it still stand? Give the SHA-256 of the document (or of the sealed PDF), or a certificate of completion. Reveals what the certificate holds (no terms, fees or account identities) and the standing (in force, completed, terminated or superseded; never why).',
  })
  async verifyContract(
    @Arg('documentSha256', () => String, { nullable: true }) documentSha256: string | null,
    @Arg('certificate', () => String, { nullable: true }) certificate: string | null,
    @Ctx() ctx: ContractsContext,
  ): Promise<ContractVerification> {
    const hasHash = documentSha256 !== null && documentSha256 !== undefined;
    const hasCertificate = certificate !== null && certificate !== undefined;
    if (hasHash === hasCertificate)
      throw badInput(hasHash ? 'certificate' : 'documentSha256', 'give exactly one of documentSha256 and certificate');
    const v = hasHash
      ? await ctx.services.verification.byHash(documentSha256!)
      : await ctx.services.verification.byCertificate(certificate!);
    return verificationView(v);
  }
}
