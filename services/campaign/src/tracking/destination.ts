import { parsePublicHttpUrl, RequestContext, ServiceRuntime, SubgraphRuntime } from '@influenceflow/kit';

/** LINK_ALLOW_IP_HOSTS: whether links may name a (public) IP address instead of a domain. */
export function allowIpHosts(runtime: ServiceRuntime): boolean {
  return 'config' in runtime && (runtime as SubgraphRuntime).config.linkAllowIpHosts === true;
}

/**
 * Where a tracking link may send people (a campaign's landing page, a brand's website): a public http(s)
 * URL (parsePublicHttpUrl), a bare IP address only when the operator allows it. BAD_USER_INPUT on `field`.
 */
export function parseDestinationUrl(ctx: RequestContext, value: string, field: string): string {
  return parsePublicHttpUrl(value, field, { allowIpHosts: allowIpHosts(ctx.runtime) });
}
