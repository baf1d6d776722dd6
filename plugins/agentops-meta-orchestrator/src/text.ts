import { cryptoModule } from './builtins.ts';

/** SHA-256 of a string, hex. */
export function sha256(text: string): string {
  return cryptoModule().createHash('sha256').update(text).digest('hex');
}

const secretRes: RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
  /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g,
  /\bsk-[A-Za-z0-9_-]{16,}\b/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g,
  /\b(?:https?|postgres(?:ql)?|mysql|mongodb(?:\+srv)?|redis):\/\/[^\s:@/]+:[^\s@/]+@/g,
  /\b((?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|auth)\s*[:=]\s*)["']?[^\s"',;]{4,}/gi,
  /\bBearer\s+[A-Za-z0-9._~+/-]{12,}=*/g,
];

/** Replaces secrets (keys, tokens, passwords, credentials in URLs) with `[REDACTED]`. */
export function redact(text: string): string {
  let out = text;
  for (const re of secretRes) {
    out = out.replace(re, (match: string, prefix: unknown) =>
      typeof prefix === 'string' && match.startsWith(prefix) ? `${prefix}[REDACTED]` : '[REDACTED]',
    );
  }
  return out;
}

/** Words that never become keywords. */
export const stopwords: ReadonlySet<string> = new Set(
  (
    'a an and are as at be been but by can could do does for from has have how i if in into is it ' +
    'its let me my new of on or our please should so some that the their them then there these this ' +
    'those to up us use using via was we were what when where which while who will with would you ' +
    'your make sure also all any just get need needs want add able one two more most very than ' +
    'currently now again still way thing things etc after before last caused cause since because without within must'
  ).split(' '),
);

/** Synonym table: each word maps to its canonical keyword (applied before and after stemming). */
export const synonyms: Readonly<Record<string, string>> = {
  authentication: 'auth',
  authenticate: 'auth',
  authorization: 'auth',
  authorize: 'auth',
  login: 'auth',
  logon: 'auth',
  signin: 'auth',
  sign: 'auth',
  oauth: 'auth',
  oauth2: 'auth',
  sso: 'auth',
  bug: 'fix',
  bugfix: 'fix',
  defect: 'fix',
  broken: 'fix',
  crash: 'fix',
  error: 'fix',
  issue: 'fix',
  repair: 'fix',
  regression: 'fix',
  database: 'db',
  postgres: 'db',
  postgresql: 'db',
  mysql: 'db',
  sql: 'db',
  sqlite: 'db',
  orm: 'db',
  schema: 'db',
  migrate: 'migration',
  migrat: 'migration',
  upgrade: 'migration',
  endpoint: 'api',
  endpoints: 'api',
  rest: 'api',
  graphql: 'api',
  route: 'api',
  routes: 'api',
  handler: 'api',
  documentation: 'docs',
  doc: 'docs',
  readme: 'docs',
  document: 'docs',
  documenting: 'docs',
  test: 'test',
  tests: 'test',
  testing: 'test',
  spec: 'test',
  specs: 'test',
  unittest: 'test',
  coverage: 'test',
  refactor: 'refactor',
  refactoring: 'refactor',
  restructure: 'refactor',
  cleanup: 'refactor',
  simplify: 'refactor',
  rewrite: 'refactor',
  ui: 'frontend',
  component: 'frontend',
  components: 'frontend',
  css: 'frontend',
  react: 'frontend',
  page: 'frontend',
  deploy: 'deploy',
  deployment: 'deploy',
  release: 'deploy',
  ci: 'pipeline',
  pipeline: 'pipeline',
  workflow: 'pipeline',
  performance: 'perf',
  slow: 'perf',
  latency: 'perf',
  speed: 'perf',
  optimize: 'perf',
  optimise: 'perf',
  cache: 'cach',
  caching: 'cach',
  implement: 'build',
  create: 'build',
  feature: 'build',
  build: 'build',
  develop: 'build',
};

/** The stemmer's suffix rules, tried in order: suffix and replacement. */
export const stemRules: readonly (readonly [string, string])[] = [
  ['ational', 'ate'],
  ['ization', 'ize'],
  ['ations', 'ate'],
  ['ation', 'ate'],
  ['ments', ''],
  ['ment', ''],
  ['ness', ''],
  ['ings', ''],
  ['ing', ''],
  ['ies', 'y'],
  ['ied', 'y'],
  ['sses', 'ss'],
  ['ed', ''],
  ['es', 'e'],
  ['ers', 'er'],
  ['s', ''],
];

/** A small suffix stemmer in the spirit of Porter's step 1: plurals, -ing, -ed, -ation, -ment. */
function stem(word: string): string {
  if (word.length <= 4) return word;
  for (const [suffix, replacement] of stemRules) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 3) {
      if (suffix === 's' && (word.endsWith('ss') || word.endsWith('us') || word.endsWith('is')))
        return word;
      return word.slice(0, word.length - suffix.length) + replacement;
    }
  }
  return word;
}

/** Normalises text to sorted unique keywords: lower case, stop words out, synonyms, stemming. */
export function keywords(text: string): string[] {
  const out = new Set<string>();
  for (const raw of text
    .toLowerCase()
    .normalize('NFKD')
    .split(/[^a-z0-9]+/)) {
    if (raw.length < 2 || raw.length > 40 || stopwords.has(raw) || /^\d+$/.test(raw)) continue;
    // Own keys only: a word such as `constructor` is no synonym.
    const direct = Object.hasOwn(synonyms, raw) ? synonyms[raw] : undefined;
    if (direct !== undefined) {
      out.add(direct);
      continue;
    }
    const stemmed = stem(raw);
    out.add((Object.hasOwn(synonyms, stemmed) ? synonyms[stemmed] : undefined) ?? stemmed);
  }
  return [...out].sort();
}

/** Categories in order of precedence, each with the keywords that cue it. */
export const categoryKeywords: readonly (readonly [string, readonly string[]])[] = [
  ['bug-fix', ['fix']],
  ['testing', ['test']],
  ['documentation', ['docs']],
  ['refactoring', ['refactor']],
  ['database', ['db', 'migration']],
  ['api-development', ['api', 'auth']],
  ['devops', ['deploy', 'pipeline', 'docker']],
  ['performance', ['perf', 'cach']],
  ['frontend', ['frontend']],
  ['feature-development', ['build']],
];

/** Infers a category from normalised keywords; `general` when nothing matches. */
export function inferCategory(words: readonly string[]): string {
  const set = new Set(words);
  for (const [category, cues] of categoryKeywords) {
    if (cues.some((cue) => set.has(cue))) return category;
  }
  return 'general';
}

/** Turns a name into kebab-case (`General Purpose` → `general-purpose`). */
export function kebab(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}

/** Title case for a kebab name (`code-explorer` → `Code Explorer`). */
export function titleCase(name: string): string {
  return name
    .split('-')
    .filter((part) => part !== '')
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join(' ');
}
