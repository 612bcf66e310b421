import { ConfigError, parsePublicHttpUrl } from '@influenceflow/kit';
import { z } from 'zod';

/** What the campaign service reads beyond every subgraph's configuration (docs/configuration.md, "Campaign"). */
export interface CampaignSettings {
  /** CAMPAIGN_LIFECYCLE_INTERVAL_MS: how often the lifecycle task completes ended campaigns and marks overdue deliverables. */
  lifecycleIntervalMs: number;
  /** CAMPAIGN_ENDED_URL: where tracking links of ended partnerships send people (default: where they always did). */
  campaignEndedUrl: string | null;
}

const schema = z.object({
  CAMPAIGN_LIFECYCLE_INTERVAL_MS: z.coerce.number().int().min(1_000).max(86_400_000).default(60_000),
  CAMPAIGN_ENDED_URL: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      if (value === undefined) return;
      try {
        parsePublicHttpUrl(value, 'CAMPAIGN_ENDED_URL');
      } catch {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'must be a public http(s) URL on a domain name' });
      }
    }),
});

/** The campaign settings from the environment; a bad value stops the service with one message per variable. */
export function campaignSettings(env: NodeJS.ProcessEnv = process.env): CampaignSettings {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([k, v]) => k in schema.shape && v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      'campaign',
      result.error.issues.map((issue) => {
        const variable = String(issue.path[0] ?? '?');
        return { variable, problem: issue.message, got: cleaned[variable] };
      }),
    );
  }
  return {
    lifecycleIntervalMs: result.data.CAMPAIGN_LIFECYCLE_INTERVAL_MS,
    campaignEndedUrl: result.data.CAMPAIGN_ENDED_URL ? parsePublicHttpUrl(result.data.CAMPAIGN_ENDED_URL, 'CAMPAIGN_ENDED_URL') : null,
  };
}
