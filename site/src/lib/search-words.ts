/**
 * Search words Pagefind's own splitting loses, added to the index and to the query alike.
 *
 * Pagefind splits words at spaces and punctuation under the site's one language (`en`):
 *
 * - Text written without spaces between its words (Chinese, Japanese, and the compounds and
 *   particles of Korean: 워크플로우, 테스트를): a run such as `複数AIアドバイザーを並列で動かし` is
 *   one long word, and a search for `並列` or `アドバイザー`, which start no word, finds nothing.
 *   The index therefore also holds every run's overlapping character pairs (`並列 列で で動 …`) and
 *   its last character, and a query's runs are searched as their pairs, which Pagefind requires
 *   all of: any part of a run is found.
 * - Names made of a letter and a symbol: `C#`, `C++` and `F#` become the word `c`, `.NET` the word
 *   `net`, so a search for them finds every word starting with `c` or `net`. They are indexed and
 *   searched as `csharp`, `cpp`, `fsharp` and `dotnet`, the words their plugins' names use.
 */

/** Han ideographs (with the iteration mark), hiragana, katakana (with `ー`) and hangul. */
const runRe =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3005\u30fc\uff70]+/gu;

/** A run's overlapping pairs of characters, and its last character alone. */
function pairs(run: string): string[] {
  const chars = [...run];
  const found: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) found.push(`${chars[i]}${chars[i + 1]}`);
  found.push(chars.at(-1) ?? '');
  return found;
}

/** A word as Pagefind splits them: letters and digits of any script, without spaces. */
const wordRe = /[\p{L}\p{N}\p{M}\u30fc\uff70]+/gu;

/**
 * The extra words to index for `text`, each once, in order of first appearance: each run's
 * character pairs and last character, and the other letters and digits of a word that holds a run
 * (`AI` of `複数AIアドバイザー`), which Pagefind keeps inside that word. Empty when the text has no
 * such run.
 */
function cjkIndexWords(text: string): string[] {
  const words = new Set<string>();
  for (const [word] of text.matchAll(wordRe)) {
    if (!word.match(runRe)) continue;
    for (const [run] of word.matchAll(runRe)) for (const pair of pairs(run)) words.add(pair);
    for (const rest of word.split(runRe)) if (rest !== '') words.add(rest);
  }
  return [...words];
}

/** Names Pagefind reads as a bare letter or word, in text (`.NET` as written, never a domain). */
const symbolNames: readonly { text: RegExp; query: RegExp; word: string }[] = [
  { text: /(?<![\p{L}\p{N}_])C#(?![\p{L}\p{N}_#])/giu, query: /^c#$/i, word: 'csharp' },
  { text: /(?<![\p{L}\p{N}_])F#(?![\p{L}\p{N}_#])/giu, query: /^f#$/i, word: 'fsharp' },
  { text: /(?<![\p{L}\p{N}_])C\+\+(?![\p{L}\p{N}_+])/giu, query: /^c\+\+$/i, word: 'cpp' },
  { text: /\.NET(?![\p{L}\p{N}_])/gu, query: /^\.net$/i, word: 'dotnet' },
];

/**
 * The words to index for `text` beyond Pagefind's own, each once, in order: the Chinese,
 * Japanese and Korean words (`cjkIndexWords`), then `csharp`, `cpp`, `fsharp` or `dotnet` for each
 * of those names the text holds.
 */
export function extraIndexWords(text: string): string[] {
  const words = cjkIndexWords(text);
  for (const name of symbolNames) if (text.search(name.text) !== -1) words.push(name.word);
  return words;
}

/**
 * `query` as Pagefind must search it against the index with `extraIndexWords`: `c#`, `c++`, `f#`
 * and `.net` typed as words become `csharp`, `cpp`, `fsharp` and `dotnet`, and Chinese, Japanese
 * and Korean runs their pairs (`cjkQuery`); spaces are collapsed. `null` for an empty query.
 */
export function searchQuery(query: string): string | null {
  const words = cjkQuery(query)
    .split(/\s+/)
    .filter((word) => word !== '')
    .map((word) => symbolNames.find((name) => name.query.test(word))?.word ?? word);
  return words.length === 0 ? null : words.join(' ');
}

/** How many leading characters two words share. */
function sharedStart(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/**
 * The words of `query`, as typed, that no indexed word starts with, judged from the words one of
 * its results matched (`matched`: that page's text at the result's word positions).
 *
 * Pagefind answers a word that no page has with the pages holding a shorter start of it: a typo
 * such as `kubernets` still finds `kubernetes`, but `zzzqqq` finds every page with a `Z`, and `F#`
 * (searched as `fsharp`) on a catalog without it every word starting with `fs`. The start it falls
 * back to is the same for every result, so one result tells. A word of four or more letters or
 * digits (after `searchQuery`'s renaming) is missing when every matched word shares fewer than
 * three leading characters with it, accents aside; a matched `dex-skill-kubernetes` is read as
 * each of its parts and as one word. Shorter words, words with other characters and Chinese,
 * Japanese or Korean text are never judged.
 */
export function missingWords(query: string, matched: readonly string[]): string[] {
  const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const found = new Set<string>();
  for (const word of matched) {
    const parts = fold(word).match(/[\p{L}\p{N}]+/gu) ?? [];
    for (const part of parts) found.add(part);
    found.add(parts.join(''));
  }
  return query.split(/\s+/).filter((typed) => {
    const word = fold(symbolNames.find((name) => name.query.test(typed))?.word ?? typed);
    return (
      /^[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\p{N}]{4,}$/u.test(word) &&
      ![...found].some((part) => sharedStart(part, word) >= 3)
    );
  });
}

/**
 * `query` as Pagefind must search it against that index: each run of two or more characters
 * becomes its pairs, which must all be on a page (Pagefind, as for any word, takes the longest
 * indexed start of a pair that is on no page); one character stays, and matches the pairs it
 * starts. Text without such runs is returned as it was.
 */
function cjkQuery(query: string): string {
  return query.replace(runRe, (run) => {
    const chars = [...run];
    if (chars.length === 1) return ` ${run} `;
    return ` ${pairs(run).slice(0, -1).join(' ')} `;
  });
}

/** HTML elements that have no end tag. */
const voidElements = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);

/**
 * The text Pagefind indexes of a built page, as far as these words need it: the text inside
 * `data-pagefind-body` elements (the whole body when the page has none), without the elements
 * marked `data-pagefind-ignore` and without scripts and styles. Attributes are not text. Reads the
 * well-formed HTML Astro writes; tags are matched by name, so an unclosed element only widens what
 * is read.
 */
export function indexedText(html: string): string {
  const hasBody = html.includes('data-pagefind-body');
  const lower = html.toLowerCase();
  const tagRe = /<(\/?)([a-zA-Z][\w-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|<!--[\s\S]*?-->/g;
  const stack: { name: string; ignore: boolean; body: boolean }[] = [];
  let ignored = 0;
  let inBody = hasBody ? 0 : 1;
  let text = '';
  let last = 0;
  for (let match = tagRe.exec(html); match !== null; match = tagRe.exec(html)) {
    if (ignored === 0 && inBody > 0) text += `${html.slice(last, match.index)} `;
    last = tagRe.lastIndex;
    const [, close, rawName, attributes = ''] = match;
    if (rawName === undefined) continue;
    const name = rawName.toLowerCase();
    if (name === 'script' || name === 'style') {
      if (close) continue;
      // Their content is not HTML: go on from their end tag.
      const end = lower.indexOf(`</${name}`, last);
      last = end === -1 ? html.length : end;
      tagRe.lastIndex = last;
      continue;
    }
    if (close) {
      const at = stack.findLastIndex((open) => open.name === name);
      if (at === -1) continue;
      for (const open of stack.splice(at)) {
        if (open.ignore) ignored--;
        if (open.body) inBody--;
      }
    } else if (!voidElements.has(name) && !attributes.trimEnd().endsWith('/')) {
      const open = {
        name,
        ignore: /\sdata-pagefind-ignore\b/.test(attributes),
        body: hasBody && /\sdata-pagefind-body\b/.test(attributes),
      };
      stack.push(open);
      if (open.ignore) ignored++;
      if (open.body) inBody++;
    }
  }
  if (ignored === 0 && inBody > 0) text += html.slice(last);
  return text;
}
