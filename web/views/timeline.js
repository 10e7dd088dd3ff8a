// A person's recent recognition events (GET /api/v1/events?person=ID): when, where (the
// request's source) and how close. The server records them only with --record-events.
import { fill, h } from '../dom.js';

export const TIMELINE_LENGTH = 20;

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function timeline({ events, recording }, personId) {
  const section = h('section', { 'aria-labelledby': 'timeline-heading', dataset: { testid: 'timeline' } });
  const heading = h('h2', { id: 'timeline-heading' }, 'Recently recognised');
  if (events.length === 0) {
    return fill(section, heading, h('p', { class: 'empty' }, recording
      ? 'No recognition recorded yet.'
      : 'Recognition events are not recorded (start the server with --record-events).'));
  }
  const rows = events.map((event) => h('tr', { dataset: { testid: 'timeline-event' } },
    h('td', {}, h('time', { datetime: event.at }, timeFormat.format(new Date(event.at_ms)))),
    h('td', {}, event.source || '—'),
    h('td', { class: 'number' }, event.distance === null ? '—' : event.distance.toFixed(3))));
  return fill(section, heading,
    h('div', { class: 'table-wrap' },
      h('table', { class: 'timeline' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'When'), h('th', { scope: 'col' }, 'Source'),
          h('th', { scope: 'col', class: 'number' }, 'Distance'))),
        h('tbody', {}, rows))),
    events.length === TIMELINE_LENGTH
      ? h('p', { class: 'hint' }, `The latest ${TIMELINE_LENGTH}: facetag events --person ${personId} lists them all.`)
      : null);
}
