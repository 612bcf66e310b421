import { AppError } from '../errors/app-error';
import { decodeCursor, encodeCursor, pageSize, toConnection } from './connection';

describe('Relay connections', () => {
  it('round-trips cursors and refuses foreign ones with BAD_USER_INPUT', () => {
    const id = '0190a2b4-1c2d-7e3f-8a9b-0c1d2e3f4a5b';
    expect(decodeCursor(encodeCursor(['2026-01-01T00:00:00.000Z', id]), ['timestamp', 'uuid'])).toEqual(['2026-01-01T00:00:00.000Z', id]);
    for (const bad of ['garbage', encodeCursor(['only-one']), Buffer.from('{"a":1}').toString('base64url')]) {
      expect(() => decodeCursor(bad, ['timestamp', 'uuid'])).toThrow(AppError);
    }
  });

  it('refuses cursors whose values have the wrong type before they reach SQL', () => {
    const id = '0190a2b4-1c2d-7e3f-8a9b-0c1d2e3f4a5b';
    const wrong = [
      [123, id],
      ['not a date', id],
      ['2026-01-01T00:00:00.000Z', 'not-a-uuid'],
      ['2026-01-01T00:00:00.000Z', { id }],
      [['2026-01-01'], id],
    ];
    for (const values of wrong) {
      expect(() => decodeCursor(encodeCursor(values as never), ['timestamp', 'uuid'])).toThrow('Invalid cursor');
    }
    expect(decodeCursor(encodeCursor(['followers', '41250', id]), ['string', 'decimal', 'uuid'])).toEqual(['followers', '41250', id]);
    expect(() => decodeCursor(encodeCursor(['followers', "1'; DROP TABLE creators; --", id]), ['string', 'decimal', 'uuid'])).toThrow(
      'Invalid cursor',
    );
    expect(() => decodeCursor(encodeCursor(['followers', 12, id]), ['string', 'decimal', 'uuid'])).toThrow('Invalid cursor');
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
