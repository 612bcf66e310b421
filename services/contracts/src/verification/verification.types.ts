import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ContractParty } from '../contracts/contract.types';

export enum VerificationMatch {
  DOCUMENT = 'DOCUMENT',
  PDF = 'PDF',
  CERTIFICATE = 'CERTIFICATE',
}
registerEnumType(VerificationMatch, { name: 'VerificationMatch', description: 'What matched an executed contract.' });

@ObjectType({ description: 'A signer as the certificate of completion names them.' })
export class VerifiedSigner {
  @Field(() => ContractParty) party: ContractParty;
  @Field() name: string;
  @Field({ description: 'The token subject of the signer.' }) subject: string;
  @Field(() => Date) signedAt: Date;
  @Field({ description: 'The consent statement accepted.' }) consent: string;
}

@ObjectType({ description: 'What anyone may learn about a contract: only what its certificate of completion holds.' })
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
  @Field(() => String, { nullable: true, description: 'The certificate of completion (compact JWS), to check offline with the JWKS.' })
  certificate: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      'When a document or PDF matches an executed contract whose certificate no longer verifies (executed is false): why, e.g. CERTIFICATE_UNKNOWN_KEY once the key that signed it was revoked.',
  })
  reason: string | null;
}
