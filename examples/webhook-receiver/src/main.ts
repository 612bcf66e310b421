import { portFromEnv, secretsFromEnv } from './config';
import { createReceiver, loggingHandler } from './receiver';

/** `WEBHOOK_SECRET=whsec_… PORT=3000 node dist/main.js`: the example endpoint, at POST /webhooks. */
const server = createReceiver({ secrets: secretsFromEnv(), handler: loggingHandler() });
server.listen(portFromEnv(), () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : '?';
  console.log(`webhook receiver listening on http://localhost:${port}/webhooks`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
