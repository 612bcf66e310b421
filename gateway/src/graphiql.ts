import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import express, { Express } from 'express';

function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

const escapeScript = (json: string) => json.replace(/</g, '\\u003c');

/**
 * GraphiQL served from files installed with npm: the machine (and many production networks) have no
 * CDN access. GET / and GET /graphql from a browser show it.
 */
export function mountGraphiQL(app: Express, options: { endpoint: string; headersFile?: string }): void {
  const assets = {
    'react.production.min.js': join(packageDir('react'), 'umd', 'react.production.min.js'),
    'react-dom.production.min.js': join(packageDir('react-dom'), 'umd', 'react-dom.production.min.js'),
    'graphiql.min.js': join(packageDir('graphiql'), 'graphiql.min.js'),
    'graphiql.min.css': join(packageDir('graphiql'), 'graphiql.min.css'),
  };
  app.get('/graphiql/:file', (req, res) => {
    const path = assets[req.params.file as keyof typeof assets];
    if (!path) {
      res.status(404).end();
      return;
    }
    // dotfiles: pnpm keeps packages under node_modules/.pnpm, which send() would otherwise hide.
    res.sendFile(path, { maxAge: '1d', dotfiles: 'allow' });
  });
  const placeholder = JSON.stringify({ Authorization: 'Bearer <paste a token: pnpm token --help>' }, null, 2);
  const defaultHeaders = () => {
    if (!options.headersFile) return placeholder;
    try {
      return JSON.stringify(JSON.parse(readFileSync(options.headersFile, 'utf8')), null, 2);
    } catch {
      return placeholder;
    }
  };
  const page = (headers: string) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>InfluenceFlow · GraphiQL</title>
  <link rel="stylesheet" href="/graphiql/graphiql.min.css" />
  <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script src="/graphiql/react.production.min.js"></script>
  <script src="/graphiql/react-dom.production.min.js"></script>
  <script src="/graphiql/graphiql.min.js"></script>
  <script>
    const fetcher = GraphiQL.createFetcher({ url: ${escapeScript(JSON.stringify(options.endpoint))} });
    const root = ReactDOM.createRoot(document.getElementById('graphiql'));
    root.render(React.createElement(GraphiQL, {
      fetcher,
      defaultHeaders: ${escapeScript(JSON.stringify(headers))},
      defaultEditorToolsVisibility: 'headers',
      defaultQuery: '# Welcome to InfluenceFlow. Try:\\n# query { campaigns(brandId: "…") { edges { node { id name status metrics { status } } } } }\\n',
    }));
  </script>
</body>
</html>`;
  const serve: express.RequestHandler = (req, res, next) => {
    // Only a client that prefers HTML (a browser) gets the page; `*/*` or no Accept means an API client.
    if (req.method === 'GET' && req.accepts(['json', 'html']) === 'html') {
      res.type('html').send(page(defaultHeaders()));
      return;
    }
    next();
  };
  app.get('/', serve);
  app.get(options.endpoint, serve);
}
