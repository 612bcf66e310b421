import { ConsumerDefinition, EventHandler, RateCardUpdatedData, TOPICS } from '@influenceflow/kit';
import { applyRateCardUpdate } from '../pricing/rate-card-copy';

const rateCardUpdated: EventHandler<RateCardUpdatedData> = (event, tx) => applyRateCardUpdate(tx, event.data);

/** What discovery consumes: rate-card prices from payments, for the price filter and the media kit. */
export const discoveryConsumers: ConsumerDefinition[] = [
  {
    name: 'rate-cards',
    topics: [TOPICS.payment],
    handlers: { 'ratecard.updated': rateCardUpdated as EventHandler },
  },
];
