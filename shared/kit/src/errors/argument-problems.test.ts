import 'reflect-metadata';
import { execute, parse } from 'graphql';
import { Arg, Args, ArgsType, Ctx, Field, ID, InputType, Int, Mutation, Query, Resolver } from 'type-graphql';
import { IsOptional, IsUrl, Length, Max, Min } from 'class-validator';
import type { DataSource } from 'typeorm';
import { buildFederatedSchema } from '../server/federated-schema';
import { RequestContext } from '../server/request-context';
import { createLogger } from '../logging/logger';
import { NotBlank } from '../validation/not-blank';
import { badInput, notFound } from './app-error';
import { InputProblems } from './input-problems';

@InputType()
class SampleItemInput {
  @Field(() => Int)
  @Min(1)
  @Max(100)
  count: number;
}

@InputType()
class SampleGoalInput {
  @Field(() => Int)
  @Min(1)
  target: number;
}

@InputType()
class SampleSaveInput {
  @Field(() => ID) ownerId: string;

  @Field()
  @Length(1, 20)
  @NotBlank()
  name: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsUrl({ require_protocol: true })
  url?: string | null;

  // Not marked @ValidateNested: the kit checks nested inputs anyway.
  @Field(() => SampleGoalInput, { nullable: true }) goal?: SampleGoalInput;
  @Field(() => [SampleItemInput], { nullable: true }) items?: SampleItemInput[];
  @Field(() => String, { nullable: true }) note?: string;
}

@ArgsType()
class SampleListArgs {
  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(1)
  @Max(10)
  first?: number;
}

/** What the sample service did, to see that nothing was "written" on refusal. */
const written: string[] = [];

@Resolver()
class SampleResolver {
  @Query(() => [String])
  samples(@Args() args: SampleListArgs): string[] {
    return [String(args.first ?? 0)];
  }

  @Mutation(() => String, { nullable: true, description: 'Owner-only; checks a note rule of its own before its transaction.' })
  async saveSample(@Arg('input') input: SampleSaveInput, @Ctx() ctx: RequestContext): Promise<string> {
    if (input.ownerId !== 'mine') throw notFound('Sample', input.ownerId);
    if (input.note === 'bad') throw badInput('input.note', 'must not be "bad"');
    await ctx.transaction(async () => {
      written.push(input.name);
    });
    return input.name;
  }

  @Mutation(() => String, { description: 'Checks more inside its transaction, with the argument problems.' })
  async saveInside(@Arg('sample') sample: SampleSaveInput, @Ctx() ctx: RequestContext): Promise<string> {
    const problems = ctx.inputProblems();
    return ctx.transaction(async () => {
      if (sample.note === 'taken') problems.add('sample.note', 'is taken');
      problems.throwIfAny();
      written.push(sample.name);
      return sample.name;
    });
  }
}

/** A runtime whose "transaction" runs the work at once: the plumbing under test decides whether it starts. */
const runtime = {
  dataSource: { transaction: (work: (tx: unknown) => Promise<unknown>) => work({}) } as unknown as DataSource,
  outbox: {} as never,
};
const logger = createLogger('argument-problems-test', 'silent');

async function run(source: string, variables: Record<string, unknown>) {
  const schema = await buildFederatedSchema({ resolvers: [SampleResolver] });
  const ctx = new RequestContext('r1', { sub: 'u1', roles: ['brand_member'], brandIds: [], creatorId: null }, logger, runtime, {});
  const result = await execute({ schema, document: parse(source), variableValues: variables, contextValue: ctx });
  return (result.errors ?? []).map((e) => {
    const original = e.originalError as { code?: string; field?: string; message: string; details?: Record<string, unknown> };
    return { code: original?.code, field: original?.field, message: e.message, problems: original?.details?.problems };
  });
}

const VISIBLE = 'must hold visible text (not only spaces or invisible characters), without bidirectional controls';
const SAVE = 'mutation($input: SampleSaveInput!) { saveSample(input: $input) }';
const bad = { name: '   ', url: 'not a url', goal: { target: 0 }, items: [{ count: 5 }, { count: 500 }] };

describe('class-validator problems of arguments', () => {
  beforeEach(() => written.splice(0));

  it('lists every broken constraint of a mutation, nested inputs and lists included, by dotted path', async () => {
    const [error, ...others] = await run(SAVE, { input: { ownerId: 'mine', ...bad } });
    expect(others).toEqual([]);
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.field).toBe('input.name');
    expect(error.problems).toEqual([
      { field: 'input.name', reason: VISIBLE },
      { field: 'input.url', reason: 'url must be a URL address' },
      { field: 'input.goal.target', reason: 'target must not be less than 1' },
      { field: 'input.items.1.count', reason: 'count must not be greater than 100' },
    ]);
    expect(written).toEqual([]);
  });

  it('reports them with the service’s own problems of other fields, in one error', async () => {
    const [error] = await run(SAVE, { input: { ownerId: 'mine', ...bad, note: 'bad' } });
    expect((error.problems as { field: string }[]).map((p) => p.field)).toEqual([
      'input.name',
      'input.url',
      'input.goal.target',
      'input.items.1.count',
      'input.note',
    ]);
    expect(written).toEqual([]);
  });

  it('lets permission win: a caller refused gets NOT_FOUND / FORBIDDEN whatever the input holds', async () => {
    const [error] = await run(SAVE, { input: { ownerId: 'theirs', ...bad } });
    expect(error).toMatchObject({ code: 'NOT_FOUND', problems: undefined });
    expect(written).toEqual([]);
  });

  it('refuses to start the service’s transaction while problems wait, so nothing is written', async () => {
    const [error] = await run(SAVE, { input: { ownerId: 'mine', name: 'x'.repeat(21) } });
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name' });
    expect(written).toEqual([]);
    expect(await run(SAVE, { input: { ownerId: 'mine', name: 'fine' } })).toEqual([]);
    expect(written).toEqual(['fine']);
  });

  it('names the problems by the argument’s own name, and a service may take them to add its own', async () => {
    const [error] = await run('mutation($s: SampleSaveInput!) { saveInside(sample: $s) }', {
      s: { ownerId: 'x', name: '', note: 'taken' },
    });
    expect(error.problems).toEqual([
      { field: 'sample.name', reason: VISIBLE },
      { field: 'sample.name', reason: 'name must be longer than or equal to 1 characters' },
      { field: 'sample.note', reason: 'is taken' },
    ]);
    expect(written).toEqual([]);
  });

  it('keeps each mutation of a document to its own problems', async () => {
    const errors = await run('mutation($a: SampleSaveInput!, $b: SampleSaveInput!) { a: saveSample(input: $a) b: saveSample(input: $b) }', {
      a: { ownerId: 'mine', name: '' },
      b: { ownerId: 'mine', name: 'second' },
    });
    expect(errors).toHaveLength(1);
    expect(written).toEqual(['second']);
  });

  it('refuses a query’s arguments at once, named without a prefix for @Args fields', async () => {
    const [error] = await run('{ samples(first: 11) }', {});
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('InputProblems from the context is empty when the arguments are fine', async () => {
    const ctx = new RequestContext('r2', null, logger, runtime, {});
    expect(ctx.inputProblems()).toBeInstanceOf(InputProblems);
    expect(ctx.inputProblems().any).toBe(false);
  });
});
