// Scope tree panel of the operator dashboard: every scope (process -> venue -> account -> strategy) with its own mode,
// the effective mode its gate applies (and which ancestor imposes it), whether it may send orders, and per scope the
// Halt and Release Halt controls behind a typed confirmation. Self-contained like the health report panel: it builds its
// own section and polls GET scopes. Plain JS, no third-party code; text only via textContent.
// Fail closed in the view: when the tree cannot be read, every row is marked unknown instead of showing stale modes.
'use strict';

(() => {
  const POLL_MS = 2000;
  let canWrite = false;
  let pending = null; // { path, action }

  function el(tag, attributes, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function build() {
    const section = el('section', { id: 'scope-tree-panel', class: 'card wide', 'aria-labelledby': 'scope-tree-title' });
    section.appendChild(el('h2', { id: 'scope-tree-title' }, 'Scopes'));
    section.appendChild(el('p', { class: 'muted small' },
      'Each scope trades under the strictest of its own mode and its ancestors\u2019. Halting a scope stops it and everything under it; other scopes keep trading.'));
    section.appendChild(el('div', { id: 'scope-tree-error', class: 'alert alert-error', role: 'alert', hidden: '' }));

    const confirm = el('div', { id: 'scope-confirm', class: 'confirm', role: 'group', 'aria-labelledby': 'scope-confirm-title', hidden: '' });
    confirm.appendChild(el('h3', { id: 'scope-confirm-title' }, ''));
    confirm.appendChild(el('p', { id: 'scope-confirm-text', class: 'muted' }, ''));
    const fields = el('div', { class: 'confirm-fields' });
    fields.appendChild(el('label', { for: 'scope-reason' }, 'Reason'));
    fields.appendChild(el('input', { id: 'scope-reason', type: 'text', autocomplete: 'off', placeholder: 'Why?' }));
    fields.appendChild(el('label', { id: 'scope-typed-label', for: 'scope-typed' }, ''));
    fields.appendChild(el('input', { id: 'scope-typed', type: 'text', autocomplete: 'off', spellcheck: 'false' }));
    confirm.appendChild(fields);
    const buttons = el('div', { class: 'buttons' });
    buttons.appendChild(el('button', { id: 'scope-submit', type: 'button', class: 'btn', disabled: '' }, ''));
    buttons.appendChild(el('button', { id: 'scope-cancel', type: 'button', class: 'btn' }, 'Cancel'));
    confirm.appendChild(buttons);
    confirm.appendChild(el('div', { id: 'scope-command-error', class: 'alert alert-error', role: 'alert', hidden: '' }));
    section.appendChild(confirm);
    section.appendChild(el('div', { id: 'scope-command-result', class: 'alert alert-ok', role: 'status', hidden: '' }));

    const table = el('table', { class: 'components scope-tree' });
    const head = el('thead');
    const row = el('tr');
    for (const heading of ['Scope', 'Level', 'Own mode', 'Effective mode', 'Send', 'Reason', 'Controls']) row.appendChild(el('th', {}, heading));
    head.appendChild(row);
    table.appendChild(head);
    table.appendChild(el('tbody', { id: 'scope-tree' }));
    section.appendChild(table);
    (document.querySelector('main') || document.body).appendChild(section);

    document.getElementById('scope-reason').addEventListener('input', updateSubmit);
    document.getElementById('scope-typed').addEventListener('input', updateSubmit);
    document.getElementById('scope-cancel').addEventListener('click', closeConfirm);
    document.getElementById('scope-submit').addEventListener('click', submit);
  }

  function label(path) { return path === '' ? '(process)' : path; }
  function word(action) { return action === 'halt' ? 'HALT' : 'RELEASE'; }

  function modeText(mode, stage) { return stage ? mode + ' / ' + stage : mode; }

  let rendered = '';

  function render(scopes) {
    // Re-render only on a change, so a control is not replaced under the operator's pointer by a poll.
    const signature = JSON.stringify([canWrite, scopes]);
    if (signature === rendered) return;
    rendered = signature;
    const body = document.getElementById('scope-tree');
    body.replaceChildren();
    for (const s of scopes) {
      const send = s.allowed_actions.includes('send');
      const halted = s.mode === 'halt';
      const row = el('tr', {
        'data-scope': s.path, 'data-level': s.level, 'data-mode': s.mode, 'data-effective-mode': s.effective_mode,
        'data-governed-by': s.governed_by, 'data-send': String(send), 'data-override': String(s.is_override),
      });
      const depth = { process: 0, venue: 1, account: 2, strategy: 3 }[s.level] || 0;
      const name = el('td', { class: 'scope-name' }, s.path === '' ? 'process' : s.name);
      name.style.paddingLeft = (0.5 + depth * 1.5) + 'rem';
      name.title = label(s.path);
      row.appendChild(name);
      row.appendChild(el('td', {}, s.level));
      row.appendChild(el('td', { class: 'scope-own' }, modeText(s.mode, s.stage) + (s.is_override ? ' (override)' : '')));
      const effective = el('td', { class: 'scope-effective' }, modeText(s.effective_mode, s.effective_stage));
      if (s.governed_by !== s.path) effective.appendChild(el('span', { class: 'muted' }, ' from ' + label(s.governed_by)));
      row.appendChild(effective);
      row.appendChild(el('td', { class: 'scope-send' }, send ? 'allowed' : 'refused'));
      row.appendChild(el('td', {}, s.reason));
      const controls = el('td', { class: 'scope-controls' });
      if (s.path !== '') { // the process's own kill switch is the top bar's HALT
        const halt = el('button', { type: 'button', class: 'btn btn-small btn-halt', 'data-action': 'halt' }, 'Halt');
        const release = el('button', { type: 'button', class: 'btn btn-small btn-release', 'data-action': 'release' }, 'Release Halt');
        halt.disabled = !canWrite || halted;
        release.disabled = !canWrite || !halted;
        halt.addEventListener('click', () => openConfirm(s.path, 'halt'));
        release.addEventListener('click', () => openConfirm(s.path, 'release'));
        controls.appendChild(halt);
        controls.appendChild(release);
      }
      row.appendChild(controls);
      body.appendChild(row);
    }
  }

  function openConfirm(path, action) {
    pending = { path, action };
    const box = document.getElementById('scope-confirm');
    document.getElementById('scope-confirm-title').textContent = (action === 'halt' ? 'Halt scope ' : 'Release the Halt of scope ') + path;
    document.getElementById('scope-confirm-text').textContent = action === 'halt'
      ? 'Every action of ' + path + ' and the scopes under it is refused until an operator releases it. Other scopes keep trading.'
      : path + ' does not trade at once: it goes to recovering and earns its way back.';
    document.getElementById('scope-typed-label').textContent = 'Type ' + word(action) + ' to confirm';
    document.getElementById('scope-reason').value = '';
    document.getElementById('scope-typed').value = '';
    const submit = document.getElementById('scope-submit');
    submit.textContent = action === 'halt' ? 'Halt ' + path : 'Release ' + path;
    submit.className = 'btn ' + (action === 'halt' ? 'btn-halt' : 'btn-release');
    document.getElementById('scope-command-error').hidden = true;
    box.hidden = false;
    updateSubmit();
    document.getElementById('scope-reason').focus();
  }

  function closeConfirm() {
    pending = null;
    document.getElementById('scope-confirm').hidden = true;
  }

  function updateSubmit() {
    const ready = pending !== null && canWrite
      && document.getElementById('scope-reason').value.trim() !== ''
      && document.getElementById('scope-typed').value === word(pending.action);
    document.getElementById('scope-submit').disabled = !ready;
  }

  async function submit() {
    if (!pending) return;
    const { path, action } = pending;
    const reason = document.getElementById('scope-reason').value.trim();
    const payload = action === 'halt' ? { reason } : { reason, target: 'halt' };
    const error = document.getElementById('scope-command-error');
    const result = document.getElementById('scope-command-result');
    document.getElementById('scope-submit').disabled = true;
    let response;
    let body = null;
    try {
      response = await fetch('scopes/' + path.split('/').map(encodeURIComponent).join('/') + '/' + action, {
        method: 'POST', credentials: 'same-origin', cache: 'no-store',
        headers: { Accept: 'application/json', 'Content-Type': 'application/json' }, body: JSON.stringify(payload),
      });
      try { body = await response.json(); } catch (e) { body = null; }
    } catch (e) {
      error.textContent = 'The server could not be reached (' + e + ').';
      error.hidden = false;
      updateSubmit();
      return;
    }
    if (response.ok && body && body.accepted) {
      result.textContent = body.message;
      result.hidden = false;
      closeConfirm();
    } else {
      // A refusal (409) says why; nothing changed, so the confirmation stays open for a corrected retry.
      const lines = [response.status + ' ' + ((body && (body.title || body.refusal)) || response.statusText)];
      if (body && body.message) lines.push(body.message);
      if (body && body.detail) lines.push(body.detail);
      if (body && body.errors) for (const field of Object.keys(body.errors)) for (const m of body.errors[field]) lines.push(field + ': ' + m);
      error.textContent = lines.join('\n');
      error.hidden = false;
      updateSubmit();
    }
    await refresh();
  }

  async function refresh() {
    const error = document.getElementById('scope-tree-error');
    try {
      const response = await fetch('scopes', { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' } });
      if (!response.ok) throw new Error(response.status + ' ' + response.statusText);
      render((await response.json()).scopes);
      error.hidden = true;
    } catch (e) {
      rendered = '';
      for (const row of document.querySelectorAll('#scope-tree tr')) {
        row.setAttribute('data-effective-mode', 'unknown');
        row.setAttribute('data-send', 'unknown');
        const cell = row.querySelector('.scope-send');
        if (cell) cell.textContent = 'unknown';
      }
      error.textContent = 'Scopes unavailable: ' + e.message;
      error.hidden = false;
    }
  }

  async function loadOperator() {
    try {
      const response = await fetch('me', { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' } });
      canWrite = response.ok && (await response.json()).can_write === true;
    } catch (e) {
      canWrite = false;
    }
  }

  async function start() {
    build();
    await loadOperator();
    await refresh();
    setInterval(refresh, POLL_MS);
    window.degradationScopeTree = { refresh };
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
