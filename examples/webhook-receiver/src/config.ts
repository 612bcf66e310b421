/**
 * The secrets from `WEBHOOK_SECRET`: one `whsec_…` secret, or several separated by spaces or commas while
 * a rotation is under way (the new one and the old one, until the old one is revoked).
 */
export function secretsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  const secrets = (env.WEBHOOK_SECRET ?? '').split(/[\s,]+/).filter((s) => s.length > 0);
  if (secrets.length === 0)
    throw new Error('WEBHOOK_SECRET is not set (whsec_… from the subscription; several separated by spaces during a rotation)');
  return secrets;
}

export function portFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const port = Number.parseInt(env.PORT ?? '3000', 10);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT is not a port: ${env.PORT}`);
  return port;
}
