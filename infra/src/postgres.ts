import { ensureDatabase, loadServiceConfig, SERVICE_NAMES, ServiceConfig } from '@influenceflow/kit';

/** Creates each service's database when missing (from `<SERVICE>_DATABASE_URL`). */
export async function ensureServiceDatabases(env: NodeJS.ProcessEnv = process.env): Promise<ServiceConfig[]> {
  const configs = SERVICE_NAMES.map((name) => loadServiceConfig(name, env));
  for (const config of configs) await ensureDatabase(config.databaseUrl);
  return configs;
}

if (require.main === module) {
  ensureServiceDatabases()
    .then((configs) => configs.forEach((c) => console.log(`✔ ${c.service}: ${new URL(c.databaseUrl).pathname.slice(1)}`)))
    .catch((err: Error) => {
      console.error(`✖ ${err.message}`);
      process.exit(1);
    });
}
