import { cacheExchange, fetchExchange, type ClientOptions } from '@urql/core';

/**
 * The client's exchanges and transport, shared with the build (scripts/persisted-operations.mjs), which
 * runs every operation of the dashboard through the very same exchanges to record the text they send: the
 * trusted operations manifest then holds exactly those bytes (the gateway hashes the text it receives).
 * POST only: a GET would need Apollo's CSRF preflight header, and the manifest records POST bodies.
 */
export const transportOptions = {
  preferGetMethod: false,
  exchanges: [cacheExchange, fetchExchange],
} satisfies Partial<ClientOptions>;
