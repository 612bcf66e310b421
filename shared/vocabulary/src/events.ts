/**
 * The event catalogue: every event type, its topic and its `data`. Producers and consumers share these
 * types; docs/events.asyncapi.yaml describes the same for people and other languages.
 */
import { TOPICS } from './topics';

export const EVENT_TYPES = {
  creatorCreated: 'creator.created',
  creatorStatsUpdated: 'creator.stats-updated',
  creatorProfileUpdated: 'creator.profile-updated',
  authenticityScored: 'authenticity.scored',
  postMeasured: 'post.measured',
  campaignCreated: 'campaign.created',
  campaignLaunched: 'campaign.launched',
  campaignPaused: 'campaign.paused',
  campaignResumed: 'campaign.resumed',
  campaignCompleted: 'campaign.completed',
  campaignCancelled: 'campaign.cancelled',
  briefPublished: 'brief.published',
  partnershipInvited: 'partnership.invited',
  partnershipAccepted: 'partnership.accepted',
  partnershipDeclined: 'partnership.declined',
  partnershipContracted: 'partnership.contracted',
  partnershipActivated: 'partnership.activated',
  partnershipPaused: 'partnership.paused',
  partnershipResumed: 'partnership.resumed',
  partnershipCompleted: 'partnership.completed',
  partnershipTerminated: 'partnership.terminated',
  partnershipCountered: 'partnership.countered',
  partnershipCodeChanged: 'partnership.code-changed',
  contractSent: 'contract.sent',
  contractSigned: 'contract.signed',
  contractExecuted: 'contract.executed',
  contractTerminated: 'contract.terminated',
  deliverableSubmitted: 'deliverable.submitted',
  deliverableResubmitted: 'deliverable.resubmitted',
  deliverableChangesRequested: 'deliverable.changes-requested',
  deliverableApproved: 'deliverable.approved',
  deliverablePosted: 'deliverable.posted',
  deliverableVerified: 'deliverable.verified',
  deliverableFlagged: 'deliverable.flagged',
  deliverableUnflagged: 'deliverable.unflagged',
  messagePosted: 'message.posted',
  rateCardUpdated: 'ratecard.updated',
  payoutSucceeded: 'payout.succeeded',
  payoutFailed: 'payout.failed',
  payoutReversed: 'payout.reversed',
  spendAccrued: 'spend.accrued',
  clickRecorded: 'click.recorded',
  // Compensation (payments) and the conversions it pays commission on (analytics).
  milestoneDue: 'milestone.due',
  fundingRequested: 'funding.requested',
  orderAttributed: 'order.attributed',
  orderRefunded: 'order.refunded',
} as const;

export const EVENT_TOPIC: Record<(typeof EVENT_TYPES)[keyof typeof EVENT_TYPES], (typeof TOPICS)[keyof typeof TOPICS]> = {
  'creator.created': TOPICS.creator,
  'creator.stats-updated': TOPICS.creator,
  'creator.profile-updated': TOPICS.creator,
  'authenticity.scored': TOPICS.creator,
  'post.measured': TOPICS.creator,
  'campaign.created': TOPICS.campaign,
  'campaign.launched': TOPICS.campaign,
  'campaign.paused': TOPICS.campaign,
  'campaign.resumed': TOPICS.campaign,
  'campaign.completed': TOPICS.campaign,
  'campaign.cancelled': TOPICS.campaign,
  'brief.published': TOPICS.campaign,
  'partnership.invited': TOPICS.campaign,
  'partnership.accepted': TOPICS.campaign,
  'partnership.declined': TOPICS.campaign,
  'partnership.contracted': TOPICS.campaign,
  'partnership.activated': TOPICS.campaign,
  'partnership.paused': TOPICS.campaign,
  'partnership.resumed': TOPICS.campaign,
  'partnership.completed': TOPICS.campaign,
  'partnership.terminated': TOPICS.campaign,
  'partnership.countered': TOPICS.campaign,
  'partnership.code-changed': TOPICS.campaign,
  'contract.sent': TOPICS.contract,
  'contract.signed': TOPICS.contract,
  'contract.executed': TOPICS.contract,
  'contract.terminated': TOPICS.contract,
  'deliverable.submitted': TOPICS.campaign,
  'deliverable.resubmitted': TOPICS.campaign,
  'deliverable.changes-requested': TOPICS.campaign,
  'deliverable.approved': TOPICS.campaign,
  'deliverable.posted': TOPICS.campaign,
  'deliverable.verified': TOPICS.campaign,
  'deliverable.flagged': TOPICS.campaign,
  'deliverable.unflagged': TOPICS.campaign,
  'message.posted': TOPICS.campaign,
  'ratecard.updated': TOPICS.payment,
  'payout.succeeded': TOPICS.payment,
  'payout.failed': TOPICS.payment,
  'payout.reversed': TOPICS.payment,
  'spend.accrued': TOPICS.payment,
  'click.recorded': TOPICS.conversion,
  'milestone.due': TOPICS.payment,
  'funding.requested': TOPICS.payment,
  'order.attributed': TOPICS.conversion,
  'order.refunded': TOPICS.conversion,
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

/** brief.published (subject: the campaign id): a new version of a campaign's brief. */
export interface BriefPublishedData {
  campaignId: string;
  brandId: string;
  briefId: string;
  version: number;
}

/** A deliverable a brief asks for or a partnership's terms promise. */
export interface DeliverableSpecData {
  platform: string;
  format: string;
  count: number;
  /** ISO date */
  dueOn: string;
}

/**
 * partnership.invited / accepted / declined / contracted / activated / paused / resumed / completed /
 * terminated (subject: the partnership id): the partnership as other services copy it.
 */
export interface PartnershipEventData {
  partnershipId: string;
  campaignId: string;
  brandId: string;
  creatorId: string;
  status: string;
  previousStatus: string | null;
  /** Months the partnership runs beyond one campaign (3 or 6), or null. */
  lengthMonths: number | null;
  deliverables: DeliverableSpecData[];
  fee: { amountMinor: number; currency: string };
  commissionPercent: number | null;
  /** The brief version the creator accepted, once they have. */
  briefVersion: number | null;
  /** Why it was declined, paused or terminated. */
  reason: string | null;
  /**
   * Who and what the partnership is between, for services that write it down (a contract names its
   * parties); absent from older producers.
   */
  parties?: PartnershipPartiesData;
  /** The partnership's discount code and tracking link, from acceptance on; absent from older producers. */
  tracking?: PartnershipTrackingData;
}

/**
 * What credits an order to a partnership (analytics attributes by it): its discount code, its tracking
 * link's slug, and the UTM parameters the link sends people with.
 */
export interface PartnershipTrackingData {
  /** Upper case, unique in the brand; null before acceptance. */
  discountCode: string | null;
  linkSlug: string | null;
  /** The link's `utm_campaign` and `utm_content` (the campaign and the creator), or null without a link target. */
  utmCampaign: string | null;
  utmContent: string | null;
}

/** The names of a partnership's parties and its campaign's, with the campaign's dates. */
export interface PartnershipPartiesData {
  brandName: string;
  creatorName: string;
  /** Without the @; null when campaign does not know it. */
  creatorHandle: string | null;
  campaignName: string;
  /** ISO dates */
  campaignStartsOn: string;
  campaignEndsOn: string;
}

/** One round of terms in a partnership's negotiation. */
export interface OfferData {
  offerId: string;
  /** 1 for the invitation, one more per counter-offer. */
  round: number;
  proposedBy: 'brand' | 'creator';
  fee: { amountMinor: number; currency: string };
  commissionPercent: number | null;
  deliverables: DeliverableSpecData[];
  lengthMonths: number | null;
  note: string;
}

/**
 * partnership.countered (subject: the partnership id): one side proposed other terms while the invitation
 * is open; the partnership (still invited, its terms those of the invitation) and the new offer.
 */
export interface PartnershipCounteredData extends PartnershipEventData {
  offer: OfferData;
}

/**
 * deliverable.submitted / resubmitted / changes-requested / approved / posted / verified / flagged /
 * unflagged (subject: the deliverable id).
 */
export interface DeliverableEventData {
  deliverableId: string;
  partnershipId: string;
  campaignId: string;
  brandId: string;
  creatorId: string;
  sequence: number;
  platform: string;
  format: string;
  dueOn: string;
  status: string;
  previousStatus: string | null;
  /** Set once posted. */
  postUrl: string | null;
  /** The draft version submitted or reviewed, when the move is about a draft. */
  draftVersion: number | null;
  ugcReuseAllowed: boolean;
  /** Why the content was flagged; null when it is not (or no longer) flagged. */
  flagReason: string | null;
  /** deliverable.approved only: the brand approved a draft that failed its brief's compliance check, and why. */
  complianceOverride?: ComplianceOverrideData;
}

/** Who approved a draft despite its compliance findings, when, and why. */
export interface ComplianceOverrideData {
  reason: string;
  overriddenBy: string;
  /** ISO 8601. */
  overriddenAt: string;
  /** The findings' kinds overridden (MISSING_HASHTAG, …). */
  findings: string[];
}

/** click.recorded (subject: the partnership id): someone followed a partnership's tracking link. */
export interface ClickRecordedData {
  clickId: string;
  /** The link's slug (`/r/<slug>`). */
  link: string;
  partnershipId: string;
  campaignId: string;
  brandId: string;
  creatorId: string;
  /** ISO time of the click. */
  at: string;
  referrer: string | null;
  /** HMAC-SHA-256 of the client's IP address: counts unique visitors, never stores the address. */
  ipHash: string | null;
  userAgentHash: string | null;
  /**
   * Who followed the link: a person (`human`), a crawler or script (`bot`), or a link-preview fetch
   * (`preview`: a chat or social app unfurling the link, or a HEAD request). Only human clicks count.
   */
  traffic: 'human' | 'bot' | 'preview';
  /** What matched when not human: the bot or preview agent's name, 'HEAD request' or 'no user agent'. */
  agent: string | null;
  /** True when the partnership had ended (completed or terminated) by the click; absent from older producers. */
  afterEnd?: boolean;
}

/** What every contract event says of the contract (subject: the contract id). */
export interface ContractEventData {
  contractId: string;
  partnershipId: string;
  campaignId: string;
  brandId: string;
  creatorId: string;
  /** 1, then one more per amendment. */
  version: number;
  /** The contract (version) this one amends; null for the first. */
  amends: string | null;
  status: string;
  previousStatus: string | null;
  /** SHA-256 (hex) of the rendered document's UTF-8 bytes. */
  documentSha256: string;
}

/** contract.sent: the brand sent the contract to be signed. */
export type ContractSentData = ContractEventData;

/** contract.signed: one party signed (the other may follow: contract.executed). */
export interface ContractSignedData extends ContractEventData {
  signedBy: 'brand' | 'creator';
  /** ISO 8601 */
  signedAt: string;
  /** Who has signed this version so far. */
  signatures: ('brand' | 'creator')[];
}

/** A payment milestone as payments reads it from contract.executed (amounts resolved to minor units). */
export interface ContractMilestoneData {
  /** Its position in the contract, 0-based: with the contract id, a stable key. */
  index: number;
  label: string;
  amountMinor: number;
  /** The share (percent) it was agreed as, when it was. */
  sharePercent: number | null;
  trigger: 'ON_EXECUTION' | 'ON_DELIVERABLE_POSTED' | 'ON_CAMPAIGN_END' | 'ON_BONUS_THRESHOLD';
  /** ON_DELIVERABLE_POSTED: which of the contract's deliverables (0-based). */
  deliverableIndex: number | null;
}

/** What the contract pays, in the contract's currency (minor units). */
export interface ContractCompensationData {
  currency: string;
  flatFeeMinor: number | null;
  commissionPercent: number | null;
  bonus: { metric: string; threshold: number; amountMinor: number } | null;
  product: { description: string; declaredValueMinor: number } | null;
}

/**
 * contract.executed (subject: the contract id): both parties signed; the partnership is under contract.
 * An amendment's execution supersedes the version it amends (`amends`): payments replaces that
 * version's plan with this one's.
 */
export interface ContractExecutedData {
  contractId: string;
  partnershipId: string;
  brandId: string;
  creatorId: string;
  executedAt: string;
  /** Absent from producers before the contracts feature. */
  campaignId?: string;
  version?: number;
  amends?: string | null;
  documentSha256?: string;
  currency?: string;
  compensation?: ContractCompensationData;
  milestones?: ContractMilestoneData[];
  /**
   * The contract's deliverables in its order (what `deliverableIndex` points into) and its length in months
   * beyond one campaign; absent from producers before payments read them.
   */
  deliverables?: DeliverableSpecData[];
  lengthMonths?: number | null;
}

/** contract.terminated: a party (or the system, when the partnership ended) ended the contract. */
export interface ContractTerminatedData extends ContractEventData {
  reason: string;
  terminatedBy: 'brand' | 'creator' | 'system';
  /** ISO 8601 */
  terminatedAt: string;
  /**
   * Whether this ends the partnership: true for the contract in force (or the first version), false for an
   * amendment discarded before it was executed (the version it amends stays in force).
   */
  endsPartnership: boolean;
}

/**
 * What other services copy of a creator's profile: creator.created (subject: the creator id), and
 * creator.profile-updated when any of it changes (a new handle, name, country or niches).
 */
export interface CreatorProfileData {
  creatorId: string;
  handle: string;
  displayName: string;
  country: string | null;
  niches: string[];
}
export type CreatorCreatedData = CreatorProfileData;

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

/**
 * post.measured (subject: the creator id): a connected account's post as its platform's API reported it at
 * `measuredAt` (discovery's connectors, docs/connectors.md). A counter the API does not give is null, never
 * 0; analytics measures a campaign's deliverable with it when `postUrl` is that deliverable's post.
 */
export interface PostMeasuredData {
  creatorId: string;
  /** The discovery platform account the post belongs to. */
  accountId: string | null;
  platform: string;
  /** The post's permalink on its platform, as the API gave it (consumers normalise it). */
  postUrl: string;
  /** The platform's id of the post (a YouTube video id, an Instagram media id). */
  externalPostId: string | null;
  /** ISO 8601: when the API was read. */
  measuredAt: string;
  /** ISO 8601: when the post went up, where the API says. */
  postedAt: string | null;
  reach: number | null;
  impressions: number | null;
  /** Null when the platform hides them (YouTube's hidden likes, disabled comments). */
  likes: number | null;
  comments: number | null;
  shares: number | null;
  saves: number | null;
  views: number | null;
  /** The post's caption (YouTube: title and description), at most 2,200 characters; null when it has none. */
  caption: string | null;
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

/** One line of a rate card in `ratecard.updated`: its price over a period of days (both ends inclusive). */
export interface RateCardPeriod {
  /** ISO date: the first day the price applies. */
  validFrom: string;
  /** ISO date: the last day it applies; null: open-ended. */
  validUntil: string | null;
  priceMinor: number;
  currency: string;
}

/**
 * ratecard.updated (subject: the creator id): a line of a rate card was set or removed; the event carries
 * every line of that platform and format (`periods`), so a copy replaces its lines of them with these.
 */
export interface RateCardUpdatedData {
  creatorId: string;
  platform: string;
  format: string;
  /** The price valid on `asOf` (the day it was published); absent when no line holds that day. */
  priceMinor?: number;
  currency?: string;
  /** No line holds `asOf` (every line removed, or only past or future ones left). */
  removed?: true;
  /** ISO date (UTC) the event was published; what `priceMinor` and `removed` are about. Absent from older producers. */
  asOf?: string;
  /**
   * Every line of this platform and format, by `validFrom`; empty: none left. Absent from older producers:
   * read `priceMinor`/`currency` as one open-ended line from 1970-01-01 (or none when `removed`).
   */
  periods?: RateCardPeriod[];
}

/**
 * The lines a ratecard.updated says its platform and format has: its `periods`, or (from an older producer,
 * without them) its one price as open-ended from 1970-01-01, none when removed. Every copy reads it so.
 */
export function periodsOfRateCardUpdate(data: RateCardUpdatedData): RateCardPeriod[] {
  if (data.periods) return data.periods;
  if (data.removed || data.priceMinor == null || data.currency == null) return [];
  return [{ validFrom: '1970-01-01', validUntil: null, priceMinor: data.priceMinor, currency: data.currency }];
}

/** What every payout event says of the payout (subject: the payout id; amounts in minor units). */
export interface PayoutEventData {
  payoutId: string;
  partnershipId: string;
  campaignId: string;
  brandId: string;
  creatorId: string;
  amountMinor: number;
  currency: string;
  /** Why it is paid: MILESTONE, COMMISSION, BONUS or AD_HOC. */
  reason: string;
  /** What it pays for (a milestone id), when it says. */
  reference: string | null;
  /** The payout provider: `manual` or `simulated`. */
  provider: string;
  /** The attempt this event is about (1, then one more per retry). */
  attempt: number;
}

/** payout.succeeded: the provider says the money reached the creator. */
export interface PayoutSucceededData extends PayoutEventData {
  providerRef: string | null;
  /** ISO 8601 */
  succeededAt: string;
}

/** payout.failed: an attempt failed; `final` when no retry follows (the money stays owed to the creator). */
export interface PayoutFailedData extends PayoutEventData {
  failureReason: string;
  final: boolean;
  /** ISO 8601: when the next attempt starts (null when final). */
  nextRetryAt: string | null;
  /** ISO 8601 */
  failedAt: string;
}

/** payout.reversed: the money of a succeeded payout came back; it is owed to the creator again. */
export interface PayoutReversedData extends PayoutEventData {
  reversalReason: string;
  /** ISO 8601 */
  reversedAt: string;
}

/**
 * spend.accrued (subject: the campaign id): the ledger moved money from a campaign's escrow to what a
 * creator is owed (an accrual: a milestone due, commission, a bonus, an ad hoc payment), or back (kind
 * COMMISSION_REFUND: a refunded order's commission, which lowers the campaign's spend by `amount`).
 * Published by the ledger posting itself, in its transaction, so no accrual goes unreported.
 */
export interface SpendAccruedData {
  /** The ledger transfer; consumers count each one once. */
  transferId: string;
  campaignId: string;
  brandId: string;
  partnershipId: string;
  creatorId: string;
  kind: 'MILESTONE' | 'COMMISSION' | 'BONUS' | 'AD_HOC' | 'COMMISSION_REFUND';
  /** Always positive: added to the campaign's spend, or taken off it for COMMISSION_REFUND. */
  amount: { amountMinor: number; currency: string };
  /** The platform fee charged to the escrow on top of `amount` (returned with a refund); 0 by default. */
  feeMinor: number;
  accruedAt: string;
}

/**
 * funding.requested (subject: the campaign id): a closed campaign (its escrow returned to the brand) owes its
 * creators money its escrow no longer holds — commission on an order attributed after the end, for now —
 * and asks its brand to fund it: `fundCampaign` on a closed campaign takes up to `amount`, and what waited
 * is paid at once. Published each time something more starts waiting; `amount` is the campaign's whole
 * shortfall then, not the increment.
 */
export interface FundingRequestedData {
  campaignId: string;
  brandId: string;
  /** The partnership whose commission started waiting. */
  partnershipId: string;
  creatorId: string;
  reason: 'LATE_COMMISSION';
  /** What the escrow must receive to pay everything that waits on it (positive). */
  amount: { amountMinor: number; currency: string };
  /** ISO 8601 */
  requestedAt: string;
}

/** message.posted (subject: the partnership id): a message in a partnership's thread, between its brand and its creator. */
export interface MessagePostedData {
  messageId: string;
  partnershipId: string;
  campaignId: string;
  brandId: string;
  creatorId: string;
  /** Who wrote it: the brand's side (a member) or the creator. */
  authorSide: 'brand' | 'creator';
  /** The token subject of the author. */
  authorSubject: string;
  body: string;
  attachments: { url: string; name: string | null }[];
  postedAt: string;
}

/**
 * milestone.due (subject: the partnership id): a payment milestone's trigger arrived; its payout starts at
 * once (payments' compensation plans, docs/payments.md, "Compensation plans and milestones").
 */
export interface MilestoneDueData {
  milestoneId: string;
  planId: string;
  contractId: string;
  partnershipId: string;
  campaignId: string;
  brandId: string;
  creatorId: string;
  /** Its position in the contract (0-based). */
  index: number;
  label: string;
  trigger: 'ON_EXECUTION' | 'ON_DELIVERABLE_POSTED' | 'ON_CAMPAIGN_END' | 'ON_BONUS_THRESHOLD';
  /** What this milestone pays now, integer minor units of `currency` (its amount less what an amended version already paid). */
  amountMinor: number;
  currency: string;
  /** ISO 8601 */
  dueAt: string;
}

/**
 * order.attributed (subject: the partnership id, so a partnership's orders and refunds stay in order): an
 * order credited to a partnership by its discount code or tracking link. Analytics publishes it.
 */
export interface OrderAttributedData {
  orderId: string;
  partnershipId: string;
  campaignId: string;
  brandId: string;
  creatorId: string;
  /** The order's amount net of tax and shipping: integer minor units of `currency` (ISO 4217), at least 0. */
  amountMinor: number;
  currency: string;
  /** What credited it: the creator's discount code or their tracking link. */
  via: 'discount_code' | 'link';
  /** The code used (via discount_code), else null. */
  discountCode: string | null;
  /** The tracking link's slug (via link), else null. */
  link: string | null;
  /** ISO 8601: when the order was placed. */
  orderedAt: string;
  /** ISO 8601: when it was attributed. */
  attributedAt: string;
}

/** order.refunded (subject: the partnership id): part or all of an attributed order was refunded. */
export interface OrderRefundedData {
  /** One per refund: an order may be refunded in several parts. */
  refundId: string;
  orderId: string;
  partnershipId: string;
  campaignId: string;
  brandId: string;
  creatorId: string;
  /** What was refunded, net of tax and shipping like the order's amount, in the order's currency; above 0. */
  amountMinor: number;
  currency: string;
  /** ISO 8601 */
  refundedAt: string;
}

/** Each event type's `data`: a consumer's handler for a type gets its data's type, with no cast. */
export interface EventDataMap {
  'creator.created': CreatorCreatedData;
  'creator.stats-updated': CreatorStatsUpdatedData;
  'creator.profile-updated': CreatorProfileData;
  'authenticity.scored': AuthenticityScoredData;
  'post.measured': PostMeasuredData;
  'campaign.created': CampaignEventData;
  'campaign.launched': CampaignEventData;
  'campaign.paused': CampaignEventData;
  'campaign.resumed': CampaignEventData;
  'campaign.completed': CampaignEventData;
  'campaign.cancelled': CampaignEventData;
  'brief.published': BriefPublishedData;
  'partnership.invited': PartnershipEventData;
  'partnership.accepted': PartnershipEventData;
  'partnership.declined': PartnershipEventData;
  'partnership.contracted': PartnershipEventData;
  'partnership.activated': PartnershipEventData;
  'partnership.paused': PartnershipEventData;
  'partnership.resumed': PartnershipEventData;
  'partnership.completed': PartnershipEventData;
  'partnership.terminated': PartnershipEventData;
  'partnership.countered': PartnershipCounteredData;
  'partnership.code-changed': PartnershipEventData;
  'contract.sent': ContractSentData;
  'contract.signed': ContractSignedData;
  'contract.executed': ContractExecutedData;
  'contract.terminated': ContractTerminatedData;
  'deliverable.submitted': DeliverableEventData;
  'deliverable.resubmitted': DeliverableEventData;
  'deliverable.changes-requested': DeliverableEventData;
  'deliverable.approved': DeliverableEventData;
  'deliverable.posted': DeliverableEventData;
  'deliverable.verified': DeliverableEventData;
  'deliverable.flagged': DeliverableEventData;
  'deliverable.unflagged': DeliverableEventData;
  'message.posted': MessagePostedData;
  'ratecard.updated': RateCardUpdatedData;
  'payout.succeeded': PayoutSucceededData;
  'payout.failed': PayoutFailedData;
  'payout.reversed': PayoutReversedData;
  'spend.accrued': SpendAccruedData;
  'click.recorded': ClickRecordedData;
  'milestone.due': MilestoneDueData;
  'funding.requested': FundingRequestedData;
  'order.attributed': OrderAttributedData;
  'order.refunded': OrderRefundedData;
}

export type EventType = keyof EventDataMap;

// Every type of the catalogue has its data, and nothing else does (a compile-time check).
type CatalogueType = (typeof EVENT_TYPES)[keyof typeof EVENT_TYPES];
const _everyTypeHasData: Record<CatalogueType, true> = {} as Record<EventType, true>;
const _noDataWithoutType: Record<EventType, true> = {} as Record<CatalogueType, true>;
void _everyTypeHasData;
void _noDataWithoutType;
