import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { appConfig } from '../auth/config';
import { useSession } from '../auth/SessionContext';

/** Where the OpenID Connect provider sends the browser back with the authorization code. */
export default function Callback() {
  const { signIn } = useSession();
  const navigate = useNavigate();
  const [problem, setProblem] = useState<string | null>(null);
  const done = useRef(false);
  useEffect(() => {
    if (done.current) return;
    done.current = true;
    (async () => {
      const [{ finishOidcSignIn }, config] = await Promise.all([import('../auth/oidc'), appConfig()]);
      const { session, next } = await finishOidcSignIn(config);
      signIn(session);
      navigate(next, { replace: true });
    })().catch((err: Error) => setProblem(err.message));
  }, [navigate, signIn]);
  return (
    <main id="main" className="page narrow">
      <h1>Signing in…</h1>
      {problem ? (
        <p role="alert">
          The sign-in did not complete: {problem}. <a href="/app/sign-in">Try again</a>
        </p>
      ) : (
        <p role="status">Finishing the sign-in with your provider…</p>
      )}
    </main>
  );
}
