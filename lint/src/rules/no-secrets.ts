import type { Catalog } from '../catalog/model.ts';
import { code } from '../catalog/diagnostic.ts';
import { LineIndex } from '../catalog/position-map.ts';
import { defineRule, type RuleContext } from '../rule.ts';

/** A credential shape: `re` matches the whole secret; `shown` characters of it may be printed. */
interface TokenShape {
  kind: string;
  re: RegExp;
  /** Text every match contains: a file without any of them is not searched with `re`. */
  hints: readonly string[];
  /** Length of the fixed marker (`ghp_`, `AKIA`, `sk-ant-api03-`) shown before the redaction. */
  marker: (secret: string) => number;
}

const fixed = (length: number) => (): number => length;
const upToLastDash = (secret: string): number =>
  secret.indexOf('-', secret.indexOf('-', 3) + 1) + 1;

// Boundaries are lookarounds so a key inside a longer word (or a longer key) does not match.
const tokenShapes: readonly TokenShape[] = [
  {
    kind: 'GitHub token',
    re: /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,251}(?![A-Za-z0-9_])/g,
    hints: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
    marker: fixed(4),
  },
  {
    kind: 'GitHub fine-grained token',
    re: /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{60,244}(?![A-Za-z0-9_])/g,
    hints: ['github_pat_'],
    marker: fixed(11),
  },
  {
    kind: 'AWS access key id',
    re: /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g,
    hints: ['AKIA', 'ASIA'],
    marker: fixed(4),
  },
  {
    kind: 'Anthropic API key',
    re: /(?<![A-Za-z0-9_-])sk-ant-[a-z]+[0-9]*-[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])/g,
    hints: ['sk-ant-'],
    marker: upToLastDash,
  },
  {
    kind: 'OpenAI API key',
    re: /(?<![A-Za-z0-9_-])sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])/g,
    hints: ['sk-'],
    marker: (secret) => secret.indexOf('-', 3) + 1,
  },
  {
    kind: 'OpenAI API key',
    re: /(?<![A-Za-z0-9_-])sk-[A-Za-z0-9]{32,}(?![A-Za-z0-9_-])/g,
    hints: ['sk-'],
    marker: fixed(3),
  },
];

/** Every hint above and the private key armour: a file with none of them has nothing to find. */
const anyHintRe = /gh[pousr]_|github_pat_|sk-|AKIA|ASIA|-----BEGIN /;

const privateKeyBeginRe = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g;
/** Words that mark a documentation placeholder rather than a real credential. */
const placeholderRe = /example|xxxx|your|placeholder|redacted|dummy|fake|sample|0000|1234|abcd/i;
/** A real key body is random: far more distinct characters than `aaaa…` or `abab…`. */
const minDistinct = 10;
/** Base64 characters a real private key body has at least (an RSA key has over a thousand). */
const minKeyBody = 64;
/** Characters of the secret itself printed after its marker. */
const shownChars = 4;

function isPlaceholder(body: string): boolean {
  return placeholderRe.test(body) || new Set(body).size < minDistinct;
}

/** A found secret: offsets in the file text and the redacted form that may be printed. */
interface Finding {
  start: number;
  end: number;
  kind: string;
  redacted: string;
}

function findTokens(text: string): Finding[] {
  const found: Finding[] = [];
  for (const shape of tokenShapes) {
    if (!shape.hints.some((hint) => text.includes(hint))) continue;
    for (const match of text.matchAll(shape.re)) {
      const secret = match[0];
      const marker = shape.marker(secret);
      if (isPlaceholder(secret.slice(marker))) continue;
      found.push({
        start: match.index,
        end: match.index + secret.length,
        kind: shape.kind,
        redacted: `${secret.slice(0, marker + shownChars)}…`,
      });
    }
  }
  return found;
}

function findPrivateKeys(text: string): Finding[] {
  const found: Finding[] = [];
  // The next END line of each kind, kept so that many BEGIN lines cost one scan, not one each.
  const nextEnd = new Map<string, number>();
  let coveredUntil = 0;
  if (!text.includes('-----BEGIN ')) return found;
  for (const match of text.matchAll(privateKeyBeginRe)) {
    const begin = match[0];
    const endMarker = begin.replace('BEGIN', 'END');
    const bodyStart = match.index + begin.length;
    let endAt = nextEnd.get(endMarker);
    if (endAt === undefined || (endAt !== -1 && endAt < bodyStart)) {
      endAt = text.indexOf(endMarker, bodyStart);
      nextEnd.set(endMarker, endAt);
    }
    // A BEGIN line inside a block already taken belongs to that block.
    if (endAt === -1 || match.index < coveredUntil) continue;
    // Another armour line before the END line: this BEGIN line opens no block of its own.
    if (text.indexOf('-----', bodyStart) < endAt) continue;
    coveredUntil = endAt + endMarker.length;
    // Escaped newlines (`\n` inside a JSON string) and headers such as `Proc-Type:` are not key data.
    const body = text
      .slice(bodyStart, endAt)
      .replaceAll('\\n', '\n')
      .split('\n')
      .filter((line) => !line.includes(':'))
      .join('')
      .replace(/[^A-Za-z0-9+/=]/g, '');
    if (body.length < minKeyBody || isPlaceholder(body)) continue;
    found.push({
      start: match.index,
      end: endAt + endMarker.length,
      kind: 'private key',
      redacted: begin,
    });
  }
  return found;
}

function check(catalog: Catalog, ctx: RuleContext): void {
  for (const file of catalog.files) {
    const text = file.value;
    if (typeof text !== 'string' || text === '' || !anyHintRe.test(text)) continue;
    const findings = [...findTokens(text), ...findPrivateKeys(text)].sort(
      (a, b) => a.start - b.start,
    );
    if (findings.length === 0) continue;
    const lines = new LineIndex(text);
    for (const finding of findings) {
      ctx.report({
        doc: file,
        place: lines.range(finding.start, finding.end),
        message: `Unexpected ${finding.kind} ${code(finding.redacted)}, expected no credential in a published file`,
        actual: finding.redacted,
        note: 'Revoke the credential: anything pushed to a public repository is compromised. Read it at run time instead, from an environment variable or a `userConfig` option with `sensitive: true`.',
      });
    }
  }
}

export default defineRule({
  id: 'no-secrets',
  description:
    'Disallow credentials such as API keys, access tokens and private keys in catalog files',
  severity: 'error',
  appliesTo: 'catalog',
  stage: 'stable',
  check,
});
