import { Link, Navigate, useRouteError } from 'react-router';
import { abilities, useMe } from './me';

/** The first screen: a creator's own profile, everyone else's search. */
export function Home() {
  const me = useMe();
  return <Navigate to={abilities(me).isCreator && !abilities(me).brandsToRead.length ? '/me/profile' : '/discover'} replace />;
}

export function NotFound() {
  return (
    <section aria-labelledby="nf-title">
      <h1 id="nf-title">Page not found</h1>
      <p>
        Nothing here. <Link to="/">Back to the start</Link>
      </p>
    </section>
  );
}

export function RouteError() {
  const error = useRouteError() as Error | undefined;
  return (
    <main id="main" className="page narrow">
      <h1>Something went wrong</h1>
      <p role="alert">{error?.message ?? 'This page could not be shown.'}</p>
      <p>
        <a href="/app/">Reload the dashboard</a>
      </p>
    </main>
  );
}
