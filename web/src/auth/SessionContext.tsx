import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Client, Provider } from 'urql';
import { transportOptions } from '../graphql/exchanges';
import { clearSession, loadSession, saveSession, type Session } from './session';

interface SessionValue {
  session: Session | null;
  signIn(session: Session): void;
  signOut(): void;
}

const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** A GraphQL client per session: the bearer token on every request to the gateway's /graphql. */
function clientFor(session: Session | null): Client {
  const headers: Record<string, string> = session ? { authorization: `Bearer ${session.token}` } : {};
  return new Client({
    url: '/graphql',
    ...transportOptions,
    fetchOptions: (): RequestInit => ({ headers }),
  });
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const signIn = useCallback((s: Session) => {
    saveSession(s);
    setSession(s);
  }, []);
  const signOut = useCallback(() => {
    clearSession();
    setSession(null);
  }, []);
  // a session ends with its token: signed out at its `exp` (the next page asks to sign in again)
  useEffect(() => {
    if (!session?.expiresAt) return;
    const left = session.expiresAt - Date.now();
    const timer = setTimeout(signOut, Math.max(0, Math.min(left, 2 ** 31 - 1)));
    return () => clearTimeout(timer);
  }, [session, signOut]);
  const client = useMemo(() => clientFor(session), [session]);
  const value = useMemo(() => ({ session, signIn, signOut }), [session, signIn, signOut]);
  return (
    <SessionContext.Provider value={value}>
      <Provider value={client}>{children}</Provider>
    </SessionContext.Provider>
  );
}
