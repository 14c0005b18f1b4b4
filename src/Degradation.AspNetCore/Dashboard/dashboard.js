// Operator dashboard for Degradation.Core. Plain JS, no build step, no third-party code.
// Every URL is relative to the page (served at "{prefix}/"), so the page works wherever the API is mounted.
'use strict';

(() => {
  const MODE_LABELS = {
    normal: 'Normal',
    degraded: 'Degraded',
    safe_mode: 'Safe Mode',
    safe_mode_disconnected: 'Safe Mode (Disconnected)',
    halt: 'HALT',
    recovering: 'Recovering',
  };
  const FIELD_INPUTS = { mode: 'force-mode', ttl_seconds: 'force-ttl', reason: 'force-reason' };
  const POLL_MS = 5000;
  const MAX_TIMELINE = 200;

  const $ = (id) => document.getElementById(id);
  const state = { status: null, statusAt: 0, canWrite: false, operatorId: null, seen: new Set(), refreshQueued: false };

  // ---- HTTP -------------------------------------------------------------------------------

  async function api(path, init) {
    const options = Object.assign({ credentials: 'same-origin', cache: 'no-store' }, init || {});
    options.headers = Object.assign({ Accept: 'application/json' }, (init && init.headers) || {});
    let response;
    try {
      response = await fetch(path, options);
    } catch (e) {
      return { ok: false, status: 0, statusText: 'network error', body: null, error: String(e) };
    }
    let body = null;
    const type = response.headers.get('content-type') || '';
    if (type.includes('json')) {
      try { body = await response.json(); } catch (e) { body = null; }
    }
    return { ok: response.ok, status: response.status, statusText: response.statusText, body };
  }

  function post(path, payload) {
    return api(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload) });
  }

  function describeError(r) {
    if (r.status === 0) return 'The server could not be reached (' + (r.error || 'network error') + ').';
    if (r.status === 401) return '401 Unauthorized: sign in as an operator to do this.';
    if (r.status === 403) {
      return '403 Forbidden: your account may not change the degradation mode' +
        (r.body && r.body.detail ? ' (' + r.body.detail + ')' : '') + '.';
    }
    const body = r.body || {};
    const lines = [r.status + ' ' + (body.title || r.statusText || 'Error')];
    if (body.detail) lines.push(body.detail);
    if (body.errors) {
      for (const field of Object.keys(body.errors)) {
        for (const message of body.errors[field]) lines.push(field + ': ' + message);
      }
    }
    return lines.join('\n');
  }

  function show(id, text) {
    const el = $(id);
    el.textContent = text || '';
    el.hidden = !text;
  }

  // ---- rendering --------------------------------------------------------------------------

  function formatTime(iso) {
    if (!iso) return '–';
    const d = new Date(iso);
    return d.toLocaleString(undefined, { hour12: false });
  }

  function formatCountdown(seconds) {
    const s = Math.max(0, Math.ceil(seconds));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const r = String(s % 60).padStart(2, '0');
    return h > 0 ? h + ':' + String(m).padStart(2, '0') + ':' + r : m + ':' + r;
  }

  function describeTransition(t) {
    const from = t.from_mode + (t.from_stage ? '/' + t.from_stage : '');
    const to = t.to_mode + (t.to_stage ? '/' + t.to_stage : '');
    return '#' + t.sequence + ' ' + from + ' → ' + to;
  }

  function renderStatus(s) {
    state.status = s;
    state.statusAt = performance.now();
    const badge = $('mode-badge');
    badge.dataset.mode = s.mode;
    $('mode-label').textContent = MODE_LABELS[s.mode] || s.mode;
    const stage = $('stage');
    stage.hidden = !s.stage;
    stage.textContent = s.stage ? '(' + s.stage + ')' : '';
    $('override-tag').hidden = !s.is_override;
    $('level').textContent = s.level;
    $('level').dataset.level = s.level;
    $('reason').textContent = s.reason;
    $('recovery-run').textContent = s.recovery_run ? s.recovery_run + ' (' + s.recovery_trigger + ')' : '–';
    $('last-transition').textContent = s.last_transition
      ? describeTransition(s.last_transition) + ' · ' + formatTime(s.last_transition.timestamp)
      : '–';
    const ttl = $('force-ttl');
    ttl.placeholder = s.override_ttl_bounds.min_seconds + '–' + s.override_ttl_bounds.max_seconds;
    ttl.title = 'Between ' + s.override_ttl_bounds.min_seconds + ' and ' + s.override_ttl_bounds.max_seconds + ' seconds';

    const banner = $('override-banner');
    if (s.override) {
      const o = s.override;
      $('override-text').textContent = (MODE_LABELS[o.mode] || o.mode) + ' forced by ' + o.operator_id +
        ' — “' + o.reason + '” (TTL ' + o.ttl_seconds + ' s, until ' + formatTime(o.expires_at) + ')';
      banner.dataset.mode = o.mode;
      banner.hidden = false;
      tickCountdown();
    } else {
      banner.hidden = true;
    }
  }

  function tickCountdown() {
    const s = state.status;
    if (!s || !s.override) return;
    const remaining = s.override.remaining_seconds - (performance.now() - state.statusAt) / 1000;
    $('override-countdown').textContent = remaining > 0 ? formatCountdown(remaining) : 'expiring…';
    $('override-countdown').dataset.remaining = String(Math.max(0, Math.ceil(remaining)));
    if (remaining <= 0) queueRefresh();
  }

  function renderPermissions(p) {
    const grid = $('permissions-grid');
    grid.replaceChildren(...p.actions.map((a) => {
      const cell = document.createElement('div');
      cell.className = 'perm';
      cell.dataset.action = a.action;
      cell.dataset.allowed = String(a.allowed);
      const name = document.createElement('strong');
      name.textContent = a.action + ': ' + (a.allowed ? 'Allowed' : 'Blocked');
      cell.append(name);
      if (a.advice) {
        const advice = document.createElement('span');
        advice.className = 'advice';
        advice.textContent = a.advice;
        cell.append(advice);
      }
      return cell;
    }));
    const limits = $('limits');
    if (p.limits && (p.limits.max_order_quantity != null || p.limits.max_open_positions != null)) {
      const parts = [];
      if (p.limits.max_order_quantity != null) parts.push('max order quantity ' + p.limits.max_order_quantity);
      if (p.limits.max_open_positions != null) parts.push('max open positions ' + p.limits.max_open_positions);
      limits.textContent = 'Limits in this mode: ' + parts.join(', ');
      limits.hidden = false;
    } else {
      limits.hidden = true;
    }
  }

  function cell(text, className) {
    const td = document.createElement('td');
    if (className) td.className = className;
    td.textContent = text;
    return td;
  }

  function renderComponents(c) {
    $('components-body').replaceChildren(...c.components.map((component) => {
      const row = document.createElement('tr');
      row.dataset.component = component.id;
      row.dataset.level = component.level;
      const level = document.createElement('td');
      const badge = document.createElement('span');
      badge.className = 'level';
      badge.dataset.level = component.level;
      badge.textContent = component.level;
      level.append(badge);
      const conditions = component.conditions.length
        ? component.conditions.map((x) => x.reason + ' → ' + x.mode).join(', ')
        : '–';
      const fallback = component.fallback
        ? component.fallback + (component.fallback_active ? ' (active)' : ' (standby)')
        : '–';
      row.append(
        cell(component.id),
        cell((component.critical ? 'critical' : 'optional') + (component.category ? ' · ' + component.category : '')),
        level,
        cell(conditions),
        cell(fallback, component.fallback_active ? 'fallback-active' : ''),
        cell(component.last_report ? formatTime(component.last_report) + (component.last_reason ? ' · ' + component.last_reason : '') : 'never'));
      return row;
    }));
  }

  function addTransition(t) {
    if (state.seen.has(t.sequence)) return;
    state.seen.add(t.sequence);
    const list = $('timeline');
    const item = document.createElement('li');
    item.dataset.sequence = String(t.sequence);
    item.dataset.to = t.to_mode;
    const what = document.createElement('div');
    what.className = 'what';
    what.textContent = describeTransition(t);
    const why = document.createElement('div');
    why.className = 'why';
    why.textContent = t.reason_code + ' · ' + t.source + ' · ' + t.kind +
      (t.operator_id ? ' · by ' + t.operator_id : '') + (t.details ? ' — ' + t.details : '');
    const when = document.createElement('div');
    when.className = 'when';
    when.textContent = formatTime(t.timestamp);
    item.append(what, why, when);
    // Newest first, whatever order the history page and the live feed arrive in.
    let before = null;
    for (const existing of list.children) {
      if (Number(existing.dataset.sequence) < t.sequence) { before = existing; break; }
    }
    list.insertBefore(item, before);
    while (list.children.length > MAX_TIMELINE) {
      const last = list.lastElementChild;
      state.seen.delete(Number(last.dataset.sequence));
      last.remove();
    }
  }

  // ---- loading ----------------------------------------------------------------------------

  async function refreshAll() {
    const [status, permissions, components] = await Promise.all([api('status'), api('permissions'), api('components')]);
    const failed = [status, permissions, components].find((r) => !r.ok);
    if (failed) {
      show('load-error', 'Cannot read the degradation state: ' + describeError(failed));
      return;
    }
    show('load-error', '');
    renderStatus(status.body);
    renderPermissions(permissions.body);
    renderComponents(components.body);
  }

  function queueRefresh() {
    if (state.refreshQueued) return;
    state.refreshQueued = true;
    setTimeout(() => { state.refreshQueued = false; refreshAll(); }, 250);
  }

  async function loadHistory() {
    const r = await api('history?offset=0&limit=50');
    if (r.ok) r.body.items.forEach(addTransition);
  }

  async function loadOperator() {
    const r = await api('me');
    if (!r.ok) { $('operator').textContent = 'not signed in'; return; }
    state.canWrite = r.body.can_write;
    state.operatorId = r.body.operator_id;
    $('operator').textContent = r.body.authenticated
      ? 'Signed in as ' + (r.body.operator_id || '?') + (r.body.can_write ? ' · operator' : ' · read-only')
      : 'not signed in · read-only';
    const hint = $('write-hint');
    hint.hidden = r.body.can_write;
    hint.textContent = r.body.can_write ? '' : 'Read-only: your account may not force, release or recover; the server will refuse.';
  }

  function connectEvents() {
    const indicator = $('live-indicator');
    const source = new EventSource('events');
    source.addEventListener('open', () => {
      indicator.dataset.state = 'live';
      indicator.textContent = 'live';
      // Catch up with anything that happened while the feed was down.
      loadHistory();
      refreshAll();
    });
    source.addEventListener('transition', (e) => {
      addTransition(JSON.parse(e.data));
      queueRefresh();
    });
    source.addEventListener('resync', () => { loadHistory(); refreshAll(); });
    source.addEventListener('error', () => {
      indicator.dataset.state = 'reconnecting';
      indicator.textContent = 'reconnecting…';
      if (source.readyState === EventSource.CLOSED) {
        // The browser gave up (e.g. 401): try again later with a fresh connection.
        setTimeout(connectEvents, POLL_MS);
      }
    });
  }

  // ---- commands ---------------------------------------------------------------------------

  function clearFieldErrors() {
    for (const field of Object.keys(FIELD_INPUTS)) {
      $(FIELD_INPUTS[field]).removeAttribute('aria-invalid');
      $(FIELD_INPUTS[field] + '-error').textContent = '';
    }
  }

  function showFieldErrors(body) {
    if (!body || !body.errors) return;
    for (const field of Object.keys(body.errors)) {
      const input = FIELD_INPUTS[field];
      if (!input) continue;
      $(input).setAttribute('aria-invalid', 'true');
      $(input + '-error').textContent = body.errors[field].join(' ');
    }
  }

  async function submitForce(event) {
    event.preventDefault();
    clearFieldErrors();
    show('force-error', '');
    show('force-result', '');
    const ttlText = $('force-ttl').value.trim();
    const payload = {
      mode: $('force-mode').value,
      ttl_seconds: ttlText === '' ? null : Number(ttlText),
      reason: $('force-reason').value,
    };
    const button = $('force-submit');
    button.disabled = true;
    button.textContent = 'Applying...';
    try {
      const r = await post('force', payload);
      if (r.ok) {
        show('force-result', 'Override applied: ' + (MODE_LABELS[r.body.mode] || r.body.mode) + ' until ' + formatTime(r.body.expires_at) + '.');
        renderStatus(r.body.status);
        addTransition(r.body.transition);
        queueRefresh();
      } else {
        showFieldErrors(r.body);
        show('force-error', describeError(r));
      }
    } finally {
      button.disabled = false;
      button.textContent = 'Force Override';
    }
  }

  async function command(path, payload, describe) {
    show('actions-error', '');
    show('actions-result', '');
    const r = await post(path, payload);
    if (r.ok) {
      show('actions-result', describe(r.body));
      if (r.body.status) renderStatus(r.body.status);
      if (r.body.transition) addTransition(r.body.transition);
      queueRefresh();
    } else {
      show('actions-error', describeError(r));
    }
  }

  function actionReason() { return $('action-reason').value; }

  function wireCommands() {
    $('force-form').addEventListener('submit', submitForce);
    $('release-override').addEventListener('click', () =>
      command('release', { target: 'override', reason: actionReason() }, (b) => 'Override released: now ' + b.status.mode + '.'));
    $('release-halt').addEventListener('click', () =>
      command('release', { target: 'halt', reason: actionReason() }, (b) => 'Halt released: now ' + b.status.mode + '.'));
    $('start-recovery').addEventListener('click', () =>
      command('recovery/start', { reason: actionReason() }, (b) => 'Recovery run ' + b.run_id + ' started.'));
    $('complete-recovery').addEventListener('click', () =>
      command('recovery/complete', { reason: actionReason() }, (b) => 'Recovery completed: now ' + b.status.mode + '.'));
  }

  function start() {
    wireCommands();
    loadOperator();
    refreshAll();
    loadHistory();
    connectEvents();
    setInterval(refreshAll, POLL_MS);
    setInterval(tickCountdown, 250);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
