/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import {
  facetLabels,
  facetNames,
  formatSearchState,
  pagefindFilters,
  parseSearchState,
  sortKeys,
  type SearchState,
} from '../lib/search-state.ts';

interface PagefindResultData {
  url: string;
  excerpt: string;
  meta: Record<string, string | undefined>;
}

interface PagefindSearch {
  results: { id: string; data: () => Promise<PagefindResultData> }[];
  filters: Record<string, Record<string, number>>;
}

interface Pagefind {
  options: (options: Record<string, unknown>) => Promise<void>;
  init: () => Promise<void>;
  filters: () => Promise<Record<string, Record<string, number>>>;
  search: (
    query: string | null,
    options: Record<string, unknown>,
  ) => Promise<PagefindSearch | null>;
}

const pageSize = 10;

let pagefindPromise: Promise<Pagefind> | undefined;

function loadPagefind(base: string): Promise<Pagefind> {
  pagefindPromise ??= (async () => {
    const url = `${base}pagefind/pagefind.js`;
    const pagefind = (await import(/* @vite-ignore */ url)) as Pagefind;
    await pagefind.options({ baseUrl: base, excerptLength: 24 });
    await pagefind.init();
    return pagefind;
  })();
  return pagefindPromise;
}

/** Copies an excerpt's text and `<mark>`s into `target`; nothing else of its markup survives. */
function appendExcerpt(target: HTMLElement, excerpt: string): void {
  const doc = new DOMParser().parseFromString(`<p>${excerpt}</p>`, 'text/html');
  const walk = (node: Node): void => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) target.append(child.textContent ?? '');
      else if (child instanceof Element && child.tagName === 'MARK') {
        const mark = document.createElement('mark');
        mark.textContent = child.textContent;
        target.append(mark);
      } else walk(child);
    }
  };
  walk(doc.body);
}

/** Wires the home page search: Pagefind, facets, sorts, URL state and arrow-key navigation. */
export function setupSearch(): void {
  const form = document.getElementById('search-form');
  const input = document.getElementById('search-input');
  const sortSelect = document.getElementById('search-sort');
  const facetsBox = document.getElementById('search-facets');
  const resultsList = document.getElementById('search-results');
  const status = document.getElementById('search-status');
  const more = document.getElementById('search-more');
  if (
    !(form instanceof HTMLFormElement) ||
    !(input instanceof HTMLInputElement) ||
    !(sortSelect instanceof HTMLSelectElement) ||
    !facetsBox ||
    !(resultsList instanceof HTMLOListElement) ||
    !status ||
    !(more instanceof HTMLButtonElement)
  ) {
    return;
  }
  const base = form.dataset.base ?? '/';
  for (const element of document.querySelectorAll<HTMLElement>('[data-js-only]'))
    element.hidden = false;
  for (const element of document.querySelectorAll<HTMLElement>('[data-no-js]'))
    element.hidden = true;

  let state: SearchState = parseSearchState(location.search);
  input.value = state.query;
  sortSelect.value = state.sort;
  let run = 0;
  let shown: PagefindSearch['results'] = [];
  let offset = 0;

  const renderResults = async (token: number): Promise<void> => {
    const slice = shown.slice(offset, offset + pageSize);
    const data = await Promise.all(slice.map((result) => result.data()));
    if (token !== run) return;
    for (const item of data) {
      const li = document.createElement('li');
      const link = document.createElement('a');
      link.href = item.url;
      link.textContent = item.meta.title ?? item.url;
      const kind = document.createElement('span');
      kind.className = 'muted';
      kind.textContent = item.meta.kind ? ` · ${item.meta.kind}` : '';
      const excerpt = document.createElement('p');
      appendExcerpt(excerpt, item.excerpt);
      li.append(link, kind, excerpt);
      resultsList.append(li);
    }
    offset += slice.length;
    more.hidden = offset >= shown.length;
  };

  /** Ticks the boxes of the state; values missing from the page (rare tags) get a box of their own. */
  const showFilters = (): void => {
    for (const name of facetNames) {
      const chosen = state.filters[name] ?? [];
      let fieldset = facetsBox.querySelector<HTMLFieldSetElement>(`fieldset[data-facet="${name}"]`);
      for (const value of chosen) {
        const known = [
          ...facetsBox.querySelectorAll<HTMLInputElement>(`input[name="${name}"]`),
        ].some((box) => box.value === value);
        if (known) continue;
        if (!fieldset) {
          fieldset = document.createElement('fieldset');
          fieldset.dataset.facet = name;
          const legend = document.createElement('legend');
          legend.textContent = facetLabels[name];
          fieldset.append(legend);
          facetsBox.append(fieldset);
        }
        const label = document.createElement('label');
        const box = document.createElement('input');
        box.type = 'checkbox';
        box.name = name;
        box.value = value;
        const text = document.createElement('span');
        text.textContent = value;
        label.append(box, text);
        fieldset.append(label);
      }
      for (const box of facetsBox.querySelectorAll<HTMLInputElement>(`input[name="${name}"]`)) {
        box.checked = chosen.includes(box.value);
      }
    }
  };

  facetsBox.addEventListener('change', () => {
    const filters: SearchState['filters'] = {};
    for (const name of facetNames) {
      const chosen = [
        ...facetsBox.querySelectorAll<HTMLInputElement>(`input[name="${name}"]:checked`),
      ].map((box) => box.value);
      if (chosen.length > 0) filters[name] = chosen;
    }
    state = { ...state, filters };
    void update();
  });
  showFilters();

  const update = async (): Promise<void> => {
    const token = ++run;
    const query = formatSearchState(state);
    history.replaceState(null, '', `${location.pathname}${query}${location.hash}`);
    const hasFilters = Object.values(state.filters).some((values) => values.length > 0);
    status.textContent = 'Searching…';
    const pagefind = await loadPagefind(base);
    if (token !== run) return;
    const options: Record<string, unknown> = { filters: pagefindFilters(state) };
    if (state.sort !== 'relevance')
      options.sort = { [sortKeys[state.sort].key]: sortKeys[state.sort].direction };
    const search =
      state.query.trim() === '' && !hasFilters && state.sort === 'relevance'
        ? null
        : await pagefind.search(state.query.trim() || null, options);
    if (token !== run) return;
    resultsList.replaceChildren();
    // The browse lists stay for an empty search; results replace them.
    for (const element of document.querySelectorAll<HTMLElement>('[data-browse]')) {
      element.hidden = search !== null;
    }
    offset = 0;
    shown = search?.results ?? [];
    status.textContent =
      search === null
        ? 'Type to search, or pick a facet.'
        : `${shown.length} result${shown.length === 1 ? '' : 's'}`;
    await renderResults(token);
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      state = { ...state, query: input.value };
      void update();
    }, 150);
  });
  input.addEventListener('focus', () => void loadPagefind(base), { once: true });
  sortSelect.addEventListener('change', () => {
    state = { ...state, sort: parseSearchState(`?sort=${sortSelect.value}`).sort };
    void update();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(timer);
    state = { ...state, query: input.value };
    void update();
  });
  more.addEventListener('click', () => void renderResults(run));

  const links = (): HTMLAnchorElement[] => [
    ...resultsList.querySelectorAll<HTMLAnchorElement>('li > a'),
  ];
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown') {
      const first = links()[0];
      if (first) {
        event.preventDefault();
        first.focus();
      }
    }
  });
  resultsList.addEventListener('keydown', (event) => {
    const all = links();
    const index = all.indexOf(document.activeElement as HTMLAnchorElement);
    if (index === -1) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const next =
        event.key === 'ArrowDown' ? all[index + 1] : index === 0 ? input : all[index - 1];
      next?.focus();
    } else if (event.key === 'Escape') {
      input.focus();
    }
  });

  if (location.search !== '') void update();
}
