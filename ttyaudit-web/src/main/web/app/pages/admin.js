// Administration (admins): users (create, role, disable, reset password, their API tokens), host enrollment
// tokens with the `ttyaudit enroll …` line to run on a host, the enrolled hosts, the rules in force (with a
// button that reloads the rule file), storage and retention: bytes stored by user, host or day, and the
// legal holds (place, release), and the forwarders with their lag (docs/FORWARDING.md).
import {getJson, send} from '../api.js';
import {h, replace, field, table, time, notice, severityBadge} from '../dom.js';
import {tokenTable, shownOnce} from './tokens.js';

const ROLES = ['admin', 'auditor', 'user'];

export async function render(ctx) {
  const users = h('div', {id: 'users'});
  const enrollment = h('div', {id: 'enrollment-tokens'});
  const hosts = h('div', {id: 'hosts'});
  const rules = h('div', {id: 'rules'});
  const reloadResult = h('div', {id: 'rules-reload-result', 'aria-live': 'polite'});
  const storage = h('div', {id: 'storage'});
  const holds = h('div', {id: 'holds'});
  const forwarders = h('div', {id: 'forwarders'});
  replace(ctx.view,
    h('section', {},
      h('h1', {tabindex: '-1'}, 'Administration'),
      h('h2', {}, 'Users'),
      h('p', {class: 'muted'}, 'A user\'s name is their login name on the recorded hosts: role user sees the ' +
        'sessions recorded under it. New and reset passwords work once and must be changed at the next login.'),
      createUserForm(ctx, users),
      users,
      h('h2', {}, 'Host enrollment'),
      h('p', {class: 'muted'}, 'A token works once, for one host: run the line it gives as root on that host.'),
      enrollmentForm(enrollment),
      enrollment,
      h('h2', {}, 'Enrolled hosts'),
      hosts,
      h('h2', {}, 'Rules'),
      h('p', {class: 'muted'}, 'The rules in force (docs/ALERTS.md). After editing the rule file, reload it: a ' +
        'file with an error is refused with its line and reason, and the previous rules stay in force.'),
      h('div', {class: 'inline-form'},
        h('button', {type: 'button', id: 'reload-rules', onclick: () => reloadRules(rules, reloadResult)},
          'Reload rule file'),
        reloadResult),
      rules,
      h('h2', {}, 'Storage and retention'),
      h('p', {class: 'muted'}, 'Bytes of the sessions whose content is kept: as stored (compressed) and before ' +
        'compression. Retention prunes content after the keep time of its policy (docs/RETENTION.md), never ' +
        'while a legal hold covers it.'),
      storageGrouping(storage),
      storage,
      h('h3', {}, 'Legal holds'),
      holdForm(holds),
      holds,
      h('h2', {}, 'Forwarders'),
      h('p', {class: 'muted'}, 'Log pipelines the server forwards to (docs/FORWARDING.md): how much each has ' +
        'not sent yet, and why it is waiting when its receiver is away. Nothing is lost while it waits.'),
      forwarders));
  await Promise.all([drawUsers(ctx, users), drawEnrollment(enrollment), drawHosts(hosts), drawRules(rules),
    drawStorage(storage, 'user'), drawHolds(holds), drawForwarders(forwarders)]);
}

async function drawUsers(ctx, box) {
  const list = await getJson('/api/v1/users');
  const rows = list.map((u) => {
    const role = h('select', {'aria-label': `role of ${u.name}`},
      ROLES.map((r) => h('option', {value: r, selected: r === u.role}, r)));
    const message = h('span', {role: 'status'});
    const act = async (body) => {
      try {
        await send('PATCH', `/api/v1/users/${encodeURIComponent(u.name)}`, body);
        await drawUsers(ctx, box);
      } catch (e) {
        replace(message, notice(e.message));
      }
    };
    role.addEventListener('change', () => act({role: role.value}));
    const tokensBox = h('div', {class: 'user-tokens'});
    return [h('tr', {},
      h('td', {}, u.name, u.name === ctx.me.name ? h('span', {class: 'muted'}, ' (you)') : null),
      h('td', {}, role),
      h('td', {}, u.disabled ? 'disabled' : (u.must_change_password ? 'must change password' : 'active')),
      h('td', {}, time(u.created_at)),
      h('td', {class: 'actions'},
        h('button', {type: 'button', class: 'small', onclick: () => act({disabled: !u.disabled})},
          u.disabled ? 'Enable' : 'Disable'), ' ',
        h('button', {type: 'button', class: 'small', onclick: () => resetForm(u, message, act)},
          'Reset password'), ' ',
        h('button', {type: 'button', class: 'small', 'aria-expanded': 'false', onclick: async (event) => {
          const open = event.target.getAttribute('aria-expanded') === 'true';
          event.target.setAttribute('aria-expanded', String(!open));
          if (open) {
            tokensBox.replaceChildren();
          } else {
            await drawUserTokens(u.name, tokensBox);
          }
        }}, 'API tokens'),
        message, tokensBox))];
  });
  replace(box, table('users', ['Name', 'Role', 'State', 'Created', 'Actions'], rows));
}

function resetForm(user, place, act) {
  const password = h('input', {type: 'password', autocomplete: 'new-password', required: true, minlength: 12});
  const form = h('form', {class: 'inline-form'}, field(`New one-time password for ${user.name}`, password),
    h('button', {type: 'submit', class: 'small'}, 'Set'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    act({password: password.value});
  });
  replace(place, form);
  password.focus();
}

async function drawUserTokens(name, box) {
  const list = await getJson(`/api/v1/users/${encodeURIComponent(name)}/tokens`);
  replace(box, tokenTable(list,
    (id) => `/api/v1/users/${encodeURIComponent(name)}/tokens/${encodeURIComponent(id)}`,
    () => drawUserTokens(name, box), `API tokens of ${name}`));
}

function createUserForm(ctx, usersBox) {
  const name = h('input', {type: 'text', name: 'new-user-name', required: true, autocapitalize: 'none',
    spellcheck: 'false'});
  const role = h('select', {name: 'new-user-role'}, ROLES.map((r) => h('option', {value: r, selected: r === 'user'},
    r)));
  const password = h('input', {type: 'password', name: 'new-user-password', autocomplete: 'new-password',
    required: true});
  const message = h('div', {'aria-live': 'polite'});
  const form = h('form', {class: 'inline-form', id: 'create-user'},
    field('Name', name), field('Role', role), field('One-time password', password),
    h('button', {type: 'submit'}, 'Create user'), message);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.replaceChildren();
    try {
      const u = await send('POST', '/api/v1/users', {name: name.value.trim(), role: role.value,
        password: password.value});
      name.value = '';
      password.value = '';
      message.append(notice(`Created ${u.name} (${u.role}); they choose their password at the first login.`,
        'info'));
      await drawUsers(ctx, usersBox);
    } catch (e) {
      message.append(notice(e.message));
    }
  });
  return form;
}

function enrollmentForm(box) {
  const hours = h('input', {type: 'number', name: 'ttl-hours', min: 1, max: 720, value: 24});
  const shown = h('div', {id: 'enroll-line'});
  const form = h('form', {class: 'inline-form'}, field('Valid for (hours)', hours),
    h('button', {type: 'submit'}, 'Make enrollment token'), shown);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const t = await send('POST', '/api/v1/enrollment-tokens', {ttl_hours: Number(hours.value)});
      replace(shown, shownOnce('Run this as root on the host to enroll:', t.enroll_command));
      await drawEnrollment(box);
    } catch (e) {
      replace(shown, notice(e.message));
    }
  });
  return form;
}

async function drawEnrollment(box) {
  const list = await getJson('/api/v1/enrollment-tokens');
  replace(box, list.length === 0 ? h('p', {class: 'muted'}, 'No enrollment tokens yet.')
    : table('enrollment tokens', ['Id', 'Made by', 'Made', 'Expires', 'Used'], list.map((t) => h('tr', {},
      h('td', {}, h('code', {}, t.id)), h('td', {}, t.created_by), h('td', {}, time(t.created_at)),
      h('td', {}, time(t.expires_at)),
      h('td', {}, t.used_at ? [time(t.used_at), ` by host ${t.used_by_host_id ?? ''}`] : 'not used')))));
}

async function drawHosts(box) {
  const list = await getJson('/api/v1/hosts');
  replace(box, list.length === 0 ? h('p', {class: 'muted'}, 'No hosts are enrolled.')
    : table('enrolled hosts', ['Host', 'Id', 'Enrolled', 'State'], list.map((x) => h('tr', {},
      h('td', {}, x.name), h('td', {}, h('code', {}, x.id)), h('td', {}, time(x.enrolled_at)),
      h('td', {}, x.revoked ? 'revoked' : 'active')))));
}

async function drawRules(box) {
  const r = await getJson('/api/v1/rules');
  replace(box,
    h('p', {class: 'rules-file'}, r.file ? ['Rule file ', h('code', {}, r.file), ' · SHA-256 ',
      h('code', {class: 'hash'}, r.file_sha256 ?? '—')] : 'No rule file is configured: the default rule pack only.',
    ` · ${r.rules.length} rules`),
    table('rules in force', ['Rule', 'Severity', 'Description', 'Actions'], r.rules.map((x) => h('tr', {
      class: 'rule-row', dataset: {rule: x.name}},
    h('td', {}, h('code', {}, x.name)),
    h('td', {}, severityBadge(x.severity)),
    h('td', {}, x.description),
    h('td', {}, (x.actions ?? []).join(', '))))));
}

async function drawForwarders(box) {
  const r = await getJson('/api/v1/forwarders');
  if (r.forwarders.length === 0) {
    replace(box, h('p', {}, 'No forwarders are configured (the settings file\'s forwarding section).'));
    return;
  }
  replace(box, table('forwarders', ['Forwarder', 'Sends to', 'Pending', 'Behind', 'Forwarded', 'Refused', 'State'],
    r.forwarders.map((f) => h('tr', {class: 'forwarder-row', dataset: {forwarder: f.name}},
      h('td', {}, h('code', {}, f.name), h('span', {class: 'muted'}, ` ${f.type}`)),
      h('td', {}, h('code', {}, f.address)),
      h('td', {}, String(f.pending)),
      h('td', {}, f.pending === 0 ? 'up to date' : `${Math.round(f.lag_seconds)} s`),
      h('td', {}, String(f.forwarded)),
      h('td', {}, String(f.rejected)),
      h('td', {}, f.failures === 0 ? 'ok'
        : [`retrying (${f.failures} failed): `, f.last_error ?? '', f.next_attempt_at
          ? h('span', {class: 'muted'}, ' · next ', time(f.next_attempt_at)) : null])))));
}

async function reloadRules(box, result) {
  replace(result, h('span', {class: 'muted'}, 'Reloading…'));
  try {
    const r = await send('POST', '/api/v1/rules/reload');
    replace(result, notice(`Reloaded: ${r.rules} rules in force` +
      (r.file_sha256 ? ` (rule file SHA-256 ${r.file_sha256.slice(0, 16)}…)` : '') + '.', 'info'));
    await drawRules(box);
  } catch (e) {
    replace(result, notice(e.message));
  }
}

function storageGrouping(box) {
  const by = h('select', {name: 'storage-by', 'aria-label': 'group storage by'},
    ['user', 'host', 'day'].map((x) => h('option', {value: x}, x)));
  by.addEventListener('change', () => drawStorage(box, by.value));
  return h('div', {class: 'inline-form'}, h('label', {}, 'By ', by));
}

const bytes = (n) => n >= 1048576 ? `${(n / 1048576).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB`
  : `${n} B`;

async function drawStorage(box, by) {
  const r = await getJson(`/api/v1/storage/stats?by=${encodeURIComponent(by)}`);
  const t = r.totals;
  const ret = r.retention;
  replace(box,
    h('p', {class: 'storage-totals', id: 'storage-totals'},
      `${t.sessions} sessions · ${bytes(t.stored_bytes)} stored · ${bytes(t.raw_bytes)} raw · compression ` +
      `${t.compression_ratio}× · pruned so far: ${ret.pruned_sessions} sessions (${bytes(ret.pruned_bytes)}) · ` +
      `${ret.active_holds} legal holds · retention ${ret.enabled ? `on (minimum ${ret.minimum_keep_days} days)`
        : 'off: nothing is pruned'}`),
    r.rows.length === 0 ? h('p', {class: 'muted'}, 'No stored sessions.')
      : table(`storage by ${r.by}`, [r.by, 'Sessions', 'Stored', 'Raw', 'Compression'], r.rows.map((x) =>
        h('tr', {}, h('td', {}, x.key), h('td', {}, String(x.sessions)), h('td', {}, bytes(x.stored_bytes)),
          h('td', {}, bytes(x.raw_bytes)), h('td', {}, `${x.compression_ratio}×`)))));
}

function holdForm(box) {
  const scope = h('select', {name: 'hold-scope'}, ['session', 'user', 'host'].map((x) => h('option', {value: x}, x)));
  const value = h('input', {type: 'text', name: 'hold-value', required: true, spellcheck: 'false'});
  const reason = h('input', {type: 'text', name: 'hold-reason', required: true, maxlength: 1000});
  const message = h('div', {'aria-live': 'polite'});
  const form = h('form', {class: 'inline-form', id: 'place-hold'},
    field('Hold a', scope), field('Session id, user or host', value), field('Reason (case, ticket)', reason),
    h('button', {type: 'submit'}, 'Place hold'), message);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.replaceChildren();
    try {
      await send('POST', '/api/v1/holds', {scope: scope.value, value: value.value.trim(), reason: reason.value});
      value.value = '';
      reason.value = '';
      await drawHolds(box);
    } catch (e) {
      message.append(notice(e.message));
    }
  });
  return form;
}

async function drawHolds(box) {
  const list = await getJson('/api/v1/holds');
  replace(box, list.length === 0 ? h('p', {class: 'muted'}, 'No legal hold is in force.')
    : table('legal holds in force', ['Holds', 'Reason', 'Placed', 'By', ''], list.map((x) => {
      const message = h('span', {role: 'status'});
      return h('tr', {dataset: {hold: x.id}},
        h('td', {}, `${x.scope} `, h('code', {}, x.value)), h('td', {}, x.reason), h('td', {}, time(x.created_at)),
        h('td', {}, x.created_by),
        h('td', {class: 'actions'}, h('button', {type: 'button', class: 'small', onclick: async () => {
          try {
            await send('DELETE', `/api/v1/holds/${encodeURIComponent(x.id)}`);
            await drawHolds(box);
          } catch (e) {
            replace(message, notice(e.message));
          }
        }}, 'Release'), message));
    })));
}
