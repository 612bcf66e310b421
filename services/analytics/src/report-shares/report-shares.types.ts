import { ArgsType, Field, ID, Int, ObjectType } from 'type-graphql';
import { ReportInterval } from '../metrics/metrics.types';

@ObjectType({
  description:
    "A share link of a campaign's report: whoever holds its URL reads the report, without signing in, until it expires or is revoked (docs/reports.md).",
})
export class ReportShare {
  @Field(() => ID) id: string;
  @Field(() => ID) campaignId: string;
  @Field(() => Date) createdAt: Date;
  @Field(() => Date) expiresAt: Date;
  @Field(() => Date, { nullable: true }) revokedAt: Date | null;
  @Field(() => String, {
    nullable: true,
    description:
      "The report page's URL with the link's token: only in the answer of shareCampaignReport (the token is not stored; it cannot be shown again).",
  })
  url: string | null;
}

@ArgsType()
export class ShareCampaignReportArgs {
  @Field(() => ID) campaignId: string;
  // no GraphQL default (docs/pitfalls.md): the service's is 14 days
  @Field(() => Int, { nullable: true, description: 'Days the link works, 1–90 (14 unless given).' }) expiresInDays?: number | null;
}

@ArgsType()
export class SharedCampaignReportArgs {
  @Field(() => ID) campaignId: string;
  @Field(() => String, { description: 'The token of the share link (its `share` parameter).' }) share: string;
  // no GraphQL default for an enum argument (docs/pitfalls.md): the service's is DAY
  @Field(() => ReportInterval, { nullable: true, description: 'DAY unless given.' }) interval?: ReportInterval | null;
}
