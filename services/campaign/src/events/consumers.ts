import { ConsumerDefinition, ContractExecutedData, CreatorCreatedData, EventHandler, TOPICS } from '@influenceflow/kit';
import { CreatorCopy } from '../creators/creator-copy.entity';
import { PartnershipService } from '../partnerships/partnership.service';

const partnerships = new PartnershipService();

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

const contractExecuted: EventHandler<ContractExecutedData> = (event, tx, context) => partnerships.markContracted(tx, event.data, context);

/** What campaign consumes: creators from discovery (to invite them), executed contracts (to move partnerships). */
export const campaignConsumers: ConsumerDefinition[] = [
  { name: 'creators', topics: [TOPICS.creator], handlers: { 'creator.created': creatorCreated as EventHandler } },
  { name: 'contracts', topics: [TOPICS.contract], handlers: { 'contract.executed': contractExecuted as EventHandler } },
];
