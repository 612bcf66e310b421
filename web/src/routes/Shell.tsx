import { useEffect, useState } from 'react';
import { Navigate, NavLink, Outlet, useLocation } from 'react-router';
import { useQuery } from 'urql';
import { appConfig } from '../auth/config';
import { useSession } from '../auth/SessionContext';
import { clearSession } from '../auth/session';
import { errorMessages } from '../graphql/errors';
import { abilities, ME, MeContext } from './me';

/**
 * The app shell: who is signed in, the navigation their roles allow (nothing they may not do), sign-out,
 * and the screen. Without a session it sends the visitor to the sign-in page, and back afterwards.
 */
export function Shell() {
  const { session, signOut } = useSession();
  const location = useLocation();
  // signing out goes to the sign-in page without a way back
  const [leaving, setLeaving] = useState(false);
  const [{ data, error, fetching }] = useQuery({ query: ME, pause: !session });
  const unauthenticated = error?.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED') || error?.response?.status === 401;
  useEffect(() => {
    if (unauthenticated) signOut();
  }, [unauthenticated, signOut]);

  if (!session)
    return <Navigate to={leaving ? '/sign-in' : `/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;

  const me = data?.me;
  const can = me ? abilities(me) : null;
  const out = async () => {
    if (session.via === 'oidc') {
      // the token is forgotten at once; the provider's end-session page sends the browser back to the sign-in page
      clearSession();
      const [{ oidcSignOut }, config] = await Promise.all([import('../auth/oidc'), appConfig()]);
      if (await oidcSignOut(config).catch(() => false)) return;
    }
    setLeaving(true);
    signOut();
  };
  return (
    <>
      <a className="skip" href="#main">
        Skip to the content
      </a>
      <header className="top">
        <div className="brandmark">
          <span aria-hidden="true">◆</span> InfluenceFlow
        </div>
        {can && (
          <nav aria-label="Main">
            <ul>
              {(can.brandsToRead.length > 0 || !can.isCreator) && (
                <li>
                  <NavLink to="/discover">Discover</NavLink>
                </li>
              )}
              {can.brandsToRead.length > 0 && (
                <li>
                  <NavLink to="/campaigns" end>
                    Campaigns
                  </NavLink>
                </li>
              )}
              {can.brandsToRead.length > 0 && (
                <li>
                  <NavLink to="/partners">Partners</NavLink>
                </li>
              )}
              {can.isCreator && (
                <li>
                  <NavLink to="/me/profile">My profile</NavLink>
                </li>
              )}
            </ul>
          </nav>
        )}
        <div className="who">
          <span className="who-label" data-testid="signed-in-as">
            {me?.creator ? `@${me.creator.handle}` : session.label.replace(/ \(.*\)$/, '')}
          </span>
          <button type="button" className="secondary" onClick={() => void out()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" className="page" tabIndex={-1}>
        {fetching && !me && <p role="status">Loading…</p>}
        {error && !unauthenticated && (
          <div role="alert" className="error-box">
            {errorMessages(error).map((m) => (
              <p key={m}>{m}</p>
            ))}
          </div>
        )}
        {me && (
          <MeContext.Provider value={me}>
            <Outlet />
          </MeContext.Provider>
        )}
      </main>
    </>
  );
}
