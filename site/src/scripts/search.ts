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
import { missingWords, searchQuery } from '../lib/search-words.ts';
import { rankByName } from '../lib/search-rank.ts';

interface PagefindResultData {
  url: string;
  excerpt: string;
  meta: Record<string, string | undefined>;
  /** The page's indexed text; its words split at white space are what `locations` count. */
  content: string;
  /** Positions of the words the query matched, in `content`'s words. */
  locations: number[];
}

interface PagefindSearch {
  /** Each result with the positions of the matched words in its page's indexed text. */
  results: { id: string; words: number[]; data: () => Promise<PagefindResultData> }[];
  /** Results per facet value with the query and every active filter. */
  filters: Record<string, Record<string, number>>;
  /** Results per facet value with the query alone. */
  totalFilters?: Record<string, Record<string, number>>;
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
/** How many of Pagefind's first results are re-ranked by name (their fragments are loaded). */
const rankWindow = 20;

/** A result whose fragment is fetched once, however often it is read. */
interface Result {
  data: () => Promise<PagefindResultData>;
  /** Whether the query matched the first word of the page's indexed text: its title. */
  matchesTitle: boolean;
}

function memoized(result: PagefindSearch['results'][number]): Result {
  let loaded: Promise<PagefindResultData> | undefined;
  return { data: () => (loaded ??= result.data()), matchesTitle: result.words.includes(0) };
}

function paragraph(className: string, text: string): HTMLParagraphElement {
  const p = document.createElement('p');
  p.className = className;
  p.textContent = text;
  return p;
}

/** One result: its name, then kind, marketplace and version, what it does, what it holds and runs. */
function resultCard(item: PagefindResultData): HTMLLIElement {
  const { meta } = item;
  const li = document.createElement('li');
  const link = document.createElement('a');
  link.href = item.url;
  link.textContent = meta.title ?? item.url;
  const facts = [meta.kind, meta.marketplace, meta.version && `v${meta.version}`].filter(Boolean);
  li.append(link);
  if (facts.length > 0) li.append(paragraph('muted facts', facts.join(' · ')));
  if (meta.summary) li.append(paragraph('summary', meta.summary));
  else {
    const excerpt = paragraph('summary', '');
    appendExcerpt(excerpt, item.excerpt);
    li.append(excerpt);
  }
  const holds = [meta.components, meta.runs].filter(Boolean);
  if (holds.length > 0) li.append(paragraph('muted', holds.join(' · ')));
  return li;
}

let pagefindPromise: Promise<Pagefind> | undefined;

function loadPagefind(base: string): Promise<Pagefind> {
  pagefindPromise ??= (async () => {
    const url = `${base}pagefind/pagefind.js`;
    const pagefind = (await import(/* @vite-ignore */ url)) as Pagefind;
    // Searching on the page itself spares every visitor the download of Pagefind's worker script.
    await pagefind.options({ baseUrl: base, excerptLength: 24, noWorker: true });
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
  const filtersBox = document.getElementById('search-filters');
  // Filters sit beside the results on wide screens; on a phone they fold away above them, so the
  // results follow the search box.
  if (filtersBox instanceof HTMLDetailsElement)
    filtersBox.open = window.matchMedia('(min-width: 48rem)').matches;
  for (const element of document.querySelectorAll<HTMLElement>('[data-js-only]'))
    element.hidden = false;
  for (const element of document.querySelectorAll<HTMLElement>('[data-no-js]'))
    element.hidden = true;

  let state: SearchState = parseSearchState(location.search);
  /** The search whose results are shown (`null` for the empty search), for its facet counts. */
  let lastSearch: PagefindSearch | null = null;
  // Pagefind counts results per facet value only once its whole filter index is loaded, which
  // weighs about as much as the rest of a first search: it loads when the reader reaches for the
  // filters (or ticks one, or arrives with filters in the URL), and the counts of a query stay
  // blank until then rather than show the catalog's totals.
  let countsReady = false;
  let countsLoading: Promise<void> | undefined;
  input.value = state.query;
  sortSelect.value = state.sort;
  let run = 0;
  let shown: Result[] = [];
  let offset = 0;

  const renderResults = async (token: number): Promise<void> => {
    const slice = shown.slice(offset, offset + pageSize);
    const data = await Promise.all(slice.map((result) => result.data()));
    if (token !== run) return;
    for (const item of data) resultsList.append(resultCard(item));
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

  /**
   * Shows how many results each facet value would give with the current query and filters
   * (Pagefind's counts for this search), or the catalog's totals when nothing is searched. A facet
   * with a value ticked counts its values by the query alone, so its other values, which would
   * widen the results, keep their numbers.
   */
  const showCounts = (search: PagefindSearch | null): void => {
    lastSearch = search;
    for (const box of facetsBox.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')) {
      const count = box.parentElement?.querySelector<HTMLElement>('.facet-count');
      if (!count) continue;
      const ticked = (state.filters[box.name as keyof SearchState['filters']] ?? []).length > 0;
      // Without a query, "the query alone" is the whole catalog: the totals the page was built with.
      const counts =
        search &&
        (ticked ? (state.query.trim() === '' ? null : search.totalFilters) : search.filters);
      const label = box.closest('label');
      if (counts && !countsReady) {
        count.textContent = '';
        label?.classList.remove('facet-empty');
        continue;
      }
      const n = counts ? (counts[box.name]?.[box.value] ?? 0) : Number(count.dataset.total ?? 0);
      count.textContent = `(${n})`;
      label?.classList.toggle('facet-empty', n === 0 && !box.checked);
    }
  };

  /** Loads Pagefind's filter index once, then shows the counts of the search on screen. */
  const loadCounts = (): Promise<void> =>
    (countsLoading ??= (async () => {
      const pagefind = await loadPagefind(base);
      await pagefind.filters();
      countsReady = true;
      if (lastSearch === null) return;
      const token = run;
      const { search } = await searchFor(pagefind, state.query);
      if (token === run) showCounts(search);
    })());
  if (filtersBox) {
    for (const type of ['pointerenter', 'focusin', 'click'] as const)
      filtersBox.addEventListener(type, () => void loadCounts(), { once: true });
  }

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

  /**
   * Pagefind's search of `query` with the current filters and sort, as results whose fragments load
   * once. A query word on no page, which Pagefind answers with the pages holding a shorter start
   * of it (`zzzqqq` as `z`), makes it a search with no result: the first result's matched words
   * tell (`missingWords`), and those words come back as `missing`.
   */
  const searchFor = async (
    pagefind: Pagefind,
    query: string,
  ): Promise<{ search: PagefindSearch | null; results: Result[]; missing: string[] }> => {
    const search = await pagefind.search(searchQuery(query), searchOptions());
    const results = (search?.results ?? []).map(memoized);
    const first = await results[0]?.data();
    if (!first) return { search, results, missing: [] };
    const words = first.content.split(/\s+/);
    const missing = missingWords(
      query,
      first.locations.map((at) => words[at] ?? ''),
    );
    if (missing.length === 0) return { search, results, missing };
    return { search: { results: [], filters: {}, totalFilters: {} }, results: [], missing };
  };

  const searchOptions = (): Record<string, unknown> => {
    const options: Record<string, unknown> = { filters: pagefindFilters(state) };
    if (state.sort !== 'relevance')
      options.sort = { [sortKeys[state.sort].key]: sortKeys[state.sort].direction };
    return options;
  };

  const update = async (): Promise<void> => {
    const token = ++run;
    const query = formatSearchState(state);
    history.replaceState(null, '', `${location.pathname}${query}${location.hash}`);
    const hasFilters = Object.values(state.filters).some((values) => values.length > 0);
    status.textContent = 'Searching…';
    const pagefind = await loadPagefind(base);
    if (token !== run) return;
    if (hasFilters) void loadCounts();
    const found =
      searchQuery(state.query) === null && !hasFilters && state.sort === 'relevance'
        ? { search: null, results: [], missing: [] }
        : await searchFor(pagefind, state.query);
    if (token !== run) return;
    const { search, missing } = found;
    let { results } = found;
    resultsList.replaceChildren();
    // The browse lists stay for an empty search; results replace them.
    for (const element of document.querySelectorAll<HTMLElement>('[data-browse]')) {
      element.hidden = search !== null;
    }
    showCounts(search);
    const words = state.query.trim();
    if (words !== '' && state.sort === 'relevance') {
      const head = results.slice(0, rankWindow);
      // Every page's indexed text starts with its title, so a page whose name could match the
      // query matched its first word. Only those, and the first page of results (shown anyway),
      // have their fragments loaded; the others rank as plugins that do not match by name, which
      // nearly every page of the catalog is.
      const data = await Promise.all(
        head.map((result, index) =>
          index < pageSize || result.matchesTitle ? result.data() : Promise.resolve(undefined),
        ),
      );
      if (token !== run) return;
      const ranked = rankByName(
        head.map((result, index) => ({ result, meta: data[index]?.meta })),
        (entry) => entry.meta?.name ?? entry.meta?.title,
        words,
        (entry) => (entry.meta ? entry.meta.kind : 'plugin'),
      );
      results = [...ranked.map((entry) => entry.result), ...results.slice(rankWindow)];
    }
    offset = 0;
    shown = results;
    status.textContent =
      search === null
        ? 'Type to search, or pick a facet.'
        : `${shown.length} result${shown.length === 1 ? '' : 's'}${missing.length > 0 ? `: no page has a word starting with ${missing.map((word) => `“${word}”`).join(' or ')}` : ''}`;
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
    void update().then(() => {
      if (status.getBoundingClientRect().bottom > window.innerHeight)
        status.scrollIntoView({ block: 'start' });
    });
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
