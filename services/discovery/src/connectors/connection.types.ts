import { Platform } from '@influenceflow/vocabulary';
import { GraphQLDateTimeISO } from 'graphql-scalars';
import { Field, InputType, ObjectType } from 'type-graphql';

@ObjectType({ description: "Where to send the creator to connect an account, and the request's state." })
export class ConnectionStart {
  @Field(() => Platform) platform: string;
  @Field(() => String, { description: "The platform's consent page; it sends the creator back to the operator's redirect page." })
  authorizationUrl: string;
  @Field(() => String, { description: 'Single-use, bound to you, expires: pass it back to completePlatformConnection.' })
  state: string;
  @Field(() => GraphQLDateTimeISO) expiresAt: Date;
}

@InputType({ description: "What the platform added to the redirect page's URL: `state` and `code`, or `error` when consent was denied." })
export class CompleteConnectionInput {
  @Field(() => String) state: string;
  @Field(() => String, { nullable: true }) code?: string | null;
  @Field(() => String, { nullable: true, description: 'The `error` parameter, e.g. access_denied.' }) error?: string | null;
}
