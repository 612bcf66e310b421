import { z } from 'zod';
import { ConfigError, loadGatewayConfig, loadServiceConfig, subgraphTimeoutOf } from './load';
import { allConfigVariables, DEV_SIGNING_SECRET } from './schema';

describe('service configuration', () => {
  it('uses the documented defaults when nothing is set', () => {
    const config = loadServiceConfig('campaign', {});
    expect(config).toMatchObject({
      service: 'campaign',
      port: 4002,
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/influenceflow_campaign',
      kafka: { brokers: ['127.0.0.1:9092'], topicPrefix: '' },
      bindHost: '127.0.0.1',
    });
  });

  it('takes a public base URL for links only as an http(s) origin or path, nothing a link could not end with', () => {
    expect(loadServiceConfig('campaign', { PUBLIC_BASE_URL: 'https://go.example.com/links' }).publicBaseUrl).toBe(
      'https://go.example.com/links',
    );
    for (const bad of [
      'javascript:alert(1)',
      'ftp://go.example.com',
      'https://u:p@go.example.com',
      'https://go.example.com/?a=1',
      'https://go.example.com/#x',
    ]) {
      expect(() => loadServiceConfig('campaign', { PUBLIC_BASE_URL: bad })).toThrow(ConfigError);
    }
  });

  it('reads the service-prefixed variables and splits broker lists', () => {
    const config = loadServiceConfig('payments', {
      PAYMENTS_PORT: '5004',
      PAYMENTS_DATABASE_URL: 'postgresql://u:p@db:5433/pay',
      KAFKA_BROKERS: 'k1:9092, k2:9092',
    });
    expect(config.port).toBe(5004);
    expect(config.databaseUrl).toBe('postgresql://u:p@db:5433/pay');
    expect(config.kafka.brokers).toEqual(['k1:9092', 'k2:9092']);
  });

  it('reports every bad variable in one message that says what and how to fix', () => {
    let error: unknown;
    try {
      loadServiceConfig('discovery', { DISCOVERY_PORT: 'eighty', DISCOVERY_DATABASE_URL: 'mysql://x/y', KAFKA_BROKERS: 'nohost' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('DISCOVERY_PORT');
    expect(message).toContain('DISCOVERY_DATABASE_URL: must be a postgres:// URL (got "mysql://x/y")');
    expect(message).toContain('KAFKA_BROKERS');
    expect(message).toContain('Set the variable');
  });

  it('refuses the development signing secret in production', () => {
    expect(() => loadGatewayConfig({ NODE_ENV: 'production' })).toThrow(/GATEWAY_SIGNING_SECRET/);
    const production = { NODE_ENV: 'production', GATEWAY_SIGNING_SECRET: 'x'.repeat(40), JWKS_URL: 'https://id.example/jwks' };
    expect(() => loadGatewayConfig(production)).not.toThrow();
    expect(loadGatewayConfig({}).gatewaySigningSecret).toBe(DEV_SIGNING_SECRET);
  });

  it('refuses development conveniences in production: the development issuer, a token file for GraphiQL', () => {
    const production = { NODE_ENV: 'production', GATEWAY_SIGNING_SECRET: 'x'.repeat(40) };
    expect(() => loadGatewayConfig(production)).toThrow(/JWKS_URL: production needs/);
    expect(() => loadGatewayConfig({ ...production, JWKS_URL: 'https://id.example/jwks', GRAPHIQL_HEADERS_FILE: '/tmp/h.json' })).toThrow(
      /GRAPHIQL_HEADERS_FILE: must not be set in production/,
    );
    // Subgraphs do not verify tokens: only the secret matters to them.
    expect(() => loadServiceConfig('campaign', production)).not.toThrow();
  });

  it("reads the web dashboard's settings, and refuses the demo users file and half an OpenID Connect client in production", () => {
    const production = { NODE_ENV: 'production', GATEWAY_SIGNING_SECRET: 'x'.repeat(40), JWKS_URL: 'https://id.example/jwks' };
    expect(loadGatewayConfig({}).web).toEqual({ dir: undefined, oidc: undefined, devUsersFile: undefined });
    expect(
      loadGatewayConfig({ ...production, WEB_DIR: '/srv/web', WEB_OIDC_ISSUER: 'https://id.example/realms/a', WEB_OIDC_CLIENT_ID: 'dash' })
        .web,
    ).toEqual({
      dir: '/srv/web',
      oidc: { issuer: 'https://id.example/realms/a', clientId: 'dash', scope: 'openid profile email' },
      devUsersFile: undefined,
    });
    expect(() => loadGatewayConfig({ ...production, DEV_USERS_FILE: '/tmp/u.json' })).toThrow(
      /DEV_USERS_FILE: must not be set in production/,
    );
    expect(() => loadGatewayConfig({ ...production, WEB_OIDC_ISSUER: 'https://id.example/realms/a' })).toThrow(/WEB_OIDC_CLIENT_ID/);
    expect(() => loadGatewayConfig({ WEB_OIDC_ISSUER: 'not a url' })).toThrow(/WEB_OIDC_ISSUER/);
  });

  it('serves GraphiQL in development, and in production only when asked for', () => {
    const production = { NODE_ENV: 'production', GATEWAY_SIGNING_SECRET: 'x'.repeat(40), JWKS_URL: 'https://id.example/jwks' };
    expect(loadGatewayConfig({}).graphiql).toBe(true);
    expect(loadGatewayConfig(production).graphiql).toBe(false);
    expect(loadGatewayConfig({ ...production, GRAPHIQL_ENABLED: 'true' }).graphiql).toBe(true);
    expect(() => loadGatewayConfig({ GRAPHIQL_ENABLED: 'maybe' })).toThrow(/GRAPHIQL_ENABLED: must be true or false/);
  });

  it('gives each subgraph the default timeout unless its own variable overrides it', () => {
    const defaults = loadGatewayConfig({});
    expect(subgraphTimeoutOf(defaults, 'analytics')).toBe(10_000);
    const config = loadGatewayConfig({ SUBGRAPH_TIMEOUT_MS: '5000', ANALYTICS_SUBGRAPH_TIMEOUT_MS: '250' });
    expect(subgraphTimeoutOf(config, 'analytics')).toBe(250);
    expect(subgraphTimeoutOf(config, 'campaign')).toBe(5000);
    expect(config.subgraphTimeoutsMs).toEqual({ analytics: 250 });
    expect(() => loadGatewayConfig({ PAYMENTS_SUBGRAPH_TIMEOUT_MS: '10' })).toThrow(
      /PAYMENTS_SUBGRAPH_TIMEOUT_MS: [^\n]*100[^\n]*\(got "10"\)/,
    );
    expect(() => loadGatewayConfig({ DISCOVERY_SUBGRAPH_TIMEOUT_MS: 'soon' })).toThrow(/DISCOVERY_SUBGRAPH_TIMEOUT_MS/);
  });

  it('lists every variable any process reads', () => {
    const names = allConfigVariables();
    expect(names).toEqual(
      expect.arrayContaining([
        'CAMPAIGN_DATABASE_URL',
        'ANALYTICS_PORT',
        'GATEWAY_PORT',
        'KAFKA_BROKERS',
        'JWKS_URL',
        'ANALYTICS_SUBGRAPH_TIMEOUT_MS',
      ]),
    );
  });
});

describe("a service's own variables (OwnConfig)", () => {
  const own = {
    schema: z.object({
      API_KEY: z.string().min(8, 'must be at least 8 characters').default('dev-key-1'),
      API_URL: z.string().url().optional(),
    }),
    productionProblems: (v: { API_KEY: string }) =>
      v.API_KEY === 'dev-key-1' ? [{ variable: 'API_KEY', problem: 'the development key must not be used' }] : [],
  };

  it('are parsed with the kit variables into settings', () => {
    const config = loadServiceConfig('discovery', { API_URL: 'https://api.example' }, own);
    expect(config.settings).toEqual({ API_KEY: 'dev-key-1', API_URL: 'https://api.example' });
    expect(loadServiceConfig('discovery', {}).settings).toBeUndefined();
  });

  it('report their problems in the same message as the kit’s', () => {
    expect(() => loadServiceConfig('discovery', { DISCOVERY_PORT: 'eighty', API_KEY: 'short' }, own)).toThrow(
      /DISCOVERY_PORT: [^\n]*\n {2}- API_KEY: must be at least 8 characters \(got "short"\)/,
    );
  });

  it('are checked for production like the kit’s secrets', () => {
    const env = { NODE_ENV: 'production', GATEWAY_SIGNING_SECRET: 'x'.repeat(40) };
    expect(() => loadServiceConfig('discovery', env, own)).toThrow(/API_KEY: the development key must not be used/);
    expect(loadServiceConfig('discovery', { ...env, API_KEY: 'a-real-key-000' }, own).settings).toMatchObject({
      API_KEY: 'a-real-key-000',
    });
  });
});
