import { describe, expect, test } from 'vitest';
import {
  formatSearchState,
  pagefindFilters,
  parseSearchState,
} from '../../src/lib/search-state.ts';

describe('search state', () => {
  test('parses the query, facets and sort from the URL', () => {
    expect(parseSearchState('?q=deploy&type=plugin&tag=b&tag=a&tag=a&sort=name&bogus=1')).toEqual({
      query: 'deploy',
      filters: { type: ['plugin'], tag: ['b', 'a'] },
      sort: 'name',
    });
  });

  test('falls back to relevance for an unknown sort', () => {
    expect(parseSearchState('?sort=evil').sort).toBe('relevance');
  });

  test('writes facets in a stable order and leaves defaults out', () => {
    expect(
      formatSearchState({
        query: ' kube ',
        filters: { tag: ['b', 'a'], type: ['plugin'] },
        sort: 'relevance',
      }),
    ).toBe('?q=kube&type=plugin&tag=a&tag=b');
    expect(formatSearchState({ query: '', filters: {}, sort: 'relevance' })).toBe('');
  });

  test('round-trips through the URL', () => {
    const state = parseSearchState('?q=a+b&capability=no+hooks&sort=cost');
    expect(parseSearchState(formatSearchState(state))).toEqual(state);
  });

  test('builds any-of filters per facet for Pagefind', () => {
    expect(
      pagefindFilters({ query: '', filters: { tag: ['a', 'b'], type: [] }, sort: 'name' }),
    ).toEqual({ tag: { any: ['a', 'b'] } });
  });
});
