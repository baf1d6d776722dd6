import { describe, expect, test } from 'vitest';
import { docRoute, renderDoc } from '../../src/lib/docs.ts';

describe('docs', () => {
  test('puts rule docs at /rules/<id>/ and other docs under /docs/', () => {
    expect([
      docRoute('rules/no-secrets.md'),
      docRoute('rules/index.md'),
      docRoute('index.md'),
      docRoute('guides/setup.md'),
    ]).toEqual(['rules/no-secrets/', 'rules/', 'docs/', 'docs/guides/setup/']);
  });

  test('renders a rule doc with its title, first paragraph, heading ids and site links', () => {
    const doc = renderDoc(
      'rules/no-secrets.md',
      '# no-secrets\n\nDisallow `secrets` in files\n\n## Why\n\nSee [config](../CONFIG.md#rules) and [x](https://x.test).\n',
      '/base',
    );
    expect(doc).toMatchObject({
      id: 'rules/no-secrets',
      route: 'rules/no-secrets/',
      title: 'no-secrets',
      description: 'Disallow secrets in files',
      section: 'rules',
    });
    expect(doc.html).toContain('<h2 id="why">Why</h2>');
    expect(doc.html).toContain('<a href="/base/docs/CONFIG/#rules">config</a>');
  });

  test('drops frontmatter and links that leave docs/', () => {
    const doc = renderDoc('a.md', '---\ntitle: x\n---\n# A\n\n[up](../../secret.md)\n', '/');
    expect(doc.title).toBe('A');
    expect(doc.html).toBe('<h1 id="a">A</h1>\n<p>up</p>\n');
  });
});

describe('doc links', () => {
  test('keeps only links to docs that exist', () => {
    const doc = renderDoc(
      'guide.md',
      '[a](rules/x.md) [b](missing.md)',
      '/m',
      (file) => file === 'rules/x.md',
    );
    expect(doc.html).toBe('<p><a href="/m/rules/x/">a</a> b</p>\n');
  });
});
