import { parseArgs } from 'node:util';
import { isRole, loadGatewayConfig, loadOrCreateDevIssuer, Role, ROLES } from '@influenceflow/kit';

const HELP = `Prints a token from the development issuer (the gateway trusts it when JWKS_URL is unset).

  pnpm token --role brand_member --brand <brandId> [--brand <id2>] [--sub alice]
  pnpm token --role creator --creator <creatorId>
  pnpm token --role admin
  pnpm token --role analyst --brand <brandId>

Roles: ${ROLES.join(', ')}. Options: --expires 12h (default), --sub <subject>.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', multiple: true },
      brand: { type: 'string', multiple: true },
      creator: { type: 'string' },
      sub: { type: 'string' },
      expires: { type: 'string', default: '12h' },
      help: { type: 'boolean' },
    },
  });
  if (values.help || !values.role?.length) {
    console.log(HELP);
    process.exit(values.help ? 0 : 1);
  }
  const bad = values.role.filter((r) => !isRole(r));
  if (bad.length) throw new Error(`unknown role(s) ${bad.join(', ')}; roles are ${ROLES.join(', ')}`);
  const roles = values.role as Role[];
  if (roles.includes('creator') && !values.creator) throw new Error('--role creator needs --creator <creatorId>');
  if ((roles.includes('brand_member') || roles.includes('analyst')) && !values.brand?.length) {
    throw new Error(`--role ${roles.join(',')} needs --brand <brandId>`);
  }
  const config = loadGatewayConfig();
  const issuer = await loadOrCreateDevIssuer(config.devIssuerKeyDir, config.jwtIssuer, config.jwtAudience);
  const token = await issuer.sign(
    {
      sub: values.sub ?? `${roles[0]}-${values.creator ?? values.brand?.[0] ?? 'user'}`,
      roles,
      brandIds: values.brand ?? [],
      creatorId: values.creator ?? null,
    },
    values.expires,
  );
  console.log(token);
}

main().catch((err: Error) => {
  console.error(`token: ${err.message}`);
  process.exit(1);
});
