import { loadGatewayConfig, loadOrCreateDevIssuer, runProcess } from '@influenceflow/kit';
import { startGateway } from './gateway';
import { devUsersFromFile } from './web-app';

void runProcess('gateway', async () => {
  const config = loadGatewayConfig();
  // Without JWKS_URL the built-in development issuer's keys are trusted (and served for other tools).
  const issuer = config.jwksUrl ? undefined : await loadOrCreateDevIssuer(config.devIssuerKeyDir, config.jwtIssuer, config.jwtAudience);
  return startGateway(config, {
    devJwks: issuer?.jwks,
    // the dashboard's development sign-in (never in production, where JWKS_URL is required)
    devSignIn:
      issuer && config.nodeEnv !== 'production'
        ? { sign: (claims) => issuer.sign(claims), users: devUsersFromFile(config.web?.devUsersFile) }
        : undefined,
  });
});
