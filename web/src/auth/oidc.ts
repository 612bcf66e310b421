import { UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { AppConfig } from './config';
import { saveSession, type Session } from './session';

/**
 * Sign-in through the configured OpenID Connect provider: authorization code with PKCE (oidc-client-ts),
 * the access token sent to the gateway as a bearer token. Loaded only by the sign-in and callback pages.
 */
function manager(config: AppConfig): UserManager {
  if (!config.oidc) throw new Error('No OpenID Connect provider is configured');
  const origin = window.location.origin;
  return new UserManager({
    authority: config.oidc.authority,
    client_id: config.oidc.clientId,
    scope: config.oidc.scope,
    response_type: 'code',
    redirect_uri: `${origin}/app/callback`,
    post_logout_redirect_uri: `${origin}/app/sign-in`,
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
    automaticSilentRenew: false,
  });
}

export async function startOidcSignIn(config: AppConfig, next: string): Promise<void> {
  await manager(config).signinRedirect({ state: { next } });
}

export async function finishOidcSignIn(config: AppConfig): Promise<{ session: Session; next: string }> {
  const user = await manager(config).signinRedirectCallback();
  const session: Session = {
    token: user.access_token,
    expiresAt: user.expires_at ? user.expires_at * 1000 : null,
    label: user.profile.name ?? user.profile.email ?? user.profile.sub,
    via: 'oidc',
  };
  saveSession(session);
  const next = (user.state as { next?: string } | undefined)?.next;
  return { session, next: typeof next === 'string' && next.startsWith('/') ? next : '/' };
}

/** Forgets the user, then ends the provider's session (true: the browser is on its way there). */
export async function oidcSignOut(config: AppConfig): Promise<boolean> {
  const m = manager(config);
  await m.removeUser();
  try {
    await m.signoutRedirect();
    return true;
  } catch {
    return false; // the provider has no end-session endpoint: signed out here only
  }
}
