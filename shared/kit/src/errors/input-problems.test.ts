import { AppError, badInput, notFound } from './app-error';
import { InputProblems } from './input-problems';

const mustBePositive = (value: number, field: string) => {
  if (!(value > 0)) throw badInput(field, 'must be above 0');
  return value;
};

describe('InputProblems', () => {
  it('collects every refused field and throws them together, the first one named in field', () => {
    const problems = new InputProblems();
    expect(problems.check(() => mustBePositive(3, 'input.a'))).toBe(3);
    expect(problems.check(() => mustBePositive(-1, 'input.b'))).toBeUndefined();
    problems.add('input.c', 'must not be empty');
    problems.check(() => {
      throw badInput('input.d.0', 'first', {
        problems: [
          { field: 'input.d.0', reason: 'first' },
          { field: 'input.d.1', reason: 'second' },
        ],
      });
    });
    expect(problems.any).toBe(true);
    let thrown: unknown;
    try {
      problems.throwIfAny();
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.b',
      message: 'must be above 0 (and 3 more: see problems)',
      details: {
        problems: [
          { field: 'input.b', reason: 'must be above 0' },
          { field: 'input.c', reason: 'must not be empty' },
          { field: 'input.d.0', reason: 'first' },
          { field: 'input.d.1', reason: 'second' },
        ],
      },
    });
  });

  it('does nothing when all is well, and lets other errors through', () => {
    const problems = new InputProblems();
    expect(() => problems.throwIfAny()).not.toThrow();
    expect(() =>
      problems.check(() => {
        throw notFound('Campaign', 'c1');
      }),
    ).toThrow('Campaign c1 was not found');
    expect(() =>
      problems.check(() => {
        throw new TypeError('a bug');
      }),
    ).toThrow(TypeError);
    expect(problems.any).toBe(false);
  });
});

describe('InputProblems after the argument constraints', () => {
  it('lists the problems found before first and does not repeat a field they already refused', () => {
    const problems = new InputProblems([{ field: 'input.startsOn', reason: 'startsOn must be a valid ISO 8601 date string' }]);
    problems.add('input.startsOn', 'must be a calendar date like 2026-03-01');
    problems.check(() => mustBePositive(-1, 'input.budget'));
    expect(problems.list).toEqual([
      { field: 'input.startsOn', reason: 'startsOn must be a valid ISO 8601 date string' },
      { field: 'input.budget', reason: 'must be above 0' },
    ]);
  });
});
