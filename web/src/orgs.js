// Pure logic for the organization screens (no DOM, no fetch): org roles, the active organization
// remembered per browser, the invitation token of an e-mailed link, and which session is this tab's.

export const ORG_ROLES = ['owner', 'admin', 'member'];
const RANK = {owner: 3, admin: 2, member: 1};

/** The browser-wide key holding {<userId>: <orgId>}: the active organization of each account that used this browser. */
export const ACTIVE_ORG_KEY = 'userapi.activeOrg';
/** The tab's key for an invitation token waiting for its invitee to sign in. */
export const INVITATION_KEY = 'userapi.invitationToken';

/** The API's invitation tokens: 256 random bits in base64url, 43 characters. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** True when `role` is at least `needed` (owner > admin > member); unknown roles are nothing. */
export function hasOrgRole(role, needed) {
  return (RANK[role] ?? 0) >= (RANK[needed] ?? Infinity);
}

/** The roles a member with `myRole` may give (or invite with): only an owner grants owner; admins the rest. */
export function assignableRoles(myRole) {
  if (myRole === 'owner') return [...ORG_ROLES];
  if (myRole === 'admin') return ['admin', 'member'];
  return [];
}

/**
 * What `myRole` may do to a member with `theirRole` (the API decides; this only hides what it would refuse):
 * change their role or remove them needs admin+, and touching an owner needs an owner.
 */
export function canManageMember(myRole, theirRole) {
  if (!hasOrgRole(myRole, 'admin')) return false;
  return theirRole !== 'owner' || myRole === 'owner';
}

function readMap(storage) {
  try {
    const value = JSON.parse(storage?.getItem(ACTIVE_ORG_KEY) ?? '{}');
    return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}

/** The organization `userId` last chose in this browser, or null. */
export function rememberedOrg(storage, userId) {
  if (!userId) return null;
  const orgId = readMap(storage)[userId];
  return typeof orgId === 'string' ? orgId : null;
}

/** Remembers (or, with null, forgets) the active organization of `userId` in this browser. */
export function rememberOrg(storage, userId, orgId) {
  if (!userId || !storage) return;
  const map = readMap(storage);
  if (orgId) map[userId] = orgId;
  else delete map[userId];
  if (Object.keys(map).length === 0) storage.removeItem(ACTIVE_ORG_KEY);
  else storage.setItem(ACTIVE_ORG_KEY, JSON.stringify(map));
}

/**
 * The active organization among the caller's `orgs` ([{id, name, role}]): the remembered one while the caller
 * is still a member of it, otherwise none (the caller chooses; a removed membership never stays active).
 */
export function activeOrg(orgs, rememberedId) {
  return (orgs ?? []).find((o) => o.id === rememberedId) ?? null;
}

/**
 * The invitation token in what a person gives the acceptance screen: the bare token (the e-mail's "Code:" line)
 * or the whole link (…#/invitations/accept?token=…). Null when there is none of the right form.
 */
export function invitationToken(input) {
  const text = String(input ?? '').trim();
  if (TOKEN.test(text)) return text;
  const match = text.match(/[?&#]token=([^&#\s]+)/);
  if (!match) return null;
  let token;
  try {
    token = decodeURIComponent(match[1]);
  } catch {
    return null;
  }
  return TOKEN.test(token) ? token : null;
}

/** A sentence for each answer of POST /invitations/accept that is not a success, by status. */
export function acceptProblem(error, signedInEmail) {
  switch (error?.status) {
    case 403:
      return `This invitation is for another e-mail address than the one you are signed in with (${signedInEmail}). ` +
        'Log out and sign in (or sign up) with the invited address, then open the link again.';
    case 404:
      return 'This invitation does not exist.';
    case 409:
      return 'The invitation could not be accepted because of the current state (you may already be a member). ' +
        'Check your organizations.';
    case 410:
      return 'This invitation can no longer be used: it has expired, been revoked, or been accepted already. ' +
        'Ask an administrator of the organization for a new one.';
    default:
      return null;
  }
}

/**
 * Which of `sessions` (GET /me/sessions items) is this tab's: the API gives sessions random ids and does not
 * say which one the caller's token belongs to, so the client picks the session created by this browser
 * (same User-Agent) closest to the moment this tab signed in, within `windowMs`. Null when none qualifies.
 */
export function currentSessionId(sessions, {signedInAt, userAgent, windowMs = 60_000}) {
  // the API marks the session the request's token belongs to; the guess below only serves answers without the mark
  const marked = (sessions ?? []).find((s) => s.current === true);
  if (marked) return marked.id;
  if ((sessions ?? []).some((s) => s.current === false)) return null;
  if (!signedInAt) return null;
  let best = null;
  let bestDistance = Infinity;
  for (const s of sessions ?? []) {
    if (userAgent && s.userAgent && s.userAgent !== userAgent) continue;
    const created = Date.parse(s.createdAt);
    if (Number.isNaN(created)) continue;
    const distance = Math.abs(created - signedInAt);
    if (distance <= windowMs && distance < bestDistance) {
      best = s.id;
      bestDistance = distance;
    }
  }
  return best;
}

/** Human words for the events of GET /me/activity (unknown events are shown as they come). */
const EVENTS = {
  SIGN_IN: 'Signed in',
  SIGN_IN_FAILED: 'Failed sign-in',
  PASSWORD_CHANGED: 'Password changed',
  PASSWORD_RESET: 'Password reset',
  MFA_ENABLED: 'Two-step verification turned on',
  MFA_DISABLED: 'Two-step verification turned off',
  PASSKEY_ADDED: 'Passkey added',
  PASSKEY_REMOVED: 'Passkey removed',
  EMAIL_CHANGED: 'E-mail address changed',
  SESSION_REVOKED: 'Session signed out',
};

export function eventLabel(event) {
  return EVENTS[event] ?? String(event ?? '');
}
