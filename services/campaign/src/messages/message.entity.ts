import { Timestamped } from '@influenceflow/kit';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export enum MessageSide {
  BRAND = 'brand',
  CREATOR = 'creator',
}
registerEnumType(MessageSide, { name: 'MessageSide', description: "A partnership's two sides: its brand's members, and its creator." });

@ObjectType({ description: 'A link attached to a message (a file shared elsewhere, a draft, a reference).' })
export class MessageAttachment {
  @Field({ description: 'An http(s) URL.' }) url: string;
  @Field(() => String, { nullable: true, description: 'What the link is, as its author named it.' }) name: string | null;
}

/** A message in a partnership's thread. Messages never change once posted. */
@ObjectType({ description: "A message in a partnership's thread, between the brand's members and the creator." })
@Entity({ name: 'partnership_messages' })
export class PartnershipMessage extends Timestamped {
  /** UUIDv7: time-ordered, so messages of one millisecond still read in the order they were posted. */
  @Field(() => ID)
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Field(() => ID)
  @Column({ name: 'partnership_id', type: 'uuid' })
  partnershipId: string;

  @Column({ name: 'campaign_id', type: 'uuid' })
  campaignId: string;

  @Column({ name: 'brand_id', type: 'uuid' })
  brandId: string;

  @Column({ name: 'creator_id', type: 'uuid' })
  creatorId: string;

  @Field(() => MessageSide, { description: 'Which side wrote it.' })
  @Column({ name: 'author_side', type: 'text' })
  authorSide: MessageSide;

  @Field({ description: "The author's token subject (a brand member, or the creator)." })
  @Column({ name: 'author_subject', type: 'text' })
  authorSubject: string;

  @Column({ name: 'client_message_id', type: 'text', nullable: true })
  clientMessageId: string | null;

  @Field()
  @Column({ type: 'text' })
  body: string;

  @Field(() => [MessageAttachment])
  @Column({ type: 'jsonb', default: () => "'[]'" })
  attachments: MessageAttachment[];

  @Field({ description: 'When it was posted.' })
  get postedAt(): Date {
    return this.createdAt;
  }
}

/** How far one reader has read a partnership's thread: up to this message. */
@Entity({ name: 'partnership_message_reads' })
export class MessageRead {
  @Column({ name: 'partnership_id', type: 'uuid', primary: true })
  partnershipId: string;

  @Column({ name: 'reader_subject', type: 'text', primary: true })
  readerSubject: string;

  @Column({ name: 'reader_side', type: 'text' })
  readerSide: MessageSide;

  @Column({ name: 'read_up_to', type: 'timestamptz', precision: 3 })
  readUpTo: Date;

  @Column({ name: 'read_up_to_id', type: 'uuid' })
  readUpToId: string;
}
