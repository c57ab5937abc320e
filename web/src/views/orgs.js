// Organizations (issue 19): the caller's organizations and the active one, an organization's page
// (rename, delete), its members (role, remove, leave), its invitations (create, list, revoke) and
// accepting an invitation. Every name and address is written as text (dom.js), never as markup.
import {field, formValues, h, replace, when} from '../dom.js';
import {alert, busy, heading, onSubmit} from '../ui.js';
import {acceptProblem, assignableRoles, canManageMember, hasOrgRole, invitationToken} from '../orgs.js';

const PAGE_SIZE = 20;
const orgPath = (id) => `/orgs/${encodeURIComponent(id)}`;

/** The caller's role in `orgId` as GET /orgs says (loaded again when the cached list does not have it). */
async function myRole(ctx, orgId) {
  let org = (ctx.orgs ?? []).find((o) => o.id === orgId);
  if (!org) {
    await ctx.loadOrgs();
    org = (ctx.orgs ?? []).find((o) => o.id === orgId);
  }
  return org?.role ?? null;
}

function orgTabs(id, current) {
  const tab = (href, text, name) => h('a', {href, 'aria-current': name === current ? 'page' : null}, text);
  return h('nav', {class: 'tabs', 'aria-label': 'Organization'},
    tab(`#${orgPath(id)}`, 'Overview', 'overview'), ' · ',
    tab(`#${orgPath(id)}/members`, 'Members', 'members'), ' · ',
    tab(`#${orgPath(id)}/invitations`, 'Invitations', 'invitations'), ' · ',
    h('a', {href: '#/orgs'}, 'All organizations'));
}

/** #/orgs: the caller's organizations (paged), the active one, and creating one. */
export async function orgsView(ctx, _params, root) {
  const cursors = [''];
  let page = 0;
  const list = h('div', {id: 'orgs-list'});
  const prev = h('button', {type: 'button', class: 'secondary', id: 'orgs-prev'}, '← Previous');
  const next = h('button', {type: 'button', class: 'secondary', id: 'orgs-next'}, 'Next →');
  const status = h('div', {class: 'form-status'});

  async function load() {
    const {data} = await ctx.session.call('GET', '/orgs', {query: {limit: PAGE_SIZE, cursor: cursors[page]}});
    const items = data?.items ?? [];
    cursors[page + 1] = data?.nextCursor ?? null;
    const active = ctx.activeOrgId();
    replace(list, items.length === 0
      ? alert('info', 'You are not a member of any organization yet. Create one, or accept an invitation.')
      : h('table', {id: 'orgs-table'},
        h('thead', {}, h('tr', {}, h('th', {}, 'Organization'), h('th', {}, 'Your role'), h('th', {}, ''))),
        h('tbody', {}, items.map((o) => h('tr', {'data-org-id': o.id},
          h('td', {}, h('a', {href: `#${orgPath(o.id)}`, class: 'org-name'}, o.name)),
          h('td', {class: 'org-role'}, o.role),
          h('td', {}, o.id === active
            ? h('span', {class: 'badge active-org'}, 'Active')
            : h('button', {type: 'button', class: 'link make-active', onclick: () => {
              ctx.setActiveOrg(o.id);
              ctx.flash('success', `${o.name} is now your active organization.`);
              ctx.navigate(orgPath(o.id));
            }}, 'Make active')))))));
    prev.disabled = page === 0;
    next.disabled = !cursors[page + 1];
  }
  prev.addEventListener('click', () => busy(prev, status, async () => { page -= 1; await load(); }));
  next.addEventListener('click', () => busy(next, status, async () => { page += 1; await load(); }));

  const form = h('form', {id: 'create-org-form'},
    field('Name', 'name', {id: 'f-org-name', required: true, maxlength: 100, autocomplete: 'off'}),
    h('button', {type: 'submit', class: 'primary'}, 'Create organization'),
    h('p', {class: 'hint'}, 'You become its owner, and it becomes your active organization.'));
  onSubmit(form, async () => {
    const {name} = formValues(form);
    const {data} = await ctx.session.call('POST', '/orgs', {body: {name}});
    await ctx.loadOrgs();
    ctx.setActiveOrg(data.id);
    ctx.flash('success', `Created ${data.name}.`);
    ctx.navigate(orgPath(data.id));
  });

  replace(root, heading('Organizations'),
    h('p', {}, 'The organization you choose as active is remembered in this browser (for this account).'),
    list, h('div', {class: 'pager'}, prev, next), status,
    h('h2', {}, 'Create an organization'), form,
    h('p', {}, h('a', {href: '#/invitations/accept'}, 'Accept an invitation'), ' with the code from its e-mail.'));
  await load();
}

/** #/orgs/{id}: name, members count, rename (admin+), delete (owner), leave. */
export async function orgView(ctx, _params, root, id) {
  const [{data: org}, role] = await Promise.all([ctx.session.call('GET', orgPath(id)), myRole(ctx, id)]);
  const status = h('div', {class: 'form-status', id: 'org-status'});

  const renameForm = hasOrgRole(role, 'admin') ? h('form', {id: 'rename-org-form'},
    field('Name', 'name', {id: 'f-org-rename', required: true, maxlength: 100, value: org.name, autocomplete: 'off'}),
    h('button', {type: 'submit', class: 'primary'}, 'Rename')) : null;
  if (renameForm) {
    onSubmit(renameForm, async () => {
      const {name} = formValues(renameForm);
      const {data} = await ctx.session.call('PATCH', orgPath(id), {body: {name}});
      await ctx.loadOrgs();
      ctx.flash('success', `Renamed to ${data?.name ?? name}.`);
      ctx.reload();
    });
  }

  const buttons = [];
  if (role) {
    const leave = h('button', {type: 'button', class: 'secondary', id: 'leave-org'}, 'Leave this organization');
    leave.addEventListener('click', () => busy(leave, status, async () => {
      if (!window.confirm(`Leave ${org.name}? You will need a new invitation to come back.`)) return;
      await ctx.session.call('DELETE', `${orgPath(id)}/members/${encodeURIComponent(ctx.me.id)}`);
      await afterMembershipEnded(ctx, id, `You have left ${org.name}.`);
    }));
    buttons.push(leave);
  }
  if (role === 'owner') {
    const del = h('button', {type: 'button', class: 'danger', id: 'delete-org'}, 'Delete this organization');
    del.addEventListener('click', () => busy(del, status, async () => {
      if (!window.confirm(`Delete ${org.name}, its memberships and its invitations? This cannot be undone.`)) return;
      await ctx.session.call('DELETE', orgPath(id));
      await afterMembershipEnded(ctx, id, `${org.name} has been deleted.`);
    }));
    buttons.push(del);
  }

  replace(root, heading(org.name),
    orgTabs(id, 'overview'),
    ctx.activeOrgId() === id ? h('p', {id: 'org-active'}, h('span', {class: 'badge active-org'}, 'Active organization')) : null,
    h('dl', {class: 'profile'},
      h('dt', {}, 'Name'), h('dd', {'data-field': 'org-name'}, org.name),
      h('dt', {}, 'Members'), h('dd', {'data-field': 'memberCount'}, String(org.memberCount ?? '—')),
      h('dt', {}, 'Your role'), h('dd', {'data-field': 'org-role'}, role ?? 'none (global administrator: read only)'),
      h('dt', {}, 'Created'), h('dd', {}, when(org.createdAt)),
      h('dt', {}, 'ID'), h('dd', {}, h('code', {}, org.id))),
    renameForm ? [h('h2', {}, 'Rename'), renameForm] : null,
    buttons.length ? [h('h2', {}, 'Membership'), h('div', {class: 'buttons'}, buttons)] : null,
    status);
}

async function afterMembershipEnded(ctx, orgId, message) {
  if (ctx.activeOrgId() === orgId) ctx.setActiveOrg(null);
  await ctx.loadOrgs();
  ctx.flash('success', message);
  ctx.navigate('/orgs');
}

/** #/orgs/{id}/members: the members (paged), changing a role, removing a member, leaving. */
export async function membersView(ctx, _params, root, id) {
  const [{data: org}, role] = await Promise.all([ctx.session.call('GET', orgPath(id)), myRole(ctx, id)]);
  const cursors = [''];
  let page = 0;
  const list = h('div', {id: 'members-list'});
  const prev = h('button', {type: 'button', class: 'secondary', id: 'members-prev'}, '← Previous');
  const next = h('button', {type: 'button', class: 'secondary', id: 'members-next'}, 'Next →');
  const status = h('div', {class: 'form-status', id: 'members-status'});

  function row(m) {
    const self = m.userId === ctx.me?.id;
    const manage = !self && canManageMember(role, m.role);
    const cells = [
      h('td', {class: 'member-email'}, m.email ?? m.userId),
      h('td', {}, m.name ?? ''),
      h('td', {class: 'member-role'}, m.role),
      h('td', {}, when(m.joinedAt)),
    ];
    const actions = h('td', {class: 'member-actions'});
    if (manage) {
      const choices = [...new Set([...assignableRoles(role), m.role])];
      const select = h('select', {class: 'member-role-select', 'aria-label': `Role of ${m.email ?? m.userId}`},
        choices.map((r) => h('option', {value: r, selected: r === m.role}, r)));
      const save = h('button', {type: 'button', class: 'secondary save-role'}, 'Change role');
      save.addEventListener('click', () => busy(save, status, async () => {
        await ctx.session.call('PUT', `${orgPath(id)}/members/${encodeURIComponent(m.userId)}/role`, {body: {role: select.value}});
        ctx.flash('success', `${m.email ?? m.userId} is now ${select.value}.`);
        ctx.reload();
      }));
      const remove = h('button', {type: 'button', class: 'danger remove-member'}, 'Remove');
      remove.addEventListener('click', () => busy(remove, status, async () => {
        if (!window.confirm(`Remove ${m.email ?? m.userId} from ${org.name}?`)) return;
        await ctx.session.call('DELETE', `${orgPath(id)}/members/${encodeURIComponent(m.userId)}`);
        ctx.flash('success', `${m.email ?? m.userId} has been removed.`);
        ctx.reload();
      }));
      actions.append(select, ' ', save, ' ', remove);
    } else if (self) {
      const leave = h('button', {type: 'button', class: 'secondary leave-org'}, 'Leave');
      leave.addEventListener('click', () => busy(leave, status, async () => {
        if (!window.confirm(`Leave ${org.name}?`)) return;
        await ctx.session.call('DELETE', `${orgPath(id)}/members/${encodeURIComponent(m.userId)}`);
        await afterMembershipEnded(ctx, id, `You have left ${org.name}.`);
      }));
      actions.append(h('span', {class: 'badge'}, 'you'), ' ', leave);
    }
    return h('tr', {'data-user-id': m.userId, 'data-email': m.email ?? ''}, cells, actions);
  }

  async function load() {
    const {data} = await ctx.session.call('GET', `${orgPath(id)}/members`, {query: {limit: PAGE_SIZE, cursor: cursors[page]}});
    const items = data?.items ?? [];
    cursors[page + 1] = data?.nextCursor ?? null;
    replace(list, items.length === 0 ? alert('info', 'No members.') : h('table', {id: 'members-table'},
      h('thead', {}, h('tr', {}, h('th', {}, 'E-mail'), h('th', {}, 'Name'), h('th', {}, 'Role'), h('th', {}, 'Joined'), h('th', {}, ''))),
      h('tbody', {}, items.map(row))));
    prev.disabled = page === 0;
    next.disabled = !cursors[page + 1];
  }
  prev.addEventListener('click', () => busy(prev, status, async () => { page -= 1; await load(); }));
  next.addEventListener('click', () => busy(next, status, async () => { page += 1; await load(); }));

  replace(root, heading(org.name, ': members'), orgTabs(id, 'members'),
    role === 'owner' ? h('p', {class: 'hint'}, 'Only an owner grants or removes the owner role; the last owner cannot leave ' +
      'or be demoted (transfer ownership first).') : null,
    status, list, h('div', {class: 'pager'}, prev, next));
  await load();
}

/** #/orgs/{id}/invitations: invite an address with a role, the invitations with their status, revoke. */
export async function invitationsView(ctx, _params, root, id) {
  const [{data: org}, role] = await Promise.all([ctx.session.call('GET', orgPath(id)), myRole(ctx, id)]);
  const status = h('div', {class: 'form-status', id: 'invitations-status'});
  const list = h('div', {id: 'invitations-list'});

  const roles = assignableRoles(role);
  const form = roles.length ? h('form', {id: 'invite-form'},
    field('E-mail', 'email', {id: 'f-invite-email', type: 'email', required: true, autocomplete: 'off'}),
    field('Role', 'role', {id: 'f-invite-role', tag: 'select', options: roles.map((r) => [r, r])}),
    h('button', {type: 'submit', class: 'primary'}, 'Send invitation'),
    h('p', {class: 'hint'}, 'The address gets a single-use link (and code), valid for 7 days. Someone without an account ' +
      'signs up with that address first.')) : null;
  if (form) {
    form.elements.role.value = 'member';
    onSubmit(form, async () => {
      const {email, role: invitedRole} = formValues(form);
      const {data} = await ctx.session.call('POST', `${orgPath(id)}/invitations`, {body: {email, role: invitedRole}});
      ctx.flash('success', `Invitation sent to ${data?.email ?? email}.`);
      ctx.reload();
    });
  }

  const {data} = await ctx.session.call('GET', `${orgPath(id)}/invitations`);
  const items = data?.items ?? [];
  replace(list, items.length === 0 ? alert('info', 'No invitations.') : h('table', {id: 'invitations-table'},
    h('thead', {}, h('tr', {}, h('th', {}, 'E-mail'), h('th', {}, 'Role'), h('th', {}, 'Status'), h('th', {}, 'Expires'), h('th', {}, ''))),
    h('tbody', {}, items.map((i) => {
      const revoke = i.status === 'PENDING' && roles.length
        ? h('button', {type: 'button', class: 'danger revoke-invitation'}, 'Revoke') : null;
      revoke?.addEventListener('click', () => busy(revoke, status, async () => {
        if (!window.confirm(`Revoke the invitation of ${i.email}? Its link stops working.`)) return;
        await ctx.session.call('DELETE', `${orgPath(id)}/invitations/${encodeURIComponent(i.id)}`);
        ctx.flash('success', `The invitation of ${i.email} has been revoked.`);
        ctx.reload();
      }));
      return h('tr', {'data-invitation-id': i.id, 'data-email': i.email},
        h('td', {}, i.email), h('td', {}, i.role),
        h('td', {}, h('span', {class: `badge invitation-status ${String(i.status).toLowerCase()}`}, i.status)),
        h('td', {}, when(i.expiresAt)), h('td', {}, revoke));
    }))));

  replace(root, heading(org.name, ': invitations'), orgTabs(id, 'invitations'),
    form ? [h('h2', {}, 'Invite someone'), form] : null,
    h('h2', {}, 'Invitations'), status, list);
}

/**
 * #/invitations/accept: the invitation waiting in this tab (from the e-mailed link; main.js takes the token
 * out of the address bar) or one pasted here, accepted by the signed-in user.
 */
export async function acceptInvitationView(ctx, _params, root) {
  const status = h('div', {class: 'form-status', id: 'accept-status'});
  const pending = ctx.pendingInvitation();
  const form = h('form', {id: 'accept-invitation-form'},
    field('Invitation link or code', 'token', {id: 'f-invitation-token', required: true, autocomplete: 'off', spellcheck: 'false',
      value: pending ?? '', hint: 'Paste the link or the code from the invitation e-mail.'}),
    h('button', {type: 'submit', class: 'primary'}, 'Accept the invitation'));
  onSubmit(form, async () => {
    const token = invitationToken(formValues(form).token);
    if (!token) {
      replace(status, alert('error', 'That is not an invitation link or code. Copy it again from the e-mail.'));
      return;
    }
    try {
      const {data} = await ctx.session.call('POST', '/invitations/accept', {body: {token}});
      ctx.setPendingInvitation(null);
      await ctx.loadOrgs();
      ctx.setActiveOrg(data.orgId);
      const org = (ctx.orgs ?? []).find((o) => o.id === data.orgId);
      ctx.flash('success', `You have joined ${org?.name ?? 'the organization'} as ${data.role}.`);
      ctx.navigate(orgPath(data.orgId));
    } catch (error) {
      const sentence = acceptProblem(error, ctx.me?.email ?? ctx.session.email);
      if (!sentence) throw error;
      if (error.status === 410 || error.status === 404) ctx.setPendingInvitation(null);
      replace(status, h('div', {class: 'alert error', role: 'alert', 'data-kind': 'error', 'data-code': error.code,
        'data-status': String(error.status)}, h('p', {class: 'message'}, sentence),
      error.detail ? h('p', {class: 'support'}, `The API said: ${error.detail}`) : null));
    }
  });
  replace(root, heading('Accept an invitation'),
    h('p', {}, 'Signed in as ', h('strong', {id: 'accept-as'}, ctx.me?.email ?? ctx.session.email),
      '. Only the address the invitation was sent to can accept it.'),
    pending ? alert('info', 'The invitation from your link is ready: accept it below.') : null,
    form, status);
}
