import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ErrorCode, StartupError } from '@influenceflow/kit';

/**
 * The operations a deployment runs when it runs only its own clients' (TRUSTED_OPERATIONS_FILE): Apollo's
 * persisted query manifest, as client build tools write it —
 * `{ "format": "apollo-persisted-query-manifest", "version": 1, "operations": [{ "id", "body", "name", "type" }] }`,
 * each `id` the SHA-256 (hex) of its `body`, the hash automatic persisted queries use.
 */
export interface PersistedQueryManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: { id: string; body: string; name?: string; type?: string }[];
}

export const operationHash = (body: string): string => createHash('sha256').update(body).digest('hex');

/** The ids of a manifest, each checked against its body: a manifest that lies is refused at start. */
export function trustedOperationIds(manifest: unknown, file = 'the trusted operations'): Set<string> {
  const m = manifest as Partial<PersistedQueryManifest> | null;
  if (!m || m.format !== 'apollo-persisted-query-manifest' || m.version !== 1 || !Array.isArray(m.operations))
    throw new StartupError(
      `${file}: not an Apollo persisted query manifest (format "apollo-persisted-query-manifest", version 1, operations)`,
    );
  const ids = new Set<string>();
  m.operations.forEach((op, i) => {
    if (!op || typeof op.body !== 'string' || typeof op.id !== 'string' || op.id !== operationHash(op.body))
      throw new StartupError(`${file}: operation ${i} has no body, or an id that is not the SHA-256 of its body`);
    ids.add(op.id);
  });
  return ids;
}

export function loadTrustedOperations(path: string): Set<string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new StartupError(`TRUSTED_OPERATIONS_FILE ${path} cannot be read`);
  }
  try {
    return trustedOperationIds(JSON.parse(text), `TRUSTED_OPERATIONS_FILE ${path}`);
  } catch (err) {
    if (err instanceof StartupError) throw err;
    throw new StartupError(`TRUSTED_OPERATIONS_FILE ${path} is not JSON`);
  }
}

/**
 * Runs only the listed operations: any other (sent as text, or as a hash the automatic persisted queries
 * resolved) is refused with FORBIDDEN before it is planned or runs. A client sends the hash alone
 * once the operation is known (automatic persisted queries); the text is what is hashed, so a trusted
 * operation cannot be changed by a single character.
 */
export function trustedOperationsPlugin<C extends object>(trusted: Set<string>): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        // the first hook whose GraphQLError Apollo answers as such (after parsing and validation, whose
        // limits apply to every request anyway)
        async didResolveOperation({ source }) {
          if (!trusted.has(operationHash(source)))
            throw new GraphQLError('This deployment runs only the operations of its own clients (trusted operations)', {
              extensions: { code: ErrorCode.FORBIDDEN, http: { status: 403 } },
            });
        },
      };
    },
  };
}
