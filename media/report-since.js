// The report view's "Since the previous run" section: what the run history found changed
// (new failures first, each with links to its log and its Makefile), drawn by report.js's
// render() through window.pkgsrcRenderSince. Text always goes in as text nodes.
// @ts-check
(function () {
  'use strict';

  /** @param {number} ms */
  function seconds(ms) {
    const s = Math.round(ms / 1000);
    return s >= 60 ? `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s` : `${s} s`;
  }

  /** @param {number | undefined} ms */
  function when(ms) {
    if (ms === undefined) return 'start unknown';
    const d = new Date(ms);
    const p = (/** @type {number} */ n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
  }

  /**
   * @param {any} since
   * @param {{ el: Function, link: Function, $: Function, stateText: Record<string, string> }} h
   */
  function render(since, h) {
    const { el, link, $ } = h;
    const section = $('since-section');
    const box = $('since');
    box.replaceChildren();
    section.hidden = !since;
    if (!since) return;
    const pick = link('Open an earlier run…', { type: 'pickRun' }, 'Open the report of an earlier run of this bulklog');
    if (since.none) {
      $('since-meta').replaceChildren(`Nothing to compare with: ${since.none}. `, pick);
      return;
    }
    const f = since.from;
    $('since-meta').replaceChildren(
      `Compared with run ${f.id} of ${when(f.startedAt)} (${f.kind}, ${f.total} packages${f.finished ? '' : ', unfinished'}). `,
      pick,
    );
    const c = since.counts;
    const parts = [
      [c.newFailures, 'new failure', 'new failures'],
      [c.fixed, 'fixed', 'fixed'],
      [c.stillFailing, 'still failing', 'still failing'],
      [c.newlyBroken, 'failure breaking more', 'failures breaking more'],
      [c.versions, 'version change', 'version changes'],
      [c.added, 'added', 'added'],
      [c.removed, 'removed', 'removed'],
      [c.times, 'build time change', 'build time changes'],
    ]
      // New failures and fixes always; the rest when there are some.
      .filter(([n], k) => k < 2 || n > 0)
      .map(([n, one, many]) => `${n} ${n === 1 ? one : many}`);
    box.append(el('p', { class: 'since-counts' }, [parts.join(' · ')]));

    const stateText = (/** @type {string | undefined} */ s) => (s === undefined ? 'not in the build' : h.stateText[s] || s);
    const location = (/** @type {any} */ r) =>
      el('td', {}, [r.location ? link(r.location, { type: 'openMakefile', location: r.location }, `Open ${r.location}/Makefile`) : '']);
    const pkg = (/** @type {any} */ r) =>
      el('td', {}, [r.hasLog ? link(r.pkgname, { type: 'openLog', pkgname: r.pkgname }, `Show the log of ${r.pkgname}`) : r.pkgname]);
    /** @param {string} id @param {string} title @param {any[]} rows @param {number} count @param {string[]} head @param {(r: any) => Node[]} cells */
    const list = (id, title, rows, count, head, cells) => {
      if (count === 0) return;
      box.append(el('h3', {}, [`${title} (${count})`]));
      const t = el('table', { class: 'list', id });
      t.append(
        el(
          'tr',
          {},
          head.map((x) => el('th', {}, [x])),
        ),
      );
      for (const r of rows) t.append(el('tr', { class: `row state-${r.after || r.before || ''}` }, cells(r)));
      if (rows.length < count)
        t.append(
          el('tr', {}, [el('td', { class: 'note', colspan: String(head.length) }, [`${count - rows.length} more: pkgsrc-bulk diff --json lists all.`])]),
        );
      box.append(t);
    };
    list('since-new', 'New failures', since.newFailures, c.newFailures, ['Location', 'Package', 'Phase', 'Breaks', 'Before'], (r) => [
      location(r),
      pkg(r),
      el('td', {}, [r.phase || '']),
      el('td', { class: 'num' }, [r.breaks ? String(r.breaks) : '']),
      el('td', {}, [stateText(r.before)]),
    ]);
    list('since-broken', 'Newly broken by', since.newlyBroken, c.newlyBroken, ['Location', 'Package', 'Breaks', 'Newly broken'], (r) => [
      location(r),
      pkg({ ...r, hasLog: true }),
      el('td', { class: 'num' }, [`${r.after} (was ${r.before})`]),
      el('td', { class: 'message' }, [r.newlyBroken.join(', ')]),
    ]);
    list('since-fixed', 'Fixed', since.fixed, c.fixed, ['Location', 'Package', 'Before'], (r) => [
      location(r),
      el('td', {}, [r.pkgname]),
      el('td', {}, [`${stateText(r.before)}${r.phase ? ` in ${r.phase}` : ''}`]),
    ]);
    list('since-versions', 'Version changes', since.versions, c.versions, ['Location', 'Before', 'Now'], (r) => [
      location(r),
      el('td', {}, [r.was || '']),
      el('td', {}, [r.pkgname]),
    ]);
    list('since-other', 'Other state changes', since.otherStates, c.otherStates, ['Location', 'Package', 'Before', 'Now'], (r) => [
      location(r),
      pkg(r),
      el('td', {}, [stateText(r.before)]),
      el('td', {}, [stateText(r.after)]),
    ]);
    list('since-added', 'Added to the build', since.added, c.added, ['Location', 'Package', 'State'], (r) => [
      location(r),
      pkg(r),
      el('td', {}, [stateText(r.after)]),
    ]);
    list('since-removed', 'Removed from the build', since.removed, c.removed, ['Location', 'Package', 'Was'], (r) => [
      location(r),
      el('td', {}, [r.pkgname]),
      el('td', {}, [stateText(r.before)]),
    ]);
    list('since-times', 'Build time changes', since.times, c.times, ['Location', 'Package', 'Before', 'Now'], (r) => [
      location(r),
      el('td', {}, [r.pkgname]),
      el('td', {}, [seconds(r.beforeMs)]),
      el('td', {}, [seconds(r.afterMs)]),
    ]);
    list('since-still', 'Still failing', since.stillFailing, c.stillFailing, ['Location', 'Package', 'Phase', 'Breaks'], (r) => [
      location(r),
      pkg(r),
      el('td', {}, [r.phase || '']),
      el('td', { class: 'num' }, [r.breaks ? String(r.breaks) : '']),
    ]);
  }

  // @ts-ignore: read by report.js
  window.pkgsrcRenderSince = render;
})();
