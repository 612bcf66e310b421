import { ConsumerDefinition, EventHandler } from '@influenceflow/kit';
import { ContractExecutedData, CreatorCreatedData, EventDataMap, RateCardUpdatedData, TOPICS } from '@influenceflow/vocabulary';
import { CreatorCopy } from '../creators/creator-copy.entity';
import { applyRateCardUpdate } from '../negotiation/rate-card-copy';
import type { CampaignServices } from '../services';

const rateCardUpdated: EventHandler<RateCardUpdatedData> = (event, tx) => applyRateCardUpdate(tx, event.data);

/** Keeps the creators copy: a replayed or late event never moves a handle back. */
const creatorCreated: EventHandler<CreatorCreatedData> = async (event, tx) => {
  await tx
    .createQueryBuilder()
    .insert()
    .into(CreatorCopy)
    .values({ id: event.data.creatorId, handle: event.data.handle, displayName: event.data.displayName })
    .orIgnore()
    .execute();
};

/**
 * What campaign consumes: creators from discovery (to invite them), executed contracts (to move
 * partnerships), rate cards from payments (to set an offer beside the creator's own rates).
 */
export function campaignConsumers(services: CampaignServices): ConsumerDefinition<EventDataMap>[] {
  const contractExecuted: EventHandler<ContractExecutedData> = (event, tx, context) =>
    services.partnerships.markContracted(tx, event.data, context);
  return [
    { name: 'creators', topics: [TOPICS.creator], handlers: { 'creator.created': creatorCreated } },
    { name: 'contracts', topics: [TOPICS.contract], handlers: { 'contract.executed': contractExecuted } },
    { name: 'rate-cards', topics: [TOPICS.payment], handlers: { 'ratecard.updated': rateCardUpdated } },
  ];
}
