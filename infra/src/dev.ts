import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, createWriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  loadServiceConfig,
  ConfigError,
  DEFAULT_PORTS,
  loadGatewayConfig,
  loadOrCreateDevIssuer,
  SERVICE_NAMES,
  DEV_SIGNING_SECRET,
  ensureEventTopics,
  delay,
} from '@influenceflow/kit';
import { ALL_TOPICS } from '@influenceflow/vocabulary';
import { defaultBrokerOptions, ensureKafkaDistribution, startKafka, stopKafka } from './kafka/broker';
import { ensureServiceDatabases } from './postgres';
import { buildWeb } from './web-build';
import { repoRoot } from './repo';
import { seedDemo, DemoData } from './seed/demo';
import { seedDemoPartner } from './seed/demo-partner';
import { startDemoWebhook } from './seed/demo-webhooks';
import { DEMO_SYNTHETIC_CREATORS, seedSyntheticCreators } from './seed/synthetic-creators';

/**
 * The start command: Kafka (fetched and started when needed), the five databases, the five subgraphs
 * and the gateway as processes (each runs its migrations on start), demo data, then URLs and tokens.
 * Ctrl-C stops every process it started, Kafka included.
 */
async function main(): Promise<void> {
  const root = repoRoot();
  process.chdir(root);
  const say = (msg: string) => console.log(msg);
  // Output piped to a pager or tee that exits on Ctrl-C must not crash the shutdown that follows.
  process.stdout.on('error', () => undefined);
  const children: { name: string; proc: ChildProcess }[] = [];
  let kafkaStartedByUs = false;
  const broker = defaultBrokerOptions();

  let stopping: Promise<void> | null = null;
  const stopAll = (code: number) =>
    (stopping ??= (async () => {
      say('\n• stopping…');
      await Promise.all(
        children.map(
          ({ proc }) =>
            new Promise<void>((resolve) => {
              if (proc.exitCode !== null || proc.signalCode) return resolve();
              const kill = setTimeout(() => proc.kill('SIGKILL'), 15_000);
              proc.once('exit', () => {
                clearTimeout(kill);
                resolve();
              });
              proc.kill('SIGTERM');
            }),
        ),
      );
      if (kafkaStartedByUs) await stopKafka(broker).catch((err: Error) => say(`  could not stop Kafka: ${err.message}`));
      say('✔ stopped');
      process.exit(code);
    })());
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    const gatewayConfig = loadGatewayConfig();
    say('• PostgreSQL: creating the five databases when missing');
    await ensureServiceDatabases();

    say('• Kafka: fetching (first time only) and starting a single KRaft node');
    await ensureKafkaDistribution({ ...broker, log: (m) => say(`  ${m}`) });
    const kafka = await startKafka({ ...broker, log: (m) => say(`  ${m}`) });
    kafkaStartedByUs = kafka.startedByUs;
    await ensureEventTopics(kafka.brokers, gatewayConfig.kafka.topicPrefix, ALL_TOPICS);

    const issuer = await loadOrCreateDevIssuer(gatewayConfig.devIssuerKeyDir, gatewayConfig.jwtIssuer, gatewayConfig.jwtAudience);
    const adminToken = await issuer.sign({ sub: 'demo-admin', roles: ['admin'] });

    const logDir = join(root, '.data', 'logs');
    mkdirSync(logDir, { recursive: true });
    const env = { ...process.env, KAFKA_BROKERS: kafka.brokers.join(','), APOLLO_TELEMETRY_DISABLED: '1' };
    const launch = (name: string, script: string, extraEnv: NodeJS.ProcessEnv = {}) => {
      const log = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
      const proc = spawn(process.execPath, [script], { cwd: root, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
      proc.stdout.pipe(log);
      proc.stderr.on('data', (chunk: Buffer) => {
        log.write(chunk);
        process.stderr.write(chunk); // start-up failures are printed as one clear message
      });
      proc.on('exit', (code, signal) => {
        if (!stopping) {
          say(`✖ ${name} exited (${signal ?? code}); see .data/logs/${name}.log`);
          void stopAll(1);
        }
      });
      children.push({ name, proc });
    };

    say('• building the web dashboard (web/dist)');
    const web = buildWeb(root, (m) => say(`  ${m}`));

    say('• starting the subgraphs');
    // Tracking links are handed out on the gateway's origin, which forwards /r/<slug> to campaign's redirect
    // and is trusted for the visitor's address (on this machine, over loopback).
    const campaignLinks = {
      PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL || `http://127.0.0.1:${gatewayConfig.port}`,
      TRUSTED_PROXIES: process.env.TRUSTED_PROXIES || 'loopback',
      // The demo's webhook receiver listens on 127.0.0.1 (docs/webhooks.md, "Destinations").
      WEBHOOK_ALLOW_PRIVATE_DESTINATIONS: process.env.WEBHOOK_ALLOW_PRIVATE_DESTINATIONS || 'true',
    };
    // Certificates of completion name the gateway's origin as their issuer, where their keys and /verify are;
    // analytics hands out report share links and shop webhook URLs there too (the gateway serves both).
    const contractLinks = { PUBLIC_BASE_URL: campaignLinks.PUBLIC_BASE_URL };
    for (const name of SERVICE_NAMES)
      launch(
        name,
        join(root, 'services', name, 'dist', 'main.js'),
        name === 'campaign' ? campaignLinks : name === 'contracts' || name === 'analytics' ? contractLinks : {},
      );
    await Promise.all(
      SERVICE_NAMES.map((name) =>
        waitHealthy(name, `http://127.0.0.1:${process.env[`${name.toUpperCase()}_PORT`] ?? DEFAULT_PORTS[name]}/healthz`),
      ),
    );

    say(`• demo creators: ${DEMO_SYNTHETIC_CREATORS.toLocaleString('en-US')} synthetic ones for search (first start only)`);
    const imported = await seedSyntheticCreators(loadServiceConfig('discovery').databaseUrl);
    if (imported > 0) say(`  imported ${imported.toLocaleString('en-US')}`);

    say('• seeding demo data');
    const gatewayUrl = `http://127.0.0.1:${gatewayConfig.port}/graphql`;
    const headersFile = join(root, '.data', 'graphiql-headers.json');
    // The dashboard's development sign-in offers the demo users, written once they are seeded (the gateway reads the file per request).
    const devUsersFile = join(root, '.data', 'dev-users.json');
    launch('gateway', join(root, 'gateway', 'dist', 'main.js'), {
      GRAPHIQL_HEADERS_FILE: headersFile,
      ...(gatewayConfig.nodeEnv === 'production' ? {} : { DEV_USERS_FILE: devUsersFile }),
    });
    await waitHealthy('gateway', `http://127.0.0.1:${gatewayConfig.port}/healthz`);
    const demo: DemoData = await seedDemo(gatewayUrl, adminToken, issuer);
    // GraphiQL opens with the demo brand member's token.
    writeFileSync(headersFile, JSON.stringify({ Authorization: `Bearer ${demo.tokens[0].token}` }));
    writeFileSync(devUsersFile, JSON.stringify(demo.users, null, 2));
    const hook = await startDemoWebhook(gatewayUrl, demo.tokens[0].token, demo.brandId, say).catch((err: Error) => {
      say(`  no demo webhook receiver: ${err.message}`);
      return null;
    });
    const partner = await seedDemoPartner(gatewayUrl, adminToken, demo.tokens[0].token, demo.brandId).catch((err: Error) => {
      say(`  no demo partner: ${err.message}`);
      return null;
    });

    say('');
    say('✔ InfluenceFlow is running');
    say(
      web
        ? `  Dashboard:  http://127.0.0.1:${gatewayConfig.port}/app/  (sign in as a demo user: ${demo.users.map((u) => u.id).join(', ')})`
        : '  Dashboard:  not built (see above)',
    );
    say(`  GraphiQL:   http://127.0.0.1:${gatewayConfig.port}/`);
    say(`  GraphQL:    ${gatewayUrl}`);
    // Live events: a WebSocket on the same path (docs/live-events.md); the SDL is served beside it.
    say(
      `  Live:       ${gatewayUrl.replace(/^http/, 'ws')} (graphql-transport-ws, connectionParams { authorization: "Bearer <token>" }):\n    subscription { campaignEvents(campaignId: "${demo.campaignId}") { type time subject data missedBefore } }`,
    );
    for (const name of SERVICE_NAMES)
      say(
        `  ${name.padEnd(10)}  http://127.0.0.1:${process.env[`${name.toUpperCase()}_PORT`] ?? DEFAULT_PORTS[name]}/graphql (gateway-signed requests only)`,
      );
    say(`  Kafka:      ${kafka.brokers.join(', ')}${kafka.startedByUs ? '' : ' (was already running)'}`);
    say(`  Logs:       .data/logs/`);
    say('');
    say('  Demo tokens (Authorization: Bearer <token>; more with "pnpm token --help"):');
    for (const t of demo.tokens) say(`  ${t.label}\n    ${t.token}`);
    say('');
    say(
      `  Try in GraphiQL (as the brand member):\n    query { campaign(id: "${demo.campaignId}") { name status budget { formatted } metrics { status launchedAt } } }\n` +
        `    query { searchCreators(filter: { niches: ["fitness"], tiers: [MICRO], minAuthenticity: 70 }, first: 5) { totalCount edges { node { handle followers engagementRate } } } }\n` +
        // Rates and shares are percent everywhere, audience parts are the input enums (docs/metrics.md, "Units").
        `    query { searchCreators(filter: { audienceCountries: [{ country: "US", minPercent: 30 }], engagementRate: { min: 3 } }, first: 3) { edges { node { handle accounts { audience { ages { ageBucket percent } genders { gender percent } countries { country percent } } } } } } }\n` +
        // Where figures come from: the demo creators typed theirs, the synthetic ones were imported (docs/connectors.md).
        `    query { demo: creatorByHandle(handle: "trail.tess") { accounts { platform provenance } } imported: searchCreators(first: 1) { edges { node { handle accounts { platform provenance fetchedAt } } } } }` +
        (demo.partnershipId
          ? `\n    query { me { brands { role brand { name } } } partnership(id: "${demo.partnershipId}") { unreadMessages messages { edges { node { authorSide body attachments { name url } } } } brief { version tone } } }`
          : '') +
        (demo.pastCampaignId
          ? `\n    query { campaign(id: "${demo.pastCampaignId}") { name status endsOn completion { due reason } partnerships { edges { node { status statusReason } } } } }` +
            `\n    query { reviewQueue(brandId: "${demo.brandId}") { edges { node { reasons deliverable { dueOn status } } } } }`
          : ''),
    );
    say(`  Media kit:  http://127.0.0.1:${gatewayConfig.port}/media-kits/${demo.mediaKitHandle}`);
    if (hook)
      say(
        `  Webhooks: the brand's endpoint posts to the example receiver at ${hook.url} (each verified delivery is printed here);
` +
          `    create or launch a campaign as the brand member, then: query { webhookDeliveries(endpointId: "${hook.endpointId}") { edges { node { eventType status attempts { statusCode latencyMs } } } } }`,
      );
    if (partner) {
      const origin = `http://127.0.0.1:${gatewayConfig.port}`;
      say(
        `  Partner access (docs/partners.md): Acme Outdoor granted "Trailhead CRM" ${partner.eventTypes.join(', ')}.\n` +
          `    client id ${partner.clientId}, secret ${partner.clientSecret} (shown at each start: a new one, the one before works a day)\n` +
          `    curl -s -u '${partner.clientId}:${partner.clientSecret}' -d grant_type=client_credentials ${origin}/oauth/token\n` +
          `    then with its access_token: query { partnerMe { name grants { brandId eventTypes } } }, its own webhook endpoints, and the live subscription above (granted types only)`,
      );
    }
    // The edge (docs/edge.md): a client's trace continued through the services, their events and webhooks.
    say(
      `  Tracing: send a W3C traceparent and the answer's traceparent header continues it (so do the events and webhook deliveries it causes):\n` +
        `    curl -si ${gatewayUrl} -H 'traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' -H 'content-type: application/json' -d '{"query":"{ __typename }"}' | grep -i traceparent\n` +
        `    A service that does not answer within SUBGRAPH_TIMEOUT_MS (or <SERVICE>_SUBGRAPH_TIMEOUT_MS) leaves only its part missing, as a SUBGRAPH_UNAVAILABLE error at its path.`,
    );
    if (demo.authenticityExamples) {
      const { genuine, fraudulent } = demo.authenticityExamples;
      say(
        `  Authenticity: a genuine (@${genuine}) and a fraudulent (@${fraudulent}) creator; as the brand member:\n` +
          `    query { creatorByHandle(handle: "${fraudulent}") { authenticity { score decidedBy verdict confidence { level value reasons } signals { key measured risk factor decisive explanation } } priceGuidance { high { formatted } authenticityDiscount { factor reason } } } }`,
      );
    }
    if (demo.trackingLink) say(`  Tracking link of @${demo.mediaKitHandle} (302 to the brand, the click recorded): ${demo.trackingLink}`);
    if (demo.contract) {
      const origin = campaignLinks.PUBLIC_BASE_URL.replace(/\/+$/, '');
      say(
        `  Contracts: @${demo.mediaKitHandle}'s is executed (both signed, certificate, sealed PDF); @slowcampkitchen's awaits the creator's signature.\n` +
          `    Verify anyone's copy: ${origin}/verify?sha256=${demo.contract.documentSha256}  (or POST the document or PDF to ${origin}/verify)\n` +
          `    The certificate keys (JWKS, to check a certificate offline with any JOSE library): ${origin}/.well-known/contracts/jwks.json\n` +
          `    query { contract(id: "${demo.contract.id}") { status version terms { compensation { flatFee { formatted } } milestones { label amount { formatted } trigger } } signatures { party signerName signedAt } auditIntact certificate } }\n` +
          `    query { verifyContract(documentSha256: "${demo.contract.documentSha256}") { executed signers { party name signedAt } executedAt } }`,
      );
    }
    if (demo.payments && demo.partnershipId) {
      say(
        `  Payments (simulated provider): the brand funded the campaign's escrow; @${demo.mediaKitHandle}'s signature milestone and a thank-you bonus were paid out.\n` +
          (demo.payments.posted
            ? `    A deliverable posted pays its milestone with no manual step: @${demo.mediaKitHandle} posted her story (${demo.payments.posted.postUrl});\n` +
              `    deliverable.posted made the milestone "${demo.payments.posted.milestone.label}" (${demo.payments.posted.milestone.trigger}, ${demo.payments.posted.milestone.amount}) ${demo.payments.posted.milestone.status},\n` +
              `    and its payout ${demo.payments.posted.payout.id} of ${demo.payments.posted.payout.amount} ${demo.payments.posted.payout.status} through the ${demo.payments.posted.payout.provider} provider (${demo.payments.posted.payout.attempts} attempt).\n` +
              `    query { payout(id: "${demo.payments.posted.payout.id}") { status reason amount { formatted } attempts { number status providerRef } } }\n`
            : '') +
          `    As the brand member (the analyst reads the spend and balance; the creator their own compensation and payouts):\n` +
          `    query { campaign(id: "${demo.campaignId}") { spend { funded { formatted } escrow { formatted } accrued { formatted } paid { formatted } } } }\n` +
          `    query { brand(id: "${demo.brandId}") { balance { currency funded { formatted } inEscrow { formatted } spent { formatted } } } }\n` +
          `    query { partnership(id: "${demo.partnershipId}") { compensation { status flatFee { formatted } commissionPercent milestones { label trigger status payable { formatted } paidAt payoutId } } } }\n` +
          `    query { partnership(id: "${demo.partnershipId}") { payouts { reason reference status provider amount { formatted } attempts { number status providerRef } } } }\n` +
          `    As @${demo.mediaKitHandle} (history, earnings and the yearly statement; admins may name a creatorId):\n` +
          `    query { myPayments(first: 10) { edges { node { status reason amount { formatted } } } } creatorStatement(year: ${new Date().getUTCFullYear()}) { totals { currency cashPaid { formatted } productValue { formatted } } } }\n` +
          `    query { creator(id: "${demo.creatorIds[0]}") { earnings { currency paid { formatted } owed { formatted } inTransit { formatted } } } }\n` +
          `    Statement files (with the creator's token as a bearer): http://127.0.0.1:${gatewayConfig.port}/statements/${new Date().getUTCFullYear()}.csv and .pdf`,
      );
    }
    if (demo.rateCards?.reelRisesOn) {
      say(
        `  Rate cards over time: @${demo.mediaKitHandle}'s Instagram reel costs $${(demo.rateCards.reelFrom! / 100).toFixed(2)} from ${demo.rateCards.reelRisesOn} (her line before ends the day before);\n` +
          `  search and media kits show today's price, offers are set beside the price of their day. Acme Outdoor has its own standard pricing.\n` +
          `    query { creator(id: "${demo.creatorIds[0]}") { today: rateCard { format price { formatted } validFrom validUntil } then: rateCard(on: "${demo.rateCards.reelRisesOn}") { format price { formatted } validFrom } } }\n` +
          `    query { brandRateCard(brandId: "${demo.brandId}") { platform format price { formatted } validFrom validUntil } }   (as the brand member or analyst)`,
      );
    }
    if (demo.analytics) {
      const a = demo.analytics;
      say('');
      say(
        `  Analytics: @${demo.mediaKitHandle}'s link was clicked (${a.clicks} counted, a link preview not), the shop's orders (one by its Shopify webhook, two in an uploaded CSV file) were credited to her\n` +
          `    by code, click id and UTM (one kept unattributed, one partly refunded), her story's reach and comments came in: ${a.orders} orders, revenue ${a.revenue},\n` +
          `    spend ${a.spend}, ROI ${a.roi === null ? '—' : a.roi.toFixed(2)} (as the brand member or analyst; docs/analytics.md, docs/metrics.md):\n` +
          `    query { campaignReport(campaignId: "${demo.campaignId}") { results { clicks ctr orders revenue { formatted } spend { formatted } cpa { formatted } roi conversionRate repeatPurchaseRate engagementRateByReach } goal { goalType value percent } series { period clicks orders } creators { label results { orders roi } } } }\n` +
          `    query { brandOrders(brandId: "${demo.brandId}", first: 10) { edges { node { externalId reason amount { formatted } refunded { formatted } newCustomer } } } }\n` +
          `    query { brandMentions(campaignId: "${demo.campaignId}") { edges { node { source sentiment body mentions { kind text } } } } }\n` +
          `    query { creatorLeaderboard(brandId: "${demo.brandId}", orderBy: REVENUE) { label results { revenue { formatted } roi } } performanceComparison(brandId: "${demo.brandId}", by: TIER) { key results { roi } } }\n` +
          `    Files (the member's token as a bearer): POST http://127.0.0.1:${gatewayConfig.port}/imports/orders.csv?brandId=${demo.brandId} (Content-Type: text/csv, docs/analytics-csv.md),\n` +
          `    GET http://127.0.0.1:${gatewayConfig.port}/exports/campaign-report.csv?campaignId=${demo.campaignId}`,
      );
      say(
        `  Report page: ${a.reportShareUrl}\n` +
          `    (a 30-day share link: anyone holding it reads the report, no sign-in; with the brand's token, /reports/${demo.campaignId};\n` +
          `    query { reportShares(campaignId: "${demo.campaignId}") { id expiresAt revokedAt } }  and  mutation { revokeReportShare(id: "…") { revokedAt } }; docs/reports.md)`,
      );
    }
    if (gatewayConfig.gatewaySigningSecret === DEV_SIGNING_SECRET) {
      say('');
      say('  ⚠ GATEWAY_SIGNING_SECRET is the development default, which anyone can read in the source: whoever');
      say('    reaches a subgraph can call it as anyone. Fine while everything listens on 127.0.0.1 (BIND_HOST);');
      say('    set a secret of your own before others can reach this stack (docs/security.md).');
    }
    say('\n  Ctrl-C stops everything.');
  } catch (err) {
    const message = err instanceof ConfigError ? err.message : (err as Error).message;
    console.error(`\n✖ cannot start: ${message}\n`);
    await stopAll(1);
  }
}

async function waitHealthy(name: string, url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await delay(300);
  }
  throw new Error(`${name} did not become healthy at ${url} within ${timeoutMs / 1000} s (see .data/logs/${name}.log)`);
}

void main();
