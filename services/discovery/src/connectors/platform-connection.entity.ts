import { Timestamped } from '@influenceflow/kit';
import { Platform } from '@influenceflow/vocabulary';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Platform as PlatformName } from '../rules/types';

export enum ConnectionStatus {
  ACTIVE = 'active',
  NEEDS_RECONNECT = 'needs_reconnect',
}
registerEnumType(ConnectionStatus, {
  name: 'ConnectionStatus',
  description: 'ACTIVE: figures are fetched on schedule. NEEDS_RECONNECT: the platform revoked the grant; connect again.',
});

/**
 * A creator's account connected to its platform: the grant's tokens (encrypted with the kit's SecretCipher; never a
 * GraphQL field), the platform's id of the account, and the refresh schedule (next fetch, failures).
 */
@ObjectType({ description: 'Your account connected to its platform, whose figures are fetched from its API.' })
@Entity({ name: 'platform_connections' })
export class PlatformConnection extends Timestamped {
  @Field(() => ID)
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'creator_id', type: 'uuid' })
  creatorId: string;

  @Field(() => Platform)
  @Column({ type: 'text' })
  platform: PlatformName;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId: string;

  @Column({ name: 'external_id', type: 'text' })
  externalId: string;

  @Field(() => ConnectionStatus)
  @Column({ type: 'text' })
  status: ConnectionStatus;

  /** Sealed (TokenCipher); null once the grant is revoked. */
  @Column({ name: 'access_token', type: 'text', nullable: true })
  accessToken: string | null;

  @Column({ name: 'refresh_token', type: 'text', nullable: true })
  refreshToken: string | null;

  @Column({ name: 'access_expires_at', type: 'timestamptz', nullable: true })
  accessExpiresAt: Date | null;

  @Field(() => GraphQLDateTimeISO, { description: 'When figures are next fetched, while ACTIVE.' })
  @Column({ name: 'next_fetch_at', type: 'timestamptz' })
  nextFetchAt: Date;

  @Column({ type: 'integer', default: 0 })
  failures: number;

  @Field(() => String, { nullable: true, description: 'Why the last fetch failed, in words; null after a success.' })
  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Field(() => GraphQLDateTimeISO, { nullable: true })
  @Column({ name: 'last_fetched_at', type: 'timestamptz', nullable: true })
  lastFetchedAt: Date | null;
}
