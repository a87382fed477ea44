// Full-text search over command lines and output. Each hit opens its session at the moment of the hit (?t=).
import {getJson, query} from '../api.js';
import {h, replace, field, highlighted, time, clock, notice} from '../dom.js';
import {filterForm, readFilters, routeWith, pager} from './filters.js';

export async function render(ctx) {
  const values = {q: ctx.params.get('q') ?? '', ...readFilters(ctx.params)};
  const cursor = ctx.params.get('cursor') ?? '';
  const q = h('input', {type: 'search', name: 'q', value: values.q, required: true, autocapitalize: 'none',
    spellcheck: 'false', placeholder: 'words, "a phrase", prefix*, *substring*', 'aria-describedby': 'search-help'});
  // the query language of SessionQueries#search, in one line
  const help = h('p', {id: 'search-help', class: 'muted small'},
    'Words are ANDed; case and accents do not matter. "a phrase" finds its words in order; prefix* finds words ',
    'that start so. *text* finds text anywhere in command lines (not in output), in any case, punctuation ',
    'included: at least 3 characters, e.g. *etc/shad* or *-rf*.');
  const form = filterForm({
    values, label: 'search commands and output', submitLabel: 'Search',
    extra: [field('Search for', q), help],
    submit: (v) => ctx.navigate(routeWith('#/search', {q: q.value.trim(), ...v})),
  });
  const section = h('section', {}, h('h1', {tabindex: '-1'}, 'Search'), form);
  replace(ctx.view, section);
  if (!values.q) {
    q.focus();
    return;
  }
  const page = await getJson(`/api/v1/search${query({...values, cursor})}`);
  section.append(
    page.items.length === 0 ? notice(`Nothing found for ${values.q}.`, 'info')
      : h('ol', {class: 'hits', 'aria-label': 'search results, most recent first'}, page.items.map(hit)),
    pager('#/search', values, page.next_cursor, cursor !== ''));
}

function hit(x) {
  const seconds = x.offset_us / 1e6;
  const href = `#/sessions/${encodeURIComponent(x.session_id)}?t=${seconds.toFixed(3)}`;
  return h('li', {class: 'hit'},
    h('a', {href, class: 'hit-link'},
      h('span', {class: 'hit-meta'},
        h('span', {class: `kind kind-${x.kind}`}, x.kind), ' ',
        h('span', {}, `${x.user}@${x.host}`), ' · ', time(x.at), ' · ', h('span', {}, `at ${clock(seconds)}`)),
      h('code', {class: 'snippet'}, highlighted(x.snippet))));
}
