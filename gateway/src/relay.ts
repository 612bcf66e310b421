import type { Response as ExpressResponse } from 'express';

/** Sets the named headers of a subgraph's answer on the client's response (those it has). */
export function passHeaders(res: ExpressResponse, answer: Response, names: readonly string[]): void {
  for (const name of names) {
    const value = answer.headers.get(name);
    if (value) res.setHeader(name, value);
  }
}

/**
 * Hands a subgraph's answer to the client as it came: its status, the named headers, and its body (none for
 * a HEAD request or a 304, `withBody: false`). The routes the gateway passes to a subgraph answer so.
 */
export async function relayAnswer(res: ExpressResponse, answer: Response, names: readonly string[], withBody = true): Promise<void> {
  res.status(answer.status);
  passHeaders(res, answer, names);
  res.end(withBody ? Buffer.from(await answer.arrayBuffer()) : undefined);
}
