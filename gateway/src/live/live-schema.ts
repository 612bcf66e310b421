import { buildSchema, GraphQLSchema } from 'graphql';
import { LIVE_EVENT_TYPES, liveEnumOf } from '@influenceflow/vocabulary';

/**
 * The gateway's own small schema for live events, served over WebSocket on /graphql (Apollo Gateway does
 * not plan subscriptions over federation). Its SDL is served at /graphql/live-schema.graphql.
 */
/** Where the gateway serves the live schema's SDL. */
export const LIVE_SCHEMA_PATH = '/graphql/live-schema.graphql';

export const LIVE_SCHEMA_SDL = `"""
A campaign's live events over WebSocket (the graphql-transport-ws protocol) at the gateway's /graphql:
docs/live-events.md. Queries and mutations stay on HTTP; this schema has only what subscriptions need.
"""
schema {
  query: LiveQuery
  subscription: Subscription
}

type LiveQuery {
  "The live event types, as \`campaignEvents(types:)\` takes them."
  liveEventTypes: [LiveEventType!]!
}

type Subscription {
  """
  What happens in a campaign from now on (nothing is replayed): for its brand's members and analysts every
  type; for a creator their own partnerships' events; for a partner the types its brand grant gives.
  \`types\` narrows the stream (none: every type the caller may receive).
  """
  campaignEvents(campaignId: ID!, types: [LiveEventType!]): LiveEvent!
}

"The event types a campaign's live stream carries (the catalogue's type in upper snake case)."
enum LiveEventType {
${LIVE_EVENT_TYPES.map((t) => `  "${t}"\n  ${liveEnumOf(t)}`).join('\n')}
}

"Any JSON value: the event's \`data\` as the catalogue describes it for its type."
scalar JSON

"One event of a campaign, from its CloudEvents envelope."
type LiveEvent {
  "The envelope's id (a UUID v7): the same event has the same id everywhere."
  id: ID!
  type: LiveEventType!
  "ISO 8601: when it happened."
  time: String!
  "The aggregate it is about (a partnership, deliverable, contract, order, payout, message id)."
  subject: String!
  campaignId: ID!
  partnershipId: ID
  "The envelope's data (docs/events.asyncapi.yaml)."
  data: JSON!
  """
  Events of this subscription dropped just before this one because the client read too slowly
  (docs/live-events.md, back-pressure); 0 normally.
  """
  missedBefore: Int!
}
`;

export function buildLiveSchema(): GraphQLSchema {
  return buildSchema(LIVE_SCHEMA_SDL);
}
