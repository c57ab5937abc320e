// Administration screens (role admin): the user list with e-mail prefix filter and paging, creating
// a user, and one user's details, roles, account actions and audit trail.
import {field, formValues, h, replace, when} from '../dom.js';
import {alert, busy, errorAlert, heading, onSubmit} from '../ui.js';
import {activityList, profileDetails} from './account.js';

const PAGE_SIZE = 20;

export async function usersView(ctx, params, root) {
  const filter = {email: params.get('email') ?? '', role: params.get('role') ?? '', status: params.get('status') ?? ''};
  const cursors = [''];        // cursors[i] loads page i; '' is the first page
  let page = 0;

  const filterForm = h('form', {id: 'users-filter', class: 'inline'},
    field('E-mail starts with', 'email', {type: 'search', value: filter.email, autocomplete: 'off'}),
    field('Role', 'role', {tag: 'select', options: [['', 'any'], ...roleOptions(ctx)]}),
    field('Status', 'status', {tag: 'select', options: [['', 'any'], ['ENABLED', 'enabled'], ['DISABLED', 'disabled']]}),
    h('button', {type: 'submit', class: 'secondary'}, 'Filter'));
  filterForm.elements.role.value = filter.role;
  filterForm.elements.status.value = filter.status;
  onSubmit(filterForm, async () => {
    const values = formValues(filterForm);
    ctx.navigate('/admin/users', values);
  });

  const list = h('div', {id: 'users-list'});
  const prev = h('button', {type: 'button', class: 'secondary', id: 'users-prev'}, '← Previous');
  const next = h('button', {type: 'button', class: 'secondary', id: 'users-next'}, 'Next →');
  const pageLabel = h('span', {class: 'page-label'});
  const status = h('div', {class: 'form-status'});

  async function load() {
    const {data} = await ctx.session.call('GET', '/users',
      {query: {limit: PAGE_SIZE, cursor: cursors[page], ...filter}});
    const items = data?.items ?? [];
    cursors[page + 1] = data?.nextCursor ?? null;
    replace(list, items.length === 0 ? alert('info', 'No users match.') : usersTable(items));
    prev.disabled = page === 0;
    next.disabled = !cursors[page + 1];
    replace(pageLabel, `Page ${page + 1}`);
  }
  prev.addEventListener('click', () => busy(prev, status, async () => { page -= 1; await load(); }));
  next.addEventListener('click', () => busy(next, status, async () => { page += 1; await load(); }));

  replace(root, heading('Users'), filterForm, list,
    h('div', {class: 'pager'}, prev, pageLabel, next), status,
    h('h2', {}, 'Create a user'), createUserForm(ctx));
  await load();
}

function roleOptions(ctx, extra = []) {
  return [...new Set([...(ctx.config.roles ?? ['user', 'admin']), ...extra])].map((r) => [r, r]);
}

function usersTable(items) {
  return h('table', {id: 'users-table'},
    h('thead', {}, h('tr', {}, h('th', {}, 'E-mail'), h('th', {}, 'Name'), h('th', {}, 'Roles'), h('th', {}, 'Status'), h('th', {}, 'Created'))),
    h('tbody', {}, items.map((u) => h('tr', {'data-email': u.email},
      h('td', {}, h('a', {href: `#/admin/users/${encodeURIComponent(u.id)}`}, u.email)),
      h('td', {}, u.name ?? ''),
      h('td', {}, (u.roles ?? []).join(', ')),
      h('td', {}, h('span', {class: `badge ${String(u.status).toLowerCase()}`}, u.status)),
      h('td', {}, when(u.createdAt))))));
}

function createUserForm(ctx) {
  const form = h('form', {id: 'create-user-form'},
    field('E-mail', 'email', {id: 'f-new-email', type: 'email', required: true, autocomplete: 'off'}),
    field('Name (optional)', 'name', {id: 'f-new-name', maxlength: 128, autocomplete: 'off'}),
    roleCheckboxes(ctx, ['user'], 'create-role'),
    h('button', {type: 'submit', class: 'primary'}, 'Create user'),
    h('p', {class: 'hint'}, 'The user gets a temporary password by e-mail and chooses their own at first login.'));
  onSubmit(form, async () => {
    const {email, name} = formValues(form);
    const roles = checkedRoles(form);
    const body = {email, roles};
    if (name) body.name = name;
    const {data} = await ctx.session.call('POST', '/users', {body});
    ctx.flash('success', `Created ${data.email}.`);
    ctx.navigate(`/admin/users/${encodeURIComponent(data.id)}`);
  });
  return form;
}

function roleCheckboxes(ctx, checked, idPrefix) {
  return h('fieldset', {class: 'roles'}, h('legend', {}, 'Roles'),
    roleOptions(ctx, checked).map(([role]) => h('label', {class: 'check'},
      h('input', {type: 'checkbox', name: 'role', value: role, id: `${idPrefix}-${role}`, checked: checked.includes(role)}),
      ` ${role}`)));
}

function checkedRoles(form) {
  return [...form.querySelectorAll('input[name=role]:checked')].map((el) => el.value);
}

export async function userView(ctx, params, root, id) {
  const {data: user} = await ctx.session.call('GET', `/users/${encodeURIComponent(id)}`);
  const isSelf = ctx.me?.id === user.id;

  // Roles
  const rolesForm = h('form', {id: 'roles-form'}, roleCheckboxes(ctx, user.roles ?? [], 'role'),
    h('button', {type: 'submit', class: 'primary'}, 'Save roles'));
  onSubmit(rolesForm, async () => {
    await ctx.session.call('PUT', `/users/${encodeURIComponent(id)}/roles`, {body: {roles: checkedRoles(rolesForm)}});
    ctx.flash('success', 'Roles saved. They apply to the user\'s next request.');
    ctx.reload();
  });

  // Account actions
  const status = h('div', {class: 'form-status', id: 'user-actions-status'});
  const action = (label, idName, cls, confirmText, run) => {
    const button = h('button', {type: 'button', class: cls, id: idName}, label);
    button.addEventListener('click', () => busy(button, status, async () => {
      if (confirmText && !window.confirm(confirmText)) return;
      await run();
    }));
    return button;
  };
  const path = `/users/${encodeURIComponent(id)}`;
  const actions = h('div', {class: 'buttons'},
    user.status === 'DISABLED'
      ? action('Enable', 'enable-user', 'secondary', null, async () => {
        await ctx.session.call('POST', `${path}/enable`);
        ctx.flash('success', `${user.email} is enabled.`);
        ctx.reload();
      })
      : action('Disable', 'disable-user', 'secondary', `Disable ${user.email}? They cannot sign in and their tokens stop working.`, async () => {
        await ctx.session.call('POST', `${path}/disable`);
        ctx.flash('success', `${user.email} is disabled.`);
        ctx.reload();
      }),
    action('Reset password', 'reset-user-password', 'secondary', `E-mail ${user.email} a password reset code?`, async () => {
      await ctx.session.call('POST', `${path}/reset-password`);
      replace(status, alert('success', `A reset code is on its way to ${user.email}.`));
    }),
    action('Sign out everywhere', 'sign-out-user', 'secondary', `End every session of ${user.email}?`, async () => {
      await ctx.session.call('POST', `${path}/sign-out`);
      replace(status, alert('success', `Every session of ${user.email} has ended.`));
    }),
    action('Delete', 'delete-user', 'danger', `Delete ${user.email}, their profile and sessions? This cannot be undone.`, async () => {
      await ctx.session.call('DELETE', path);
      ctx.flash('success', `${user.email} has been deleted.`);
      ctx.navigate('/admin/users');
    }));

  // Audit trail
  const audit = h('div', {id: 'audit'});
  const more = h('button', {type: 'button', class: 'secondary', id: 'audit-more', hidden: true}, 'Older entries');
  const auditStatus = h('div', {class: 'form-status'});
  const auditBody = h('tbody');
  let cursor = '';
  async function loadAudit() {
    const {data} = await ctx.session.call('GET', `${path}/audit`, {query: {limit: 20, cursor}});
    for (const entry of data?.items ?? []) {
      auditBody.append(h('tr', {},
        h('td', {}, when(entry.at)), h('td', {}, actorName(ctx, entry.actor, user)), h('td', {}, entry.action ?? ''),
        h('td', {}, h('code', {}, formatDetails(entry.details)))));
    }
    cursor = data?.nextCursor ?? '';
    more.hidden = !cursor;
    if (auditBody.children.length === 0) replace(audit, alert('info', 'No audit entries.'));
  }
  replace(audit, h('table', {id: 'audit-table'},
    h('thead', {}, h('tr', {}, h('th', {}, 'When'), h('th', {}, 'Actor'), h('th', {}, 'Action'), h('th', {}, 'Details'))),
    auditBody));
  more.addEventListener('click', () => busy(more, auditStatus, loadAudit));

  const activity = activityList(ctx, `${path}/activity`, 'user-activity');

  replace(root, heading(user.email),
    h('p', {}, h('a', {href: '#/admin/users'}, '← All users')),
    isSelf ? alert('info', 'This is your own account: you cannot disable or delete it, or remove the last admin role.') : null,
    profileDetails(user),
    h('h2', {}, 'Roles'), rolesForm,
    h('h2', {}, 'Account'), actions, status,
    h('h2', {}, 'Audit trail'), audit, more, auditStatus,
    h('h2', {}, 'Security activity'), activity.element);
  try {
    await loadAudit();
  } catch (error) {
    replace(audit, errorAlert(error));
  }
  try {
    await activity.load();
  } catch (error) {
    replace(activity.element, errorAlert(error));
  }
}

/** The audit actor (a user ID) in words where the screen knows who it is. */
function actorName(ctx, actor, user) {
  if (!actor) return '—';
  if (actor === ctx.me?.id) return `you (${ctx.me.email})`;
  if (actor === user.id) return user.email;
  return actor;
}

function formatDetails(details) {
  if (details === null || details === undefined) return '';
  return typeof details === 'string' ? details : JSON.stringify(details);
}
