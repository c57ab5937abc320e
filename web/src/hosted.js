// Hosted sign-in (the user pool's hosted UI, through the API's GET /auth/oauth/login and its
// callback), and the client's half of its defence against login CSRF (docs/SECURITY.md 28).
//
// The API's callback hands the tokens to this page in the URL fragment. Anyone can write such a
// fragment into a link: taken as it comes, a link would sign the victim's tab into the attacker's
// account. So before leaving for the hosted page, this tab makes a random state, keeps it in its
// sessionStorage and sends it to the API, which returns it unchanged in the fragment; a fragment is
// taken only when its state is the one this tab holds. The state is used up by the first fragment
// that arrives, whatever it says, and is void after the API's own ten minutes.

const STATE_KEY = 'userapi.hostedSignIn';
/** How long the API keeps a hosted sign-in (OAuthConfig.stateLifetime). */
const LIFETIME_MS = 10 * 60_000;

function base64Url(bytes) {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The URL of the API's hosted sign-in for a return to `returnTo`, with a new state this tab keeps
 * (replacing any earlier one: only the latest sign-in of a tab can finish).
 */
export function hostedSignInUrl(baseUrl, returnTo, {storage = globalThis.sessionStorage, random = globalThis.crypto,
  now = Date.now()} = {}) {
  const state = base64Url(random.getRandomValues(new Uint8Array(32)));
  storage.setItem(STATE_KEY, JSON.stringify({state, at: now}));
  const query = new URLSearchParams({redirect: returnTo, state});
  return `${baseUrl}/auth/oauth/login?${query}`;
}

/**
 * Reads the fragment the API's callback wrote (without the leading '#'). Returns null when the
 * fragment is not a callback (a route such as '/profile'); otherwise, after using up this tab's
 * state:
 *  - {tokens: {accessToken, idToken, refreshToken, expiresIn}} for a sign-in this tab started;
 *  - {error: 'access_denied'} when this tab's sign-in was cancelled or refused;
 *  - {refused: true} for anything else: a sign-in this tab did not start (or no longer holds).
 */
export function readHostedCallback(fragment, {storage = globalThis.sessionStorage, now = Date.now()} = {}) {
  if (fragment === '' || fragment.startsWith('/')) return null;
  const params = new URLSearchParams(fragment);
  if (!params.has('access_token') && !params.has('error')) return null;
  const held = heldState(storage, now);
  storage.removeItem(STATE_KEY);
  const state = params.get('state');
  if (held === null || state === null || state !== held) return {refused: true};
  if (params.has('error')) return {error: params.get('error')};
  const expiresIn = Number(params.get('expires_in'));
  return {tokens: {accessToken: params.get('access_token'), idToken: params.get('id_token'),
    refreshToken: params.get('refresh_token'), expiresIn: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 3600}};
}

function heldState(storage, now) {
  try {
    const {state, at} = JSON.parse(storage.getItem(STATE_KEY) ?? 'null') ?? {};
    if (typeof state !== 'string' || state.length < 22 || typeof at !== 'number') return null;
    return now - at >= 0 && now - at <= LIFETIME_MS ? state : null;
  } catch {
    return null;
  }
}
