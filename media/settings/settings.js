// The pbulk.conf settings form's script: draws the settings the extension posts (one model per
// change of the file or of its diagnostics), updates the rows in place so typing and focus
// survive, filters them by the search box, and posts back what the user changes. Plain DOM, no
// libraries; text always goes in as text nodes, never as markup.
// @ts-check
(function () {
  'use strict';
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();
  /** @type {any} */
  let model;
  /** name -> the row's view */
  const views = new Map();
  let shape = '';

  /** @param {string} id */
  const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

  /**
   * @param {string} tag
   * @param {Record<string, string>} [attrs]
   * @param {(Node | string | undefined | false)[]} [children]
   */
  function el(tag, attrs = {}, children = []) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    for (const c of children) if (c !== undefined && c !== false) e.append(c);
    return e;
  }

  /** Schema prose with `code` spans. @param {string} text */
  function prose(text) {
    const f = document.createDocumentFragment();
    text.split(/(`[^`]*`)/).forEach((part) => f.append(part.startsWith('`') && part.length > 1 ? el('code', {}, [part.slice(1, -1)]) : part));
    return f;
  }

  /** A link that shows a line in the text editor. @param {number} line @param {string} [text] */
  function lineLink(line, text) {
    const a = el('a', { href: '#', class: 'line-link', title: `Show line ${line + 1} in the text editor` }, [text || `line ${line + 1}`]);
    a.addEventListener('click', (ev) => {
      ev.preventDefault();
      vscode.postMessage({ type: 'reveal', line });
    });
    return a;
  }

  const SEVERITY_WORD = { error: 'Error', warning: 'Warning', information: 'Info', hint: 'Hint' };

  /** @param {HTMLElement} list @param {any[]} problems */
  function renderProblems(list, problems) {
    list.replaceChildren(
      ...problems.map((p) => {
        const fixes = p.fixes.map((/** @type {any} */ f) => {
          const b = el('button', { type: 'button', class: 'fix' }, [f.title]);
          b.addEventListener('click', () => vscode.postMessage({ type: 'fix', id: f.id }));
          return b;
        });
        return el('li', { class: `problem severity-${p.severity}` }, [
          el('span', { class: 'severity' }, [`${SEVERITY_WORD[/** @type {'error'} */ (p.severity)] || p.severity}:`]),
          ' ',
          el('span', { class: 'message' }, [p.message]),
          ' ',
          lineLink(p.line),
          ...(fixes.length ? [el('span', { class: 'fixes' }, fixes)] : []),
        ]);
      }),
    );
    list.hidden = problems.length === 0;
  }

  /** The effective value line: what sh makes of the value, or what pbulk does without it. @param {any} row */
  function effectiveParts(row) {
    const e = row.effective;
    if (e.kind === 'value') {
      if (row.state === 'editable' && e.value === row.value) return [];
      return e.value === '' ? ['Effective value: empty'] : ['Effective value: ', el('code', {}, [e.value])];
    }
    if (e.kind === 'dynamic') return [`Effective value ${e.reason}.`];
    return e.note ? [`Not set: ${e.note}`] : [];
  }

  /** @param {HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement} input @param {any} row */
  function commit(input, row) {
    const value = input.value;
    if (input instanceof HTMLSelectElement && value === '') {
      if (row.state !== 'absent') vscode.postMessage({ type: 'unset', name: row.name });
      return;
    }
    if (row.state === 'absent' && value === '') return;
    if (value === (row.value ?? '')) return;
    vscode.postMessage({ type: 'set', name: row.name, value });
  }

  /** The input of an editable (or absent) setting. @param {any} row */
  function control(row) {
    const id = `input-${row.name}`;
    const described = `doc-${row.name} effective-${row.name} problems-${row.name}`;
    /** @type {HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement} */
    let input;
    if (row.control === 'boolean') {
      const s = /** @type {HTMLSelectElement} */ (el('select', { id, 'aria-describedby': described }));
      input = s;
    } else if (row.control === 'multiline') {
      input = /** @type {HTMLTextAreaElement} */ (el('textarea', { id, rows: '3', spellcheck: 'false', 'aria-describedby': described }));
    } else {
      const attrs = { id, type: 'text', spellcheck: 'false', autocomplete: 'off', 'aria-describedby': described };
      if (row.control === 'integer') attrs.inputmode = 'numeric';
      if (row.choices) attrs.list = `choices-${row.name}`;
      input = /** @type {HTMLInputElement} */ (el('input', attrs));
    }
    /** @type {HTMLElement[]} */
    const parts = [input];
    if (row.choices && row.control !== 'boolean')
      parts.push(
        el(
          'datalist',
          { id: `choices-${row.name}` },
          row.choices.map((/** @type {string} */ c) => el('option', { value: c })),
        ),
      );
    if (row.pick) {
      const what = row.pick === 'folder' ? 'a directory' : row.pick === 'file' ? 'a file' : 'a file or directory';
      const b = el('button', { type: 'button', class: 'secondary pick', 'aria-label': `Choose ${what} for ${row.name}` }, ['Browse...']);
      b.addEventListener('click', () => vscode.postMessage({ type: 'pick', name: row.name }));
      parts.push(b);
    }
    const remove = el('button', { type: 'button', class: 'secondary remove', 'aria-label': `Remove ${row.name} from the file` }, ['Remove']);
    remove.addEventListener('click', () => vscode.postMessage({ type: 'unset', name: row.name }));
    parts.push(remove);
    return { box: el('div', { class: 'control' }, parts), input, remove };
  }

  /** One setting's view: built once, updated in place. @param {any} first */
  function createRow(first) {
    let row = first;
    const name = row.name;
    const badges = [];
    if (row.required) badges.push(el('span', { class: 'badge' }, [row.required === 'always' ? 'required' : 'required in master mode']));
    const lines = el('span', { class: 'lines' });
    const head = el('div', { class: 'head' }, [
      el('label', { id: `label-${name}`, for: `input-${name}`, class: 'name' }, [name]),
      el('span', { class: 'type' }, [row.type]),
      ...badges,
      lines,
    ]);
    const details = [];
    if (row.interpretation) details.push(el('p', {}, [el('strong', {}, ['How pbulk reads it: ']), prose(row.interpretation)]));
    if (row.example !== undefined) details.push(el('p', {}, [el('strong', {}, ['Example: ']), el('code', {}, [`${name}=${row.example}`])]));
    if (row.unsetNote) details.push(el('p', {}, [el('strong', {}, ['Unset: ']), prose(row.unsetNote)]));
    if (row.versions) details.push(el('p', {}, [el('strong', {}, ['pbulk versions: ']), row.versions]));
    const more = details.length ? el('details', { class: 'more' }, [el('summary', {}, ['More about ', name]), ...details]) : undefined;
    const doc = el('p', { class: 'doc', id: `doc-${name}` }, [prose(row.doc)]);
    const effective = el('p', { class: 'effective', id: `effective-${name}` });
    const problems = el('ul', { class: 'problems', id: `problems-${name}`, 'aria-label': `Problems of ${name}` });
    const notice = el('p', { class: 'row-notice', id: `notice-${name}`, role: 'alert' });
    notice.hidden = true;
    const root = el('div', { class: 'setting', id: `setting-${name}`, role: 'group', 'aria-labelledby': `label-${name}` });

    let input;
    let remove;
    let body;
    if (row.state === 'readonly') {
      const written = el('pre', { class: 'written', id: `input-${name}`, tabindex: '0', 'aria-describedby': `reason-${name}` });
      body = el('div', { class: 'readonly' }, [written, el('p', { class: 'reason', id: `reason-${name}` })]);
    } else {
      const c = control(row);
      input = c.input;
      remove = c.remove;
      body = c.box;
      input.addEventListener('change', () => commit(/** @type {any} */ (input), row));
      input.addEventListener('keydown', (ev) => {
        const k = /** @type {KeyboardEvent} */ (ev);
        if (k.key === 'Enter' && !(input instanceof HTMLTextAreaElement && !k.ctrlKey)) {
          k.preventDefault();
          commit(/** @type {any} */ (input), row);
        } else if (k.key === 'Escape') {
          /** @type {any} */ (input).value = row.value ?? '';
        }
      });
    }
    root.append(head, doc, ...(more ? [more] : []), body, effective, problems, notice);

    function update(/** @type {any} */ next) {
      const before = row;
      row = next;
      root.classList.toggle('set', row.state !== 'absent');
      root.classList.toggle(
        'has-error',
        row.problems.some((/** @type {any} */ p) => p.severity === 'error'),
      );
      lines.replaceChildren(...row.lines.map((/** @type {number} */ l) => lineLink(l)));
      if (row.state === 'readonly') {
        $(`input-${name}`).textContent = row.written || '';
        const reason = $(`reason-${name}`);
        reason.replaceChildren(`The form does not edit ${name}: ${row.reason}. `, lineLink(row.lines[0] ?? 0, 'Edit it in the text'));
      } else if (input) {
        const typing = document.activeElement === input && input.value !== (before.value ?? '') && before !== next;
        if (input instanceof HTMLSelectElement) {
          const options = ['', ...(row.choices || ['yes', 'no'])];
          if (row.value !== undefined && !options.includes(row.value)) options.push(row.value);
          input.replaceChildren(
            ...options.map((o) => el('option', { value: o }, [o === '' ? '(not set)' : row.choices && row.choices.includes(o) ? o : `${o} (as written)`])),
          );
          input.value = row.value ?? '';
        } else if (!typing) {
          input.value = row.value ?? '';
          input.setAttribute('placeholder', row.example !== undefined ? `not set; e.g. ${row.example}` : 'not set');
        }
        if (remove) remove.hidden = row.state !== 'editable';
      }
      const parts = effectiveParts(row);
      effective.replaceChildren(...parts);
      effective.hidden = parts.length === 0;
      renderProblems(problems, row.problems);
    }
    update(row);
    return {
      root,
      update,
      get row() {
        return row;
      },
      /** @param {string} message */
      notice(message) {
        notice.textContent = message;
        notice.hidden = false;
      },
    };
  }

  function shapeOf(/** @type {any} */ m) {
    return (
      m.groups.map((/** @type {any} */ g) => `${g.id}:${g.rows.map((/** @type {any} */ r) => `${r.name}/${r.state}/${r.control}`).join(',')}`).join('|') +
      `#${m.opaque.length}`
    );
  }

  /** Builds every group and row anew, keeping the focus where it was. */
  function build() {
    const active = /** @type {HTMLInputElement | null} */ (document.activeElement);
    const focusId = active && active.id && active.id !== 'search' ? active.id : undefined;
    const selection = active && 'selectionStart' in active ? [active.selectionStart, active.selectionEnd] : undefined;
    views.clear();
    const main = $('groups');
    const sections = model.groups.map((/** @type {any} */ g) => {
      const rows = g.rows.map((/** @type {any} */ r) => {
        const v = createRow(r);
        views.set(r.name, v);
        return v.root;
      });
      const extra = g.id === 'advanced' && model.opaque.length ? [opaqueSection()] : [];
      return el('section', { class: 'group', id: `group-${g.id}`, 'aria-labelledby': `group-${g.id}-title` }, [
        el('h2', { id: `group-${g.id}-title`, tabindex: '-1' }, [g.title]),
        el('p', { class: 'group-desc' }, [g.description]),
        ...rows,
        ...extra,
      ]);
    });
    main.replaceChildren(...sections);
    $('toc').replaceChildren(
      ...model.groups.map((/** @type {any} */ g) => {
        const a = el('a', { href: `#group-${g.id}`, id: `toc-${g.id}` }, [g.title]);
        a.addEventListener('click', (ev) => {
          ev.preventDefault();
          const h = $(`group-${g.id}-title`);
          // Below the sticky header, not under it.
          window.scrollTo({ top: h.getBoundingClientRect().top + window.scrollY - $('top').offsetHeight - 8 });
          h.focus({ preventScroll: true });
        });
        return a;
      }),
    );
    if (focusId) {
      const again = /** @type {HTMLInputElement | null} */ (document.getElementById(focusId));
      if (again) {
        again.focus();
        if (selection && 'setSelectionRange' in again)
          try {
            again.setSelectionRange(selection[0], selection[1]);
          } catch {
            /* not a text field */
          }
      }
    }
  }

  function opaqueSection() {
    return el('div', { class: 'opaque', id: 'opaque-lines' }, [
      el('h3', {}, ['Lines the form does not edit']),
      el('p', { class: 'group-desc' }, [
        model.opaqueFile ? 'This file sources another file or uses eval: any value may be different when pbulk reads it. ' : '',
        'Conditionals, functions and commands stay as they are; edit them in the text.',
      ]),
      el(
        'ul',
        {},
        model.opaque.map((/** @type {any} */ o) => el('li', {}, [lineLink(o.line), ` ${o.what}: `, el('code', {}, [o.text])])),
      ),
    ]);
  }

  /** Shows the rows matching the search box; `@set` and `@problems` narrow to those. */
  function applyFilter() {
    const q = /** @type {HTMLInputElement} */ ($('search')).value.trim().toLowerCase();
    const words = q.split(/\s+/).filter(Boolean);
    let shown = 0;
    let total = 0;
    for (const g of model.groups) {
      let inGroup = 0;
      for (const r of g.rows) {
        const v = views.get(r.name);
        const row = v.row;
        const hay = [row.name, row.doc, row.type, row.value || '', row.written || ''].join('\n').toLowerCase();
        const ok = words.every((w) => (w === '@set' ? row.state !== 'absent' : w === '@problems' ? row.problems.length > 0 : hay.includes(w)));
        v.root.hidden = !ok;
        total++;
        if (ok) inGroup++;
      }
      shown += inGroup;
      const section = $(`group-${g.id}`);
      section.hidden = inGroup === 0 && !(g.id === 'advanced' && words.length === 0);
      const errors = g.rows.filter((/** @type {any} */ r) => r.problems.some((/** @type {any} */ p) => p.severity === 'error')).length;
      const toc = $(`toc-${g.id}`);
      toc.textContent = errors ? `${g.title} (${errors} with errors)` : g.title;
      toc.classList.toggle('empty', inGroup === 0);
    }
    $('count').textContent = words.length ? `${shown} of ${total} settings` : `${total} settings`;
  }

  function render() {
    const s = shapeOf(model);
    if (s !== shape) {
      shape = s;
      build();
    } else {
      for (const g of model.groups) for (const r of g.rows) views.get(r.name).update(r);
      const opaque = document.getElementById('opaque-lines');
      if (opaque) opaque.replaceWith(opaqueSection());
    }
    renderProblems($('file-problems-list'), model.problems);
    $('file-problems').hidden = model.problems.length === 0;
    applyFilter();
  }

  window.addEventListener('message', (ev) => {
    const m = ev.data;
    if (m.type === 'model') {
      model = m.model;
      for (const n of document.querySelectorAll('.row-notice')) /** @type {HTMLElement} */ (n).hidden = true;
      $('notice').hidden = true;
      render();
    } else if (m.type === 'notice') {
      const v = m.name && views.get(m.name);
      if (v) v.notice(m.message);
      else {
        $('notice').textContent = m.message;
        $('notice').hidden = false;
      }
    }
  });

  const search = /** @type {HTMLInputElement} */ ($('search'));
  const saved = vscode.getState();
  if (saved && typeof saved.query === 'string') search.value = saved.query;
  search.addEventListener('input', () => {
    vscode.setState({ query: search.value });
    if (model) applyFilter();
  });
  $('open-text').addEventListener('click', () => vscode.postMessage({ type: 'openText' }));
  vscode.postMessage({ type: 'ready' });
})();
