// Conveyor dashboard: a single page over the public JSON API, with no build step and no third-party code.
// Every value from the API is put on the page as text (never as HTML), because payloads and errors are client input.
'use strict';

const STATUSES = ['scheduled', 'queued', 'running', 'retrying', 'succeeded', 'failed', 'cancelled'];
const WAITING = ['scheduled', 'queued', 'running', 'retrying'];
const FINAL = ['succeeded', 'failed', 'cancelled'];
const KEY_STORAGE = 'conveyor.key';
const REFRESH_MS = 5000;
const PAGE_SIZE = 25;
const FOLD_BYTES = 2048;
const JOB_ID = /^[a-z0-9][a-z0-9_-]{0,63}\.[0-9A-HJKMNP-TV-Z]{26}$/;

const session = { key: sessionStorage.getItem(KEY_STORAGE), me: null };
const main = document.getElementById('main');
let current = null; // the view on screen: { abort: AbortController }
const prefetched = { stats: null };

// ---------------------------------------------------------------------------------------------------------------
// DOM helpers

/** An element with attributes (on* not allowed) and children; strings become text nodes. */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function svg(tag, attrs, ...children) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, String(value));
  return append(node, children);
}

function show(...children) {
  main.replaceChildren(...children.flat(Infinity).filter(Boolean));
}

function loading(what) {
  show(el('p', { class: 'state loading', 'aria-busy': 'true' }, `Loading ${what}…`));
}

function toast(message) {
  const box = document.getElementById('toast');
  box.textContent = message;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { box.textContent = ''; }, 4000);
}

function badge(status, large) {
  return el('span', { class: `badge ${status}${large ? ' large' : ''}`, 'data-status': status }, status);
}

const numberFormat = new Intl.NumberFormat();
function num(n) {
  return numberFormat.format(n || 0);
}

function time(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:`
    + `${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

function timeEl(iso) {
  return iso ? el('time', { datetime: iso, title: iso }, time(iso)) : '—';
}

function duration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(ms < 10000 ? 2 : 1)} s`;
  if (ms < 3600000) return `${Math.floor(ms / 60000)} min ${Math.round((ms % 60000) / 1000)} s`;
  return `${Math.floor(ms / 3600000)} h ${Math.round((ms % 3600000) / 60000)} min`;
}

function ago(iso) {
  if (!iso) return '—';
  const ms = Date.now() - new Date(iso).getTime();
  return ms < 1500 ? 'just now' : `${duration(Math.max(0, ms)).replace(/\.\d+/, '')} ago`;
}

function between(from, to) {
  return from && to ? duration(new Date(to) - new Date(from)) : '—';
}

function jobLink(id) {
  return el('a', { href: `#/jobs/${encodeURIComponent(id)}`, class: 'mono' }, id);
}

function queueLink(name) {
  return el('a', { href: `#/queues/${encodeURIComponent(name)}` }, name);
}

function problemBox(error, retry) {
  const problem = error.problem || {};
  const lines = (problem.errors || []).map(e => el('li', {}, `${e.field}: ${e.message}`));
  return el('div', { class: 'problem', role: 'alert' },
    el('strong', {}, problem.title || 'Something went wrong'),
    problem.detail ? el('p', {}, problem.detail) : null,
    lines.length ? el('ul', {}, lines) : null,
    error.status ? el('p', { class: 'subtle' }, `HTTP ${error.status}${problem.type ? ` · ${problem.type}` : ''}`) : null,
    retry ? el('button', { type: 'button', 'data-action': 'retry-load' }, 'Try again') : null);
}

function withRetry(box, retry) {
  const button = box.querySelector('[data-action="retry-load"]');
  if (button) button.addEventListener('click', retry);
  return box;
}

// ---------------------------------------------------------------------------------------------------------------
// The API

class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

function headers(extra) {
  const all = Object.assign({ Accept: 'application/json' }, extra);
  if (session.key) all.Authorization = `Bearer ${session.key}`;
  return all;
}

async function api(path, { method = 'GET', signal, body } = {}) {
  let response;
  try {
    const init = { method, headers: headers(body === undefined ? {} : { 'Content-Type': 'application/json' }), signal, cache: 'no-store' };
    if (body !== undefined) init.body = JSON.stringify(body);
    response = await fetch(path, init);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, { title: 'The API cannot be reached', detail: 'Check the connection and try again.' });
  }
  const text = await response.text();
  let answer = null;
  try { answer = text ? JSON.parse(text) : null; } catch (e) { answer = null; }
  if (!response.ok) {
    // a key that worked before and no longer does (removed, or the tab's session ended): ask again
    if (response.status === 401 && session.me && !signal?.aborted) signedOut('The API refused the key (401). Enter it again.');
    throw new ApiError(response.status, answer || { title: response.statusText });
  }
  return answer;
}

/**
 * Follows a server-sent event stream with the key in a header (EventSource cannot send one). Calls onEvent with
 * {type, data} for each event; resolves when the server ends the stream; reconnects after a broken connection,
 * resuming with Last-Event-ID, until the view's signal aborts.
 */
async function follow(path, onEvent, signal) {
  let lastId = null;
  while (!signal.aborted) {
    try {
      const extra = { Accept: 'text/event-stream' };
      if (lastId) extra['Last-Event-ID'] = lastId;
      const response = await fetch(path, { headers: headers(extra), signal, cache: 'no-store' });
      if (response.status === 401) {
        if (session.me) signedOut('The API refused the key (401). Enter it again.');
        return;
      }
      if (!response.ok) throw new ApiError(response.status, null);
      lastId = await readEvents(response.body.getReader(), onEvent, lastId);
      return;
    } catch (e) {
      if (signal.aborted) return;
      await new Promise(resolve => setTimeout(resolve, 2000));
    }
  }
}

async function readEvents(reader, onEvent, lastId) {
  const decoder = new TextDecoder();
  let buffer = '';
  let event = { type: 'message', data: [] };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return lastId;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n')) >= 0) {
      let line = buffer.slice(0, end);
      buffer = buffer.slice(end + 1);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (line === '') {
        if (event.data.length) onEvent({ type: event.type, data: event.data.join('\n') });
        event = { type: 'message', data: [] };
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event.type = value;
        else if (field === 'data') event.data.push(value);
        else if (field === 'id') lastId = value;
      }
    }
  }
}

/** Runs task now and every REFRESH_MS while the view lives and the tab is visible. */
function every(signal, task) {
  const timer = setInterval(() => {
    if (!document.hidden) task();
  }, REFRESH_MS);
  signal.addEventListener('abort', () => clearInterval(timer));
}

/** A function that runs task at most once per wait, trailing. */
function debounce(task, wait) {
  let timer = null;
  return () => {
    if (timer === null) timer = setTimeout(() => { timer = null; task(); }, wait);
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Who is calling

function canManage(queue) {
  const me = session.me;
  if (!me || !me.roles.includes('manage')) return false;
  return me.roles.includes('admin') || me.queues.includes('*') || me.queues.includes(queue);
}

async function identify() {
  session.me = await api('/me');
  renderWho();
}

function renderWho() {
  const who = document.getElementById('who');
  const me = session.me;
  if (!me) {
    who.replaceChildren();
    return;
  }
  if (!me.accessControl) {
    who.replaceChildren(el('span', { 'data-who': 'open' }, 'Access control is off: everyone may do everything'));
    return;
  }
  const signOut = el('button', { type: 'button', 'data-action': 'sign-out' }, 'Sign out');
  signOut.addEventListener('click', () => signedOut('Signed out.'));
  who.replaceChildren(el('span', { 'data-who': me.name }, el('strong', {}, me.name), ` · ${me.roles.join(', ')}`),
    signOut);
}

function signedOut(message) {
  sessionStorage.removeItem(KEY_STORAGE);
  session.key = null;
  session.me = null;
  renderWho();
  renderLogin(message);
}

function renderLogin(message) {
  leave();
  const input = el('input', { id: 'api-key', name: 'key', type: 'password', required: true, autocomplete: 'off',
    spellcheck: 'false' });
  const error = el('div', { 'aria-live': 'assertive' });
  const form = el('form', {},
    el('label', { for: 'api-key' }, 'API key'), input,
    el('button', { type: 'submit', class: 'primary' }, 'Sign in'));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    session.key = input.value.trim();
    try {
      await identify();
      sessionStorage.setItem(KEY_STORAGE, session.key);
      route();
    } catch (e) {
      session.key = null;
      session.me = null;
      error.replaceChildren(problemBox(e.status === 401
        ? new ApiError(401, { title: 'This key was refused', detail: 'Check the key and try again.' }) : e));
      input.select();
    }
  });
  show(el('section', { class: 'login', 'aria-labelledby': 'login-title' },
    el('h1', { id: 'login-title' }, 'Sign in to Conveyor'),
    el('p', { class: 'subtle' }, 'Use an API key with the read role to look, manage to act. The key stays in this '
      + 'browser tab only and is sent to this API alone.'),
    message ? el('p', { 'data-login-message': '' }, message) : null,
    form, error));
  input.focus();
}

// ---------------------------------------------------------------------------------------------------------------
// Routing: #/  #/queues/{name}?status=&type=  #/jobs/{id}  #/workers

function leave() {
  if (current) current.abort.abort();
  current = null;
}

function enter() {
  leave();
  current = { abort: new AbortController() };
  return current.abort.signal;
}

function parseRoute() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, query] = hash.split('?');
  const params = new URLSearchParams(query || '');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { parts, params };
}

async function route() {
  if (!session.me) {
    // the overview's data is asked for together with the caller's grants: one round trip less before it shows
    if (!location.hash.replace(/^#\/?/, '')) prefetched.stats = api('/stats?minutes=60').catch(error => ({ error }));
    try {
      await identify();
    } catch (e) {
      if (e.status === 401) return renderLogin(null);
      return show(withRetry(problemBox(e, true), route));
    }
  }
  const { parts, params } = parseRoute();
  const section = ['workers', 'schedules'].includes(parts[0]) ? parts[0] : parts.length === 0 ? 'overview' : null;
  document.querySelectorAll('[data-nav]').forEach(link => {
    if (link.dataset.nav === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  });
  const signal = enter();
  if (parts.length === 0) return overview(signal);
  if (parts[0] === 'queues' && parts[1]) return queuePage(signal, parts[1], params);
  if (parts[0] === 'jobs' && parts[1]) return jobPage(signal, parts[1]);
  if (parts[0] === 'workers') return workersPage(signal);
  if (parts[0] === 'schedules') return schedulesPage(signal);
  show(el('h1', {}, 'Not found'), el('p', {}, 'This page does not exist. ', el('a', { href: '#/' }, 'Back to the overview')));
}

function setTitle(text) {
  document.title = text ? `${text} · Conveyor` : 'Conveyor';
}

// ---------------------------------------------------------------------------------------------------------------
// Overview: totals, throughput of the last hour, every queue, recent failures

async function overview(signal) {
  setTitle(null);
  loading('the overview');
  let firstRender = true;
  const load = async () => {
    try {
      const stats = await overviewData(signal);
      if (signal.aborted) return;
      show(renderOverview(stats));
      if (firstRender) {
        firstRender = false;
        window.conveyorOverviewRenderedMs = performance.now();
      }
    } catch (e) {
      if (!signal.aborted && e.status !== 401) show(el('h1', {}, 'Overview'), withRetry(problemBox(e, true), load));
    }
  };
  await load();
  every(signal, load);
}

/** The overview's data: what route() asked for while it checked the key, once, then a new call each time. */
async function overviewData(signal) {
  const early = prefetched.stats;
  prefetched.stats = null;
  const answer = early ? await early : null;
  if (answer && !answer.error) return answer;
  return api('/stats?minutes=60', { signal });
}

function renderOverview(stats) {
  const queues = Object.values(stats.queues).sort((a, b) => a.name.localeCompare(b.name));
  const totals = Object.fromEntries(STATUSES.map(s => [s, queues.reduce((sum, q) => sum + (q.counts[s] || 0), 0)]));
  const minutes = [...stats.throughput].reverse();
  const doneHour = minutes.reduce((sum, m) => sum + m.succeeded, 0);
  const failedHour = minutes.reduce((sum, m) => sum + m.failed, 0);
  const card = (label, value, cls) => el('div', { class: `total ${cls || ''}`, 'data-total': label },
    el('div', { class: 'label' }, label), el('div', { class: 'value' }, num(value)));
  return [
    el('div', { class: 'title-row' }, el('h1', {}, 'Overview'),
      el('span', { class: 'subtle' }, `${queues.length} ${queues.length === 1 ? 'queue' : 'queues'} · updated ${time(new Date().toISOString()).slice(11, 19)}`)),
    el('section', { class: 'totals', 'aria-label': 'Totals' },
      card('queued', totals.queued), card('running', totals.running), card('scheduled', totals.scheduled),
      card('retrying', totals.retrying), card('failed', totals.failed, totals.failed ? 'failed' : ''),
      card('succeeded last hour', doneHour), card('failed last hour', failedHour, failedHour ? 'failed' : '')),
    throughputChart(minutes, doneHour, failedHour),
    el('h2', { id: 'queues-title' }, 'Queues'),
    queues.length ? queueTable(queues) : el('div', { class: 'empty', 'data-empty': 'queues' },
      el('strong', {}, 'No queues yet'),
      'A queue appears with its first job: POST /jobs with {"type": "echo", "queue": "default"}.'),
    el('h2', {}, 'Recent failures'),
    stats.recentFailures.length ? failureTable(stats.recentFailures)
      : el('div', { class: 'empty', 'data-empty': 'failures' }, el('strong', {}, 'No failures'),
        'Jobs that fail for good show here, newest first.'),
  ];
}

function throughputChart(minutes, doneHour, failedHour) {
  const width = 720;
  const height = 114;
  const bottom = 112;
  const slot = width / Math.max(minutes.length, 1);
  const peak = Math.max(1, ...minutes.map(m => m.succeeded + m.failed));
  const scale = (bottom - 8) / peak;
  const bars = minutes.map((m, i) => {
    const x = i * slot + 1;
    const w = Math.max(slot - 2, 1);
    const hs = m.succeeded * scale;
    const hf = m.failed * scale;
    return svg('g', {},
      svg('title', {}, `${time(m.minute).slice(11, 16)}: ${num(m.succeeded)} succeeded, ${num(m.failed)} failed`),
      svg('rect', { class: 'bar-succeeded', x, y: bottom - hs, width: w, height: hs }),
      svg('rect', { class: 'bar-failed', x, y: bottom - hs - hf, width: w, height: hf }));
  });
  const label = `Jobs finished per minute over the last hour: ${num(doneHour)} succeeded, ${num(failedHour)} failed; `
    + `the busiest minute had ${num(peak === 1 && doneHour + failedHour === 0 ? 0 : peak)}.`;
  return el('figure', { class: 'chart', 'data-chart': 'throughput' },
    el('figcaption', {}, el('strong', {}, 'Jobs per minute, last hour'),
      el('span', { class: 'legend' }, el('i', { class: 's' }), 'succeeded'),
      el('span', { class: 'legend' }, el('i', { class: 'f' }), 'failed'),
      el('span', { class: 'subtle' }, `peak ${num(doneHour + failedHour ? peak : 0)}/min`)),
    svg('svg', { viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': label },
      svg('line', { class: 'grid', x1: 0, x2: width, y1: bottom + 0.5, y2: bottom + 0.5 }),
      ...bars),
    el('div', { class: 'axis', 'aria-hidden': 'true' }, el('span', {}, `${minutes.length} min ago`), el('span', {}, 'now')));
}

function queueTable(queues) {
  const head = el('tr', {}, el('th', { scope: 'col' }, 'Queue'), el('th', { scope: 'col' }, 'State'),
    STATUSES.map(s => el('th', { scope: 'col', class: 'num' }, s)));
  const rows = queues.map(q => el('tr', { 'data-queue-row': q.name },
    el('th', { scope: 'row' }, queueLink(q.name)),
    el('td', {}, q.paused ? badge('paused') : badge('active')),
    STATUSES.map(s => el('td', { class: `num${q.counts[s] ? '' : ' zero'}`, 'data-count': s },
      q.counts[s] ? el('a', { href: `#/queues/${encodeURIComponent(q.name)}?status=${s}` }, num(q.counts[s])) : '0'))));
  return el('div', { class: 'table-wrap' }, el('table', { 'aria-labelledby': 'queues-title' },
    el('thead', {}, head), el('tbody', {}, rows)));
}

function failureTable(failures) {
  return el('div', { class: 'table-wrap' }, el('table', {},
    el('caption', {}, 'The latest jobs that failed for good'),
    el('thead', {}, el('tr', {}, ['Job', 'Type', 'Attempts', 'Failed at', 'Error']
      .map(h => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, failures.map(f => el('tr', { 'data-failure': f.id },
      el('td', {}, jobLink(f.id)), el('td', {}, f.type), el('td', { class: 'num' }, f.attempts),
      el('td', {}, timeEl(f.finishedAt)), el('td', { class: 'wrap' }, f.error || '—'))))));
}

// ---------------------------------------------------------------------------------------------------------------
// Queue page: counts, pause and resume, jobs by status and type, newest first, paged

async function queuePage(signal, name, params) {
  setTitle(name);
  const status = STATUSES.includes(params.get('status')) ? params.get('status') : null;
  const type = params.get('type') || '';
  const cursors = [null];
  loading(`queue ${name}`);
  const load = async () => {
    try {
      const query = new URLSearchParams({ queue: name, limit: PAGE_SIZE });
      if (status) query.set('status', status);
      if (type) query.set('type', type);
      const cursor = cursors[cursors.length - 1];
      if (cursor) query.set('cursor', cursor);
      const [queue, page] = await Promise.all([
        api(`/queues/${encodeURIComponent(name)}`, { signal }), api(`/jobs?${query}`, { signal })]);
      if (signal.aborted) return;
      show(renderQueue(queue, page, status, type, cursors, load));
    } catch (e) {
      if (signal.aborted || e.status === 401) return;
      show(el('div', { class: 'crumbs' }, el('a', { href: '#/' }, 'Overview'), ' / ', name), el('h1', {}, name),
        e.status === 404 ? el('div', { class: 'empty', 'data-empty': 'queue' }, el('strong', {}, 'No such queue'),
          'No job was ever enqueued to this queue.') : withRetry(problemBox(e, true), load));
    }
  };
  await load();
  // refresh the first page only: a later page would shift under the reader
  // ...nor while the limits form is open
  every(signal, () => { if (cursors.length === 1 && !main.querySelector('[data-limits-form]')) load(); });
}

function renderQueue(queue, page, status, type, cursors, reload) {
  const name = queue.name;
  const total = STATUSES.reduce((sum, s) => sum + (queue.counts[s] || 0), 0);
  const href = s => {
    const query = new URLSearchParams();
    if (s) query.set('status', s);
    if (type) query.set('type', type);
    const text = query.toString();
    return `#/queues/${encodeURIComponent(name)}${text ? `?${text}` : ''}`;
  };
  const tabs = el('nav', { class: 'tabs', 'aria-label': 'Jobs by status' },
    el('a', { href: href(null), 'aria-current': status ? 'false' : 'true', 'data-tab': 'all' },
      'all', el('span', { class: 'count' }, num(total))),
    STATUSES.map(s => el('a', { href: href(s), 'aria-current': s === status ? 'true' : 'false', 'data-tab': s },
      s, el('span', { class: 'count' }, num(queue.counts[s])))));

  const typeInput = el('input', { id: 'type-filter', name: 'type', value: type, placeholder: 'any type',
    spellcheck: 'false', size: 14 });
  const filter = el('form', { class: 'filters', role: 'search', 'aria-label': 'Filter jobs' },
    el('label', { for: 'type-filter' }, 'Type'), typeInput, el('button', { type: 'submit' }, 'Filter'),
    type ? el('a', { href: href(status).replace(/([?&])type=[^&]*&?/, '$1').replace(/[?&]$/, ''), class: 'button' }, 'Clear') : null);
  filter.addEventListener('submit', event => {
    event.preventDefault();
    const query = new URLSearchParams();
    if (status) query.set('status', status);
    if (typeInput.value.trim()) query.set('type', typeInput.value.trim());
    location.hash = `#/queues/${encodeURIComponent(name)}${query.toString() ? `?${query}` : ''}`;
  });

  const actions = el('div', { class: 'actions' });
  if (canManage(name)) {
    const button = el('button', { type: 'button', 'data-action': queue.paused ? 'resume' : 'pause' },
      queue.paused ? 'Resume' : 'Pause');
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        await api(`/queues/${encodeURIComponent(name)}/${queue.paused ? 'resume' : 'pause'}`, { method: 'POST' });
        toast(queue.paused ? `Queue ${name} resumed` : `Queue ${name} paused: workers take no job from it`);
        await reload();
      } catch (e) {
        button.disabled = false;
        if (e.status !== 401) toast(`Could not change the queue: ${e.message}`);
      }
    });
    actions.append(button);
    actions.append(...bulkButtons(queue, status, reload));
  }

  const jobs = page.jobs;
  let body;
  if (jobs.length) {
    body = el('div', { class: 'table-wrap' }, el('table', { 'aria-label': 'Jobs, newest first' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Job'), el('th', { scope: 'col' }, 'Type'),
        el('th', { scope: 'col' }, 'Status'), el('th', { scope: 'col', class: 'num' }, 'Attempts'),
        el('th', { scope: 'col', class: 'hide-narrow' }, 'Created'),
        el('th', { scope: 'col', class: 'hide-narrow' }, 'Finished'))),
      el('tbody', {}, jobs.map(job => el('tr', { 'data-job-row': job.id },
        el('td', {}, jobLink(job.id)), el('td', {}, job.type), el('td', {}, badge(job.status)),
        el('td', { class: 'num' }, `${job.attempts}/${job.maxAttempts}`),
        el('td', { class: 'hide-narrow' }, timeEl(job.createdAt)),
        el('td', { class: 'hide-narrow' }, timeEl(job.finishedAt)))))));
  } else {
    body = el('div', { class: 'empty', 'data-empty': 'jobs' }, el('strong', {}, 'No jobs here'),
      status || type ? 'No job of this queue matches the filter.' : 'This queue holds no job right now.');
  }
  const pager = el('div', { class: 'pager' });
  if (cursors.length > 1) {
    const newer = el('button', { type: 'button', 'data-action': 'newer' }, '← Newer');
    newer.addEventListener('click', () => { cursors.pop(); reload(); });
    pager.append(newer);
  }
  if (page.nextCursor) {
    const older = el('button', { type: 'button', 'data-action': 'older' }, 'Older →');
    older.addEventListener('click', () => { cursors.push(page.nextCursor); reload(); });
    pager.append(older);
  }
  return [
    el('div', { class: 'crumbs' }, el('a', { href: '#/' }, 'Overview'), ' / queue'),
    el('div', { class: 'title-row' }, el('h1', {}, name), queue.paused ? badge('paused', true) : badge('active', true),
      actions),
    queue.paused ? el('p', { class: 'subtle', 'data-paused-note': '' },
      'Paused: workers take no job from this queue; enqueueing still works, and jobs wait.') : null,
    limitsBox(queue, reload),
    tabs, filter, body, pager,
  ];
}

/** Buttons acting on many jobs of the queue at once: each asks first and says how many jobs it changed. */
function bulkButtons(queue, status, reload) {
  const name = encodeURIComponent(queue.name);
  const buttons = [];
  const waiting = ['scheduled', 'queued', 'retrying'].reduce((sum, s) => sum + (queue.counts[s] || 0), 0);
  if (waiting > 0 && (!status || ['scheduled', 'queued', 'retrying'].includes(status))) {
    buttons.push(actionButton('Drain', 'drain', 'danger', async () => {
      if (!window.confirm(`Cancel every waiting job of ${queue.name} (${num(waiting)} now)? Running jobs go on.`)) return false;
      const answer = await api(`/queues/${name}/drain`, { method: 'POST' });
      toast(`${num(answer.cancelled)} waiting jobs cancelled`);
      return true;
    }, reload));
  }
  if (queue.counts.failed > 0 && (!status || status === 'failed')) {
    buttons.push(actionButton('Retry failed', 'retry-failed', 'primary', async () => {
      if (!window.confirm(`Run every failed job of ${queue.name} again (${num(queue.counts.failed)} now)?`)) return false;
      const answer = await api(`/queues/${name}/retry-failed`, { method: 'POST' });
      toast(`${num(answer.retried)} failed jobs queued again`);
      return true;
    }, reload));
  }
  if (FINAL.includes(status) && queue.counts[status] > 0) {
    buttons.push(actionButton(`Delete ${status}`, `delete-${status}`, 'danger', async () => {
      if (!window.confirm(`Delete every ${status} job of ${queue.name} (${num(queue.counts[status])} now)? This cannot be undone.`)) return false;
      const answer = await api(`/queues/${name}/jobs?status=${status}`, { method: 'DELETE' });
      toast(`${num(answer.deleted)} ${status} jobs deleted`);
      return true;
    }, reload));
  }
  return buttons;
}

function limitsText(limits) {
  if (!limits) return 'none';
  const parts = [];
  if (limits.rate) parts.push(`${limits.rate}${limits.burst ? ` (burst ${num(limits.burst)})` : ''}`);
  if (limits.concurrency) parts.push(`at most ${num(limits.concurrency)} running at once`);
  return parts.join(' · ') || 'none';
}

/** The queue's rate and concurrency limits; a manager can change or remove them here. */
function limitsBox(queue, reload) {
  const limits = queue.limits;
  const box = el('div', { class: 'limits', 'data-limits': limits ? limitsText(limits) : '' },
    el('span', { class: 'subtle' }, 'Limits: '), el('span', { 'data-limits-text': '' }, limitsText(limits)));
  if (!canManage(queue.name)) return box;
  const name = encodeURIComponent(queue.name);
  const edit = el('button', { type: 'button', class: 'link', 'data-action': 'edit-limits' }, limits ? 'Change' : 'Set limits');
  box.append(' ', edit);
  if (limits) {
    box.append(' ', actionButton('Remove', 'remove-limits', 'link', async () => {
      if (!window.confirm(`Remove the limits of ${queue.name}? Workers then take its jobs as fast as they can.`)) return false;
      await api(`/queues/${name}/limits`, { method: 'DELETE' });
      toast('Limits removed');
      return true;
    }, reload));
  }
  edit.addEventListener('click', () => {
    const rate = el('input', { id: 'limit-rate', name: 'rate', value: limits?.rate || '', placeholder: 'e.g. 100/m', size: 10, spellcheck: 'false' });
    const concurrency = el('input', { id: 'limit-concurrency', name: 'concurrency', type: 'number', min: 1,
      value: limits?.concurrency || '', placeholder: 'any', size: 6 });
    const form = el('form', { class: 'filters', 'data-limits-form': '' },
      el('label', { for: 'limit-rate' }, 'Rate'), rate,
      el('label', { for: 'limit-concurrency' }, 'Concurrency'), concurrency,
      el('button', { type: 'submit', class: 'primary' }, 'Save'));
    form.addEventListener('submit', async event => {
      event.preventDefault();
      const body = {};
      if (rate.value.trim()) body.rate = rate.value.trim();
      if (concurrency.value.trim()) body.concurrency = Number(concurrency.value);
      try {
        await api(`/queues/${name}/limits`, { method: 'PUT', body });
        toast('Limits saved');
        await reload();
      } catch (e) {
        if (e.status !== 401) toast(`Limits refused: ${e.message}`);
      }
    });
    edit.disabled = true;
    box.after(form);
    rate.focus();
  });
  return box;
}

// ---------------------------------------------------------------------------------------------------------------
// Job page: everything about one job, live while it changes

async function jobPage(signal, id) {
  setTitle(id);
  if (!JOB_ID.test(id)) {
    return show(el('h1', {}, 'Not a job id'), el('p', {}, `"${id}" is not a job id: ids look like default.01M855XXWKHVKC3HQ4D78PNWXT.`));
  }
  loading(`job ${id}`);
  let following = false;
  const load = async () => {
    try {
      const job = await api(`/jobs/${encodeURIComponent(id)}`, { signal });
      if (signal.aborted) return;
      show(renderJob(job, load));
      if (!FINAL.includes(job.status)) startFollowing();
    } catch (e) {
      if (signal.aborted || e.status === 401) return;
      show(el('div', { class: 'crumbs' }, el('a', { href: '#/' }, 'Overview'), ' / job'), el('h1', { class: 'mono' }, id),
        e.status === 404 ? el('div', { class: 'empty', 'data-empty': 'job' }, el('strong', {}, e.problem?.title || 'No such job'),
          e.problem?.detail || 'No job has this id.') : withRetry(problemBox(e, true), load));
    }
  };
  const refresh = debounce(load, 150);
  const startFollowing = () => {
    if (following) return;
    following = true;
    // the stream ends after a final state; a re-run starts it again through load()
    follow(`/jobs/${encodeURIComponent(id)}/events`, event => { if (event.type === 'job') refresh(); }, signal)
      .finally(() => { following = false; });
  };
  await load();
}

function renderJob(job, reload) {
  const actions = el('div', { class: 'actions' });
  if (canManage(job.queue)) {
    if (WAITING.includes(job.status) && !job.cancelRequested) {
      actions.append(actionButton('Cancel', 'cancel', 'danger', async () => {
        if (!window.confirm(`Cancel job ${job.id}?`)) return false;
        await api(`/jobs/${encodeURIComponent(job.id)}`, { method: 'DELETE' });
        toast('Cancellation requested');
        return true;
      }, reload));
    }
    if (job.status === 'failed' || job.status === 'cancelled') {
      actions.append(actionButton('Re-run', 'rerun', 'primary', async () => {
        await api(`/jobs/${encodeURIComponent(job.id)}/retry`, { method: 'POST' });
        toast('Queued again');
        return true;
      }, reload));
    }
  }
  const started = job.startedAt;
  const finished = job.finishedAt;
  const fact = (label, value) => el('div', { 'data-fact': label }, el('dt', {}, label), el('dd', {}, value));
  return [
    el('div', { class: 'crumbs' }, el('a', { href: '#/' }, 'Overview'), ' / ', queueLink(job.queue), ' / job'),
    el('div', { class: 'title-row' }, el('h1', { class: 'mono' }, job.id), copyButton(job.id, 'Copy id'),
      badge(job.status, true), actions),
    job.cancelRequested ? el('p', { class: 'subtle' }, 'Cancellation requested: its worker is stopping it.') : null,
    progressBar(job),
    el('dl', { class: 'facts' },
      fact('type', job.type), fact('queue', queueLink(job.queue)), fact('priority', job.priority),
      fact('attempts', `${job.attempts} of ${job.maxAttempts}`), fact('created', timeEl(job.createdAt)),
      fact('run at', timeEl(job.runAt)), fact('started', timeEl(started)), fact('finished', timeEl(finished)),
      fact('ran for', FINAL.includes(job.status) ? between(started, finished) : started ? `${ago(started).replace(' ago', '')} so far` : '—'),
      fact('created to last start', between(job.createdAt, started)),
      fact('timeout', job.timeout || 'worker default'),
      job.backoff ? fact('backoff', `${job.backoff.initialDelay}, doubling up to ${job.backoff.maxDelay || 'the worker maximum'}`) : null,
      job.schedule ? fact('schedule', el('a', { href: '#/schedules' }, job.schedule)) : null,
      job.scheduledFor ? fact('scheduled for', timeEl(job.scheduledFor)) : null,
      job.unique ? fact('unique', `${job.unique.key} (${job.unique.scope})`) : null),
    el('h2', {}, 'Timeline'), timeline(job),
    job.error ? [el('h2', {}, 'Latest error'), el('pre', { class: 'error-text', 'data-error': '' }, job.error)] : null,
    el('h2', {}, 'Payload'), jsonBlock('payload', job.payload),
    el('h2', {}, 'Result'), job.result === null || job.result === undefined
      ? el('p', { class: 'subtle', 'data-empty': 'result' }, job.status === 'succeeded' ? 'No result.' : 'No result yet.')
      : jsonBlock('result', job.result),
    artifactDownload(job),
    job.callback ? [el('h2', {}, 'Webhook'), callbackFacts(job.callback)] : null,
  ];
}

/** The file a job made (a report, say): fetched with the key in a header, then saved under its own name. */
function artifactDownload(job) {
  const artifact = job.result && job.result.artifact;
  if (!artifact || typeof artifact.name !== 'string') return null;
  const button = el('button', { type: 'button', class: 'primary', 'data-action': 'download-artifact' }, `Download ${artifact.name}`);
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const response = await fetch(`/jobs/${encodeURIComponent(job.id)}/artifact`, { headers: headers({ Accept: '*/*' }), cache: 'no-store' });
      if (!response.ok) {
        let problem = null;
        try { problem = await response.json(); } catch (e) { problem = null; }
        throw new ApiError(response.status, problem || { title: response.statusText });
      }
      const url = URL.createObjectURL(await response.blob());
      const link = el('a', { href: url, download: artifact.name });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
    } catch (e) {
      toast(`Download refused: ${e.message}`);
    } finally {
      button.disabled = false;
    }
  });
  return el('p', { class: 'artifact', 'data-artifact': artifact.name }, button,
    el('span', { class: 'subtle' }, ` ${artifact.type || 'file'} · ${byteSize(artifact.size)}`));
}

function byteSize(bytes) {
  if (typeof bytes !== 'number') return 'size unknown';
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

function actionButton(label, action, cls, run, reload) {
  const button = el('button', { type: 'button', class: cls, 'data-action': action }, label);
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      if (await run()) await reload();
      else button.disabled = false;
    } catch (e) {
      button.disabled = false;
      if (e.status !== 401) toast(`${label} refused: ${e.message}`);
    }
  });
  return button;
}

function progressBar(job) {
  const progress = job.progress;
  if (!progress) return null;
  const percent = typeof progress.percent === 'number' ? progress.percent : null;
  return el('div', { class: 'progress', 'data-progress': percent ?? '' },
    percent !== null ? el('div', { class: 'progress-bar', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100,
      'aria-valuenow': percent, 'aria-label': 'Progress' }, widthSpan(percent)) : null,
    el('span', { class: 'subtle' }, `${percent !== null ? `${percent}% · ` : ''}reported ${ago(progress.updatedAt)}`),
    progress.details ? jsonBlock('progress details', progress.details) : null);
}

/** A bar's filled part; its width is set through the DOM because the page's policy allows no inline style. */
function widthSpan(percent) {
  const span = el('span', {});
  span.style.width = `${Math.max(0, Math.min(100, percent))}%`;
  return span;
}

function timeline(job) {
  const steps = [];
  const step = (cls, title, at, extra) => steps.push({ cls, title, at, extra });
  step('created', 'Created', job.createdAt);
  if (job.runAt && job.createdAt && new Date(job.runAt) - new Date(job.createdAt) > 1000 && job.attempts === 0) {
    step('scheduled', 'Scheduled to run', job.runAt);
  }
  const errors = job.errors || [];
  for (const e of errors) {
    if (e.startedAt) step('running', `Attempt ${e.attempt} started`, e.startedAt);
    step('retrying', `Attempt ${e.attempt} failed`, e.at, el('span', { class: 'error' }, e.error));
  }
  // the latest attempt, unless one of the errors above already ended it
  const ended = errors.some(e => (e.startedAt ? e.startedAt === job.startedAt : new Date(e.at) >= new Date(job.startedAt)));
  if (job.startedAt && !ended) step('running', `Attempt ${job.attempts} started`, job.startedAt);
  if (job.status === 'retrying') step('retrying', 'Next attempt', job.runAt);
  if (FINAL.includes(job.status)) step(job.status, job.status[0].toUpperCase() + job.status.slice(1), job.finishedAt);
  const dated = steps.filter(s => s.at).sort((a, b) => new Date(a.at) - new Date(b.at));
  if (!FINAL.includes(job.status) && job.status !== 'retrying') dated.push({ cls: job.status, title: `Now ${job.status}` });
  return el('ol', { class: 'timeline', 'aria-label': 'Status timeline' }, dated.map(s => el('li', { class: s.cls,
    'data-step': s.cls }, el('strong', {}, s.title), el('span', { class: 'when' }, s.at ? time(s.at) : ''), s.extra || null)));
}

function jsonBlock(label, value) {
  const text = JSON.stringify(value, null, 2);
  const bytes = new TextEncoder().encode(text).length;
  const details = el('details', { class: 'json', 'data-json': label, open: bytes <= FOLD_BYTES },
    el('summary', {}, el('span', {}, label), el('span', { class: 'size' }, `${num(bytes)} bytes`),
      copyButton(text, `Copy ${label}`)),
    el('pre', { tabindex: 0 }, el('code', {}, text)));
  return details;
}

function copyButton(text, label) {
  const button = el('button', { type: 'button', 'data-action': 'copy', 'aria-label': label }, 'Copy');
  button.addEventListener('click', async event => {
    event.preventDefault();
    try {
      await navigator.clipboard.writeText(text);
      toast('Copied');
    } catch (e) {
      toast('The browser did not allow copying; select the text instead.');
    }
  });
  return button;
}

function callbackFacts(callback) {
  const fact = (label, value) => el('div', {}, el('dt', {}, label), el('dd', {}, value ?? '—'));
  return el('dl', { class: 'facts', 'data-callback': callback.status },
    fact('url', el('span', { class: 'mono' }, callback.url)), fact('events', (callback.events || []).join(', ')),
    fact('status', callback.status), fact('attempts', callback.attempts),
    fact('delivered', timeEl(callback.deliveredAt)), fact('last error', callback.lastError),
    callback.deliveryId ? fact('delivery', jobLink(callback.deliveryId)) : null);
}

// ---------------------------------------------------------------------------------------------------------------
// Workers page

async function workersPage(signal) {
  setTitle('Workers');
  loading('the workers');
  const load = async () => {
    try {
      const answer = await api('/workers', { signal });
      if (!signal.aborted) show(renderWorkers(answer.workers));
    } catch (e) {
      if (!signal.aborted && e.status !== 401) show(el('h1', {}, 'Workers'), withRetry(problemBox(e, true), load));
    }
  };
  await load();
  every(signal, load);
}

function renderWorkers(workers) {
  const inFlight = workers.reduce((sum, w) => sum + w.inFlight, 0);
  const capacity = workers.reduce((sum, w) => sum + w.concurrency, 0);
  return [
    el('div', { class: 'title-row' }, el('h1', {}, 'Workers'),
      el('span', { class: 'subtle' }, `${workers.length} live · ${num(inFlight)} of ${num(capacity)} slots busy`)),
    el('p', { class: 'subtle' }, 'Each worker renews its entry every few seconds; one that stops renewing leaves '
      + 'this list when its entry expires.'),
    workers.length ? el('div', { class: 'table-wrap' }, el('table', { 'aria-label': 'Live workers' },
      el('thead', {}, el('tr', {}, ['Host', 'PID', 'Queues', 'Concurrency', 'In flight', 'Started', 'Last heartbeat']
        .map(h => el('th', { scope: 'col', class: ['Concurrency', 'In flight', 'PID'].includes(h) ? 'num' : '' }, h)))),
      el('tbody', {}, workers.map(w => el('tr', { 'data-worker-row': w.id },
        el('td', { title: w.id }, w.host), el('td', { class: 'num' }, w.pid),
        el('td', { class: 'wrap' }, w.queues.length ? w.queues.map((q, i) => [i ? ', ' : '', queueLink(q)]) : '—'),
        el('td', { class: 'num' }, w.concurrency), el('td', { class: 'num' }, w.inFlight),
        el('td', {}, timeEl(w.startedAt)), el('td', { title: w.heartbeatAt }, ago(w.heartbeatAt)))))))
      : el('div', { class: 'empty', 'data-empty': 'workers' }, el('strong', {}, 'No live worker'),
        'Start one (role worker or all) and it shows here within seconds. Jobs wait in their queues meanwhile.'),
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Schedules page

async function schedulesPage(signal) {
  setTitle('Schedules');
  loading('the schedules');
  const load = async () => {
    try {
      const answer = await api('/schedules', { signal });
      if (!signal.aborted) show(renderSchedules(answer.schedules, load));
    } catch (e) {
      if (!signal.aborted && e.status !== 401) show(el('h1', {}, 'Schedules'), withRetry(problemBox(e, true), load));
    }
  };
  await load();
  every(signal, load);
}

function lastRunText(last) {
  if (!last) return '—';
  if (last.jobId) return [timeEl(last.scheduledFor), ' ', jobLink(last.jobId)];
  return [timeEl(last.scheduledFor), ` skipped${last.skipped ? `: ${last.skipped}` : ''}`];
}

function renderSchedules(schedules, reload) {
  return [
    el('div', { class: 'title-row' }, el('h1', {}, 'Schedules'), el('span', { class: 'subtle' }, schedules.length === 1 ? '1 schedule' : `${schedules.length} schedules`)),
    schedules.length ? el('div', { class: 'table-wrap' }, el('table', { 'aria-label': 'Schedules' },
      el('thead', {}, el('tr', {}, ['Name', 'When', 'Job', 'Next run', 'Last run', 'State', '']
        .map(h => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, schedules.map(s => {
        const queue = s.job.queue || 'default';
        const actions = el('td', {});
        if (canManage(queue)) {
          const verb = s.paused ? 'resume' : 'pause';
          actions.append(actionButton(s.paused ? 'Resume' : 'Pause', verb, '', async () => {
            await api(`/schedules/${encodeURIComponent(s.name)}/${verb}`, { method: 'POST' });
            toast(`Schedule ${s.name} ${s.paused ? 'resumed' : 'paused'}`);
            return true;
          }, reload));
        }
        return el('tr', { 'data-schedule-row': s.name },
          el('td', {}, s.name),
          el('td', {}, s.cron ? el('code', {}, s.cron) : `every ${s.every}`, s.cron && s.timezone ? ` (${s.timezone})` : ''),
          el('td', {}, s.job.type, ' in ', queueLink(queue)),
          el('td', {}, s.paused ? '—' : timeEl((s.nextRuns || [])[0])),
          el('td', {}, lastRunText(s.lastRun)),
          el('td', {}, badge(s.paused ? 'paused' : 'active')),
          actions);
      }))))
      : el('div', { class: 'empty', 'data-empty': 'schedules' }, el('strong', {}, 'No schedule'),
        'Create one with POST /schedules (see the API docs); it shows here.'),
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Start

document.getElementById('search').addEventListener('submit', event => {
  event.preventDefault();
  const input = document.getElementById('search-id');
  const id = input.value.trim();
  if (!id) return;
  if (!JOB_ID.test(id)) {
    toast(`"${id}" is not a job id: ids look like default.01M855XXWKHVKC3HQ4D78PNWXT`);
    input.focus();
    return;
  }
  input.value = '';
  location.hash = `#/jobs/${encodeURIComponent(id)}`;
});

window.addEventListener('hashchange', () => {
  route();
  main.focus({ preventScroll: true });
});
route();
