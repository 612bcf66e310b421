import { StateMachine } from '@influenceflow/kit';
import { CampaignStatus } from '@influenceflow/vocabulary';

// The list and its GraphQL enum are the vocabulary's: analytics reports the same enum.
export { CampaignStatus };

/** draft → active → paused → completed / cancelled (docs/campaign.md, "Campaigns"). Completed and cancelled are final. */
export const CAMPAIGN_TRANSITIONS: Record<CampaignStatus, CampaignStatus[]> = {
  [CampaignStatus.DRAFT]: [CampaignStatus.ACTIVE, CampaignStatus.CANCELLED],
  [CampaignStatus.ACTIVE]: [CampaignStatus.PAUSED, CampaignStatus.COMPLETED, CampaignStatus.CANCELLED],
  [CampaignStatus.PAUSED]: [CampaignStatus.ACTIVE, CampaignStatus.COMPLETED, CampaignStatus.CANCELLED],
  [CampaignStatus.COMPLETED]: [],
  [CampaignStatus.CANCELLED]: [],
};

/** The same table as a StateMachine: the brand makes every move. */
export const campaignMachine = new StateMachine<CampaignStatus, 'brand'>(
  'campaign',
  Object.fromEntries(
    Object.entries(CAMPAIGN_TRANSITIONS).map(([from, tos]) => [from, Object.fromEntries(tos.map((to) => [to, 'brand']))]),
  ) as Record<CampaignStatus, Partial<Record<CampaignStatus, 'brand'>>>,
);

/** Checks a status change; a refused one is INVALID_STATE naming the allowed next states. */
export function assertCampaignTransition(from: CampaignStatus, to: CampaignStatus): void {
  campaignMachine.assert(from, to, 'brand');
}

/** The event type announcing a campaign's move into `to` (from `from`). */
export function campaignEventType(from: CampaignStatus, to: CampaignStatus): string {
  if (to === CampaignStatus.ACTIVE) return from === CampaignStatus.PAUSED ? 'campaign.resumed' : 'campaign.launched';
  return `campaign.${to}`;
}
