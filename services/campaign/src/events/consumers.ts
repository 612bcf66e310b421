import { ConsumerDefinition, EventHandler } from '@influenceflow/kit';
import { ContractExecutedData, CreatorCreatedData, EventDataMap, TOPICS } from '@influenceflow/vocabulary';
import { CreatorCopy } from '../creators/creator-copy.entity';
import type { CampaignServices } from '../services';

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

/** What campaign consumes: creators from discovery (to invite them), executed contracts (to move partnerships). */
export function campaignConsumers(services: CampaignServices): ConsumerDefinition<EventDataMap>[] {
  const contractExecuted: EventHandler<ContractExecutedData> = (event, tx, context) =>
    services.partnerships.markContracted(tx, event.data, context);
  return [
    { name: 'creators', topics: [TOPICS.creator], handlers: { 'creator.created': creatorCreated } },
    { name: 'contracts', topics: [TOPICS.contract], handlers: { 'contract.executed': contractExecuted } },
  ];
}
