import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { AppError } from '../errors/app-error';
import { ErrorCode } from '../errors/codes';
import { checkOperationInputs } from '../graphql/input-guard';

export interface RequestGuardOptions<C> {
  /**
   * The HTTP status of a refused request. The gateway answers 400 (nothing ran); a subgraph answers 200,
   * since the gateway relays only a subgraph's 2xx GraphQL errors with their codes.
   */
  status: number;
  /** Called for every mutation before it runs; false refuses it (a replayed gateway call). */
  claimMutation?: (context: C) => Promise<boolean>;
}

/** An error raised before execution, carried to `formatError` with the status it must have. */
export function refusal(error: AppError, status: number): GraphQLError {
  return new GraphQLError(error.message, { originalError: error, extensions: { code: error.code, http: { status } } });
}

/**
 * Checks each operation's inputs once it is resolved and before anything runs (`checkOperationInputs`:
 * UUIDs, NUL bytes, lone surrogates, sizes, numbers), and, where asked, refuses a mutation that already
 * ran. The same plugin guards the gateway (the whole operation, before any subgraph is called) and every
 * subgraph (defence in depth: whatever reaches it was signed by the gateway, but is still checked).
 */
export function requestGuardPlugin<C extends BaseContext>(options: RequestGuardOptions<C>): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          if (!operation) return; // Apollo has already refused a document without the operation asked for
          const problem = checkOperationInputs(schema, document, operation, request.variables);
          if (problem) throw refusal(problem, options.status);
          if (operation.operation === 'mutation' && options.claimMutation && !(await options.claimMutation(contextValue))) {
            throw refusal(new AppError(ErrorCode.CONFLICT, 'This request was already received once: it is not run again'), options.status);
          }
        },
      };
    },
  };
}
