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
  // How strict each mode is; a force below the strictest active condition loosens the gate.
  const SEVERITY = { normal: 0, recovering: 1, degraded: 2, safe_mode: 3, safe_mode_disconnected: 4, halt: 5 };
  const FIELD_INPUTS = { mode: 'force-mode', ttl_seconds: 'force-ttl', reason: 'force-reason' };
  const WRITE_CONTROLS = [
    'halt-open', 'release-halt-open', 'halt-reason', 'halt-confirm-text', 'release-reason', 'release-confirm-text',
    'force-mode', 'force-ttl', 'force-reason', 'force-submit', 'action-reason', 'release-override', 'start-recovery',
    'complete-recovery',
  ];
  const HALT_WORD = 'HALT';
  const RELEASE_WORD = 'RELEASE';
  const POLL_MS = 5000;
  const KILLSWITCH_POLL_MS = 1000;
  const MAX_TIMELINE = 200;

  const $ = (id) => document.getElementById(id);
  const state = {
    status: null, statusAt: 0, components: [], canWrite: false, writeKnown: false, writeReason: '',
    operatorId: null, seen: new Set(), refreshQueued: false, busy: false,
    // Messages that describe a state: cleared as soon as the state (its transition sequence) moves on.
    messages: new Map(),
    // Conditions the server said stand in the way, kept until the state changes.
    serverAck: { force: null, release: null },
  };

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
    return { ok: response.ok, status: response.status, statusText: response.statusText, body, url: response.url, redirected: response.redirected };
  }

  function post(path, payload) {
    return api(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload) });
  }

  function describeError(r) {
    if (r.status === 0) return 'The server could not be reached (' + (r.error || 'network error') + ').';
    const body = r.body || {};
    if (r.status === 401) return '401 ' + (body.title || 'Unauthorized') + ' ' + (body.detail || 'Sign in as an operator to do this.');
    if (r.status === 403) return '403 ' + (body.title || 'Forbidden') + ' ' + (body.detail || 'Your account may not change the degradation mode.');
    const lines = [r.status + ' ' + (body.title || r.statusText || 'Error')];
    if (body.detail) lines.push(body.detail);
    if (body.errors) {
      for (const field of Object.keys(body.errors)) {
        for (const message of body.errors[field]) lines.push(field + ': ' + message);
      }
    }
    if (body.current_sequence != null) lines.push('Current sequence: #' + body.current_sequence);
    return lines.join('\n');
  }

  function show(id, text) {
    const el = $(id);
    el.textContent = text || '';
    el.hidden = !text;
    if (!text) state.messages.delete(id);
  }

  /** Shows a message about the state at `sequence`; it is removed when the state moves past it. */
  function showAbout(id, text, sequence) {
    show(id, text);
    if (text && sequence != null) state.messages.set(id, sequence);
  }

  function clearStaleMessages(sequence) {
    for (const [id, about] of Array.from(state.messages)) {
      if (about !== sequence) show(id, '');
    }
  }

  // ---- formatting -------------------------------------------------------------------------

  const TIME_FORMAT = new Intl.DateTimeFormat(undefined, {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    hour12: false, timeZoneName: 'short',
  });

  /** A wall time with its time zone, e.g. "30/11/2026, 11:02:03 UTC". */
  function formatTime(iso) {
    if (!iso) return '–';
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? String(iso) : TIME_FORMAT.format(d);
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

  function modeLabel(mode) { return MODE_LABELS[mode] || mode; }

  // ---- active conditions ------------------------------------------------------------------

  /** Every active condition: from the status when the server lists them, else from the components. */
  function activeConditions() {
    const s = state.status;
    if (s && Array.isArray(s.active_conditions)) return s.active_conditions;
    const all = [];
    for (const c of state.components) {
      for (const x of c.conditions) all.push({ component: c.id, reason: x.reason, mode: x.mode, source: x.source || null, since: x.since });
    }
    return all;
  }

  /** The conditions stricter than `mode`: what a force to `mode` would loosen past. */
  function conditionsStricterThan(mode) {
    const limit = SEVERITY[mode];
    return activeConditions().filter((c) => SEVERITY[c.mode] > limit);
  }

  /** Halt conditions an operator did not raise: what a Halt release must acknowledge. */
  function haltConditionsToAcknowledge() {
    return activeConditions().filter((c) => c.mode === 'halt' && !(c.source && String(c.source).startsWith('operator')));
  }

  function renderAck(listId, fieldsetId, conditions, onChange) {
    const list = $(listId);
    const reasons = [];
    for (const c of conditions) if (!reasons.includes(c.reason)) reasons.push(c.reason);
    const key = JSON.stringify(conditions.map((c) => [c.component, c.reason, c.mode, c.source]));
    $(fieldsetId).hidden = reasons.length === 0;
    // Same conditions as shown: keep the boxes (and what the operator ticked) as they are.
    if (list.dataset.key === key) {
      for (const box of list.querySelectorAll('input')) box.disabled = !state.canWrite;
      return reasons;
    }
    list.dataset.key = key;
    const previous = new Set(Array.from(list.querySelectorAll('input:checked')).map((i) => i.value));
    list.replaceChildren(...reasons.map((reason) => {
      const which = conditions.filter((c) => c.reason === reason);
      const label = document.createElement('label');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.value = reason;
      box.name = listId;
      box.checked = previous.has(reason);
      box.disabled = !state.canWrite;
      box.addEventListener('change', onChange);
      const text = document.createElement('span');
      text.textContent = reason + ' → ' + which[0].mode + ' (' + which.map((c) => c.component + (c.source ? ' via ' + c.source : '')).join(', ') +
        ', since ' + formatTime(which[0].since) + ')';
      label.append(box, text);
      return label;
    }));
    return reasons;
  }

  function checkedReasons(listId) {
    return Array.from($(listId).querySelectorAll('input:checked')).map((i) => i.value);
  }

  function allChecked(listId) {
    return Array.from($(listId).querySelectorAll('input')).every((i) => i.checked);
  }

  // ---- rendering --------------------------------------------------------------------------

  function renderStatus(s) {
    const changed = !state.status || state.status.sequence !== s.sequence;
    state.status = s;
    state.statusAt = performance.now();
    for (const id of ['mode-badge', 'topbar-mode']) $(id).dataset.mode = s.mode;
    $('mode-label').textContent = modeLabel(s.mode);
    $('topbar-mode-label').textContent = modeLabel(s.mode) + (s.stage ? ' · ' + s.stage : '');
    const stage = $('stage');
    stage.hidden = !s.stage;
    stage.textContent = s.stage ? '(' + s.stage + ')' : '';
    $('override-tag').hidden = !s.is_override;
    $('level').textContent = s.level;
    $('level').dataset.level = s.level;
    $('reason').textContent = s.reason;
    $('sequence').textContent = '#' + s.sequence;
    $('recovery-run').textContent = s.recovery_run ? s.recovery_run + ' (' + s.recovery_trigger + ')' : '–';
    $('last-transition').textContent = s.last_transition
      ? describeTransition(s.last_transition) + ' · ' + formatTime(s.last_transition.timestamp)
      : '–';
    $('server-time').textContent = formatTime(s.server_time);
    const ttl = $('force-ttl');
    ttl.placeholder = s.override_ttl_bounds.min_seconds + '–' + s.override_ttl_bounds.max_seconds;
    ttl.title = 'Between ' + s.override_ttl_bounds.min_seconds + ' and ' + s.override_ttl_bounds.max_seconds + ' seconds';

    const banner = $('override-banner');
    if (s.override) {
      const o = s.override;
      $('override-text').textContent = modeLabel(o.mode) + ' forced by ' + o.operator_id +
        ' — “' + o.reason + '” (TTL ' + o.ttl_seconds + ' s, until ' + formatTime(o.expires_at) + ')';
      banner.dataset.mode = o.mode;
      banner.hidden = false;
      tickCountdown();
    } else {
      banner.hidden = true;
    }
    if (changed) {
      clearStaleMessages(s.sequence);
      state.serverAck.force = null;
      state.serverAck.release = null;
    }
    renderKillSwitch(s);
    renderWhyNotNormal(s);
    updateControls();
  }

  // What stands between the current mode and Normal (the status's why_not_normal), one line each.
  function renderWhyNotNormal(s) {
    const holds = Array.isArray(s.why_not_normal) ? s.why_not_normal : [];
    const list = $('why-not-normal-list');
    list.replaceChildren(...holds.map((h) => {
      const li = document.createElement('li');
      li.dataset.kind = h.kind;
      li.textContent = h.text;
      return li;
    }));
    $('why-not-normal').hidden = holds.length === 0;
  }

  function renderKillSwitch(s) {
    const outcomes = Array.isArray(s.kill_switch) ? s.kill_switch : [];
    const panel = $('killswitch-panel');
    if (outcomes.length === 0) {
      panel.hidden = true;
      return;
    }
    panel.hidden = false;
    const haltSequence = outcomes[0].halt_sequence;
    const running = outcomes.filter((o) => o.status === 'running').length;
    const failed = outcomes.filter((o) => o.status === 'failed' || o.status === 'timed_out').length;
    const by = s.operator_halt ? 'Halted by ' + s.operator_halt.operator_id + ' since ' + formatTime(s.operator_halt.since) +
      ' — “' + s.operator_halt.reason + '”. ' : '';
    $('killswitch-summary').textContent = by + 'Actions run on entering Halt #' + haltSequence + ': ' +
      (running ? running + ' running, ' : '') + (failed ? failed + ' failed or timed out, ' : '') +
      outcomes.filter((o) => o.status === 'succeeded').length + ' succeeded.' + (s.mode === 'halt' ? '' : ' (The system has left that Halt.)');
    $('killswitch-actions').replaceChildren(...outcomes.map((o) => {
      const item = document.createElement('li');
      item.dataset.action = o.name;
      item.dataset.status = o.status;
      const name = document.createElement('strong');
      name.textContent = o.name;
      const status = document.createElement('span');
      status.className = 'status';
      status.textContent = o.status.replace('_', ' ');
      const when = document.createElement('div');
      when.className = 'muted small';
      when.textContent = 'started ' + formatTime(o.started_at) + (o.completed_at ? ', finished ' + formatTime(o.completed_at) : '');
      item.append(name, status, when);
      if (o.details) {
        const details = document.createElement('div');
        details.className = 'small';
        details.textContent = o.details;
        item.append(details);
      }
      return item;
    }));
    if (running) setTimeout(queueRefresh, KILLSWITCH_POLL_MS);
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
    const parts = [];
    if (p.limits) {
      if (p.limits.max_order_quantity != null) parts.push('max order quantity ' + p.limits.max_order_quantity);
      if (p.limits.max_open_positions != null) parts.push('max open positions ' + p.limits.max_open_positions);
      if (p.limits.min_cash_reserve != null) parts.push('cash reserve ' + p.limits.min_cash_reserve);
      if (p.limits.prefer_closing) parts.push('closing orders preferred');
    }
    if (parts.length > 0) {
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
    state.components = c.components;
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
    updateControls();
  }

  function renderAlerts(a) {
    const open = a.alerts.filter((x) => x.state !== 'acknowledged').length;
    $('alerts-summary').textContent = !a.tracks_acknowledgements
      ? 'This host does not track alert acknowledgements.'
      : open === 0 ? 'No alert is waiting for acknowledgement.' : open + ' alert(s) waiting for acknowledgement.';
    $('alerts-body').replaceChildren(...a.alerts.map((alert) => {
      const row = document.createElement('tr');
      row.dataset.alert = String(alert.id);
      row.dataset.state = alert.state;
      const action = document.createElement('td');
      if (alert.state !== 'acknowledged') {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'btn btn-small ack-alert';
        button.dataset.alert = String(alert.id);
        button.textContent = 'Acknowledge';
        button.disabled = !state.canWrite || state.busy;
        if (!state.canWrite && state.writeKnown) button.title = state.writeReason;
        button.addEventListener('click', () => acknowledgeAlert(alert.id));
        action.append(button);
      }
      row.append(
        cell(String(alert.id)),
        cell(alert.severity, 'severity-' + alert.severity),
        cell(alert.title + (alert.message ? ' — ' + alert.message : '')),
        cell(alert.state + (alert.escalated_at ? ' (escalated ' + formatTime(alert.escalated_at) + ')' : '')),
        cell(formatTime(alert.deadline)),
        cell(alert.acknowledged_by ? alert.acknowledged_by + ' · ' + formatTime(alert.acknowledged_at) + (alert.note ? ' · ' + alert.note : '') : '–'),
        action);
      return row;
    }));
  }

  async function refreshAlerts() {
    const r = await api('alerts');
    if (!r.ok) { show('alerts-error', 'Cannot read the alerts: ' + describeError(r)); return; }
    show('alerts-error', '');
    renderAlerts(r.body);
  }

  async function acknowledgeAlert(id) {
    show('alerts-error', '');
    show('alerts-result', '');
    setBusy(true);
    try {
      const r = await post('alerts/' + encodeURIComponent(String(id)) + '/acknowledge', {});
      if (r.ok) {
        show('alerts-result', r.body.outcome === 'acknowledged'
          ? 'Alert #' + id + ' acknowledged by ' + r.body.alert.acknowledged_by + '.'
          : 'Alert #' + id + ' was already acknowledged by ' + r.body.alert.acknowledged_by + '.');
      } else {
        show('alerts-error', describeError(r));
      }
    } finally {
      setBusy(false);
      refreshAlerts();
    }
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

  // ---- controls ---------------------------------------------------------------------------

  /** Enables what the caller may do now, and says why something is disabled. */
  function updateControls() {
    const s = state.status;
    const writable = state.canWrite && !state.busy;
    for (const el of [...WRITE_CONTROLS.map($), ...document.querySelectorAll('.ack-alert')]) {
      el.disabled = !writable;
      if (!state.canWrite && state.writeKnown) el.title = state.writeReason;
    }
    if (!state.canWrite) return;

    const halted = s && s.mode === 'halt';
    const releaseOpen = $('release-halt-open');
    releaseOpen.disabled = state.busy || !halted;
    releaseOpen.title = halted ? 'Release the Halt (leads to recovering)' : 'Nothing is halted.';
    $('halt-submit').disabled = state.busy || $('halt-confirm-text').value !== HALT_WORD || !$('halt-reason').value.trim();

    // Release: what the server last said stands in the way, else what the page knows of.
    const releaseConditions = state.serverAck.release || haltConditionsToAcknowledge();
    renderAck('release-ack-list', 'release-ack', releaseConditions, updateControls);
    $('release-submit').disabled = state.busy || !halted || $('release-confirm-text').value !== RELEASE_WORD ||
      !$('release-reason').value.trim() || !allChecked('release-ack-list');

    // Force: tightening needs nothing more; loosening needs every condition in the way acknowledged; nothing leaves Halt.
    const target = $('force-mode').value;
    const forceConditions = halted ? [] : (state.serverAck.force || conditionsStricterThan(target));
    const loosening = renderAck('force-ack-list', 'force-ack', forceConditions, updateControls).length > 0;
    const acknowledged = allChecked('force-ack-list');
    const submit = $('force-submit');
    submit.disabled = state.busy || halted || (loosening && !acknowledged);
    submit.title = halted ? 'Halted: a force never leaves Halt. Use Release Halt first.' : '';
    const hint = $('force-hint');
    const why = halted
      ? 'The system is halted: a force never leaves Halt. Release the Halt first (top bar).'
      : loosening && !acknowledged ? 'Tick every condition above to loosen the gate to ' + modeLabel(target) + '.' : '';
    hint.hidden = !why;
    hint.textContent = why;
  }

  function setBusy(busy) {
    state.busy = busy;
    updateControls();
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
    refreshAlerts();
    renderComponents(components.body);
    renderPermissions(permissions.body);
    renderStatus(status.body);
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
    state.writeKnown = true;
    if (!r.ok) {
      state.canWrite = false;
      state.writeReason = 'Not signed in: the controls need an operator account.';
      $('operator').textContent = 'not signed in';
    } else {
      const me = r.body;
      state.canWrite = me.can_write;
      state.operatorId = me.operator_id;
      state.writeReason = me.can_write ? '' : (me.authenticated
        ? 'Read-only: ' + (me.operator_id || 'this account') + ' may watch but not change the mode; that needs ' + me.write_requirement + '.'
        : 'Not signed in: changing the mode needs ' + me.write_requirement + '.');
      $('operator').textContent = me.authenticated
        ? 'Signed in as ' + (me.operator_id || '?') + (me.can_write ? ' · operator' : ' · read-only')
        : 'not signed in · read-only';
      const logout = $('logout');
      logout.hidden = !(me.authenticated && me.logout_path);
      logout.dataset.path = me.logout_path || '';
    }
    const hint = $('write-hint');
    hint.hidden = state.canWrite;
    hint.textContent = state.canWrite ? '' : state.writeReason + ' The controls are disabled.';
    updateControls();
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

  function expectedSequence() { return state.status ? state.status.sequence : null; }

  /** A refusal (409) is about the state at its current sequence: keep its conditions and clear it when that moves on. */
  function showRefusal(errorId, r, which) {
    const body = r.body || {};
    if (r.status === 409 && Array.isArray(body.active_conditions) &&
        (body.refusal === 'acknowledgement_required' || body.refusal === 'stale_acknowledgement')) {
      state.serverAck[which] = body.active_conditions;
    }
    showAbout(errorId, describeError(r), r.status === 409 ? (body.current_sequence != null ? body.current_sequence : expectedSequence()) : null);
    if (r.status === 409) queueRefresh();
    updateControls();
  }

  async function submitForce(event) {
    event.preventDefault();
    clearFieldErrors();
    show('force-error', '');
    show('force-result', '');
    const ttlText = $('force-ttl').value.trim();
    const mode = $('force-mode').value;
    const payload = {
      mode,
      ttl_seconds: ttlText === '' ? null : Number(ttlText),
      reason: $('force-reason').value,
      expected_sequence: expectedSequence(),
    };
    const acknowledge = checkedReasons('force-ack-list');
    if (acknowledge.length > 0) payload.acknowledge = acknowledge;
    const button = $('force-submit');
    setBusy(true);
    button.textContent = 'Applying...';
    try {
      const r = await post('force', payload);
      if (r.ok) {
        renderStatus(r.body.status);
        showAbout('force-result', 'Override applied: ' + modeLabel(r.body.mode) + ' until ' + formatTime(r.body.expires_at) + '.', r.body.status.sequence);
        addTransition(r.body.transition);
        queueRefresh();
      } else {
        showFieldErrors(r.body);
        showRefusal('force-error', r, 'force');
      }
    } finally {
      button.textContent = 'Force Override';
      setBusy(false);
    }
  }

  async function command(path, payload, describe) {
    show('actions-error', '');
    show('actions-result', '');
    setBusy(true);
    try {
      const r = await post(path, payload);
      if (r.ok) {
        if (r.body.status) renderStatus(r.body.status);
        showAbout('actions-result', describe(r.body), r.body.status ? r.body.status.sequence : null);
        if (r.body.transition) addTransition(r.body.transition);
        queueRefresh();
      } else {
        showRefusal('actions-error', r, 'actions');
      }
    } finally {
      setBusy(false);
    }
  }

  function actionReason() { return $('action-reason').value; }

  function openConfirm(id) {
    for (const other of ['halt-confirm', 'release-confirm']) $(other).hidden = other !== id;
    updateControls();
    $(id === 'halt-confirm' ? 'halt-reason' : 'release-reason').focus();
  }

  function closeConfirm(id) {
    $(id).hidden = true;
    if (id === 'halt-confirm') { $('halt-confirm-text').value = ''; show('halt-error', ''); }
    else { $('release-confirm-text').value = ''; show('release-error', ''); }
  }

  async function submitHalt() {
    if ($('halt-confirm-text').value !== HALT_WORD) return;
    show('halt-error', '');
    setBusy(true);
    try {
      // No expected sequence: a Halt only tightens, so it must never be refused because the state moved.
      const r = await post('halt', { reason: $('halt-reason').value });
      if (r.ok) {
        closeConfirm('halt-confirm');
        $('halt-reason').value = '';
        renderStatus(r.body.status);
        showAbout('command-result', 'Halted by ' + (r.body.transition ? r.body.transition.operator_id : state.operatorId) +
          ' at ' + formatTime(r.body.transition ? r.body.transition.timestamp : r.body.status.server_time) +
          '. The kill-switch actions\u2019 outcomes appear in the Kill switch panel as they finish.', r.body.status.sequence);
        warnIfNotDurable(r.body);
        if (r.body.transition) addTransition(r.body.transition);
        queueRefresh();
      } else {
        showRefusal('halt-error', r, 'halt');
      }
    } finally {
      setBusy(false);
    }
  }

  async function submitRelease() {
    if ($('release-confirm-text').value !== RELEASE_WORD) return;
    show('release-error', '');
    const payload = { reason: $('release-reason').value, expected_sequence: expectedSequence() };
    const acknowledge = checkedReasons('release-ack-list');
    if (acknowledge.length > 0) payload.acknowledge = acknowledge;
    setBusy(true);
    try {
      const r = await post('release-halt', payload);
      if (r.ok) {
        closeConfirm('release-confirm');
        $('release-reason').value = '';
        renderStatus(r.body.status);
        showAbout('command-result', 'Halt released: now ' + r.body.status.mode + (r.body.status.stage ? '/' + r.body.status.stage : '') + '.', r.body.status.sequence);
        warnIfNotDurable(r.body);
        if (r.body.transition) addTransition(r.body.transition);
        queueRefresh();
      } else {
        showRefusal('release-error', r, 'release');
      }
    } finally {
      setBusy(false);
    }
  }

  /** A command in force here but not stored durably must not go unnoticed: it would not survive a restart. */
  function warnIfNotDurable(body) {
    if (body.durable !== false) return;
    showAbout('durability-warning', 'Warning: ' + (body.message || 'the command is in force in this process but could not be stored durably.') +
      ' It will not survive a restart of the server.', body.status ? body.status.sequence : null);
  }

  async function logout() {
    const path = $('logout').dataset.path;
    if (!path) return;
    const r = await api(path, { method: 'POST' });
    // The host usually redirects to its sign-in page; otherwise reload, which asks again who we are.
    if (r.redirected && r.url) window.location.assign(r.url);
    else window.location.reload();
  }

  function wireCommands() {
    $('force-form').addEventListener('submit', submitForce);
    $('force-mode').addEventListener('change', () => { state.serverAck.force = null; updateControls(); });
    $('release-override').addEventListener('click', () =>
      command('release', { target: 'override', reason: actionReason(), expected_sequence: expectedSequence() },
        (b) => 'Override released: now ' + b.status.mode + '.'));
    $('start-recovery').addEventListener('click', () =>
      command('recovery/start', { reason: actionReason() }, (b) => 'Recovery run ' + b.run_id + ' started.'));
    $('complete-recovery').addEventListener('click', () =>
      command('recovery/complete', { reason: actionReason() }, (b) => 'Recovery completed: now ' + b.status.mode + '.'));
    $('halt-open').addEventListener('click', () => openConfirm('halt-confirm'));
    $('halt-cancel').addEventListener('click', () => closeConfirm('halt-confirm'));
    $('halt-submit').addEventListener('click', submitHalt);
    $('release-halt-open').addEventListener('click', () => openConfirm('release-confirm'));
    $('release-cancel').addEventListener('click', () => closeConfirm('release-confirm'));
    $('release-submit').addEventListener('click', submitRelease);
    for (const id of ['halt-reason', 'halt-confirm-text', 'release-reason', 'release-confirm-text']) $(id).addEventListener('input', updateControls);
    $('logout').addEventListener('click', logout);
  }

  function start() {
    wireCommands();
    updateControls();
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
