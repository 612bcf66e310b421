import type { RequestHandler, Response } from 'express';
import { childSpan, formatTraceparent, newTrace, parseTraceparent, TraceContext, TRACEPARENT_HEADER } from '@influenceflow/kit';

/**
 * W3C Trace Context at the edge: a request with a valid `traceparent` continues the client's trace, any
 * other starts a new one; the gateway's own span answers in the `traceparent` response header, so a
 * client can find its request in the logs (`traceId`) and in the events and webhooks it caused.
 */
export function traceRequests(): RequestHandler {
  return (req, res, next) => {
    const parent = parseTraceparent(req.header(TRACEPARENT_HEADER));
    const trace = parent ? childSpan(parent) : newTrace();
    res.locals.trace = trace;
    res.setHeader(TRACEPARENT_HEADER, formatTraceparent(trace));
    next();
  };
}

/** The gateway's span of this response's request (set by traceRequests). */
export function traceOf(res: Response | undefined): TraceContext | null {
  return (res?.locals.trace as TraceContext | undefined) ?? null;
}
