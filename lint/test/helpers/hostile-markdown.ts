/** A seeded generator of hostile Markdown, for the fuzz test and `npm run bench`. */

/** A small, fast, seeded pseudo-random generator (mulberry32): the same seed, the same cases. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)] as T;
const size = (random: Random, max: number): number => 1 + Math.floor(random() ** 2 * max);

/**
 * Pieces that stress a Markdown parser: deep containers, long runs of brackets, emphasis and
 * backticks, many links, entities, HTML. Each piece closes what it opens that a blank line would
 * not end (fences, comments), so a link after a blank line is still a link.
 */
const pieces: ((random: Random) => string)[] = [
  (r) => '>'.repeat(size(r, 20_000)) + ' [q](missing-quote.md)',
  (r) =>
    Array.from(
      { length: size(r, 900) },
      (_, i) => `${'  '.repeat(i)}- item [l](missing-list.md)`,
    ).join('\n'),
  (r) => Array.from({ length: size(r, 400) }, (_, i) => `${'- '.repeat(i)}x`).join('\n'),
  (r) => Array.from({ length: size(r, 400) }, (_, i) => `${'> '.repeat(i)}1. x`).join('\n'),
  (r) =>
    Array.from({ length: size(r, 40_000) }, (_, i) => `[x](missing-${i}.md)`).join(
      pick(r, ['\n', '\n\n', ' ', '']),
    ),
  (r) => '['.repeat(size(r, 100_000)) + '](x.md)',
  (r) => '[a]('.repeat(size(r, 50_000)),
  (r) => '![a'.repeat(size(r, 50_000)),
  (r) => '*a **a _b __'.repeat(size(r, 20_000)),
  (r) => Array.from({ length: size(r, 20_000) }, (_, i) => '`'.repeat((i % 40) + 1)).join(' a '),
  (r) => '<a href="'.repeat(size(r, 20_000)),
  (r) => '&amp;&#x41;&#65;'.repeat(size(r, 20_000)),
  (r) => `[r]: ${'x'.repeat(size(r, 200_000))}`,
  (r) =>
    Array.from({ length: size(r, 20_000) }, (_, i) => `[r${i}]: missing-def-${i}.md`).join('\n'),
  (r) => '[a '.repeat(size(r, 20_000)) + '](x)'.repeat(size(r, 20_000)),
  (r) => `\`\`\`\n${'[c](code.md)\n'.repeat(size(r, 20_000))}\`\`\``,
  (r) => `<!--\n${'[h](html.md)\n\n'.repeat(size(r, 20_000))}-->`,
  (r) => '\t'.repeat(size(r, 50_000)) + '[t](tab.md)',
  (r) => ' \r\n'.repeat(size(r, 50_000)),
  (r) => '\\'.repeat(size(r, 100_000)) + '[e](x.md)',
  (r) => '- '.repeat(size(r, 5000)) + '> '.repeat(size(r, 5000)) + '[m](x.md)',
  (r) => `${'1. '.repeat(size(r, 3000))}[o](x.md)`,
  (r) => '\u001b[31m\u0007\u202e'.repeat(size(r, 1000)),
];

/** The most text a case holds, under the loader's 1 MiB cap for a file. */
const maxLength = 900_000;

/** One hostile Markdown body: a few pieces, then a broken link of its own after a blank line. */
function hostileMarkdown(random: Random, index: number): string {
  const parts: string[] = [];
  let length = 0;
  for (let count = 1 + Math.floor(random() * 3); count > 0; count--) {
    const part = pick(random, pieces)(random);
    if (length + part.length > maxLength) continue;
    parts.push(part);
    length += part.length;
  }
  const joined = parts.join(pick(random, ['\n', '\n\n', '']));
  return `${joined}\n\n[broken](missing-case-${index}.md)\n`;
}

/** `count` hostile bodies from a seed. */
export function hostileCases(seed: number, count: number): string[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, (_, index) => hostileMarkdown(random, index));
}
