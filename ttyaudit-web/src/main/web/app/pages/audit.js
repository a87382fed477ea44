// The audit log (admins and auditors): who logged in, viewed, searched, exported or changed what, newest first.
import {getJson, query} from '../api.js';
import {h, replace, field, table, time, notice, localToIso, isoToLocal} from '../dom.js';
import {routeWith, pager} from './filters.js';

const FIELDS = ['actor', 'action', 'session', 'since', 'until'];

export async function render(ctx) {
  const values = Object.fromEntries(FIELDS.map((k) => [k, ctx.params.get(k) ?? '']));
  const cursor = ctx.params.get('cursor') ?? '';
  const page = await getJson(`/api/v1/audit${query({...values, cursor})}`);

  const input = (name, extra = {}) => h('input', {type: 'text', name, value: values[name], autocapitalize: 'none',
    spellcheck: 'false', ...extra});
  const actor = input('actor');
  const action = input('action', {list: 'audit-actions', placeholder: 'e.g. session.view'});
  const sessionId = input('session', {placeholder: 'session id'});
  const since = h('input', {type: 'datetime-local', name: 'since', value: isoToLocal(values.since)});
  const until = h('input', {type: 'datetime-local', name: 'until', value: isoToLocal(values.until)});
  const form = h('form', {class: 'filters', role: 'search', 'aria-label': 'filter the audit log'},
    field('Who', actor), field('Action', action), field('Session', sessionId),
    field('From', since), field('Before', until),
    h('datalist', {id: 'audit-actions'}, ['login', 'login.failed', 'logout', 'search', 'session.view',
      'session.export', 'session.download', 'session.live', 'session.terminate', 'user.create',
      'password.change'].map((a) => h('option', {value: a}))),
    h('div', {class: 'filter-buttons'}, h('button', {type: 'submit'}, 'Filter')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    ctx.navigate(routeWith('#/audit', {
      actor: actor.value.trim(), action: action.value.trim(), session: sessionId.value.trim(),
      since: localToIso(since.value) ?? '', until: localToIso(until.value) ?? '',
    }));
  });

  const rows = page.items.map((a) => h('tr', {class: 'audit-row'},
    h('td', {}, time(a.at)),
    h('td', {}, a.actor),
    h('td', {}, h('code', {}, a.action)),
    h('td', {}, a.session_id ? h('a', {href: `#/sessions/${encodeURIComponent(a.session_id)}`},
      a.session_id.slice(0, 13) + '…') : '—'),
    h('td', {class: 'detail'}, detail(a.detail)),
    h('td', {class: 'num'}, a.ledger_index)));
  replace(ctx.view,
    h('section', {},
      h('h1', {tabindex: '-1'}, 'Audit log'),
      h('p', {class: 'muted'}, 'Every login, search, viewing, export and change, as the server recorded it; each ' +
        'entry is a leaf of the signed ledger.'),
      form,
      rows.length === 0 ? notice('No audit events match.', 'info')
        : table('audit events, newest first', ['When', 'Who', 'Action', 'Session', 'Detail', 'Ledger'], rows),
      pager('#/audit', values, page.next_cursor, cursor !== '')));
}

function detail(d) {
  if (!d || typeof d !== 'object') {
    return '';
  }
  return Object.entries(d).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : v}`).join(' ');
}
