import { registerEnumType } from 'type-graphql';
import { PROVENANCES, Provenance } from '../rules/types';

/** `{ SELF_REPORTED: 'self_reported', … }`: the GraphQL enum of PROVENANCES. */
export const ProvenanceValue = Object.freeze(Object.fromEntries(PROVENANCES.map((p) => [p.toUpperCase(), p]))) as {
  readonly [K in Provenance as Uppercase<K>]: K;
};
registerEnumType(ProvenanceValue, {
  name: 'Provenance',
  description: 'Where figures come from: typed by the creator, a bulk import, or fetched from the platform through a connected account.',
  valuesConfig: {
    SELF_REPORTED: { description: 'Saved by the creator (saveMyPlatformAccount).' },
    IMPORTED: { description: 'Written by a bulk import.' },
    FETCHED: { description: "Fetched from the platform's API through an account the creator connected." },
  },
});
