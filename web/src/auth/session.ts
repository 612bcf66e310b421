/**
 * The signed-in session: the bearer token and who it is, kept in sessionStorage (this tab only, gone when
 * it closes; never localStorage, never a cookie, so no other page can make the browser send it).
 */
export interface Session {
  token: string;
  /** Milliseconds since the epoch; the token's own `exp`. */
  expiresAt: number | null;
  label: string;
  via: 'development' | 'oidc';
}

const KEY = 'influenceflow.session';

/** The `exp` of a JWT in milliseconds, without verifying it (the gateway does). */
export function tokenExpiry(token: string): number | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : null;
  } catch {
    return null;
  }
}

export function loadSession(now = Date.now()): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    if (typeof s.token !== 'string' || (s.expiresAt !== null && s.expiresAt <= now)) {
      sessionStorage.removeItem(KEY);
      return null;
    }
    return s;
  } catch {
    return null;
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}
