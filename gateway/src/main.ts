import { loadGatewayConfig, loadOrCreateDevIssuer, runProcess } from '@influenceflow/kit';
import { startGateway } from './gateway';

void runProcess('gateway', async () => {
  const config = loadGatewayConfig();
  // Without JWKS_URL the built-in development issuer's keys are trusted (and served for other tools).
  const devJwks = config.jwksUrl
    ? undefined
    : (await loadOrCreateDevIssuer(config.devIssuerKeyDir, config.jwtIssuer, config.jwtAudience)).jwks;
  return startGateway(config, { devJwks });
});
