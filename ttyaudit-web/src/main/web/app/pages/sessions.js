// The session list: newest first, filtered by user, host, start time and whether the session raised alerts,
// paged with the API's cursors.
import {getJson, query} from '../api.js';
import {h, replace, table, time, duration, notice, rowLink, field} from '../dom.js';
import {filterForm, readFilters, routeWith, pager, choice} from './filters.js';

export async function render(ctx) {
  const values = {...readFilters(ctx.params), has_alerts: ctx.params.get('has_alerts') ?? ''};
  const cursor = ctx.params.get('cursor') ?? '';
  const page = await getJson(`/api/v1/sessions${query({...values, cursor})}`);
  const hasAlerts = choice('has_alerts',
    [['', 'any'], ['true', 'with alerts'], ['false', 'without alerts']], values.has_alerts);
  const form = filterForm({
    values, label: 'filter sessions', submitLabel: 'Filter',
    more: [field('Alerts', hasAlerts)], moreSet: values.has_alerts !== '',
    summary: 'Filters: user, host, time, alerts',
    submit: (v) => ctx.navigate(routeWith('#/sessions', {...v, has_alerts: hasAlerts.value})),
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
          ['User', 'Host', 'Client', 'Started', 'Duration', 'Exit', 'Commands', 'Alerts', 'State'], rows),
      pager('#/sessions', values, page.next_cursor, cursor !== '')));
}

/** A row that opens the session: click it, or focus it (Tab) and press Enter or Space. */
export function sessionRow(ctx, s) {
  const href = `#/sessions/${encodeURIComponent(s.id)}`;
  // a pruned session still lists (its metadata stays); its content is gone, which the state says
  const state = s.pruned ? h('span', {class: 'pruned-badge', title: `content pruned by retention policy ${
    s.pruned.policy}`}, 'pruned ', time(s.pruned.at))
    : s.state === 'live'
      ? h('a', {href: `#/live/${encodeURIComponent(s.id)}`, class: 'live-badge'}, '● live — watch')
      : s.state === 'ended' && s.end_reason ? `ended (${s.end_reason})` : s.state;
  const alerts = s.alerts ?? 0;
  return rowLink({
    dataset: {sessionId: s.id, alerts},
    'aria-label': `session of ${s.user} on ${s.host}, started ${new Date(s.started_at).toLocaleString()}`
      + (alerts > 0 ? `, ${alerts} alert${alerts === 1 ? '' : 's'}` : ''),
  }, () => ctx.navigate(href),
  h('td', {}, h('a', {href, tabindex: '-1'}, s.user)),
  h('td', {}, s.host, gatewayBadge(s)),
  h('td', {}, s.client_address ?? '—'),
  h('td', {}, time(s.started_at)),
  h('td', {}, duration(s)),
  h('td', {}, s.exit_status ?? '—'),
  h('td', {class: 'num'}, s.commands),
  h('td', {class: 'num alerts-count'}, alerts > 0 ? h('strong', {class: 'has-alerts'}, `⚠ ${alerts}`) : '0'),
  h('td', {}, state));
}

/**
 * For a session the SSH gateway relayed: a badge naming the account it reached on the host (its tag target_user)
 * and the channel (shell, exec, sftp…); nothing for a recorder's session.
 */
export function gatewayBadge(s) {
  if (s.kind !== 'gateway') {
    return null;
  }
  const tags = s.tags ?? {};
  const target = tags.target_user ? `${tags.target_user}@${s.host}` : s.host;
  const channel = tags.channel ? ` · ${tags.channel}` : '';
  return h('span', {class: 'gateway-badge', title: `relayed by the SSH gateway ${tags.gateway ?? ''} to ${target}`
    + (tags.target_address ? ` (${tags.target_address})` : '')}, `via gateway → ${target}${channel}`);
}
