import { graphql } from '../gql';

/** A brand's webhook endpoints: the Partners screen's list, and the delivery log's heading (one cache entry). */
export const WEBHOOK_ENDPOINTS = graphql(`
  query WebhookEndpoints($brandId: ID!) {
    webhookEndpoints(brandId: $brandId) {
      id
      url
      description
      eventTypes
      partnerClientId
      disabledAt
      disabledReason
      createdAt
      lastSuccessAt
      secretRotatedAt
    }
  }
`);
