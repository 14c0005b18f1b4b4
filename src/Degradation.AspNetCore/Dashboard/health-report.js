// Health report panel of the operator dashboard: overall status, whether trading is possible, every component
// with its category, 503 detection and fallback (strategy, description, impact), the issues, circuit breakers
// and fallback chains. Self-contained: it builds its own section (and loads its own stylesheet), so the page
// needs only the one <script> line that includes it. Plain JS, no third-party code; text only via textContent.
'use strict';

(() => {
  const POLL_MS = 5000;
  const STATUS_LABELS = { fully_operational: 'Fully operational', degraded: 'Degraded', paused: 'Paused' };

  function el(tag, attributes, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function table(id, headings) {
    const t = el('table', { class: 'health-table' });
    const head = el('thead');
    const row = el('tr');
    for (const heading of headings) row.appendChild(el('th', {}, heading));
    head.appendChild(row);
    t.appendChild(head);
    t.appendChild(el('tbody', { id }));
    return t;
  }

  function build() {
    const link = el('link', { rel: 'stylesheet', href: 'health-report.css' });
    document.head.appendChild(link);

    const section = el('section', { id: 'health-report-panel', class: 'card wide', 'aria-labelledby': 'health-title' });
    section.appendChild(el('h2', { id: 'health-title' }, 'Health Report'));
    const summary = el('div', { class: 'health-summary' });
    summary.appendChild(el('span', { id: 'health-overall', class: 'health-overall', 'data-status': '' }, 'Loading…'));
    summary.appendChild(el('span', { id: 'health-can-trade', class: 'health-can-trade', 'data-can-trade': '' }, ''));
    section.appendChild(summary);
    section.appendChild(el('div', { id: 'health-error', class: 'alert alert-error', role: 'alert', hidden: '' }));

    section.appendChild(el('h3', {}, 'Components'));
    section.appendChild(table('health-components', ['Component', 'Category', 'Status', '503', 'Fallback', 'Impact', 'Issues']));
    section.appendChild(el('h3', {}, 'Active fallbacks'));
    section.appendChild(el('ul', { id: 'health-fallbacks', class: 'health-list' }));
    section.appendChild(el('h3', {}, 'Critical issues'));
    section.appendChild(el('ul', { id: 'health-critical-issues', class: 'health-list health-critical' }));
    section.appendChild(el('h3', {}, 'Optional issues'));
    section.appendChild(el('ul', { id: 'health-optional-issues', class: 'health-list' }));
    section.appendChild(el('h3', {}, 'Circuit breakers'));
    section.appendChild(table('health-breakers', ['Component', 'State', 'Window failures', 'Times opened', 'Note']));
    section.appendChild(el('h3', {}, 'Fallback chains'));
    section.appendChild(table('health-chains', ['Chain', 'Primary', 'Serving tier', 'Primary traffic', 'Pending approvals']));

    (document.querySelector('main') || document.body).appendChild(section);
  }

  function fillList(id, items, empty) {
    const list = document.getElementById(id);
    list.replaceChildren();
    if (items.length === 0) list.appendChild(el('li', { class: 'muted' }, empty));
    for (const item of items) list.appendChild(el('li', { 'data-item': item }, item));
  }

  function render(report) {
    const overall = document.getElementById('health-overall');
    overall.setAttribute('data-status', report.overall_status);
    overall.textContent = STATUS_LABELS[report.overall_status] || report.overall_status;
    const canTrade = document.getElementById('health-can-trade');
    canTrade.setAttribute('data-can-trade', String(report.can_trade));
    canTrade.textContent = report.can_trade ? 'Trading possible' : 'Trading paused';

    const components = document.getElementById('health-components');
    components.replaceChildren();
    for (const [id, c] of Object.entries(report.components)) {
      const row = el('tr', {
        'data-component': id, 'data-status': c.status, 'data-category': c.category,
        'data-is-503': String(c.is_503), 'data-fallback-active': String(!!(c.fallback && c.fallback.active)),
      });
      row.appendChild(el('td', {}, id));
      row.appendChild(el('td', {}, c.category));
      row.appendChild(el('td', {}, c.status));
      row.appendChild(el('td', { class: 'health-503' }, c.is_503 ? '503' : ''));
      const fallback = el('td', { class: 'health-fallback' });
      if (c.fallback) {
        fallback.appendChild(el('strong', {}, c.fallback.strategy + (c.fallback.active ? ' (active)' : '')));
        if (c.fallback.description) fallback.appendChild(el('div', { class: 'muted' }, c.fallback.description));
      }
      row.appendChild(fallback);
      row.appendChild(el('td', { class: 'health-impact' }, c.fallback && c.fallback.impact ? c.fallback.impact : ''));
      const issues = el('td', { class: 'health-issues' }, c.issues.join('; '));
      if (c.failure_type) {
        const t = c.failure_type;
        issues.appendChild(el('div', { class: 'muted health-failure-type', 'data-type': t.type },
          t.type + ' · detected by ' + t.detection.replace(/_/g, ' ') + ' · typically ' + t.typical_recovery_minutes + ' min' +
          (t.requires_manual_intervention ? ' · needs an operator' : '')));
      }
      row.appendChild(issues);
      components.appendChild(row);
    }

    fillList('health-fallbacks', report.fallback_strategies, 'none');
    fillList('health-critical-issues', report.critical_issues, 'none');
    fillList('health-optional-issues', report.optional_issues, 'none');

    const breakers = document.getElementById('health-breakers');
    breakers.replaceChildren();
    for (const b of report.breakers) {
      const row = el('tr', { 'data-component': b.component, 'data-state': b.state });
      row.appendChild(el('td', {}, b.component));
      row.appendChild(el('td', {}, b.state));
      row.appendChild(el('td', {}, b.window_failures + ' / ' + b.window_calls));
      row.appendChild(el('td', {}, b.times_opened));
      row.appendChild(el('td', {}, b.isolated_by ? 'isolated by ' + b.isolated_by + (b.isolation_reason ? ': ' + b.isolation_reason : '') : ''));
      breakers.appendChild(row);
    }

    const chains = document.getElementById('health-chains');
    chains.replaceChildren();
    for (const c of report.fallback_chains) {
      const row = el('tr', { 'data-chain': c.name, 'data-primary': c.primary_state, 'data-active-tier': c.active_tier || '' });
      row.appendChild(el('td', {}, c.name));
      row.appendChild(el('td', {}, c.primary_state));
      row.appendChild(el('td', {}, c.active_tier || 'none'));
      row.appendChild(el('td', {}, c.primary_traffic_percent + '%'));
      row.appendChild(el('td', {}, c.pending_approvals.join(', ')));
      chains.appendChild(row);
    }
  }

  async function refresh() {
    const error = document.getElementById('health-error');
    try {
      const response = await fetch('health-report', { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' } });
      if (!response.ok) throw new Error(response.status + ' ' + response.statusText);
      render(await response.json());
      error.hidden = true;
    } catch (e) {
      // Fail visibly: a stale panel must not look current.
      document.getElementById('health-overall').setAttribute('data-status', 'unknown');
      document.getElementById('health-overall').textContent = 'Unknown';
      error.textContent = 'Health report unavailable: ' + e.message;
      error.hidden = false;
    }
  }

  function start() {
    build();
    refresh();
    setInterval(refresh, POLL_MS);
    window.degradationHealthReport = { refresh };
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
