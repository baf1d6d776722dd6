import { describe, expect, test } from 'vitest';
import {
  extraIndexWords,
  missingWords,
  indexedText,
  searchQuery,
} from '../../src/lib/search-words.ts';

describe('extraIndexWords', () => {
  test('gives each run its character pairs and last character, once each, in order', () => {
    // One word to Pagefind up to the comma: its runs 上で複数 and アドバイザーを並列で動かし,
    // then its other letters.
    expect(extraIndexWords('tmux上で複数AIアドバイザーを並列で動かし、並列に')).toEqual([
      ...['上で', 'で複', '複数', '数'],
      ...['アド', 'ドバ', 'バイ', 'イザ', 'ザー', 'ーを', 'を並', '並列', '列で', 'で動'],
      ...['動か', 'かし', 'し'],
      ...['tmux', 'AI'],
      ...['列に', 'に'],
    ]);
  });

  test('gives one character alone, and nothing for text without such runs', () => {
    expect(extraIndexWords('a 鮨 b')).toEqual(['鮨']);
    expect(extraIndexWords('Writes changelogs, in Ελληνικά too')).toEqual([]);
    expect(extraIndexWords('')).toEqual([]);
  });

  test('splits Korean words too, whose compounds and particles are written together', () => {
    expect(extraIndexWords('TDD 워크플로우를 실행')).toEqual([
      ...['워크', '크플', '플로', '로우', '우를', '를'],
      ...['실행', '행'],
    ]);
  });

  test('names C#, F#, C++ and .NET by the words their plugins use, each once', () => {
    expect(
      extraIndexWords('A C# and F# language server, C++ bindings, .NET 8 and ASP.NET; c# again'),
    ).toEqual(['csharp', 'fsharp', 'cpp', 'dotnet']);
    // Not when the letter is part of a word, nor for a domain name.
    expect(extraIndexWords('abc# ABC++ status.example.net C#m')).toEqual([]);
  });

  test('reads characters outside the Basic Multilingual Plane as one character', () => {
    expect(extraIndexWords('𠮷野家')).toEqual(['𠮷野', '野家', '家']);
  });
});

describe('searchQuery', () => {
  test('turns runs into their pairs and keeps other words, spaces collapsed', () => {
    expect(searchQuery('複数AIアドバイザー')).toBe('複数 AI アド ドバ バイ イザ ザー');
    expect(searchQuery(' 並  tmux ')).toBe('並 tmux');
    expect(searchQuery('kubectl rollout')).toBe('kubectl rollout');
    expect(searchQuery('  ')).toBeNull();
  });

  test('searches C#, C++, F# and .NET typed as words by the words the index holds', () => {
    expect(searchQuery('C# lsp')).toBe('csharp lsp');
    expect(searchQuery('c++ .net F#')).toBe('cpp dotnet fsharp');
    expect(searchQuery('c#x asp.net')).toBe('c#x asp.net');
  });
});

describe('missingWords', () => {
  test('names the words Pagefind searched by a start of one or two characters: they are on no page', () => {
    // The words of the first result at its matched positions, as the page's text holds them.
    expect(missingWords('zzzqqq', ['Z', 'z",'])).toEqual(['zzzqqq']);
    expect(missingWords('F#', ['PDFs,', 'fs,'])).toEqual(['F#']);
    expect(missingWords('agentops Xqzv', ['AgentOps', '(X,'])).toEqual(['Xqzv']);
  });

  test('keeps typos Pagefind still finds by a start of three or more characters, and exact words', () => {
    expect(missingWords('kubernets', ['dex-skill-kubernetes.', 'Kubernetes'])).toEqual([]);
    expect(missingWords('pyton', ['PyTorch,'])).toEqual([]);
    expect(missingWords('runing tests', ['runes,', 'tests,'])).toEqual([]);
    expect(missingWords('C# lsp', ['csharp-lsp.'])).toEqual([]);
    // A compound is read as one word too, and accents do not count.
    expect(missingWords('dexskill', ['dex-skill-kubernetes.'])).toEqual([]);
    expect(missingWords('resume', ['Résumé'])).toEqual([]);
  });

  test('never judges short words, words with other characters, or Chinese, Japanese and Korean text', () => {
    expect(missingWords('zzq qq node.js リリース 워크플로우', ['Z'])).toEqual([]);
  });
});

describe('indexedText', () => {
  test('reads data-pagefind-body elements only, without ignored elements, scripts and styles', () => {
    const html = [
      '<html><head><title>外</title><style>p::before{content:"体"}</style></head><body>',
      '<nav>目次</nav>',
      '<article data-pagefind-body><h1 data-title="a > b">名前</h1><br><img alt="画像">',
      '<section data-pagefind-ignore><section>無視</section>消す</section>',
      '<script>const s = "</section> 脚本";</script><!-- 注 -->',
      '<p>説明</p></article>',
      '<footer>足</footer></body></html>',
    ].join('');
    expect(indexedText(html).split(/\s+/).filter(Boolean)).toEqual(['名前', '説明']);
  });

  test('reads the whole page when it has no data-pagefind-body element', () => {
    const html = '<body><p>一</p><div data-pagefind-ignore>二</div>三</body>';
    expect(indexedText(html).split(/\s+/).filter(Boolean)).toEqual(['一', '三']);
  });
});
