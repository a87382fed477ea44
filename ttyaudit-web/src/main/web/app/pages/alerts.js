// The alerts the rules raised (docs/ALERTS.md), newest first, filtered by severity, rule, user, host and time,
// paged with the API's cursors. A row opens its session a little before the alert's moment. Role user sees the
// alerts of its own sessions (the server decides).
import {getJson, query} from '../api.js';
import {h, replace, table, time, notice, rowLink, field, severityBadge} from '../dom.js';
import {filterForm, readFilters, routeWith, pager, choice} from './filters.js';

/** "At least this severity" as the API's comma-separated list. */
const SEVERITY_CHOICES = [
  ['', 'any'],
  ['low,medium,high,critical', 'low or worse'],
  ['medium,high,critical', 'medium or worse'],
  ['high,critical', 'high or critical'],
  ['critical', 'critical'],
];

/** Seconds of the session shown before an alert's moment, so the lead-up is on screen. */
export const LEAD_IN_SECONDS = 2;

export async function render(ctx) {
  const values = {...readFilters(ctx.params), severity: ctx.params.get('severity') ?? '',
    rule: ctx.params.get('rule') ?? ''};
  const cursor = ctx.params.get('cursor') ?? '';
  const page = await getJson(`/api/v1/alerts${query({...values, cursor})}`);

  const severity = choice('severity', SEVERITY_CHOICES, values.severity);
  const rule = h('input', {type: 'text', name: 'rule', value: values.rule, list: 'rule-names',
    autocapitalize: 'none', spellcheck: 'false', placeholder: 'e.g. sudo-use'});
  const ruleNames = h('datalist', {id: 'rule-names'});
  const form = filterForm({
    values, label: 'filter alerts', submitLabel: 'Filter', times: ['From', 'Before'],
    summary: 'Filters: user, host, time, severity, rule',
    more: [field('Severity', severity), field('Rule', rule), ruleNames],
    moreSet: Boolean(values.severity || values.rule),
    submit: (v) => ctx.navigate(routeWith('#/alerts',
      {severity: severity.value, rule: rule.value.trim(), ...v})),
  });
  if (ctx.me.role !== 'user') {
    // The rule names as suggestions; the list is the admins' and auditors' to read, and only a convenience.
    getJson('/api/v1/rules').then((r) => replace(ruleNames, r.rules.map((x) => h('option', {value: x.name}))),
      () => {});
  }

  const rows = page.items.map((a) => alertRow(ctx, a));
  replace(ctx.view,
    h('section', {},
      h('h1', {tabindex: '-1'}, 'Alerts'),
      h('p', {class: 'muted'}, ctx.me.role === 'user' ? 'Rules that fired in your own sessions.'
        : 'Rules that fired in recorded sessions, newest first. A row opens the session at that moment.'),
      form,
      rows.length === 0 ? notice('No alerts match.', 'info')
        : table('alerts, newest first',
          ['When', 'Severity', 'Rule', 'Description', 'User', 'Host', 'Matched', 'Actions'], rows),
      pager('#/alerts', values, page.next_cursor, cursor !== '')));
}

/** The session's route at an alert's moment, a little before it. */
export function alertHref(a) {
  const seconds = Math.max(0, a.offset_us / 1e6 - LEAD_IN_SECONDS);
  return `#/sessions/${encodeURIComponent(a.session_id)}?t=${seconds.toFixed(3)}`;
}

function alertRow(ctx, a) {
  const href = alertHref(a);
  return rowLink({
    class: `alert-row severity-row-${a.severity}`,
    dataset: {alertId: a.id, sessionId: a.session_id, rule: a.rule},
    'aria-label': `${a.severity} alert ${a.rule} for ${a.user} on ${a.host} at ${new Date(a.at).toLocaleString()};`
      + ' opens the session at that moment',
  }, () => ctx.navigate(href),
  h('td', {}, time(a.at)),
  h('td', {}, severityBadge(a.severity)),
  h('td', {}, h('a', {href, tabindex: '-1', class: 'rule-name'}, a.rule)),
  h('td', {}, a.description),
  h('td', {}, a.user ?? '—'),
  h('td', {}, a.host ?? '—'),
  h('td', {class: 'matched'}, h('code', {}, a.matched)),
  h('td', {}, (a.actions ?? []).join(', ')));
}
