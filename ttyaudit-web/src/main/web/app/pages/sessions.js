// The session list: newest first, filtered by user, host and start time, paged with the API's cursors.
import {getJson, query} from '../api.js';
import {h, replace, table, time, duration, notice} from '../dom.js';
import {filterForm, readFilters, routeWith, pager} from './filters.js';

export async function render(ctx) {
  const values = readFilters(ctx.params);
  const cursor = ctx.params.get('cursor') ?? '';
  const page = await getJson(`/api/v1/sessions${query({...values, cursor})}`);
  const form = filterForm({
    values, label: 'filter sessions', submitLabel: 'Filter',
    submit: (v) => ctx.navigate(routeWith('#/sessions', v)),
  });
  const rows = page.items.map((s) => sessionRow(ctx, s));
  replace(ctx.view,
    h('section', {},
      h('h1', {tabindex: '-1'}, 'Sessions'),
      ctx.me.role === 'user' ? h('p', {class: 'muted'}, 'Your own sessions (recorded under your login name).')
        : null,
      form,
      rows.length === 0 ? notice('No sessions match.', 'info')
        : table('sessions, newest first',
          ['User', 'Host', 'Client', 'Started', 'Duration', 'Exit', 'Commands', 'State'], rows),
      pager('#/sessions', values, page.next_cursor, cursor !== '')));
}

/** A row that opens the session: click it, or focus it (Tab) and press Enter or Space. */
export function sessionRow(ctx, s) {
  const href = `#/sessions/${encodeURIComponent(s.id)}`;
  const open = () => ctx.navigate(href);
  const state = s.state === 'live'
    ? h('a', {href: `#/live/${encodeURIComponent(s.id)}`, class: 'live-badge'}, '● live — watch')
    : s.state === 'ended' && s.end_reason ? `ended (${s.end_reason})` : s.state;
  return h('tr', {
    class: 'row-link', tabindex: '0', dataset: {sessionId: s.id},
    'aria-label': `session of ${s.user} on ${s.host}, started ${new Date(s.started_at).toLocaleString()}`,
    onclick: (event) => {
      if (!event.target.closest('a')) {
        open();
      }
    },
    onkeydown: (event) => {
      if ((event.key === 'Enter' || event.key === ' ') && event.target === event.currentTarget) {
        event.preventDefault();
        open();
      }
    },
  },
  h('td', {}, h('a', {href, tabindex: '-1'}, s.user)),
  h('td', {}, s.host),
  h('td', {}, s.client_address ?? '—'),
  h('td', {}, time(s.started_at)),
  h('td', {}, duration(s)),
  h('td', {}, s.exit_status ?? '—'),
  h('td', {class: 'num'}, s.commands),
  h('td', {}, state));
}
