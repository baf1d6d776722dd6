import { describe, expect, test } from 'vitest';
import { listedBy, listingName, listingSearchText } from '../../src/lib/federated-text.ts';

const listing = (marketplaceId: string, marketplaceName: string | undefined) => ({
  marketplaceId,
  marketplaceName,
});

describe('listingName', () => {
  test('names a marketplace by its name, or by its id when it has none', () => {
    expect(listingName(listing('acme__tools', 'acme-tools'))).toBe('acme-tools');
    expect(listingName(listing('acme__tools', undefined))).toBe('acme__tools');
  });
});

describe('listedBy', () => {
  test('names the one marketplace of a plugin listed once, and counts several', () => {
    const listings = (...names: (string | undefined)[]) =>
      names.map((name, index) => listing(`owner${index}__repo`, name));
    expect(listedBy({ listings: listings('acme-tools') })).toBe('acme-tools');
    expect(listedBy({ listings: listings(undefined) })).toBe('owner0__repo');
    expect(listedBy({ listings: listings('acme-tools', 'other') })).toBe('2 marketplaces');
    expect(listedBy({ listings: listings('a', 'b', 'c') })).toBe('3 marketplaces');
  });
});

describe('listingSearchText', () => {
  test("gives each marketplace's name and source once", () => {
    const searchable = (marketplaceName: string | undefined, marketplaceSource: string) => ({
      marketplaceName,
      marketplaceSource,
    });
    expect(
      listingSearchText({
        listings: [
          searchable('acme-tools', 'acme/tools'),
          searchable(undefined, 'zed/my__repo'),
          searchable('acme-tools', 'acme/tools'),
          searchable('gitlab-tools', 'https://gitlab.com/acme/tools.git'),
        ],
      }),
    ).toBe('acme-tools acme/tools zed/my__repo gitlab-tools https://gitlab.com/acme/tools.git');
  });
});
