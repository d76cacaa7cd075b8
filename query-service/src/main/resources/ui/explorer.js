// DT Lab twin explorer: plain JavaScript, no build step, no library. Reads the DT Lab API of the
// service that serves it: types, twins by path, a twin's state (live through its event stream),
// active alarms, and a chart of one property from the series endpoint.
'use strict';

const API = document.body.dataset.apiPrefix;
const TOKEN_KEY = 'dtlab-explorer-token';
const STEPS_S = [1, 5, 10, 30, 60, 300, 900, 1800, 3600, 10800, 21600, 43200, 86400];
const CHART = { width: 720, height: 260, pad: 48 };

let types = new Map();   // name -> type definition
let current = null;      // { path, type, stream, state: Map idx -> telemetry }

// ---- the API

function headers() {
  const token = localStorage.getItem(TOKEN_KEY);
  return token ? { Authorization: 'Bearer ' + token } : {};
}

async function get(path) {
  const response = await fetch(API + path, { headers: headers() });
  if (response.status === 401) {
    status('The API needs a bearer token: enter it above.');
    throw new Error('401');
  }
  if (!response.ok) {
    throw new Error(path + ': ' + response.status + ' ' + await response.text());
  }
  return response.json();
}

function status(text) {
  document.getElementById('status').textContent = text;
}

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attributes || {})) {
    if (k === 'class') node.className = v; else if (k.startsWith('on')) node.addEventListener(k.slice(2), v); else node.setAttribute(k, v);
  }
  for (const child of children) node.append(child);
  return node;
}

// ---- types and the twin tree

async function loadTypes() {
  const list = await get('/type');
  types = new Map(list.map(t => [t.name, t]));
  const box = document.getElementById('types');
  box.replaceChildren(...list.map(t => el('div', { class: 'type-card' },
    el('b', {}, t.name),
    el('div', {}, 'props: ' + ((t.props || []).join(', ') || '–')),
    el('div', {}, 'children: ' + ((t.children || []).join(', ') || '–')),
    el('div', {}, 'operators: ' + ((t.operators || []).map(o => o.name + ' (' + o.implementation + ')').join(', ') || '–')))));
  const children = new Set(list.flatMap(t => t.children || []));
  const roots = list.filter(t => !children.has(t.name));
  document.getElementById('tree').replaceChildren(...roots.map(t => typeNode([], t.name)));
  status('');
}

/** A type container under a twin path (segments): expands to its instances. */
function typeNode(parent, typeName) {
  const list = el('ul');
  const toggle = el('span', { class: 'toggle' }, '▸');
  const item = el('li', { 'data-container': [...parent, typeName].join('/') }, toggle, el('span', { class: 'type' }, typeName), list);
  let open = false;
  const flip = async () => {
    open = !open;
    toggle.textContent = open ? '▾' : '▸';
    if (!open) { list.replaceChildren(); return; }
    const ids = await get('/actor/' + [...parent, typeName].map(encodeURIComponent).join('/'));
    list.replaceChildren(...ids.map(id => twinNode([...parent, typeName, id], typeName)));
  };
  toggle.addEventListener('click', flip);
  item.children[1].addEventListener('click', flip);
  return item;
}

/** A twin: selecting shows it; expanding lists its child type containers. */
function twinNode(segments, typeName) {
  const type = types.get(typeName) || {};
  const list = el('ul');
  const hasChildren = (type.children || []).length > 0;
  const toggle = el('span', { class: 'toggle' }, hasChildren ? '▸' : '');
  const label = el('span', { class: 'twin', 'data-path': segments.join('/') }, segments[segments.length - 1]);
  label.addEventListener('click', () => select(segments, typeName, label));
  let open = false;
  toggle.addEventListener('click', () => {
    if (!hasChildren) return;
    open = !open;
    toggle.textContent = open ? '▾' : '▸';
    list.replaceChildren(...(open ? type.children.map(c => typeNode(segments, c)) : []));
  });
  return el('li', {}, toggle, label, list);
}

// ---- one twin

async function select(segments, typeName, label) {
  document.querySelectorAll('.twin.selected').forEach(n => n.classList.remove('selected'));
  label.classList.add('selected');
  if (current && current.stream) current.stream.abort();
  const path = segments.map(encodeURIComponent).join('/');
  current = { path, type: types.get(typeName) || {}, state: new Map(), stream: null };
  document.getElementById('twin').hidden = false;
  document.getElementById('hint').hidden = true;
  document.getElementById('twin-path').textContent = segments.join('/');
  const props = current.type.props || [];
  document.getElementById('chart-idx').replaceChildren(...props.map((p, i) => el('option', { value: String(i) }, p)));
  const state = await get('/actor/' + path);
  showState(state, false);
  await showAlarms();
  current.stream = stream('/actor/' + path + '/stream', onEvent);
  await drawChart();
}

function showState(telemetry, highlight) {
  for (const t of telemetry) {
    const before = current.state.get(t.idx);
    current.state.set(t.idx, { ...t, changed: highlight && (!before || before.value !== t.value) });
  }
  const props = current.type.props || [];
  const rows = [...current.state.values()].sort((a, b) => a.idx - b.idx).map(t => el('tr',
    { class: t.changed ? 'changed' : '', 'data-idx': String(t.idx) },
    el('td', {}, props[t.idx] !== undefined ? props[t.idx] : '#' + t.idx), el('td', {}, String(t.idx)),
    el('td', { class: 'value' }, String(t.value)), el('td', {}, t.datetime)));
  document.querySelector('#state tbody').replaceChildren(...rows);
}

async function showAlarms() {
  const alarms = await get('/alarm/' + current.path);
  document.getElementById('alarms').replaceChildren(...(alarms.length === 0 ? [el('li', {}, 'none')]
    : alarms.map(a => el('li', { class: 'alarm' }, a.name + ' — ' + a.severity + ' since ' + a.since))));
}

let chartRefresh = 0;

function onEvent(type, data) {
  const event = JSON.parse(data);
  if (type === 'StateChange') {
    showState(event.event, true);
    // A moving chart, but at most one series query every 5 s however fast the twin changes.
    const now = Date.now();
    if (now - chartRefresh > 5000) { chartRefresh = now; drawChart(); }
  } else if (type === 'AlarmRaised' || type === 'AlarmCleared' || type === 'Reset') {
    showAlarms();
    if (type === 'Reset') get('/actor/' + current.path).then(s => showState(s, false));
  }
}

// ---- Server-Sent Events through fetch, so that the bearer token can go in a header (EventSource
// sends none). Reconnects with Last-Event-ID, as EventSource would.

function stream(path, handler) {
  const control = new AbortController();
  const live = document.getElementById('live');
  let lastId = null;
  const connect = async () => {
    while (!control.signal.aborted) {
      try {
        const h = headers();
        if (lastId) h['Last-Event-ID'] = lastId;
        const response = await fetch(API + path, { headers: h, signal: control.signal });
        if (!response.ok) throw new Error('stream: ' + response.status);
        live.textContent = 'live';
        live.classList.add('on');
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const message = parse(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
            if (message.id) lastId = message.id;
            if (message.data) handler(message.event || 'message', message.data);
          }
        }
      } catch (e) {
        if (control.signal.aborted) return;
      }
      live.textContent = 'reconnecting';
      live.classList.remove('on');
      await new Promise(resolve => setTimeout(resolve, 1000));
    }
  };
  connect();
  return control;
}

function parse(block) {
  const message = {};
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') message.data = message.data === undefined ? value : message.data + '\n' + value;
    else if (field === 'id' || field === 'event') message[field] = value;
  }
  return message;
}

// ---- the chart: a hand-drawn SVG line of the series endpoint's buckets

async function drawChart() {
  if (!current || !(current.type.props || []).length) return;
  const idx = document.getElementById('chart-idx').value || '0';
  const range = Number(document.getElementById('chart-range').value);
  const agg = document.getElementById('chart-agg').value;
  const to = new Date(Date.now() + 1000);
  const from = new Date(to.getTime() - range);
  const wanted = range / 1000 / 300; // about 300 points across
  const step = STEPS_S.find(s => s >= wanted) || 86400;
  const series = await get('/actor/' + current.path + '/series?idx=' + idx + '&from=' + from.toISOString()
    + '&to=' + to.toISOString() + '&step=' + step + 's&agg=' + agg);
  render(series, from.getTime(), to.getTime());
}

function render(series, fromMs, toMs) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  const { width, height, pad } = CHART;
  svg.setAttribute('width', width);
  svg.setAttribute('height', height);
  svg.setAttribute('data-points', String(series.points.length));
  const add = (tag, attributes, text) => {
    const node = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    svg.append(node);
    return node;
  };
  add('line', { class: 'axis', x1: pad, y1: height - pad, x2: width - 10, y2: height - pad });
  add('line', { class: 'axis', x1: pad, y1: 10, x2: pad, y2: height - pad });
  add('text', { x: pad, y: height - pad + 16 }, new Date(fromMs).toISOString().slice(0, 19) + 'Z');
  add('text', { x: width - 10, y: height - pad + 16, 'text-anchor': 'end' }, new Date(toMs).toISOString().slice(0, 19) + 'Z');
  add('text', { x: pad, y: height - 8 }, series.name + ' · ' + series.agg + ' per ' + series.step);
  if (series.points.length > 0) {
    const values = series.points.map(p => p.value);
    let min = Math.min(...values);
    let max = Math.max(...values);
    if (min === max) { min -= 1; max += 1; }
    const x = t => pad + (t - fromMs) / (toMs - fromMs) * (width - 10 - pad);
    const y = v => 10 + (max - v) / (max - min) * (height - pad - 10);
    add('text', { x: pad - 4, y: 14, 'text-anchor': 'end' }, String(+max.toPrecision(4)));
    add('text', { x: pad - 4, y: height - pad, 'text-anchor': 'end' }, String(+min.toPrecision(4)));
    const coordinates = series.points.map(p => x(Date.parse(p.datetime)).toFixed(1) + ',' + y(p.value).toFixed(1));
    add('polyline', { class: 'line', points: coordinates.join(' ') });
    for (const c of coordinates) {
      const [cx, cy] = c.split(',');
      add('circle', { class: 'dot', cx, cy, r: 2 });
    }
  } else {
    add('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle' }, 'no values in this range');
  }
  document.getElementById('chart').replaceChildren(svg);
}

// ---- start

document.getElementById('auth').addEventListener('submit', e => {
  e.preventDefault();
  const token = document.getElementById('token').value.trim();
  if (token) localStorage.setItem(TOKEN_KEY, token); else localStorage.removeItem(TOKEN_KEY);
  loadTypes().catch(err => status(String(err.message)));
});
document.getElementById('chart-form').addEventListener('submit', e => { e.preventDefault(); drawChart(); });
loadTypes().catch(err => status(String(err.message)));
