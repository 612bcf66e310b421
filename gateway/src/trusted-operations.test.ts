import { StartupError } from '@influenceflow/kit';
import { operationHash, trustedOperationIds } from './trusted-operations';

describe('the trusted operations manifest', () => {
  const body = 'query Me { me { subject } }';
  const manifest = (operations: unknown[]) => ({ format: 'apollo-persisted-query-manifest', version: 1, operations });

  it("takes Apollo's persisted query manifest, the ids the SHA-256 of their bodies", () => {
    expect(operationHash('{ __typename }')).toBe('7f56e67dd21ab3f30d1ff8b7bed08893f0a0db86449836189b361dd1e56ddb4b');
    expect([...trustedOperationIds(manifest([{ id: operationHash(body), body, name: 'Me', type: 'query' }]))]).toEqual([
      operationHash(body),
    ]);
  });

  it('refuses at start a manifest of another format, or whose id is not its body’s hash', () => {
    expect(() => trustedOperationIds({ operations: [] })).toThrow(StartupError);
    expect(() => trustedOperationIds(manifest([{ id: operationHash(body), body: `${body} ` }]))).toThrow(/not the SHA-256 of its body/);
    expect(() => trustedOperationIds(manifest([{ id: 'x' }]))).toThrow(StartupError);
    expect(() => trustedOperationIds(null)).toThrow(StartupError);
  });
});
