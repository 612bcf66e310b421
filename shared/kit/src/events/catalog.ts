/**
 * The event catalogue: every event type, its topic and its `data`. Producers and consumers share these
 * types; docs/events.asyncapi.yaml describes the same for people and other languages.
 */
import { TOPICS } from './topics';

export const EVENT_TYPES = {
  creatorCreated: 'creator.created',
  creatorStatsUpdated: 'creator.stats-updated',
  authenticityScored: 'authenticity.scored',
  campaignCreated: 'campaign.created',
  campaignLaunched: 'campaign.launched',
  campaignPaused: 'campaign.paused',
  campaignResumed: 'campaign.resumed',
  campaignCompleted: 'campaign.completed',
  campaignCancelled: 'campaign.cancelled',
  contractExecuted: 'contract.executed',
  rateCardUpdated: 'ratecard.updated',
} as const;

export const EVENT_TOPIC: Record<(typeof EVENT_TYPES)[keyof typeof EVENT_TYPES], (typeof TOPICS)[keyof typeof TOPICS]> = {
  'creator.created': TOPICS.creator,
  'creator.stats-updated': TOPICS.creator,
  'authenticity.scored': TOPICS.creator,
  'campaign.created': TOPICS.campaign,
  'campaign.launched': TOPICS.campaign,
  'campaign.paused': TOPICS.campaign,
  'campaign.resumed': TOPICS.campaign,
  'campaign.completed': TOPICS.campaign,
  'campaign.cancelled': TOPICS.campaign,
  'contract.executed': TOPICS.contract,
  'ratecard.updated': TOPICS.payment,
};

/** A campaign as other services copy it (subject: the campaign id). */
export interface CampaignSnapshot {
  campaignId: string;
  brandId: string;
  name: string;
  status: string;
  goalType: string;
  goalTarget: number;
  budgetMinor: number;
  currency: string;
  startsOn: string;
  endsOn: string;
}

/** campaign.created / launched / paused / resumed / completed / cancelled. */
export interface CampaignEventData extends CampaignSnapshot {
  previousStatus: string | null;
}

/** creator.created (subject: the creator id). */
export interface CreatorCreatedData {
  creatorId: string;
  handle: string;
  displayName: string;
  country: string | null;
  niches: string[];
}

/** creator.stats-updated (subject: the creator id): what search and other services see of a creator changed. */
export interface CreatorStatsUpdatedData {
  creatorId: string;
  /** Followers of the headline (largest) account. */
  followers: number;
  previousFollowers: number;
  tier: string;
  platforms: string[];
  /** Percent, of the headline account, by followers. */
  engagementRate: number | null;
  authenticityScore: number | null;
}

/** authenticity.scored (subject: the creator id): a new authenticity report of one account. */
export interface AuthenticityScoredData {
  creatorId: string;
  accountId: string;
  platform: string;
  score: number;
  previousScore: number | null;
  modelVersion: string;
  reportId: string;
}

/** ratecard.updated (subject: the creator id): one line of a rate card was set or removed. */
export interface RateCardUpdatedData {
  creatorId: string;
  platform: string;
  format: string;
  /** Absent when removed. */
  priceMinor?: number;
  currency?: string;
  removed?: true;
}
