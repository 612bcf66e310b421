import http from 'node:http';
import https from 'node:https';

/** The part of a fetch Response that Apollo's RemoteGraphQLDataSource reads. */
export interface SubgraphResponse {
  ok: boolean;
  status: number;
  statusText: string;
  url: string;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
  json(): Promise<unknown>;
}

export interface SubgraphRequest {
  method?: string;
  headers: Record<string, string>;
  body?: string;
}

/** Subgraph calls this many ms apart or more may open a new connection; below it one is reused. */
const FREE_SOCKET_TIMEOUT_MS = 4_000;

/**
 * POSTs to subgraphs over kept-alive connections with node:http (https for https URLs), and gives up after
 * `timeoutMs` for the whole exchange. It replaces the global fetch in the gateway's data sources: fetch
 * (undici's, with web streams, a Request and a cloned body per call) was the largest single cost of a
 * gateway request in the profile (docs/gateway-bench.md). Idle connections are closed before Node's
 * default server keep-alive (5 s) would close them from the other side, so a call does not land on a
 * socket being closed.
 */
export function subgraphFetcher(timeoutMs: number): (url: string, init: SubgraphRequest) => Promise<SubgraphResponse> {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, timeout: FREE_SOCKET_TIMEOUT_MS, scheduling: 'lifo' }),
    'https:': new https.Agent({ keepAlive: true, timeout: FREE_SOCKET_TIMEOUT_MS, scheduling: 'lifo' }),
  };
  // Free sockets are unreferenced by the agent: they keep no process alive, and close after the timeout.
  return (url: string, init: SubgraphRequest) =>
    new Promise<SubgraphResponse>((resolve, reject) => {
      const target = new URL(url);
      const protocol = target.protocol === 'https:' ? 'https:' : 'http:';
      const body = init.body ?? '';
      const headers: Record<string, string | number> = { ...init.headers, 'content-length': Buffer.byteLength(body) };
      const req = (protocol === 'https:' ? https : http).request(target, {
        method: init.method ?? 'POST',
        headers,
        agent: agents[protocol],
      });
      const timer = setTimeout(() => req.destroy(new Error(`the subgraph did not answer within ${timeoutMs} ms`)), timeoutMs);
      req.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.once('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('error', (err) => {
          clearTimeout(timer);
          reject(err);
        });
        res.once('end', () => {
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          resolve({
            ok: status >= 200 && status < 300,
            status,
            statusText: res.statusMessage ?? '',
            url,
            headers: {
              get: (name: string) => {
                const value = res.headers[name.toLowerCase()];
                return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
              },
            },
            text: async () => text,
            json: async () => JSON.parse(text) as unknown,
          });
        });
      });
      req.end(body);
    });
}
