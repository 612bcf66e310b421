import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { allConfigVariables, DEFAULT_PORTS, envPrefix, loadGatewayConfig, loadServiceConfig, SERVICE_NAMES } from '@influenceflow/kit';
import { ALL_TOPICS } from '@influenceflow/vocabulary';
import { CONNECTOR_CONFIG, CONNECTOR_VARIABLES } from '@influenceflow/discovery';
import { ANALYTICS_CONFIG, ANALYTICS_VARIABLES } from '@influenceflow/analytics';

/**
 * Docker does not run on the build machines, so this test keeps docker-compose.yml honest: every
 * service, port and variable must match the config schema the processes really read.
 */
interface ComposeService {
  command?: string[];
  environment?: Record<string, string | number>;
  ports?: string[];
  depends_on?: unknown;
}

const root = join(__dirname, '..', '..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
// The kit's variables, and those discovery (its platform connectors) and analytics (its shops) read of their own.
const known = new Set([...allConfigVariables(), ...CONNECTOR_VARIABLES, ...ANALYTICS_VARIABLES]);

/** The environment as a process would see it (compose's ${VAR:-default} resolved to the default). */
function envOf(service: ComposeService): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([k, v]) => [k, String(v).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1')]),
  );
}

describe('docker-compose.yml', () => {
  it('runs the five subgraphs and the gateway, each from its own entry point', () => {
    for (const name of [...SERVICE_NAMES, 'gateway']) {
      const service = compose.services[name];
      expect(service).toBeDefined();
      const entry = name === 'gateway' ? 'gateway/dist/main.js' : `services/${name}/dist/main.js`;
      expect(service.command).toEqual(['node', entry]);
    }
  });

  it.each(SERVICE_NAMES)('gives %s only known variables, a valid config and its default port', (name) => {
    const service = compose.services[name];
    const env = envOf(service);
    for (const key of Object.keys(env)) expect(known).toContain(key);
    const config =
      name === 'discovery'
        ? loadServiceConfig(name, env, CONNECTOR_CONFIG)
        : name === 'analytics'
          ? loadServiceConfig(name, env, ANALYTICS_CONFIG)
          : loadServiceConfig(name, env);
    expect(config.port).toBe(DEFAULT_PORTS[name]);
    // Published on the host's loopback only: with the development secret, nobody else may reach them.
    expect(service.ports).toEqual([`127.0.0.1:${DEFAULT_PORTS[name]}:${DEFAULT_PORTS[name]}`]);
    expect(env[`${envPrefix(name)}_DATABASE_URL`]).toMatch(new RegExp(`/influenceflow_${name}$`));
    expect(config.kafka.brokers).toEqual(['kafka:9092']);
    expect(config.bindHost).toBe('0.0.0.0');
  });

  it('points the gateway at every subgraph by service name and port', () => {
    const service = compose.services.gateway;
    const env = envOf(service);
    for (const key of Object.keys(env)) expect(known).toContain(key);
    const config = loadGatewayConfig(env);
    expect(config.port).toBe(DEFAULT_PORTS.gateway);
    expect(service.ports).toEqual([`127.0.0.1:${DEFAULT_PORTS.gateway}:${DEFAULT_PORTS.gateway}`]);
    for (const name of SERVICE_NAMES) {
      expect(config.subgraphUrls[name]).toBe(`http://${name}:${DEFAULT_PORTS[name]}/graphql`);
    }
  });

  it('creates every database and every topic (with its dead-letter twin) the services use', () => {
    const initSql = readFileSync(join(root, 'infra', 'postgres', 'init.sql'), 'utf8');
    for (const name of SERVICE_NAMES) expect(initSql).toContain(`CREATE DATABASE influenceflow_${name};`);
    const script = (compose.services['kafka-topics'].command ?? []).join('\n');
    for (const topic of ALL_TOPICS) expect(script).toContain(topic);
    expect(script).toContain('$$t.dlq');
  });
});
