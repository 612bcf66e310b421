import { errorMessages, fieldErrors } from './errors';

describe('fieldErrors: the API errors beside the fields they name', () => {
  const known = ['input.name', 'input.budget', 'input.goal.target', 'input.startsOn', 'input.endsOn'];

  it('puts a single error on the field of its extensions.field', () => {
    const r = fieldErrors(
      [{ message: 'must be on or after startsOn', extensions: { code: 'BAD_USER_INPUT', field: 'input.endsOn' } }],
      known,
    );
    expect(r).toEqual({ fields: { 'input.endsOn': 'must be on or after startsOn' }, general: [] });
  });

  it('spreads every problem of extensions.problems, a nested path on its nearest known field', () => {
    const r = fieldErrors(
      [
        {
          message: 'must be greater than 0 (and 1 more: see problems)',
          extensions: {
            code: 'BAD_USER_INPUT',
            field: 'input.budget.amountMinor',
            problems: [
              { field: 'input.budget.amountMinor', reason: 'must be greater than 0' },
              { field: 'input.goal.target', reason: 'target must be greater than 0' },
            ],
          },
        },
      ],
      known,
    );
    expect(r.fields).toEqual({ 'input.budget': 'must be greater than 0', 'input.goal.target': 'target must be greater than 0' });
    expect(r.general).toEqual([]);
  });

  it('keeps the longest known prefix, and does not confuse a field with another that starts alike', () => {
    const r = fieldErrors([{ message: 'x', extensions: { field: 'input.goal.targetX' } }], ['input.goal', 'input.goal.target']);
    expect(r.fields).toEqual({ 'input.goal': 'x' });
  });

  it('shows what names no known field, or none, above the form, once each', () => {
    const r = fieldErrors(
      [
        { message: 'You may not do this', extensions: { code: 'FORBIDDEN' } },
        { message: 'You may not do this', extensions: { code: 'FORBIDDEN' } },
        { message: 'This creator is already invited', extensions: { code: 'CONFLICT', field: 'input.creatorId' } },
      ],
      known,
    );
    expect(r.fields).toEqual({});
    expect(r.general).toEqual(['You may not do this', 'This creator is already invited']);
  });

  it('keeps the first message when two errors name one field', () => {
    const r = fieldErrors(
      [
        { message: 'first', extensions: { field: 'input.name' } },
        { message: 'second', extensions: { field: 'input.name' } },
      ],
      known,
    );
    expect(r.fields['input.name']).toBe('first');
  });
});

describe('errorMessages', () => {
  it('prefers the GraphQL errors, then the network', () => {
    expect(errorMessages({ graphQLErrors: [{ message: 'a' }, { message: 'a' }, { message: 'b' }] })).toEqual(['a', 'b']);
    expect(errorMessages({ graphQLErrors: [], networkError: new Error('offline') })).toEqual(['The server could not be reached (offline)']);
    expect(errorMessages(undefined)).toEqual([]);
  });
});
