/** How this deployment signs in, served by the gateway at /app/config.json (docs/web.md). */
export interface AppConfig {
  signIn: 'development' | 'oidc' | 'none';
  oidc?: { authority: string; clientId: string; scope: string };
}

let config: Promise<AppConfig> | null = null;

export function appConfig(): Promise<AppConfig> {
  return (config ??= fetch('/app/config.json', { headers: { accept: 'application/json' } }).then((r) => {
    if (!r.ok) throw new Error(`the dashboard's configuration could not be loaded (${r.status})`);
    return r.json() as Promise<AppConfig>;
  }));
}
