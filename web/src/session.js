// The signed-in session and its tokens.
//
// Where tokens live (see web/README.md, "Token storage"):
//  - the access token only in this object's memory: never in Web Storage, never in a cookie;
//  - the ID token is not kept at all (the client reads the profile and roles from GET /me);
//  - the refresh token in sessionStorage of this origin, so a reload of this tab stays signed in;
//    it is gone when the tab closes, at logout, and as soon as the API refuses it.

import {ApiError} from './api.js';

const REFRESH_KEY = 'userapi.refreshToken';
const EMAIL_KEY = 'userapi.email';
/** When this tab's session signed in (ms since the epoch): how the sessions screen tells this tab's session. */
const SIGNED_IN_AT_KEY = 'userapi.signedInAt';
/** Refresh this long before the access token expires (or at half its life if that is shorter). */
const REFRESH_EARLY_MS = 60_000;
/** A request made this close to expiry refreshes first. */
const STALE_MS = 30_000;
const RETRY_TRANSIENT_MS = 30_000;

export class Session extends EventTarget {
  #api;
  #storage;
  #accessToken = null;
  #expiresAt = 0;
  #timer = null;
  #refreshing = null;

  constructor(api, storage = globalThis.sessionStorage) {
    super();
    this.#api = api;
    this.#storage = storage;
  }

  get signedIn() {
    return this.#accessToken !== null;
  }

  get email() {
    return this.#storage.getItem(EMAIL_KEY) ?? '';
  }

  /** When this tab's session signed in (ms since the epoch), or 0. */
  get signedInAt() {
    return Number(this.#storage.getItem(SIGNED_IN_AT_KEY)) || 0;
  }

  /** When the current access token expires (ms since the epoch), for display. */
  get expiresAt() {
    return this.#expiresAt;
  }

  /** Starts a session from the tokens of a login. */
  start(tokens, email) {
    if (!tokens?.accessToken || !tokens?.refreshToken) {
      throw new ApiError({code: 'InternalError', detail: 'The API answered the login without tokens.'});
    }
    this.#storage.setItem(REFRESH_KEY, tokens.refreshToken);
    this.#storage.setItem(EMAIL_KEY, email);
    this.#storage.setItem(SIGNED_IN_AT_KEY, String(Date.now()));
    this.#accept(tokens);
    this.dispatchEvent(new Event('signedin'));
  }

  /**
   * Renews the sign-in ("sudo mode"): the password, and the authenticator code when two-step
   * verification is on, give fresh tokens with a new sign-in time; the old session is ended.
   */
  async reauthenticate(password, code) {
    const body = {password};
    if (code) body.code = code;
    const {data} = await this.call('POST', '/auth/reauthenticate', {body});
    this.start(data, this.email);
  }

  /** On page load: resumes the session of this tab if it has a refresh token. */
  async restore() {
    if (!this.#storage.getItem(REFRESH_KEY)) return false;
    try {
      await this.refresh();
      this.dispatchEvent(new Event('signedin'));
      return true;
    } catch {
      return false;
    }
  }

  /** Exchanges the refresh token for a new access token; concurrent callers share one request. */
  refresh() {
    this.#refreshing ??= this.#doRefresh().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  async #doRefresh() {
    const refreshToken = this.#storage.getItem(REFRESH_KEY);
    if (!refreshToken) {
      this.end('expired');
      throw new ApiError({status: 401, code: 'Unauthorized', detail: 'You are not signed in.'});
    }
    try {
      const {data} = await this.#api.request('POST', '/auth/refresh', {body: {refreshToken}});
      this.#accept(data);
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.status === 400)) {
        this.end('expired');
      } else {
        this.#schedule(RETRY_TRANSIENT_MS);
      }
      throw e;
    }
  }

  #accept(tokens) {
    this.#accessToken = tokens.accessToken;
    const lifetimeMs = Math.max(1, Number(tokens.expiresIn) || 300) * 1000;
    this.#expiresAt = Date.now() + lifetimeMs;
    this.#schedule(Math.max(lifetimeMs - REFRESH_EARLY_MS, lifetimeMs / 2));
    this.dispatchEvent(new Event('refreshed'));
  }

  #schedule(delayMs) {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.refresh().catch(() => { /* 'signedout' or a retry has been arranged */ });
    }, delayMs);
  }

  /**
   * An authenticated API call. Refreshes first when the token is about to expire; when the token is
   * refused (401 Unauthorized) refreshes once and retries once; if that fails too the session ends
   * ('signedout' event) and the 401 is thrown. A 401 with another code (InvalidCredentials: a wrong
   * current password) is an answer about the request, not the token, and is thrown as it is.
   */
  async call(method, path, options = {}) {
    if (!this.signedIn) {
      if (!this.#storage.getItem(REFRESH_KEY)) {
        throw new ApiError({status: 401, code: 'Unauthorized', detail: 'You are not signed in.'});
      }
      await this.refresh();
    } else if (Date.now() > this.#expiresAt - STALE_MS) {
      await this.refresh();
    }
    try {
      return await this.#api.request(method, path, {...options, token: this.#accessToken});
    } catch (e) {
      if (!isTokenRefused(e)) throw e;
      await this.refresh(); // ends the session and throws if the refresh token is refused
      try {
        return await this.#api.request(method, path, {...options, token: this.#accessToken});
      } catch (retry) {
        if (isTokenRefused(retry)) this.end('revoked');
        throw retry;
      }
    }
  }

  /** Logs out this session: the API revokes the refresh token; locally everything is forgotten. */
  async logout() {
    const refreshToken = this.#storage.getItem(REFRESH_KEY);
    try {
      if (refreshToken) await this.#api.request('POST', '/auth/logout', {body: {refreshToken}});
    } finally {
      this.end('logout');
    }
  }

  /** Ends every session of this account on every device, then this one. */
  async signOutEverywhere() {
    await this.call('POST', '/me/sign-out-everywhere');
    this.end('everywhere');
  }

  /** Forgets the tokens. reason: logout | everywhere | expired | revoked | deleted */
  end(reason) {
    const wasActive = this.#accessToken !== null || this.#storage.getItem(REFRESH_KEY) !== null;
    clearTimeout(this.#timer);
    this.#timer = null;
    this.#accessToken = null;
    this.#expiresAt = 0;
    this.#storage.removeItem(REFRESH_KEY);
    this.#storage.removeItem(SIGNED_IN_AT_KEY);
    if (wasActive) this.dispatchEvent(new CustomEvent('signedout', {detail: {reason}}));
  }
}

/** A 401 about the token (missing, expired, revoked), as opposed to one about the request's content. */
function isTokenRefused(error) {
  return error instanceof ApiError && error.status === 401 && error.code === 'Unauthorized';
}
