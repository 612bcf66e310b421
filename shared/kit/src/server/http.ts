import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

/** A request handler that runs before Express; it returns false for requests it leaves to Express. */
export type RawHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * Listens and resolves with the bound port; a port in use becomes a clear StartupError message. `raw`
 * handlers see each request first (hot public paths that cannot afford Express's per-request cost).
 */
export function listen(app: Express, port: number, host: string, raw: RawHandler[] = []): Promise<{ server: Server; port: number }> {
  const server = raw.length === 0 ? createServer(app) : createServer((req, res) => raw.some((handle) => handle(req, res)) || app(req, res));
  // Keep-alive longer than typical proxy timeouts, so the gateway never reuses a socket we just closed.
  server.keepAliveTimeout = 65_000;
  // A request (headers and body) must arrive within these, or Node answers 408 and closes: a client that
  // trickles a byte at a time cannot hold a connection for Node's default five minutes.
  server.headersTimeout = 20_000;
  server.requestTimeout = 30_000;
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(new Error(`port ${port} on ${host} is already in use: stop the other process or choose another port`));
      } else reject(err);
    });
    server.listen(port, host, () => resolve({ server, port: (server.address() as AddressInfo).port }));
  });
}

/** Stops accepting connections and waits for in-flight requests, closing idle sockets at once. */
export function closeServer(server: Server, graceMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}
