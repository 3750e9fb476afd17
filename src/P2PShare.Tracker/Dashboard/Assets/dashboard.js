// The tracker dashboard: loads the state from the REST API, then follows the /ws event feed. Every value that
// comes from a peer is written with textContent, never parsed as HTML.
'use strict';

const POLL_MS = 30000;
const MAX_BACKOFF_MS = 30000;
const HOUR_MS = 3600000;
const state = { peers: new Map(), files: [], filesTotal: 0, history: [], stats: null };
const sorts = { peers: { key: 'name', dir: 1 }, files: { key: 'name', dir: 1 } };
let socket = null, backoff = 1000, pollTimer = null, refreshTimer = null, selectedHash = null;

const $ = id => document.getElementById(id);

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function bytes(n) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
}

const rate = n => bytes(Math.round(n || 0)) + '/s';
const shortId = id => id.slice(0, 12);

function ago(iso) {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return s < 60 ? s + ' s ago' : s < 3600 ? Math.floor(s / 60) + ' min ago' : Math.floor(s / 3600) + ' h ago';
}

function setFeed(text, kind) {
  const status = $('feed-status');
  status.textContent = text;
  status.className = 'status ' + kind;
}

async function getJson(path) {
  const response = await fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (response.status === 401) throw new Error('unauthorized');
  if (!response.ok) throw new Error(path + ': HTTP ' + response.status);
  return response.json();
}

async function loadAll() {
  const [stats, peers, files, history] = await Promise.all([
    getJson('/api/stats'), getJson('/api/peers'), getJson('/api/files?limit=500'), getJson('/api/stats/history')]);
  state.peers = new Map(peers.peers.map(p => [p.peer_id, p]));
  state.files = files.files;
  state.filesTotal = files.total;
  state.history = history.samples.map(s => ({ time: Date.parse(s.time), peers: s.peers, up: s.upload_rate }));
  showStats(stats);
  renderPeers();
  renderFiles();
  renderCharts();
}

async function refreshLists() {
  const [peers, files] = await Promise.all([getJson('/api/peers'), getJson('/api/files?limit=500')]);
  state.peers = new Map(peers.peers.map(p => [p.peer_id, p]));
  state.files = files.files;
  state.filesTotal = files.total;
  renderPeers();
  renderFiles();
  if (selectedHash) showHolders(selectedHash);
}

// File events change holder counts in both lists: fetch them again, at most a few times a second.
function scheduleRefresh() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => refreshLists().catch(() => {}), 250);
}

function showStats(stats) {
  state.stats = stats;
  $('stat-peers').textContent = stats.peers;
  $('stat-files').textContent = stats.files;
  $('stat-bytes').textContent = bytes(stats.total_bytes);
  $('stat-relay-tunnels').textContent = stats.relay_tunnels;
  $('stat-relay-bytes').textContent = bytes(stats.relay_bytes_total);
  $('stat-rate').textContent = rate(stats.upload_rate) + ' / ' + rate(stats.download_rate);
}

function sorted(rows, sort) {
  const value = row => sort.key === 'paths' ? row.paths.direct * 1e6 + row.paths.holepunch * 1e3 + row.paths.relay : row[sort.key];
  return rows.slice().sort((a, b) => {
    const x = value(a), y = value(b);
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x ?? '').localeCompare(String(y ?? ''));
    return order * sort.dir;
  });
}

function markSort(table, sort) {
  for (const th of document.querySelectorAll('#' + table + ' th[data-key]')) {
    if (th.dataset.key === sort.key) th.setAttribute('aria-sort', sort.dir > 0 ? 'ascending' : 'descending');
    else th.removeAttribute('aria-sort');
  }
}

function idCell(id) {
  const cell = el('td', shortId(id), 'id');
  cell.title = id;
  return cell;
}

function total(text, count, what) {
  const cell = el('td', text, 'num');
  cell.title = bytes(count) + ' ' + what + ' since the peer started';
  return cell;
}

function renderPeers() {
  const body = document.querySelector('#peers tbody');
  const rows = sorted([...state.peers.values()].map(p => ({ ...p, name: p.name ?? '' })), sorts.peers).map(p => {
    const row = el('tr');
    row.dataset.peerId = p.peer_id;
    row.append(el('td', p.name || '(unnamed)'), idCell(p.peer_id), el('td', p.address + ':' + p.port),
      el('td', p.paths.direct + ' / ' + p.paths.holepunch + ' / ' + p.paths.relay),
      el('td', p.files, 'num'), total(rate(p.upload_rate), p.bytes_sent, 'sent'), total(rate(p.download_rate), p.bytes_received, 'received'),
      el('td', ago(p.last_seen)));
    return row;
  });
  body.replaceChildren(...rows);
  $('peer-count').textContent = '(' + state.peers.size + ')';
  markSort('peers', sorts.peers);
}

function renderFiles() {
  const query = $('file-search').value.trim().toLowerCase();
  const matching = state.files.filter(f => !query || f.name.toLowerCase().includes(query));
  const rows = sorted(matching, sorts.files).map(f => {
    const row = el('tr', undefined, f.hash === selectedHash ? 'selected' : '');
    row.dataset.hash = f.hash;
    row.append(el('td', f.name), el('td', bytes(f.size), 'num'), idCell(f.hash), el('td', f.holders, 'num'), el('td', f.seeders, 'num'));
    row.addEventListener('click', () => showHolders(f.hash));
    return row;
  });
  document.querySelector('#files tbody').replaceChildren(...rows);
  const shown = state.filesTotal > state.files.length ? ' of the first ' + state.files.length + ' of ' + state.filesTotal : '';
  $('file-count').textContent = '(' + matching.length + shown + ')';
  markSort('files', sorts.files);
}

async function showHolders(hash) {
  selectedHash = hash;
  const file = state.files.find(f => f.hash === hash);
  $('holders-name').textContent = file ? file.name : shortId(hash);
  for (const row of document.querySelectorAll('#files tbody tr')) row.classList.toggle('selected', row.dataset.hash === hash);
  let peers = [];
  try {
    peers = (await getJson('/api/files/' + encodeURIComponent(hash) + '/peers')).peers;
  } catch { peers = []; }
  const rows = peers.map(p => {
    const row = el('tr');
    row.append(el('td', state.peers.get(p.peer_id)?.name || '(unnamed)'), idCell(p.peer_id), el('td', p.address + ':' + p.port),
      el('td', p.complete ? 'yes' : 'no'), el('td', p.verified_chunks, 'num'));
    return row;
  });
  document.querySelector('#holders-table tbody').replaceChildren(...rows);
  $('holders').hidden = false;
}

function drawChart(svgId, labelId, points, format) {
  const svg = $(svgId);
  const now = Date.now();
  const recent = points.filter(p => p.time >= now - HOUR_MS);
  const max = Math.max(1, ...recent.map(p => p.value));
  const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
  line.setAttribute('points', recent.map(p => (((p.time - (now - HOUR_MS)) / HOUR_MS) * 300).toFixed(1) + ',' + (100 - (p.value / max) * 95).toFixed(1)).join(' '));
  svg.replaceChildren(line);
  $(labelId).textContent = 'max ' + format(max);
}

function renderCharts() {
  drawChart('chart-rate', 'chart-rate-max', state.history.map(s => ({ time: s.time, value: s.up })), rate);
  drawChart('chart-peers', 'chart-peers-max', state.history.map(s => ({ time: s.time, value: s.peers })), String);
}

function onEvent(message) {
  const event = JSON.parse(message.data);
  const data = event.data;
  switch (event.type) {
    case 'peer_joined':
    case 'peer.updated':
      state.peers.set(data.peer_id, data);
      renderPeers();
      break;
    case 'peer_left':
      state.peers.delete(data.peer_id);
      renderPeers();
      scheduleRefresh();
      break;
    case 'file_announced':
    case 'file_removed':
      scheduleRefresh();
      break;
    case 'stats':
      showStats(data);
      state.history.push({ time: Date.parse(event.time), peers: data.peers, up: data.upload_rate });
      state.history = state.history.filter(s => s.time >= Date.now() - HOUR_MS);
      renderCharts();
      break;
  }
}

function connect() {
  socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
  socket.onopen = () => {
    backoff = 1000;
    clearInterval(pollTimer);
    pollTimer = null;
    setFeed('live', 'live');
    loadAll().catch(() => {});
  };
  socket.onmessage = onEvent;
  socket.onclose = () => {
    socket = null;
    const wait = backoff;
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    setFeed('live feed lost: refreshing every 30 s, reconnecting in ' + Math.round(wait / 1000) + ' s', 'down');
    if (!pollTimer) pollTimer = setInterval(() => loadAll().catch(() => {}), POLL_MS);
    setTimeout(connect, wait);
  };
}

async function start() {
  const session = await getJson('/dashboard/session');
  $('logout').hidden = !session.login_required || !session.signed_in;
  if (session.login_required && !session.signed_in) {
    $('login').hidden = false;
    $('main').hidden = true;
    setFeed('signed out', 'down');
    return;
  }
  $('login').hidden = true;
  $('main').hidden = false;
  await loadAll();
  connect();
}

async function login(event) {
  event.preventDefault();
  const response = await fetch('/dashboard/login', { method: 'POST', body: new URLSearchParams({ key: $('login-key').value }) });
  $('login-key').value = '';
  if (response.status === 204) {
    $('login-error').hidden = true;
    await start();
  } else {
    $('login-error').textContent = response.status === 401 ? 'That API key was refused.' : 'Sign-in failed (HTTP ' + response.status + ').';
    $('login-error').hidden = false;
  }
}

function bindSorting(table, render) {
  for (const th of document.querySelectorAll('#' + table + ' th[data-key]')) {
    th.addEventListener('click', () => {
      const sort = sorts[table];
      sort.dir = sort.key === th.dataset.key ? -sort.dir : 1;
      sort.key = th.dataset.key;
      render();
    });
  }
}

document.addEventListener('DOMContentLoaded', () => {
  bindSorting('peers', renderPeers);
  bindSorting('files', renderFiles);
  $('file-search').addEventListener('input', renderFiles);
  $('login-form').addEventListener('submit', event => login(event).catch(() => {}));
  $('logout').addEventListener('click', async () => {
    await fetch('/dashboard/logout', { method: 'POST' });
    location.reload();
  });
  setInterval(renderPeers, 10000); // keeps "last seen" current between events
  start().catch(error => setFeed('could not load: ' + error.message, 'down'));
});
