import { PageArgs } from '@influenceflow/kit';
import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import { Partnership } from '../partnerships/partnership.entity';
import type { CampaignContext } from '../services';
import { PartnershipMessage } from './message.entity';
import { PartnershipMessageConnection, PostMessageInput } from './message.types';

@Resolver(() => PartnershipMessage)
export class MessageResolver {
  @Mutation(() => PartnershipMessage, {
    description: "Writes to a partnership's other side: its brand's members or its creator. Read-only once the partnership has ended.",
  })
  postPartnershipMessage(@Arg('input') input: PostMessageInput, @Ctx() ctx: CampaignContext): Promise<PartnershipMessage> {
    return ctx.services.messages.post(ctx, input);
  }

  @Mutation(() => Partnership, { description: "Marks a partnership's thread read by you, up to a message (default: the latest)." })
  markPartnershipMessagesRead(
    @Arg('partnershipId', () => ID) partnershipId: string,
    @Arg('upTo', () => ID, { nullable: true }) upTo: string | null,
    @Ctx() ctx: CampaignContext,
  ): Promise<Partnership> {
    return ctx.services.messages.markThreadRead(ctx, partnershipId, upTo);
  }

  @FieldResolver(() => Boolean, { description: 'Someone on the other side has read up to this message.' })
  readByOtherSide(@Root() m: PartnershipMessage, @Ctx() ctx: CampaignContext): Promise<boolean> {
    return ctx.services.messages.readByOtherSide(ctx, m);
  }
}

@Resolver(() => Partnership)
export class PartnershipMessagesResolver {
  @FieldResolver(() => PartnershipMessageConnection, { description: 'The message thread between the brand and the creator, latest first.' })
  messages(@Root() p: Partnership, @Args() args: PageArgs, @Ctx() ctx: CampaignContext) {
    return ctx.services.messages.thread(ctx, p, args);
  }

  @FieldResolver(() => Int, { description: "Messages from the other side you haven't read yet." })
  unreadMessages(@Root() p: Partnership, @Ctx() ctx: CampaignContext): Promise<number> {
    return ctx.services.messages.unreadCount(ctx, p);
  }
}
