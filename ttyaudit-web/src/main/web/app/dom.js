// Building the page with DOM APIs only. Recorded strings (commands, output, host names) are attacker-controlled:
// they go into text nodes, never into innerHTML, so a recorded "<script>" stays text.

/**
 * Makes an element: h('a', {href: '#/x', class: 'y'}, 'text', child, [more, children]).
 * Attributes named on* take a function (an event listener); a null or false attribute is left out.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else if (name === 'dataset') {
      Object.assign(el.dataset, value);
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) {
      continue;
    }
    if (Array.isArray(c)) {
      append(el, c);
    } else if (c instanceof Node) {
      el.appendChild(c);
    } else {
      el.appendChild(document.createTextNode(String(c)));
    }
  }
}

/** Replaces the children of el. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/**
 * A search snippet as nodes: the server marks each match between [[ and ]]; the matches become <mark> elements
 * and everything else text.
 */
export function highlighted(snippet) {
  const nodes = [];
  let rest = snippet ?? '';
  while (rest.length > 0) {
    const open = rest.indexOf('[[');
    const close = open < 0 ? -1 : rest.indexOf(']]', open + 2);
    if (open < 0 || close < 0) {
      nodes.push(document.createTextNode(rest));
      break;
    }
    if (open > 0) {
      nodes.push(document.createTextNode(rest.slice(0, open)));
    }
    nodes.push(h('mark', {}, rest.slice(open + 2, close)));
    rest = rest.slice(close + 2);
  }
  return nodes;
}

/** An ISO-8601 time as the browser's local date and time, with the ISO text as its tooltip. */
export function time(iso) {
  if (!iso) {
    return h('span', {class: 'muted'}, '—');
  }
  const d = new Date(iso);
  return h('time', {datetime: iso, title: iso}, d.toLocaleString());
}

/** Seconds as h:mm:ss or m:ss. */
export function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

/** A session's duration (the server's duration_ms: until the end, or so far while live). */
export function duration(session) {
  if (typeof session.duration_ms === 'number') {
    return clock(session.duration_ms / 1000);
  }
  const end = session.ended_at ?? session.last_activity;
  if (!session.started_at || !end) {
    return '—';
  }
  return clock((Date.parse(end) - Date.parse(session.started_at)) / 1000);
}

/** A labelled form field: <label>text <input ...></label>. */
export function field(label, input) {
  return h('label', {class: 'field'}, h('span', {}, label), input);
}

/**
 * A table. On a phone each row becomes a card whose cells are labelled with their column's name (data-label,
 * shown by app.css), so the page never scrolls sideways; wider screens get the plain table.
 */
export function table(caption, headers, rows) {
  const body = h('tbody', {}, rows);
  for (const tr of body.rows) {
    Array.from(tr.cells).forEach((td, i) => {
      if (headers[i]) {
        td.dataset.label = headers[i];
      }
    });
  }
  return h('div', {class: 'table-wrap'},
    h('table', {},
      caption ? h('caption', {class: 'visually-hidden'}, caption) : null,
      h('thead', {}, h('tr', {}, headers.map((x) => h('th', {scope: 'col'}, x)))),
      body));
}

/** An error or notice line that screen readers announce. */
export function notice(text, kind = 'error') {
  return h('p', {class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status'}, text);
}

/** datetime-local value (the browser's local time) to ISO-8601 UTC, or null when empty. */
export function localToIso(value) {
  if (!value) {
    return null;
  }
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** ISO-8601 UTC to a datetime-local value. */
export function isoToLocal(iso) {
  if (!iso) {
    return '';
  }
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) {
    return '';
  }
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * A table row that opens something: click it (except on a link inside), or focus it (Tab) and press Enter or
 * Space. attrs: more attributes of the row (its aria-label saying what it opens, data-*).
 */
export function rowLink(attrs, open, ...cells) {
  return h('tr', {
    ...attrs,
    class: `row-link ${attrs.class ?? ''}`.trim(), tabindex: '0',
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
  }, cells);
}

/** Marks of the alert severities: a shape and the word, so colour is never the only signal. */
const SEVERITY_MARKS = {info: 'ℹ', low: '▽', medium: '◆', high: '▲', critical: '‼'};

/** An alert's severity as a badge: shape, word and colour (app.css .severity-…). */
export function severityBadge(severity) {
  const known = Object.hasOwn(SEVERITY_MARKS, severity) ? severity : 'info';
  return h('span', {class: `severity severity-${known}`, title: `severity ${severity}`},
    h('span', {'aria-hidden': 'true'}, SEVERITY_MARKS[known]), ` ${severity}`);
}
