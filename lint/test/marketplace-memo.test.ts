import { expect, test } from 'vitest';
import { createMemorySource, parseCatalog } from '../src/catalog/index.ts';
import { marketplacePath } from '../src/catalog/discover.ts';
import { memoOf, rememberMarketplace } from '../src/marketplace-memo.ts';
// These tests call the loader's modules directly, not through an entry point that loads every
// validator, so they load them here.
import '../src/catalog/validators-all.ts';

/** A valid marketplace whose `renames` has the member names `names`, each renamed to `new-<i>`. */
const marketplace = (names: string[]): Record<string, unknown> => ({
  name: 'm',
  owner: { name: 'o' },
  plugins: [],
  renames: Object.fromEntries(names.map((name, i) => [name, `new-${i}`])),
});

test('keeps and gives back marketplaces with names written with a backslash, each as written', () => {
  // On Node 24, once the first is parsed, the built-in parser reads the names `"` and a line break
  // of the others as `\`.
  const data = [
    ['memo-old', '\\'],
    ['memo-old', '"'],
    ['memo-old', '\n'],
  ].map(marketplace);
  const given = data.map((expected) => {
    const text = JSON.stringify(expected);
    const catalog = parseCatalog(createMemorySource({ [marketplacePath]: text }));
    expect(catalog.marketplace?.data).toEqual(expected);
    expect(catalog.marketplace?.valid).toBe(true);
    const memo = memoOf(catalog.marketplace);
    expect(memo?.bytes.toString()).toBe(text);
    return memo && rememberMarketplace(memo)(marketplacePath, 'marketplace', text);
  });
  expect(given).toEqual(
    data.map((expected) => ({ data: expected, valid: true, invalidAt: undefined })),
  );
  expect(
    given.map((remembered) => Object.keys((remembered?.data as { renames: object }).renames)),
  ).toEqual([
    ['memo-old', '\\'],
    ['memo-old', '"'],
    ['memo-old', '\n'],
  ]);
});
