import { GraphQLNamedType, GraphQLResolveInfo, getNamedType } from 'graphql';
import { getMetadataStorage, ResolverData } from 'type-graphql';
import { AppError } from './app-error';
import { ErrorCode } from './codes';
import { InputProblem, inputProblemsError } from './input-problems';

interface ValidationErrorLike {
  property: string;
  constraints?: Record<string, string>;
  children?: ValidationErrorLike[];
}

/** Every constraint class-validator found, depth first, each with its field's dotted path. */
export function violations(errors: ValidationErrorLike[], path: string[] = []): InputProblem[] {
  return errors.flatMap((e) => {
    const here = [...path, e.property];
    const own = Object.values(e.constraints ?? {}).map((reason) => ({ field: here.join('.'), reason }));
    return [...own, ...violations(e.children ?? [], here)];
  });
}

/** Same options as type-graphql's own validation: absent fields are not checked, plain objects allowed. */
const VALIDATOR_OPTIONS = { skipMissingProperties: true, forbidUnknownValues: false } as const;

function isInputObject(value: unknown): value is object {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const ctor = (value as object).constructor;
  return (
    getMetadataStorage().inputTypes.some((t) => t.target === ctor) || getMetadataStorage().argumentTypes.some((t) => t.target === ctor)
  );
}

/**
 * Every class-validator constraint an argument breaks, in the argument and in each input object inside it
 * (lists by index: `input.deliverables.1.count`), whether or not a field is marked `@ValidateNested`.
 */
export async function argumentProblems(value: unknown, path: string[]): Promise<InputProblem[]> {
  const { validate } = await import('class-validator');
  const found: InputProblem[] = [];
  const seen = new Set<string>();
  const add = (problems: InputProblem[]) => {
    for (const p of problems) {
      const key = `${p.field}\0${p.reason}`;
      if (!seen.has(key)) {
        seen.add(key);
        found.push(p);
      }
    }
  };
  const walk = async (v: unknown, at: string[]): Promise<void> => {
    if (Array.isArray(v)) {
      for (const [i, item] of v.entries()) await walk(item, [...at, String(i)]);
      return;
    }
    if (!isInputObject(v)) return;
    add(violations((await validate(v, VALIDATOR_OPTIONS)) as ValidationErrorLike[], at));
    for (const [key, child] of Object.entries(v)) await walk(child, [...at, key]);
  };
  await walk(value, path);
  return found;
}

/** The name of the argument `value` was given as: the one whose GraphQL type is `argType`'s. */
function argumentName(argType: unknown, info: GraphQLResolveInfo): string | null {
  const meta = getMetadataStorage();
  if (meta.argumentTypes.some((t) => t.target === argType)) return null; // @Args(): its fields are the arguments
  const typeName = meta.inputTypes.find((t) => t.target === argType)?.name;
  const args = info.parentType.getFields()[info.fieldName]?.args ?? [];
  const arg = args.find((a) => (getNamedType(a.type) as GraphQLNamedType).name === typeName);
  return arg?.name ?? 'input';
}

/** What a request context offers to hold a mutation's argument problems until its service has run. */
export interface ArgumentProblemsHolder {
  deferInputProblems(problems: readonly InputProblem[]): void;
}

function holderOf(context: unknown): ArgumentProblemsHolder | null {
  const c = context as Partial<ArgumentProblemsHolder> | null;
  return c && typeof c.deferInputProblems === 'function' ? (c as ArgumentProblemsHolder) : null;
}

/**
 * type-graphql's `validateFn`: checks each argument with class-validator and names every problem by its
 * dotted path (`input.goal.target`, `rules.markets.0.market`). A mutation's problems wait on the request
 * context, so its service checks permission first and reports them with its own (`withArgumentProblems`);
 * anything else (a query's arguments, a field's) is refused at once.
 */
export async function validateArgument(value: unknown, argType: unknown, data: ResolverData<object>): Promise<void> {
  if (value === null || typeof value !== 'object') return;
  const name = argumentName(argType, data.info);
  const problems = await argumentProblems(value, name ? [name] : []);
  if (problems.length === 0) return;
  const holder = holderOf(data.context);
  const isMutation = data.info.parentType === data.info.schema.getMutationType();
  if (holder && isMutation) holder.deferInputProblems(problems);
  else throw inputProblemsError(problems);
}

/** What a caller may not do, or may not see, wins over what is wrong with the input. */
const BEFORE_INPUT = new Set<string>([ErrorCode.UNAUTHENTICATED, ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND]);

/** The problems an error of the service states: its list, or its one field. */
function problemsOf(err: unknown): InputProblem[] {
  if (!(err instanceof AppError) || err.code !== ErrorCode.BAD_USER_INPUT) return [];
  const listed = err.details?.problems as InputProblem[] | undefined;
  if (Array.isArray(listed) && listed.length > 0) return listed;
  return [{ field: err.field ?? 'input', reason: err.message }];
}

/**
 * The argument problems of a mutation together with what its service found: the argument's first, then
 * the service's for fields not already named. Without any service problem, the argument's alone.
 */
export function mergedProblems(argumentsFound: readonly InputProblem[], err: unknown): InputProblem[] {
  const named = new Set(argumentsFound.map((p) => p.field));
  return [...argumentsFound, ...problemsOf(err).filter((p) => !named.has(p.field))];
}

/** Who is asked for a mutation's deferred argument problems once it has run. */
export interface DeferredProblems {
  /** The problems deferred since the mutation started, handed over once (none are kept). */
  takeInputProblems(): InputProblem[];
}

function deferredOf(context: unknown): DeferredProblems | null {
  const c = context as Partial<DeferredProblems> | null;
  return c && typeof c.takeInputProblems === 'function' ? (c as DeferredProblems) : null;
}

/**
 * Wraps a mutation's resolver: it runs with its arguments' class-validator problems deferred (the
 * service's permission checks first), then those problems are reported, together with the service's own
 * BAD_USER_INPUT problems, unless the caller was refused (UNAUTHENTICATED, FORBIDDEN, NOT_FOUND).
 * Nothing was written: the kit's `transaction` refuses to start while problems wait.
 */
export type FieldResolve = (root: unknown, args: unknown, context: unknown, info: GraphQLResolveInfo) => unknown;

export function withArgumentProblems(resolve: FieldResolve): FieldResolve {
  return async (root, args, context, info) => {
    const deferred = deferredOf(context);
    if (!deferred) return resolve(root, args, context, info);
    deferred.takeInputProblems(); // a fresh start for this mutation
    let result: unknown;
    try {
      result = await resolve(root, args, context, info);
    } catch (err) {
      const found = deferred.takeInputProblems();
      if (found.length === 0 || (err instanceof AppError && BEFORE_INPUT.has(err.code))) throw err;
      throw inputProblemsError(mergedProblems(found, err));
    }
    const found = deferred.takeInputProblems();
    if (found.length > 0) throw inputProblemsError(found);
    return result;
  };
}
