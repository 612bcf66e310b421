import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Outbox } from '../events/outbox';
import type { NewEvent, CloudEvent } from '../events/envelope';
import { Identity, Role } from '../auth/identity';
import type { ClientInfo } from '../auth/gateway-signature';
import { forbidden, unauthenticated } from '../errors/app-error';
import { InputProblem, InputProblems, inputProblemsError } from '../errors/input-problems';
import { LoaderRegistry } from '../loaders/loader-registry';
import type { Logger } from '../logging/logger';
import { delay } from '../events/sleep';
import type { TraceContext } from '../tracing/trace-context';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The client's request id when it is a sane one (it goes into every log line), else a new one. */
export function requestIdOf(header: string | undefined): string {
  return header && REQUEST_ID.test(header) ? header : randomUUID();
}

/** What a service's code needs from its process: its database and its outbox. */
export interface ServiceRuntime {
  dataSource: DataSource;
  outbox: Outbox;
  /** Called after a transaction that wrote events commits, so the relay publishes without waiting. */
  onEventsCommitted?: () => void;
  /** Where the service's public routes are reachable (PUBLIC_BASE_URL, else its own address once listening). */
  publicBaseUrl?: string;
}

/**
 * What every resolver and service call receives: who is calling (already verified by the gateway),
 * the request id for logs, per-request loaders, the service's database, and the subgraph's services
 * (`S`, built once per process by its module).
 */
export class RequestContext<S = unknown> {
  readonly loaders = new LoaderRegistry();
  /** class-validator's problems with the running mutation's arguments, until its service has checked permission. */
  private deferredInput: InputProblem[] = [];

  constructor(
    readonly requestId: string,
    readonly identity: Identity | null,
    readonly logger: Logger,
    readonly runtime: ServiceRuntime,
    readonly services: S,
    /** The id the gateway signed this call with (null for work no client started). */
    readonly callId: string | null = null,
    /** The client's address and user agent as the gateway saw them (null for work no client started). */
    readonly client: ClientInfo | null = null,
    /** This request's span of the client's trace (the gateway's `traceparent`; null without one). */
    readonly trace: TraceContext | null = null,
  ) {}

  get dataSource(): DataSource {
    return this.runtime.dataSource;
  }

  /**
   * Runs `work` in one transaction. Events recorded with `emit` inside it are published only if it
   * commits (transactional outbox).
   */
  async transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    // Nothing is written for a mutation whose arguments break their constraints (withArgumentProblems).
    if (this.deferredInput.length > 0) throw inputProblemsError(this.deferredInput);
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.runtime.dataSource.transaction(work);
        this.runtime.onEventsCommitted?.();
        return result;
      } catch (err) {
        // PostgreSQL chose this transaction as a deadlock's victim (or a serialization failure): nothing of
        // it was written, and the same work run again succeeds once the other has committed. `work` must
        // keep its state inside the callback (all of the platform's do).
        if (attempt >= TRANSACTION_ATTEMPTS || !isRetryableTransactionError(err)) throw err;
        this.logger.warn({ err, attempt }, 'transaction rolled back by the database; running it again');
        await delay(20 * attempt + Math.floor(Math.random() * 30));
      }
    }
  }

  /** Records an event in the outbox, inside the transaction of the change it reports. */
  emit<T>(tx: EntityManager, topic: string, event: NewEvent<T>): Promise<CloudEvent<T>> {
    return this.runtime.outbox.enqueue(tx, topic, event);
  }

  /**
   * The problems class-validator found in the running mutation's arguments, as an InputProblems the
   * service adds its own to (every bad field in one error). The kit reports them anyway after the service
   * has run (`withArgumentProblems`); a service asks for them when it checks more inside its transaction.
   */
  inputProblems(): InputProblems {
    return new InputProblems(this.takeInputProblems());
  }

  /** Kit plumbing (withArgumentProblems): holds a mutation's argument problems until its service has run. */
  deferInputProblems(problems: readonly InputProblem[]): void {
    this.deferredInput.push(...problems);
  }

  /** Kit plumbing: hands over (and forgets) the argument problems deferred so far. */
  takeInputProblems(): InputProblem[] {
    const taken = this.deferredInput;
    this.deferredInput = [];
    return taken;
  }

  /** The caller, or UNAUTHENTICATED. */
  requireIdentity(): Identity {
    if (!this.identity) throw unauthenticated();
    return this.identity;
  }

  hasRole(role: Role): boolean {
    return this.identity?.roles.includes(role) ?? false;
  }

  get isAdmin(): boolean {
    return this.hasRole('admin');
  }

  /** The caller holds one of these roles (admins always pass), or FORBIDDEN. */
  requireRole(...roles: Role[]): Identity {
    const identity = this.requireIdentity();
    if (this.isAdmin || roles.some((r) => identity.roles.includes(r))) return identity;
    throw forbidden(`This needs one of the roles: ${roles.join(', ')}`);
  }

  /** The caller is a member (or analyst, when allowed) of this brand, or an admin. */
  canActForBrand(brandId: string, roles: Role[] = ['brand_member']): boolean {
    if (this.isAdmin) return true;
    const identity = this.identity;
    return !!identity && roles.some((r) => identity.roles.includes(r)) && identity.brandIds.includes(brandId);
  }

  /**
   * The caller may act for this brand with one of these roles, or FORBIDDEN saying why in the caller's
   * terms: an analyst of the brand reads it but does not change it, a creator is not the brand's side.
   */
  requireBrand(brandId: string, roles: Role[] = ['brand_member']): Identity {
    const identity = this.requireIdentity();
    if (this.canActForBrand(brandId, roles)) return identity;
    const ofBrand = identity.brandIds.includes(brandId);
    if (ofBrand && identity.roles.includes('analyst')) throw forbidden("Analysts read a brand's campaigns; only its members change them");
    if (identity.roles.includes('creator') && !ofBrand) throw forbidden("This is for the brand's members; a creator cannot do it");
    throw forbidden('You are not a member of this brand');
  }

  /** The caller is this creator (or an admin). */
  isCreator(creatorId: string): boolean {
    return this.isAdmin || (this.hasRole('creator') && this.identity?.creatorId === creatorId);
  }

  requireCreator(creatorId: string): Identity {
    const identity = this.requireIdentity();
    if (!this.isCreator(creatorId)) throw forbidden('You can act only on your own creator profile');
    return identity;
  }

  /** A context for work that no client started (event handlers, jobs). */
  static system<S>(runtime: ServiceRuntime, services: S, logger: Logger, requestId = 'system'): RequestContext<S> {
    return new RequestContext(requestId, { sub: 'system', roles: ['admin'], brandIds: [], creatorId: null }, logger, runtime, services);
  }
}

/** How often a transaction the database rolled back (deadlock, serialization) is run: the first time and two more. */
const TRANSACTION_ATTEMPTS = 3;

/** A deadlock victim (40P01) or a serialization failure (40001): safe to run again from the start. */
export function isRetryableTransactionError(err: unknown): boolean {
  const code =
    (err as { driverError?: { code?: string }; code?: string } | null)?.driverError?.code ?? (err as { code?: string } | null)?.code;
  return code === '40P01' || code === '40001';
}
