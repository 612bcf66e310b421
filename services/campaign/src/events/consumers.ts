import { ConsumerDefinition, EventHandler } from '@influenceflow/kit';
import {
  ContractExecutedData,
  ContractTerminatedData,
  CreatorProfileData,
  EventDataMap,
  RateCardUpdatedData,
  TOPICS,
} from '@influenceflow/vocabulary';
import { applyRateCardUpdate } from '../negotiation/rate-card-copy';
import type { CampaignServices } from '../services';

const rateCardUpdated: EventHandler<RateCardUpdatedData> = (event, tx) => applyRateCardUpdate(tx, event.data);

/**
 * Keeps the creators copy: creator.created adds a creator, creator.profile-updated changes its handle or
 * name. Each row keeps the time of the event it holds, so a replayed or late event never moves a handle back.
 */
const creatorProfile: EventHandler<CreatorProfileData> = async (event, tx) => {
  await tx.query(
    `INSERT INTO creators (id, handle, display_name, profile_changed_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO UPDATE SET handle = excluded.handle, display_name = excluded.display_name,
       profile_changed_at = excluded.profile_changed_at, updated_at = now()
       WHERE creators.profile_changed_at < excluded.profile_changed_at`,
    [event.data.creatorId, event.data.handle, event.data.displayName, event.time],
  );
};

/**
 * What campaign consumes: creators from discovery (to invite them), executed and terminated contracts
 * (to move partnerships), rate cards from payments (to set an offer beside the creator's own rates).
 */
export function campaignConsumers(services: CampaignServices): ConsumerDefinition<EventDataMap>[] {
  const contractExecuted: EventHandler<ContractExecutedData> = (event, tx, context) =>
    services.partnerships.markContracted(tx, event.data, context);
  const contractTerminated: EventHandler<ContractTerminatedData> = (event, tx, context) =>
    services.partnerships.endByContract(tx, event.data, context);
  return [
    {
      name: 'creators',
      topics: [TOPICS.creator],
      handlers: { 'creator.created': creatorProfile, 'creator.profile-updated': creatorProfile },
    },
    {
      name: 'contracts',
      topics: [TOPICS.contract],
      handlers: { 'contract.executed': contractExecuted, 'contract.terminated': contractTerminated },
    },
    { name: 'rate-cards', topics: [TOPICS.payment], handlers: { 'ratecard.updated': rateCardUpdated } },
  ];
}
