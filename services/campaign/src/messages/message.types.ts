import { ConnectionType, NotBlank } from '@influenceflow/kit';
import { Field, ID, InputType } from 'type-graphql';
import { PartnershipMessage } from './message.entity';

@InputType()
export class MessageAttachmentInput {
  @Field({ description: 'An http(s) URL.' }) url: string;
  @Field(() => String, { nullable: true, description: 'At most 200 characters.' }) name?: string | null;
}

@InputType({ description: "A message to a partnership's other side." })
export class PostMessageInput {
  @Field(() => ID) partnershipId: string;
  @Field({ description: '1–5,000 characters.' })
  @NotBlank()
  body: string;
  @Field(() => [MessageAttachmentInput], { nullable: true, description: 'At most 10 links.' }) attachments?:
    MessageAttachmentInput[] | null;
  @Field(() => String, {
    nullable: true,
    description:
      "The client's own id for this message (1–100 characters): posting again with the same id returns the first message instead of a copy.",
  })
  clientMessageId?: string | null;
}

export const PartnershipMessageConnection = ConnectionType(PartnershipMessage);
export type PartnershipMessageConnection = InstanceType<typeof PartnershipMessageConnection>;
