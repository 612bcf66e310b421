import { ConnectionType } from '@influenceflow/kit';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { PartnerClient, PartnerGrant } from './partner.entity';

@ObjectType({ description: 'A partner client with its secret, shown this once (registration, rotation).' })
export class PartnerClientWithSecret {
  @Field(() => PartnerClient) client: PartnerClient;
  @Field(() => String, { description: 'The `client_secret` for POST /oauth/token. Only its SHA-256 is kept.' }) clientSecret: string;
}

@InputType()
export class GrantPartnerAccessInput {
  @Field(() => ID) brandId: string;
  @Field(() => String, { description: "The partner's public client id (it gives it to the brand)." }) clientId: string;
  @Field(() => [String], { description: 'Event types the partner may receive; a new grant replaces the live one.' }) eventTypes: string[];
}

@ObjectType({ description: 'What a partner (its token) sees of itself: who it is and the brands that granted it.' })
export class PartnerProfile {
  @Field(() => ID) id: string;
  @Field(() => String) clientId: string;
  @Field(() => String) name: string;
  @Field(() => [PartnerGrant], { description: 'Its live grants, as they are now (a revoked one is gone at once).' }) grants: PartnerGrant[];
}

export const PartnerClientConnection = ConnectionType(PartnerClient);
export const PartnerGrantConnection = ConnectionType(PartnerGrant);
