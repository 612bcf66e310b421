import { AppError } from '../errors/app-error';
import { decodeCursor, encodeCursor, pageSize, toConnection } from './connection';

describe('Relay connections', () => {
  it('round-trips cursors and refuses foreign ones with BAD_USER_INPUT', () => {
    expect(decodeCursor(encodeCursor(['2026-01-01T00:00:00.000Z', 'id-1']), 2)).toEqual(['2026-01-01T00:00:00.000Z', 'id-1']);
    for (const bad of ['garbage', encodeCursor(['only-one']), Buffer.from('{"a":1}').toString('base64url')]) {
      expect(() => decodeCursor(bad, 2)).toThrow(AppError);
    }
  });

  it('bounds the page size', () => {
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize(100)).toBe(100);
    for (const n of [0, -1, 101, 2.5]) expect(() => pageSize(n)).toThrow('must be between 1 and 100');
  });

  it('uses the extra row only to say there is a next page', () => {
    const rows = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
    const page = toConnection(rows, 2, (r) => [r.id], false);
    expect(page.edges.map((e) => e.node.id)).toEqual(['a', 'b']);
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, endCursor: encodeCursor(['b']) });
    const last = toConnection(rows.slice(2), 2, (r) => [r.id], true);
    expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(toConnection([], 2, (r: { id: string }) => [r.id], false).pageInfo).toMatchObject({ startCursor: null, endCursor: null });
  });
});
