import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ContractParty } from '../contracts/contract.types';

export enum VerificationMatch {
  DOCUMENT = 'DOCUMENT',
  PDF = 'PDF',
  CERTIFICATE = 'CERTIFICATE',
}
registerEnumType(VerificationMatch, { name: 'VerificationMatch', description: 'What matched an executed contract.' });

export enum ContractStanding {
  IN_FORCE = 'IN_FORCE',
  COMPLETED = 'COMPLETED',
  TERMINATED = 'TERMINATED',
  SUPERSEDED = 'SUPERSEDED',
}
registerEnumType(ContractStanding, {
  name: 'ContractStanding',
  description: 'Where an executed contract stands now.',
  valuesConfig: {
    IN_FORCE: { description: 'Executed and in force.' },
    COMPLETED: { description: 'Completed: the partnership it governed completed.' },
    TERMINATED: { description: 'Terminated by a party or by the platform (when is public, why is not).' },
    SUPERSEDED: { description: 'Replaced by an executed amendment (supersededByVersion).' },
  },
});

@ObjectType({ description: 'Where an executed contract stands now: nothing of its terms, fees or the reason it ended.' })
export class VerifiedStanding {
  @Field(() => ContractStanding) state: ContractStanding;
  @Field(() => Date, { description: 'Since when: its execution when IN_FORCE, else when it was completed, terminated or superseded.' })
  since: Date;
  @Field(() => Int, { nullable: true, description: 'The version whose execution superseded it (SUPERSEDED only).' })
  supersededByVersion: number | null;
}

@ObjectType({ description: 'A signer as the certificate of completion names them (role, name, time, consent; no account identity).' })
export class VerifiedSigner {
  @Field(() => ContractParty) party: ContractParty;
  @Field() name: string;
  @Field(() => Date) signedAt: Date;
  @Field({ description: 'The consent statement accepted.' }) consent: string;
}

@ObjectType({
  description:
    'What anyone may learn about a contract: what its certificate of completion holds (no terms, no fees, no account identities) and where it stands now.',
})
export class ContractVerification {
  @Field({ description: 'An executed contract of this platform matches.' }) executed: boolean;
  @Field(() => VerificationMatch, { nullable: true }) matched: VerificationMatch | null;
  @Field(() => String, { nullable: true }) contractId: string | null;
  @Field(() => Int, { nullable: true }) version: number | null;
  @Field(() => String, { nullable: true }) title: string | null;
  @Field(() => String, { nullable: true, description: 'SHA-256 of the document both signed.' }) documentSha256: string | null;
  @Field(() => [VerifiedSigner]) signers: VerifiedSigner[];
  @Field(() => Date, { nullable: true }) executedAt: Date | null;
  @Field(() => String, { nullable: true, description: "The audit trail's head hash at execution." }) auditHeadHash: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      'The certificate of completion (compact JWS), to check offline with the JWKS; null when found by a hash and issued by an earlier release (it names the signers’ account identities).',
  })
  certificate: string | null;
  @Field(() => VerifiedStanding, {
    nullable: true,
    description: 'Where the contract stands now (in force, completed, terminated or superseded); null when executed is false.',
  })
  standing: VerifiedStanding | null;
  @Field(() => String, {
    nullable: true,
    description:
      'When a document or PDF matches an executed contract whose certificate no longer verifies (executed is false): why, e.g. CERTIFICATE_UNKNOWN_KEY once the key that signed it was revoked.',
  })
  reason: string | null;
}
