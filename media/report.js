// The report view's script: draws the data the extension posts (totals, top breakers, the
// unsuccessful packages, the timeline of the build slots and the broken-dependency graph as
// SVG) and posts back the links the user follows. Plain DOM, no libraries; text always goes in
// as text nodes, never as markup.
// @ts-check
(function () {
  'use strict';
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();
  const SVG = 'http://www.w3.org/2000/svg';
  /** @type {any} */
  let data;

  /** @param {string} id */
  const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

  /**
   * @param {string} tag
   * @param {Record<string, string>} [attrs]
   * @param {(Node | string | undefined)[]} [children]
   */
  function el(tag, attrs = {}, children = []) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    for (const c of children) if (c !== undefined) e.append(c);
    return e;
  }

  /**
   * @param {string} tag
   * @param {Record<string, string | number>} [attrs]
   */
  function svg(tag, attrs = {}) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    return e;
  }

  /** @param {string} text @param {any} message */
  function link(text, message, title) {
    const a = el('a', { href: '#', role: 'link', title: title || '' }, [text]);
    a.addEventListener('click', (ev) => {
      ev.preventDefault();
      vscode.postMessage(message);
    });
    return a;
  }

  /** @param {number} ms */
  function duration(ms) {
    const s = Math.round(ms / 1000);
    if (s < 60) return `${s} s`;
    const m = Math.floor(s / 60);
    if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
    return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
  }

  /** @param {number} n @param {string} one */
  const plural = (n, one) => `${n} ${one}${n === 1 ? '' : 's'}`;

  /** The word for a state, as every view says it (the extension sends them). @param {string} state */
  const word = (state) => (data && data.words && data.words[state]) || state;

  function renderHeader() {
    $('title').textContent = data.title;
    const parts = [data.bulklog];
    if (data.compiler) parts.push(`compiler ${data.compiler}`);
    if (data.buildStart) parts.push(`started ${data.buildStart}`);
    if (data.buildEnd) parts.push(`ended ${data.buildEnd}`);
    else if (data.live) parts.push('building now');
    else if (!data.finished) parts.push('not finished');
    if (data.problems > 0) parts.push(`${plural(data.problems, 'problem')} reading the bulklog`);
    $('meta').textContent = parts.join(' · ');
  }

  function renderTotals() {
    $('summary').textContent = data.summary;
    const t = $('totals');
    t.replaceChildren();
    for (const row of data.totals) {
      t.append(
        el('tr', { class: `state-${row.state}` }, [
          el('td', {}, [el('span', { class: 'swatch' }), row.label]),
          el('td', { class: 'num' }, [String(row.count)]),
        ]),
      );
    }
    t.append(
      el('tr', { class: 'total' }, [
        el('td', {}, ['Total']),
        el('td', { class: 'num' }, [String(data.totals.reduce((/** @type {number} */ a, /** @type {any} */ r) => a + r.count, 0))]),
      ]),
    );
    // The state filter offers the states of the unsuccessful packages, in the same words.
    const select = /** @type {HTMLSelectElement} */ ($('state-filter'));
    const chosen = select.value;
    const states = ['failed', 'prefailed', 'indirect-failed', 'indirect-prefailed'];
    select.replaceChildren(el('option', { value: '' }, ['every state']), ...states.map((s) => el('option', { value: s }, [word(s)])));
    select.value = chosen;
  }

  /** @param {any} r */
  function locationCell(r) {
    return el('td', {}, [r.location ? link(r.location, { type: 'openMakefile', location: r.location }, `Open ${r.location}/Makefile`) : '']);
  }

  /** @param {any} r */
  function packageCell(r) {
    return el('td', {}, [
      r.hasLog || r.state === 'failed' ? link(r.pkgname, { type: 'openLog', pkgname: r.pkgname }, `Show the log of ${r.pkgname}`) : r.pkgname,
    ]);
  }

  function renderBreakers() {
    const t = $('breakers');
    t.replaceChildren();
    if (data.topBreakers.length === 0) {
      t.append(el('tr', {}, [el('td', { class: 'note' }, ['No failed package breaks another one.'])]));
      return;
    }
    t.append(el('tr', {}, [el('th', {}, ['Location']), el('th', {}, ['Package']), el('th', { class: 'num' }, ['Breaks']), el('th', {}, ['Maintainer'])]));
    for (const r of data.topBreakers) {
      t.append(
        el('tr', { class: 'row' }, [locationCell(r), packageCell(r), el('td', { class: 'num' }, [String(r.breaks)]), el('td', {}, [r.maintainer || ''])]),
      );
    }
  }

  /** @param {any} r */
  function detailOf(r) {
    if (r.firstError) return r.firstError;
    if (r.culprits) return `because of ${r.culprits.join(', ')}`;
    if (r.reasons) return r.reasons.join(' ');
    return '';
  }

  function renderFailures() {
    const t = $('failures');
    const text = /** @type {HTMLInputElement} */ ($('filter')).value.trim().toLowerCase();
    const state = /** @type {HTMLSelectElement} */ ($('state-filter')).value;
    t.replaceChildren();
    const rows = data.failures.filter(
      (/** @type {any} */ r) => (!state || r.state === state) && (!text || `${r.pkgname} ${r.location || ''} ${detailOf(r)}`.toLowerCase().includes(text)),
    );
    if (data.failures.length === 0) {
      t.append(el('tr', {}, [el('td', { class: 'note' }, ['Every package built.'])]));
      return;
    }
    t.append(
      el('tr', {}, [
        el('th', {}, ['Location']),
        el('th', {}, ['Package']),
        el('th', {}, ['State']),
        el('th', {}, ['Phase']),
        el('th', { class: 'num' }, ['Breaks']),
        el('th', {}, ['Why']),
        el('th', {}, ['']),
      ]),
    );
    for (const r of rows.slice(0, 2000)) {
      const rebuild = r.state === 'failed' ? link('rebuild', { type: 'rebuild', pkgname: r.pkgname }, `Build ${r.pkgname} again`) : undefined;
      t.append(
        el('tr', { class: `row state-${r.state}` }, [
          locationCell(r),
          packageCell(r),
          el('td', { class: 'state' }, [word(r.state)]),
          el('td', {}, [r.phase || '']),
          el('td', { class: 'num' }, [r.breaks ? String(r.breaks) : '']),
          el('td', { class: 'message' }, [detailOf(r)]),
          el('td', {}, [rebuild]),
        ]),
      );
    }
    if (rows.length > 2000) t.append(el('tr', {}, [el('td', { class: 'note', colspan: '7' }, [`${rows.length - 2000} more: narrow the filter.`])]));
  }

  function renderTimeline() {
    const box = $('timeline');
    box.replaceChildren();
    const tl = data.timeline;
    if (tl.entries.length === 0 && tl.running.length === 0) {
      box.append(el('p', { class: 'note' }, ['No timing in this bulklog: pbulk records none. Builds run by pkgsrc-bulk write meta/timeline.']));
      return;
    }
    const lane = 22;
    const labels = tl.labels || [];
    // Lanes named after client hosts need room for the name.
    const left = Math.min(200, Math.max(60, ...labels.map((l) => l.length * 7 + 10)));
    const width = Math.max(600, box.clientWidth - 10);
    const plot = width - left - 10;
    const span = Math.max(1000, tl.end - tl.start);
    const x = (/** @type {number} */ t) => left + ((t - tl.start) / span) * plot;
    const height = tl.slots * lane + 30;
    const s = svg('svg', { width, height, role: 'img', 'aria-label': `Timeline of ${plural(tl.slots, 'build slot')}` });
    for (let k = 0; k < tl.slots; k++) {
      s.append(svg('rect', { class: 'lane', x: left, y: k * lane + 2, width: plot, height: lane - 4 }));
      const label = svg('text', { x: 4, y: k * lane + lane / 2 + 4 });
      label.textContent = labels[k] || `slot ${k}`;
      s.append(label);
    }
    /** @param {{pkgname: string, slot: number, start: number, end: number, state: string}} e @param {boolean} running */
    const bar = (e, running) => {
      const g = svg('g', { class: `state-${e.state}` });
      const r = svg('rect', {
        class: `bar${running ? ' running' : ''}`,
        x: x(e.start),
        y: e.slot * lane + 3,
        width: Math.max(1.5, x(e.end) - x(e.start)),
        height: lane - 6,
        tabindex: 0,
      });
      const title = svg('title');
      title.textContent = `${e.pkgname}: ${word(running ? 'in_processing' : e.state)}, ${duration(e.end - e.start)}`;
      r.append(title);
      r.addEventListener('click', () => vscode.postMessage({ type: 'openLog', pkgname: e.pkgname }));
      g.append(r);
      // A name where it fits.
      if (x(e.end) - x(e.start) > e.pkgname.length * 6 + 8) {
        const t = svg('text', { x: x(e.start) + 4, y: e.slot * lane + lane / 2 + 4, 'pointer-events': 'none' });
        t.textContent = e.pkgname;
        g.append(t);
      }
      s.append(g);
    };
    for (const e of tl.entries) bar(e, false);
    const now = tl.end;
    for (const r of tl.running) bar({ pkgname: r.pkgname, slot: r.slot, start: r.start, end: now, state: 'in_processing' }, true);
    const axisY = tl.slots * lane + 6;
    s.append(svg('line', { class: 'axis', x1: left, y1: axisY, x2: left + plot, y2: axisY }));
    const step = [1, 5, 10, 30, 60, 300, 600, 1800, 3600, 7200, 21600].map((v) => v * 1000).find((v) => span / v <= 10) || 43_200_000;
    for (let t = 0; t <= span; t += step) {
      const tick = svg('text', { class: 'tick', x: x(tl.start + t), y: axisY + 14, 'text-anchor': 'middle' });
      tick.textContent = t === 0 ? '0' : duration(t);
      s.append(tick);
    }
    box.append(s);
    box.append(
      el('p', { class: 'note' }, [
        `${plural(tl.entries.length, 'package build')} over ${duration(span)}${tl.running.length ? `, ${tl.running.length} building now` : ''}.`,
      ]),
    );
    if (tl.hosts && tl.hosts.length > 0) {
      const cap = (/** @type {string} */ s) => s.charAt(0).toUpperCase() + s.slice(1);
      const head = el(
        'tr',
        {},
        ['Client host', cap(word('done')), cap(word('failed')), cap(word('in_processing')), 'Busy'].map((h) => el('th', {}, [h])),
      );
      const rows = tl.hosts.map((h) =>
        el(
          'tr',
          {},
          [h.host, String(h.done), String(h.failed), String(h.building), duration(h.busyMs)].map((v) => el('td', {}, [v])),
        ),
      );
      box.append(el('table', { class: 'hosts', 'aria-label': 'Packages per client host' }, [head, ...rows]));
    }
  }

  /** Layers by longest path from the roots; order in a layer by the mean position of the parents. */
  function layout(/** @type {any} */ g) {
    const ids = g.nodes.map((/** @type {any} */ n) => n.id);
    const incoming = new Map(ids.map((/** @type {string} */ id) => [id, /** @type {string[]} */ ([])]));
    const outgoing = new Map(ids.map((/** @type {string} */ id) => [id, /** @type {string[]} */ ([])]));
    for (const e of g.edges) {
      incoming.get(e.to)?.push(e.from);
      outgoing.get(e.from)?.push(e.to);
    }
    /** @type {Map<string, number>} */
    const layer = new Map();
    const visiting = new Set();
    /** @param {string} id @returns {number} */
    const depth = (id) => {
      const known = layer.get(id);
      if (known !== undefined) return known;
      if (visiting.has(id)) return 0; // A cycle cannot be in pbulk's graph; do not loop on one.
      visiting.add(id);
      const parents = incoming.get(id) || [];
      const d = parents.length === 0 ? 0 : 1 + Math.max(...parents.map(depth));
      visiting.delete(id);
      layer.set(id, d);
      return d;
    };
    ids.forEach(depth);
    /** @type {string[][]} */
    const layers = [];
    for (const id of ids) (layers[layer.get(id) || 0] ||= []).push(id);
    /** @type {Map<string, number>} */
    const pos = new Map();
    layers.forEach((l, k) => {
      if (k > 0) {
        const mean = (/** @type {string} */ id) => {
          const ps = (incoming.get(id) || []).map((p) => pos.get(p) ?? 0);
          return ps.length ? ps.reduce((a, b) => a + b, 0) / ps.length : 0;
        };
        l.sort((a, b) => mean(a) - mean(b));
      }
      l.forEach((id, i) => pos.set(id, i));
    });
    return { layers, layer, pos, outgoing };
  }

  function renderGraph() {
    const box = $('graph');
    box.replaceChildren();
    const g = data.graph;
    if (g.nodes.length === 0) {
      box.append(el('p', { class: 'note' }, ['Every package built.']));
      return;
    }
    const { layers, layer, pos } = layout(g);
    const colW = 230;
    const rowH = 26;
    const nodeW = 200;
    const nodeH = 18;
    const tallest = Math.max(...layers.map((l) => (l ? l.length : 0)));
    const width = layers.length * colW + 20;
    const height = tallest * rowH + 20;
    const s = svg('svg', { width, height, role: 'img', 'aria-label': `Graph of ${plural(g.nodes.length, 'unsuccessful package')}` });
    const defs = svg('defs');
    for (const kind of ['failed', 'other']) {
      const m = svg('marker', {
        id: `arrow-${kind}`,
        class: kind,
        viewBox: '0 0 10 10',
        refX: 10,
        refY: 5,
        markerWidth: 6,
        markerHeight: 6,
        orient: 'auto-start-reverse',
      });
      m.append(svg('path', { d: 'M 0 0 L 10 5 L 0 10 z' }));
      defs.append(m);
    }
    s.append(defs);
    const at = (/** @type {string} */ id) => ({ x: 10 + (layer.get(id) || 0) * colW, y: 10 + (pos.get(id) || 0) * rowH });
    for (const e of g.edges) {
      const a = at(e.from);
      const b = at(e.to);
      const x1 = a.x + nodeW;
      const y1 = a.y + nodeH / 2;
      const x2 = b.x;
      const y2 = b.y + nodeH / 2;
      const mid = (x1 + x2) / 2;
      s.append(
        svg('path', {
          class: `edge${e.failed ? ' failed' : ''}`,
          d: `M ${x1} ${y1} C ${mid} ${y1}, ${mid} ${y2}, ${x2} ${y2}`,
          'marker-end': `url(#arrow-${e.failed ? 'failed' : 'other'})`,
        }),
      );
    }
    for (const n of g.nodes) {
      const p = at(n.id);
      const node = svg('g', { class: `node state-${n.state}`, tabindex: 0, role: 'link', 'aria-label': `${n.id}, ${word(n.state)}` });
      node.append(svg('rect', { x: p.x, y: p.y, width: nodeW, height: nodeH }));
      const t = svg('text', { x: p.x + 5, y: p.y + 13 });
      t.textContent = n.id.length > 32 ? `${n.id.slice(0, 31)}…` : n.id;
      node.append(t);
      const title = svg('title');
      title.textContent = `${n.id}${n.location ? ` (${n.location})` : ''}: ${word(n.state)}${n.breaks ? `, breaks ${n.breaks}` : ''}`;
      node.append(title);
      const open = () => vscode.postMessage({ type: 'openLog', pkgname: n.id });
      node.addEventListener('click', open);
      node.addEventListener('keydown', (/** @type {KeyboardEvent} */ ev) => ev.key === 'Enter' && open());
      s.append(node);
    }
    box.append(s);
    if (g.omitted > 0)
      box.append(el('p', { class: 'note' }, [`${plural(g.omitted, 'more unsuccessful package')} not drawn: the ones breaking the most are shown.`]));
  }

  /** @param {number} ms */
  function when(ms) {
    return new Date(ms).toLocaleString();
  }

  function renderRepository() {
    const r = data.repository;
    $('repository-section').hidden = !r;
    if (!r) return;
    const t = $('repository');
    t.replaceChildren();
    /** @param {string} label @param {string} text @param {string} [cls] */
    const row = (label, text, cls) => t.append(el('tr', cls ? { class: cls } : {}, [el('td', {}, [label]), el('td', {}, [text])]));
    if (r.repository) {
      const extra = [r.repository.checksum ? 'SHA512.bz2' : 'no SHA512.bz2 (checksum_packages=no)'];
      if (r.repository.restricted.length) extra.push(`${r.repository.restricted.length} restricted, not uploaded`);
      if (r.repository.missing.length) extra.push(`${r.repository.missing.length} without a binary package`);
      row(
        'pkg_summary',
        `${plural(r.repository.packages, 'package')} in ${r.repository.packagesDir}, written ${when(r.repository.writtenAt)}; ${extra.join(', ')}`,
      );
    }
    if (r.gates) {
      const asked = [];
      if (r.gates.minPackages !== undefined) asked.push(`at least ${r.gates.minPackages} packages`);
      if (r.gates.requiredPackages && r.gates.requiredPackages.length) asked.push(`required: ${r.gates.requiredPackages.join(', ')}`);
      const verdict = r.gates.passed ? 'pass' : `refuse: ${r.gates.reasons.join('; ')}`;
      row(
        'Gates',
        asked.length ? `${asked.join('; ')}: ${verdict}` : 'none set (publish.minPackages, publish.requiredPackages)',
        r.gates.passed ? 'state-done' : 'state-failed',
      );
    }
    if (r.published) {
      const p = r.published;
      row(
        p.rollback ? 'Rolled back' : 'Last published',
        `${when(p.at)}: ${p.target} -> ${p.release}${p.rollback ? '' : `, ${plural(p.packages, 'package')}`}${p.previous ? ` (${p.previous} kept for rollback)` : ''}${p.report ? `; report at ${p.report}` : ''}`,
      );
    } else {
      row('Last published', 'not published from this bulklog yet');
    }
    if (r.mailed) row('Report mailed', `${when(r.mailed.at)} to ${r.mailed.recipients.join(', ')}: ${r.mailed.subject}`);
    if (r.failed) row(`Last ${r.failed.what} failure`, `${when(r.failed.at)}: ${r.failed.message}`, 'state-failed');
    const actions = $('repository-actions');
    actions.replaceChildren();
    if (!data.live)
      actions.append(
        link('Publish...', { type: 'publish' }, 'Upload the packages and the report'),
        ' · ',
        link('Mail Report...', { type: 'mailReport' }, 'Mail report.txt to report_recipients'),
      );
  }

  function render() {
    $('empty').hidden = true;
    $('report').hidden = false;
    renderHeader();
    // The run history's section (media/report-since.js), first: what changed since the last run.
    // @ts-ignore
    if (window.pkgsrcRenderSince) window.pkgsrcRenderSince(data.since, { el, link, $, stateText: data.words || {} });
    renderTotals();
    renderRepository();
    renderBreakers();
    renderTimeline();
    renderGraph();
    renderFailures();
  }

  $('filter').addEventListener('input', () => data && renderFailures());
  $('state-filter').addEventListener('change', () => data && renderFailures());
  window.addEventListener('resize', () => data && renderTimeline());
  window.addEventListener('message', (ev) => {
    const m = ev.data;
    if (m && m.type === 'data') {
      data = m.data;
      vscode.setState({ data });
      render();
    } else if (m && m.type === 'empty') {
      $('report').hidden = true;
      $('empty').hidden = false;
      $('empty').textContent = m.message;
    }
  });
  const saved = vscode.getState();
  if (saved && saved.data) {
    data = saved.data;
    render();
  }
  vscode.postMessage({ type: 'ready' });
})();
