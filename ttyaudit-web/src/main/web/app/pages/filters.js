// The user / host / time-range filter form shared by the session list, search and the alerts; its values live in
// the hash, so a filtered page can be bookmarked and the back button works.
import {h, field, isoToLocal, localToIso} from '../dom.js';

/** Filter values from the route's query. */
export function readFilters(params) {
  return {
    user: params.get('user') ?? '',
    host: params.get('host') ?? '',
    since: params.get('since') ?? '',
    until: params.get('until') ?? '',
  };
}

/**
 * The filter inputs. extra: fields placed first (the search box); more: fields placed after the time range, in
 * the part that folds away on a phone (moreSet: whether one of them is set, so the fold starts open); times:
 * the labels of the two time fields; summary: the fold's title. submit(values) gets the user, host and time
 * values (times as ISO-8601 UTC); the caller reads its own extra and more fields.
 */
export function filterForm({values, extra = [], more = [], moreSet = false, times = ['Started from',
  'Started before'], summary = 'Filters: user, host, time', submitLabel, submit, label}) {
  const user = h('input', {type: 'text', name: 'user', value: values.user, autocapitalize: 'none',
    spellcheck: 'false'});
  const host = h('input', {type: 'text', name: 'host', value: values.host, autocapitalize: 'none',
    spellcheck: 'false'});
  const since = h('input', {type: 'datetime-local', name: 'since', value: isoToLocal(values.since)});
  const until = h('input', {type: 'datetime-local', name: 'until', value: isoToLocal(values.until)});
  // On a phone the filters fold away (under a "Filters" toggle) unless one is set, so the list comes first.
  const open = Boolean(values.user || values.host || values.since || values.until || moreSet)
    || window.matchMedia('(min-width: 601px)').matches;
  const form = h('form', {class: 'filters', role: 'search', 'aria-label': label},
    extra,
    h('details', {class: 'more-filters', open},
      h('summary', {}, summary),
      h('div', {class: 'filter-fields'},
        field('User', user), field('Host', host), field(times[0], since), field(times[1], until), more)),
    h('div', {class: 'filter-buttons'}, h('button', {type: 'submit'}, submitLabel)));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit({
      user: user.value.trim(),
      host: host.value.trim(),
      since: localToIso(since.value) ?? '',
      until: localToIso(until.value) ?? '',
    });
  });
  return form;
}

/** A select of [value, text] choices with the current value chosen (an unknown current value is kept). */
export function choice(name, choices, current) {
  const known = choices.some(([v]) => v === current);
  return h('select', {name},
    choices.map(([v, text]) => h('option', {value: v, selected: v === current}, text)),
    known ? null : h('option', {value: current, selected: true}, current));
}

/** The hash for a route with these query values (empty ones left out). */
export function routeWith(path, values) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) {
    if (v) {
      q.set(k, v);
    }
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** "Next page" (the API's cursor) and "First page" links under a list. */
export function pager(path, values, nextCursor, hasCursor) {
  return h('nav', {class: 'pager', 'aria-label': 'pages'},
    hasCursor ? h('a', {href: routeWith(path, {...values, cursor: ''})}, '« First page') : null,
    nextCursor ? h('a', {href: routeWith(path, {...values, cursor: nextCursor}), rel: 'next'}, 'Next page »')
      : h('span', {class: 'muted'}, 'End of the list'));
}
