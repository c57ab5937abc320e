// The single-page client: a hash router, the navigation bar and the glue between screens, the API
// client and the session. Routes are hashes (#/profile) so the files can be served by any static host.
import config from '../config.js';
import {ApiClient, ApiError, resolveBaseUrl} from './api.js';
import {h, replace} from './dom.js';
import {readHostedCallback} from './hosted.js';
import {Session} from './session.js';
import {alert, errorAlert} from './ui.js';
import {confirmView, emailCodeView, forgotView, loginView, resetView, signUpView} from './views/auth.js';
import {activityView, emailView, profileView, securityView, sessionsView} from './views/account.js';
import {userView, usersView} from './views/admin.js';
import {acceptInvitationView, invitationsView, membersView, orgView, orgsView} from './views/orgs.js';
import {INVITATION_KEY, activeOrg, invitationToken, rememberOrg, rememberedOrg} from './orgs.js';

const PUBLIC = {
  '/login': ['Log in', loginView],
  '/login/email-code': ['Sign in with a code', emailCodeView],
  '/signup': ['Sign up', signUpView],
  '/confirm': ['Confirm', confirmView],
  '/forgot': ['Forgot password', forgotView],
  '/reset': ['Reset password', resetView],
};
const PRIVATE = {
  '/profile': ['Profile', profileView],
  '/security': ['Security', securityView],
  '/sessions': ['Sessions', sessionsView],
  '/activity': ['Activity', activityView],
  '/email': ['E-mail address', emailView],
  '/orgs': ['Organizations', orgsView],
  '/invitations/accept': ['Accept an invitation', acceptInvitationView],
  '/admin/users': ['Users', usersView, 'admin'],
};
/** Routes with an ID in the path: [pattern, title, view, role]. */
const PARAMETERIZED = [
  [/^\/admin\/users\/([^/]+)$/, 'User', userView, 'admin'],
  [/^\/orgs\/([^/]+)$/, 'Organization', orgView],
  [/^\/orgs\/([^/]+)\/members$/, 'Members', membersView],
  [/^\/orgs\/([^/]+)\/invitations$/, 'Invitations', invitationsView],
];
const SIGNED_OUT_MESSAGES = {
  logout: ['success', 'You have logged out.'],
  everywhere: ['success', 'You have been signed out on every device.'],
  deleted: ['success', 'Your account has been deleted.'],
  expired: ['info', 'Your session has ended. Please log in again.'],
  revoked: ['info', 'Your session was ended (signed out elsewhere, or the account was changed). Please log in again.'],
};

const baseUrl = resolveBaseUrl(config.apiBaseUrl);
const api = new ApiClient(baseUrl);
const session = new Session(api);
const main = document.getElementById('app');
const nav = document.getElementById('nav');

let pendingFlash = null;
let afterLoginRoute = null;
let renderCount = 0;

const ctx = {
  api,
  session,
  config,
  baseUrl,
  localOutbox: config.localOutbox === 'auto' ? isLocal(baseUrl) : Boolean(config.localOutbox),
  me: null,
  /** The caller's organizations ([{id, name, role}], the first 100), or null before they are loaded. */
  orgs: null,
  setMe(profile) {
    ctx.me = profile;
    renderNav();
  },
  async loadOrgs() {
    const {data} = await session.call('GET', '/orgs', {query: {limit: 100}});
    ctx.orgs = data?.items ?? [];
    renderNav();
    return ctx.orgs;
  },
  /** The active organization's ID: the one this account last chose in this browser, while still a member. */
  activeOrgId() {
    const remembered = rememberedOrg(globalThis.localStorage, ctx.me?.id);
    return ctx.orgs ? activeOrg(ctx.orgs, remembered)?.id ?? null : remembered;
  },
  setActiveOrg(orgId) {
    rememberOrg(globalThis.localStorage, ctx.me?.id, orgId);
    renderNav();
  },
  /** The invitation token this tab holds for its invitee (from the e-mailed link), or null. */
  pendingInvitation() {
    return sessionStorage.getItem(INVITATION_KEY);
  },
  setPendingInvitation(token) {
    if (token) sessionStorage.setItem(INVITATION_KEY, token);
    else sessionStorage.removeItem(INVITATION_KEY);
  },
  flash(kind, message) {
    pendingFlash = [kind, message];
  },
  /** Goes to `path` with query `params` (empty values left out). */
  navigate(path, params = {}) {
    const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v !== null && v !== undefined));
    const search = query.toString();
    const hash = `#${path}${search ? `?${search}` : ''}`;
    if (location.hash === hash) render();
    else location.hash = hash;
  },
  reload() {
    render();
  },
  async afterLogin() {
    const {data} = await session.call('GET', '/me');
    ctx.setMe(data);
    ctx.loadOrgs().catch(() => { /* the organization screens say what went wrong */ });
    const target = afterLoginRoute ?? (ctx.pendingInvitation() ? '#/invitations/accept' : '#/profile');
    afterLoginRoute = null;
    if (location.hash === target) render();
    else location.hash = target;
  },
};

function isLocal(url) {
  try {
    return ['localhost', '127.0.0.1', '[::1]'].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}

function isAdmin() {
  return (ctx.me?.roles ?? []).includes('admin');
}

function parseHash() {
  const raw = location.hash.replace(/^#/, '');
  const [path, query = ''] = raw.split('?', 2);
  const start = session.signedIn ? '/profile' : '/login';
  return {path: path === '' || path === '/' ? start : path, params: new URLSearchParams(query)};
}

function renderNav() {
  // A click on the link of the page being shown reloads it (the browser fires no hashchange then).
  const link = (href, text) => h('a', {href, 'aria-current': location.hash.startsWith(href) ? 'page' : null,
    onclick: () => { if (location.hash === href) render(); }}, text);
  if (session.signedIn) {
    const logout = h('button', {type: 'button', class: 'link', id: 'logout'}, 'Log out');
    logout.addEventListener('click', async () => {
      logout.disabled = true;
      try {
        await session.logout();
      } catch {
        // The local session is forgotten even if the API could not be told (see Session.logout).
      }
    });
    replace(nav,
      link('#/profile', 'Profile'), link('#/security', 'Security'), link('#/sessions', 'Sessions'),
      link('#/activity', 'Activity'), link('#/orgs', 'Organizations'),
      isAdmin() ? link('#/admin/users', 'Users') : null,
      orgSwitcher(),
      h('span', {class: 'who', id: 'who'}, ctx.me?.email ?? session.email),
      logout);
  } else {
    replace(nav, link('#/login', 'Log in'), link('#/signup', 'Sign up'));
  }
}

/** The active-organization switcher in the navigation bar: the caller's organizations, chosen per browser. */
function orgSwitcher() {
  if (!ctx.orgs || ctx.orgs.length === 0) return null;
  const active = ctx.activeOrgId();
  const select = h('select', {id: 'org-switcher', 'aria-label': 'Active organization'},
    active ? null : h('option', {value: '', selected: true}, 'Choose an organization…'),
    ctx.orgs.map((o) => h('option', {value: o.id, selected: o.id === active}, o.name)));
  select.addEventListener('change', () => {
    if (!select.value) return;
    ctx.setActiveOrg(select.value);
    ctx.navigate(`/orgs/${encodeURIComponent(select.value)}`);
  });
  return select;
}

/**
 * An e-mailed invitation link (#/invitations/accept?token=…): the token moves to this tab's sessionStorage and
 * out of the address bar and history at once, then waits there for the invitee to sign in (or sign up).
 */
function takeInvitationLink(path, params) {
  if (path !== '/invitations/accept' || !params.has('token')) return;
  const token = invitationToken(`?token=${params.get('token')}`);
  history.replaceState(null, '', `${globalThis.location.pathname}#/invitations/accept`);
  params.delete('token');
  if (!token) {
    pendingFlash = ['error', 'The invitation link is damaged: paste the code from the e-mail instead.'];
    return;
  }
  ctx.setPendingInvitation(token);
  if (!session.signedIn) {
    pendingFlash = ['info', 'You have an invitation to an organization. Log in with the invited address (or sign up with it ' +
      'first), and you will come back to accept it.'];
  }
}

async function render() {
  const id = ++renderCount;
  const {path, params} = parseHash();
  takeInvitationLink(path, params);
  const root = h('div', {class: 'view', 'data-route': path}, h('p', {class: 'loading'}, 'Loading…'));
  const shown = pendingFlash;
  const flash = shown ? alert(shown[0], shown[1]) : null;
  if (flash) flash.id = 'flash';
  pendingFlash = null;
  replace(main, flash, root);
  renderNav();

  let pathId;
  let route = PUBLIC[path] ?? PRIVATE[path];
  for (const [pattern, ...rest] of route ? [] : PARAMETERIZED) {
    const match = path.match(pattern);
    if (match) {
      route = rest;
      pathId = decodeURIComponent(match[1]);
      break;
    }
  }
  const [title, view, role] = route ?? [null, null];
  if (!view) {
    replace(root, alert('error', 'There is no such page.'), h('a', {href: '#/'}, 'Go to the start page'));
    return;
  }
  document.title = `${title} · User management`;
  const isPrivate = !PUBLIC[path];
  if (isPrivate && !session.signedIn) {
    afterLoginRoute = location.hash || null;
    pendingFlash = shown; // the message is for the login screen
    ctx.navigate('/login');
    return;
  }
  if (role && !(ctx.me?.roles ?? []).includes(role)) {
    replace(root, alert('error', 'This page is for administrators.'));
    return;
  }
  try {
    await view(ctx, params, root, pathId);
  } catch (error) {
    if (id !== renderCount) return; // a newer navigation has replaced this screen
    if (error instanceof ApiError && error.status === 401 && !session.signedIn) return; // 'signedout' took over
    const retry = h('button', {type: 'button', class: 'secondary', onclick: () => render()}, 'Try again');
    replace(root, h('h1', {}, title), errorAlert(error, retry));
  }
}

session.addEventListener('signedout', (event) => {
  const [kind, message] = SIGNED_OUT_MESSAGES[event.detail?.reason] ?? SIGNED_OUT_MESSAGES.expired;
  ctx.me = null;
  ctx.orgs = null;
  ctx.flash(kind, message);
  ctx.navigate('/login');
});

document.addEventListener('securitypolicyviolation', (event) => {
  if (event.violatedDirective.startsWith('connect-src')) {
    replace(main, errorAlert(new ApiError({code: 'NetworkError',
      detail: `The page's Content-Security-Policy does not allow connecting to ${event.blockedURI}. ` +
        'Add the API origin to connect-src in index.html (npm run build -- --api-url does this).'})));
  }
});

window.addEventListener('hashchange', () => render());

replace(document.getElementById('api-url'), baseUrl);

/**
 * Back from the hosted sign-in: the API's callback put the tokens (or an error) in the fragment.
 * They are taken into the session only for a sign-in this tab started (hosted.js), and removed from
 * the address bar and history at once either way.
 */
function takeHostedSignIn() {
  const result = readHostedCallback(globalThis.location.hash.slice(1));
  if (result === null) return false;
  history.replaceState(null, '', `${globalThis.location.pathname}#/`);
  if (result.refused) {
    ctx.flash('error', 'A sign-in this tab did not start was ignored. To sign in, use the form or the hosted page below.');
    return false;
  }
  if (result.error) {
    ctx.flash('error', 'The hosted sign-in was cancelled or refused.');
    return false;
  }
  const {tokens} = result;
  let email = '';
  try {
    const payload = tokens.idToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    email = JSON.parse(atob(payload)).email ?? '';
  } catch {
    // the e-mail is only a convenience for the login form; GET /me tells the truth
  }
  session.start(tokens, email);
  return true;
}

(async () => {
  if (takeHostedSignIn() || await session.restore()) {
    try {
      const {data} = await session.call('GET', '/me');
      ctx.me = data;
      await ctx.loadOrgs();
    } catch {
      // render() shows what went wrong on the first private screen
    }
  }
  await render();
  document.body.dataset.ready = 'true';
})();
