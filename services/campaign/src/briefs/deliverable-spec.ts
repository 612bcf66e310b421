import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { badInput, InputProblems } from '@influenceflow/kit';
import { ContentFormat, Platform } from '@influenceflow/vocabulary';
import { isoDate } from '../campaigns/campaign.service';

/** A deliverable a brief asks for, or a partnership's terms promise: e.g. 2 Instagram reels by 3 March. */
@ObjectType('DeliverableSpec')
export class DeliverableSpec {
  @Field(() => Platform) platform: Platform;
  @Field(() => ContentFormat) format: ContentFormat;
  @Field(() => Int) count: number;
  @Field({ description: 'Due date (ISO date).' }) dueOn: string;
}

@InputType()
export class DeliverableSpecInput {
  @Field(() => Platform) platform: Platform;
  @Field(() => ContentFormat) format: ContentFormat;
  @Field(() => Int) count: number;
  @Field({ description: 'ISO date, within the campaign.' }) dueOn: string;
}

export const MAX_DELIVERABLE_SPECS = 50;

/**
 * Checks deliverables against the campaign's dates: 1–50 of them, 1–100 pieces each, due within the
 * campaign. Every bad item is reported (BAD_USER_INPUT with all of them in `problems`).
 */
export function deliverableSpecs(
  input: DeliverableSpecInput[],
  campaign: { startsOn: string; endsOn: string },
  field: string,
): DeliverableSpec[] {
  if (input.length === 0) throw badInput(field, 'give at least one deliverable');
  if (input.length > MAX_DELIVERABLE_SPECS) throw badInput(field, `give at most ${MAX_DELIVERABLE_SPECS} deliverables`);
  const problems = new InputProblems();
  const specs = input.map((d, i) => {
    if (!Number.isInteger(d.count) || d.count < 1 || d.count > 100) problems.add(`${field}.${i}.count`, 'must be between 1 and 100');
    const dueOn = problems.check(() => isoDate(d.dueOn, `${field}.${i}.dueOn`));
    if (dueOn !== undefined && !isWithinCampaign(dueOn, campaign)) {
      problems.add(`${field}.${i}.dueOn`, `must be within the campaign (${campaign.startsOn} to ${campaign.endsOn})`);
    }
    return { platform: d.platform, format: d.format, count: d.count, dueOn: dueOn ?? '' };
  });
  problems.throwIfAny();
  return specs;
}

/** A due date falls within the campaign (ISO dates compare as text). */
export function isWithinCampaign(dueOn: string, campaign: { startsOn: string; endsOn: string }): boolean {
  return dueOn >= campaign.startsOn && dueOn <= campaign.endsOn;
}
