import { GraphQLError } from 'graphql';
import 'reflect-metadata';
import { ArgsType, ArgumentValidationError, Field, Float, InputType, Int } from 'type-graphql';
import { ValidationError } from 'class-validator';
import { badInput, invalidState, notFound } from './app-error';
import { toClientError } from './format';

const formatted = (message: string, code?: string) => ({ message, path: ['x'], ...(code ? { extensions: { code } } : {}) });
const wrap = (err: Error) => new GraphQLError(err.message, { originalError: err });

describe('errors as clients see them', () => {
  it('keeps the code, message, field and details of known errors', () => {
    expect(toClientError(formatted('m'), wrap(badInput('input.endsOn', 'must be on or after startsOn')))).toEqual({
      message: 'must be on or after startsOn',
      path: ['x'],
      locations: undefined,
      extensions: { code: 'BAD_USER_INPUT', field: 'input.endsOn' },
    });
    expect(toClientError(formatted('m'), wrap(notFound('Campaign', 'c1'))).extensions).toEqual({
      code: 'NOT_FOUND',
      entity: 'Campaign',
      id: 'c1',
    });
    expect(toClientError(formatted('m'), wrap(invalidState('no', { allowed: ['active'] }))).extensions).toEqual({
      code: 'INVALID_STATE',
      allowed: ['active'],
    });
  });

  it('turns class-validator failures into BAD_USER_INPUT naming the nested field of the input', () => {
    @InputType()
    class GoalSample {
      @Field(() => Float) target: number;
    }
    @InputType()
    class CampaignSample {
      @Field(() => GoalSample) goal: GoalSample;
    }
    const child = Object.assign(new ValidationError(), {
      property: 'target',
      constraints: { min: 'target must be greater than 0' },
      children: [],
    });
    const top = Object.assign(new ValidationError(), { property: 'goal', target: new CampaignSample(), children: [child] });
    const result = toClientError(formatted('Argument Validation Error'), wrap(new ArgumentValidationError([top])));
    expect(result.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.goal.target' });
    expect(result.message).toBe('Invalid input.goal.target: target must be greater than 0');
  });

  it('lists every class-validator failure in problems when there are several', () => {
    @InputType()
    class BrandSample {
      @Field() name: string;
      @Field() websiteUrl: string;
    }
    const name = Object.assign(new ValidationError(), { property: 'name', target: new BrandSample(), constraints: { length: 'name is too long' } });
    const url = Object.assign(new ValidationError(), {
      property: 'websiteUrl',
      target: new BrandSample(),
      constraints: { isUrl: 'websiteUrl must be a URL address' },
    });
    expect(toClientError(formatted('x'), wrap(new ArgumentValidationError([name, url]))).extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.name',
      problems: [
        { field: 'input.name', reason: 'name is too long' },
        { field: 'input.websiteUrl', reason: 'websiteUrl must be a URL address' },
      ],
    });
  });

  it('bounds the problems a client is sent: at most 50, each field and reason cut', () => {
    const problems = Array.from({ length: 70 }, (_, i) => ({ field: `input.items.${i}.${'x'.repeat(100)}`, reason: 'r'.repeat(400) }));
    const result = toClientError(formatted('m'), wrap(badInput('input.items.0', 'bad', { problems })));
    const sent = result.extensions!.problems as { field: string; reason: string }[];
    expect(sent).toHaveLength(50);
    expect(result.extensions!.problemsOmitted).toBe(20);
    expect(sent[0].field.length).toBeLessThanOrEqual(64);
    expect(sent[0].reason.length).toBeLessThanOrEqual(300);
  });

  it('names plain arguments without a prefix', () => {
    @ArgsType()
    class PageSample {
      @Field(() => Int) first: number;
    }
    const error = Object.assign(new ValidationError(), {
      property: 'first',
      target: new PageSample(),
      constraints: { max: 'first must not be greater than 100' },
    });
    expect(toClientError(formatted('x'), wrap(new ArgumentValidationError([error]))).extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'first',
    });
  });

  it('hides unexpected errors behind INTERNAL and logs them', () => {
    const logged: unknown[] = [];
    const logger = { error: (...args: unknown[]) => logged.push(args) } as never;
    const result = toClientError(formatted('relation "x" does not exist'), wrap(new Error('relation "x" does not exist')), logger);
    expect(result).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL' } });
    expect(JSON.stringify(result)).not.toContain('relation');
    expect(logged).toHaveLength(1);
  });

  it('maps unique violations to CONFLICT and request errors to BAD_USER_INPUT', () => {
    const unique = Object.assign(new Error('duplicate key value violates unique constraint "x"'), { code: '23505' });
    expect(toClientError(formatted('dup'), wrap(unique))).toMatchObject({
      message: 'This value is already taken',
      extensions: { code: 'CONFLICT' },
    });
    expect(toClientError(formatted('Cannot query field "nope"', 'GRAPHQL_VALIDATION_FAILED'), new GraphQLError('x')).extensions).toEqual({
      code: 'BAD_USER_INPUT',
    });
    expect(toClientError(formatted('Variable "$id" got invalid value'), new GraphQLError('Variable')).extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'id',
    });
    expect(toClientError(formatted('nope', 'FORBIDDEN'), new GraphQLError('nope')).extensions).toEqual({ code: 'FORBIDDEN' });
  });

  it('reports a coercion error of a custom scalar (SafeInt: 2^53) as BAD_USER_INPUT naming the variable', () => {
    const message =
      'Variable "$input" got invalid value 9007199254740992 at "input.fee.amountMinor"; Expected type "SafeInt". Value is not a safe integer';
    const error = new GraphQLError(message, { originalError: new TypeError('Value is not a safe integer') });
    const result = toClientError(formatted(message), error);
    expect(result.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input' });
    expect(result.message).toBe('Variable "$input" has an invalid value.');
  });

  it('never echoes a value back at length', () => {
    const huge = 'x'.repeat(100_000);
    const echoes = [
      `Variable "$name" got invalid value "${huge}"; String cannot represent a non string value`,
      `Expected value of type "Int!", found "${huge}".`,
      `String cannot represent a non string value: ["${huge}"]`,
      `Cannot query field "${huge}" on type "Query".`,
    ];
    for (const message of echoes) {
      const result = toClientError(formatted(message, 'GRAPHQL_VALIDATION_FAILED'), new GraphQLError(message));
      expect(result.message.length).toBeLessThanOrEqual(300);
      expect(result.message).not.toContain('x'.repeat(65));
    }
    expect(toClientError(formatted('m'), wrap(badInput('name', `"${huge}" is taken`))).message.length).toBeLessThanOrEqual(300);
  });

  it("maps the database's refusals of a client value to BAD_USER_INPUT (second line of defence), and logs a warning", () => {
    const warned: unknown[] = [];
    const logger = { warn: (...args: unknown[]) => warned.push(args), error: () => undefined } as never;
    const dbError = (code: string, extra: Record<string, string>) =>
      Object.assign(new Error('new row for relation "campaigns" violates check constraint'), { name: 'QueryFailedError', code, ...extra });
    const check = toClientError(formatted('x'), wrap(dbError('23514', { table: 'campaigns', constraint: 'campaigns_name_check' })), logger);
    expect(check).toMatchObject({
      message: 'Invalid input.name: it is not an allowed value',
      extensions: { code: 'BAD_USER_INPUT', field: 'input.name' },
    });
    expect(JSON.stringify(check)).not.toContain('campaigns_name_check');
    expect(toClientError(formatted('x'), wrap(dbError('22P02', {})), logger).extensions).toEqual({ code: 'BAD_USER_INPUT' });
    expect(toClientError(formatted('x'), wrap(dbError('22021', {})), logger).extensions).toEqual({ code: 'BAD_USER_INPUT' });
    expect(warned).toHaveLength(3);
    // Other database failures stay INTERNAL.
    expect(toClientError(formatted('x'), wrap(dbError('57P01', {})), logger).extensions).toEqual({ code: 'INTERNAL' });
  });

  it('strips the name of the subgraph from relayed errors in production only', () => {
    const relayed = { message: 'no', extensions: { code: 'FORBIDDEN', serviceName: 'campaign' } };
    expect(toClientError(relayed, new GraphQLError('no'), undefined, { production: true }).extensions).toEqual({ code: 'FORBIDDEN' });
    expect(toClientError(relayed, new GraphQLError('no')).extensions).toEqual({ code: 'FORBIDDEN', serviceName: 'campaign' });
  });
});
