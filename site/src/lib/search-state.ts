/** The facets a search can filter on, in the order the page shows them. */
export const facetNames = ['type', 'category', 'tag', 'capability', 'license', 'status'] as const;

/** A facet name. */
export type FacetName = (typeof facetNames)[number];

/** How the search page titles each facet. */
export const facetLabels: Record<FacetName, string> = {
  type: 'Type',
  category: 'Category',
  tag: 'Tag',
  capability: 'Runs on your machine',
  license: 'License',
  status: 'Pattern status',
};

/** The sorts a search offers; `relevance` is Pagefind's own ranking. */
const sortNames = ['relevance', 'name', 'updated', 'success', 'cost'] as const;

/** A sort name. */
export type SortName = (typeof sortNames)[number];

/** What a search page shows: the query, the chosen facet values and the sort. */
export interface SearchState {
  query: string;
  filters: Partial<Record<FacetName, string[]>>;
  sort: SortName;
}

/** How each sort maps onto a Pagefind sort key and direction. */
export const sortKeys: Record<
  Exclude<SortName, 'relevance'>,
  { key: string; direction: 'asc' | 'desc' }
> = {
  name: { key: 'name', direction: 'asc' },
  updated: { key: 'updated', direction: 'desc' },
  success: { key: 'success', direction: 'desc' },
  cost: { key: 'cost', direction: 'asc' },
};

function isFacet(name: string): name is FacetName {
  return (facetNames as readonly string[]).includes(name);
}

function isSort(name: string): name is SortName {
  return (sortNames as readonly string[]).includes(name);
}

/** Reads the state from a URL query string (`?q=…&type=plugin&tag=a&tag=b&sort=name`). */
export function parseSearchState(search: string): SearchState {
  const params = new URLSearchParams(search);
  const filters: SearchState['filters'] = {};
  for (const [name, value] of params) {
    if (!isFacet(name) || value === '') continue;
    const values = filters[name] ?? [];
    if (!values.includes(value)) values.push(value);
    filters[name] = values;
  }
  const sort = params.get('sort') ?? '';
  return {
    query: (params.get('q') ?? '').slice(0, 200),
    filters,
    sort: isSort(sort) ? sort : 'relevance',
  };
}

/** Writes the state as a URL query string (empty parts left out), the inverse of `parseSearchState`. */
export function formatSearchState(state: SearchState): string {
  const params = new URLSearchParams();
  if (state.query.trim() !== '') params.set('q', state.query.trim());
  for (const name of facetNames) {
    for (const value of [...(state.filters[name] ?? [])].sort()) params.append(name, value);
  }
  if (state.sort !== 'relevance') params.set('sort', state.sort);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** The Pagefind filter object: any of the chosen values within a facet, all facets together. */
export function pagefindFilters(state: SearchState): Record<string, { any: string[] }> {
  const filters: Record<string, { any: string[] }> = {};
  for (const name of facetNames) {
    const values = state.filters[name];
    if (values && values.length > 0) filters[name] = { any: values };
  }
  return filters;
}
