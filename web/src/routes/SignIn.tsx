import { useEffect, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { appConfig, type AppConfig } from '../auth/config';
import { useSession } from '../auth/SessionContext';
import { tokenExpiry } from '../auth/session';

interface DevUser {
  id: string;
  label: string;
  roles: string[];
}

const ROLE_NAMES: Record<string, string> = { brand_member: 'Brand member', analyst: 'Analyst', creator: 'Creator', admin: 'Admin' };

/** Only paths of this app after sign-in: never another origin. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

/**
 * Sign-in. In development: the demo users of the development issuer, one button each (the gateway's
 * /dev/token signs a token; that route does not exist in production). In production: the configured
 * OpenID Connect provider (authorization code + PKCE).
 */
export default function SignIn() {
  const { session, signIn } = useSession();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const [config, setConfig] = useState<AppConfig | null>(null);
  const [users, setUsers] = useState<DevUser[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  useEffect(() => {
    appConfig()
      .then(async (c) => {
        setConfig(c);
        if (c.signIn === 'development') {
          const r = await fetch('/dev/users', { headers: { accept: 'application/json' } });
          if (!r.ok) throw new Error(`the demo users could not be loaded (${r.status})`);
          setUsers(((await r.json()) as { users: DevUser[] }).users);
        }
      })
      .catch((err: Error) => setProblem(err.message));
  }, []);

  useEffect(() => {
    document.title = 'Sign in · InfluenceFlow';
  }, []);

  if (session) return <Navigate to={next} replace />;

  const asDemoUser = async (user: DevUser) => {
    setBusy(user.id);
    setProblem(null);
    try {
      const r = await fetch('/dev/token', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ user: user.id }),
      });
      const body = (await r.json()) as { token?: string; errors?: { message: string }[] };
      if (!r.ok || !body.token) throw new Error(body.errors?.[0]?.message ?? `sign-in failed (${r.status})`);
      signIn({ token: body.token, expiresAt: tokenExpiry(body.token), label: user.label, via: 'development' });
      navigate(next, { replace: true });
    } catch (err) {
      setProblem((err as Error).message);
      setBusy(null);
    }
  };

  const withProvider = async () => {
    if (!config) return;
    setBusy('oidc');
    try {
      const { startOidcSignIn } = await import('../auth/oidc');
      await startOidcSignIn(config, next);
    } catch (err) {
      setProblem((err as Error).message);
      setBusy(null);
    }
  };

  return (
    <main id="main" className="page narrow sign-in">
      <h1>Sign in to InfluenceFlow</h1>
      {problem && (
        <p role="alert" className="error-box">
          {problem}
        </p>
      )}
      {!config && !problem && <p role="status">Loading…</p>}
      {config?.signIn === 'development' && (
        <section aria-labelledby="demo-users">
          <h2 id="demo-users">Demo users</h2>
          <p className="hint">Development only: each button signs in with a token of the development issuer.</p>
          {users === null ? (
            <p role="status">Loading the demo users…</p>
          ) : (
            <ul className="user-list">
              {users.map((u) => {
                // the label without its ids ("… (brandId …)"), which the hint keeps with the roles
                const name = u.label.replace(/\s*\(.*\)$/, '');
                const ids = u.label.slice(name.length).trim();
                return (
                  <li key={u.id}>
                    <button type="button" onClick={() => void asDemoUser(u)} disabled={busy !== null} aria-describedby={`user-${u.id}`}>
                      Sign in as {name}
                    </button>
                    <span id={`user-${u.id}`} className="hint">
                      {u.roles.map((r) => ROLE_NAMES[r] ?? r).join(', ')}
                      {ids ? ` ${ids}` : ''}
                    </span>
                  </li>
                );
              })}
            </ul>
          )}
          {busy && <p role="status">Signing in…</p>}
        </section>
      )}
      {config?.signIn === 'oidc' && (
        <p>
          <button type="button" onClick={() => void withProvider()} disabled={busy !== null}>
            {busy ? 'Redirecting…' : 'Sign in with your organisation'}
          </button>
        </p>
      )}
      {config?.signIn === 'none' && (
        <p role="alert">
          Sign-in is not configured on this server: its operator sets WEB_OIDC_ISSUER and WEB_OIDC_CLIENT_ID (docs/web.md).
        </p>
      )}
    </main>
  );
}
