import { ConsumerDefinition, EventHandler } from '@influenceflow/kit';
import { EventDataMap, RateCardUpdatedData, TOPICS } from '@influenceflow/vocabulary';
import { applyRateCardUpdate } from '../pricing/rate-card-copy';

const rateCardUpdated: EventHandler<RateCardUpdatedData> = (event, tx) => applyRateCardUpdate(tx, event.data);

/** What discovery consumes: rate-card prices from payments, for the price filter and the media kit. */
export const discoveryConsumers: ConsumerDefinition<EventDataMap>[] = [
  {
    name: 'rate-cards',
    topics: [TOPICS.payment],
    handlers: { 'ratecard.updated': rateCardUpdated },
  },
];
