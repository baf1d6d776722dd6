import { describe, expect, test } from 'vitest';
import { cjkIndexWords, cjkQuery, indexedText } from '../../src/lib/cjk-terms.ts';

describe('cjkIndexWords', () => {
  test('gives each run its character pairs and last character, once each, in order', () => {
    // One word to Pagefind up to the comma: its runs 上で複数 and アドバイザーを並列で動かし,
    // then its other letters.
    expect(cjkIndexWords('tmux上で複数AIアドバイザーを並列で動かし、並列に')).toEqual([
      ...['上で', 'で複', '複数', '数'],
      ...['アド', 'ドバ', 'バイ', 'イザ', 'ザー', 'ーを', 'を並', '並列', '列で', 'で動'],
      ...['動か', 'かし', 'し'],
      ...['tmux', 'AI'],
      ...['列に', 'に'],
    ]);
  });

  test('gives one character alone, and nothing for text without such runs', () => {
    expect(cjkIndexWords('a 鮨 b')).toEqual(['鮨']);
    expect(cjkIndexWords('Writes changelogs, in Ελληνικά too')).toEqual([]);
    expect(cjkIndexWords('')).toEqual([]);
  });

  test('splits Korean words too, whose compounds and particles are written together', () => {
    expect(cjkIndexWords('TDD 워크플로우를 실행')).toEqual([
      ...['워크', '크플', '플로', '로우', '우를', '를'],
      ...['실행', '행'],
    ]);
  });

  test('reads characters outside the Basic Multilingual Plane as one character', () => {
    expect(cjkIndexWords('𠮷野家')).toEqual(['𠮷野', '野家', '家']);
  });
});

describe('cjkQuery', () => {
  test('turns runs into their pairs and keeps other words', () => {
    expect(cjkQuery('複数AIアドバイザー')).toBe(' 複数 AI アド ドバ バイ イザ ザー ');
    expect(cjkQuery('並 tmux')).toBe(' 並  tmux');
    expect(cjkQuery('kubectl rollout')).toBe('kubectl rollout');
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
