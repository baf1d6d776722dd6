import fs from 'node:fs';
import path from 'node:path';
import type { LearnedPattern } from './extract.ts';
import { ensureDir, writeFileAtomic } from './store.ts';
import { titleCase } from './text.ts';

/** Marks the start of the generated block in a pattern file. */
const generatedStart =
  '<!-- agentops:generated:start (rebuilt by agentops-learn; edit below the end marker) -->';
/** Marks the end of the generated block; everything after it is human-owned. */
export const generatedEnd = '<!-- agentops:generated:end -->';

/** The human-owned section a new pattern file starts with. */
const defaultHumanSection =
  '\n## Notes\n\nWrite context for people here: when this workflow fits, pitfalls, links. Regeneration keeps this section byte for byte.\n';

const agentPhrases: Record<string, string> = {
  'code-explorer': 'Research the affected code',
  'spec-architect': 'Design the change',
  'change-executor': 'Implement the change',
  'test-generator': 'Write and run the tests',
  'doc-generator': 'Update the documentation',
  reviewer: 'Review the change',
};

const phasePhrases: Record<string, string> = {
  research: 'Research the task',
  plan: 'Plan the change',
  implement: 'Edit the code',
  test: 'Run the tests',
  docs: 'Update the documentation',
  review: 'Review the change',
};

/** One workflow step as a line in the seed's style (`Research the affected code (Code Explorer)`). */
export function describeStep(token: string): string {
  const [kind, ...rest] = token.split(':');
  const name = rest.join(':');
  if (kind === 'agent')
    return `${agentPhrases[name] ?? `Delegate to the ${name} agent`} (${titleCase(name)})`;
  if (kind === 'skill') return `Apply the \`${name}\` skill`;
  if (kind === 'command') return `Run \`/${name}\``;
  return phasePhrases[name] ?? `${titleCase(name)} phase`;
}

/** A YAML scalar: plain when unambiguous, else a double-quoted JSON string. */
function yamlString(value: string): string {
  if (
    /^[A-Za-z][A-Za-z0-9_./-]*$/.test(value) &&
    !/^(true|false|null|yes|no|on|off|y|n|~)$/i.test(value)
  )
    return value;
  return JSON.stringify(value);
}

function yamlValue(value: unknown, indent: string): string {
  if (typeof value === 'string') return ` ${yamlString(value)}`;
  if (typeof value === 'boolean') return ` ${String(value)}`;
  if (typeof value === 'number') return ` ${String(value)}`;
  if (Array.isArray(value)) {
    if (value.length === 0) return ' []';
    if (value.every((item) => typeof item === 'number'))
      return ` [${value.map((item: number) => item.toFixed(2)).join(', ')}]`;
    return value.map((item) => `\n${indent}  -${yamlValue(item, `${indent}  `)}`).join('');
  }
  return ' null';
}

/** Canonical YAML for flat frontmatter: keys sorted, numbers as given, LF. */
function renderFrontmatter(data: Record<string, unknown>, fixed: Record<string, number>): string {
  const lines = ['---'];
  for (const key of Object.keys(data).sort()) {
    const value = data[key];
    if (value === undefined) continue;
    const decimals = fixed[key];
    if (typeof value === 'number' && decimals !== undefined)
      lines.push(`${key}: ${value.toFixed(decimals)}`);
    else lines.push(`${key}:${yamlValue(value, '')}`);
  }
  lines.push('---');
  return `${lines.join('\n')}\n`;
}

function pct(value: number): string {
  return `${Math.round(value * 100)} %`;
}

/** The pattern's title (`Auth Token: Code Explorer → Change Executor → Test`). */
function patternTitle(pattern: LearnedPattern): string {
  const names = pattern.steps.map((token) => titleCase(token.split(':').slice(1).join(':')));
  return `${titleCase(pattern.group.label.join('-'))}: ${names.join(' → ')}`;
}

/** The frontmatter object of a pattern (fields of `schemas/pattern.schema.json`). */
function patternFrontmatter(pattern: LearnedPattern): Record<string, unknown> {
  const lo = Math.floor(pattern.interval[0] * 100) / 100;
  const hi = Math.ceil(pattern.interval[1] * 100) / 100;
  const rate = Math.round(pattern.successRate * 100) / 100;
  const data: Record<string, unknown> = {
    pattern_id: pattern.id,
    category: pattern.category,
    success_rate: rate,
    executions: pattern.counts.executions,
    validated: pattern.status === 'validated',
    status: pattern.status,
    rule: pattern.rule,
    successes: pattern.counts.successes,
    failures: pattern.counts.failures,
    interval: [Math.min(lo, rate), Math.max(hi, rate)],
    steps: pattern.steps,
    evidence: pattern.evidence,
    first_seen: pattern.firstSeen,
    last_seen: pattern.lastSeen,
    keywords: pattern.keywords,
    tags: ['learned'],
  };
  if (pattern.verify !== undefined) data.verify = pattern.verify;
  return data;
}

/** The generated block (title excluded): Workflow, Optimizations, Metrics. */
function renderGeneratedBlock(pattern: LearnedPattern): string {
  const { counts, contrast } = pattern;
  const lines: string[] = [generatedStart, '', '## Workflow', ''];
  pattern.steps.forEach((token, i) => lines.push(`${i + 1}. ${describeStep(token)}`));
  if (pattern.verify !== undefined)
    lines.push('', `Verify with \`${pattern.verify}\`; its exit code decides the outcome.`);
  lines.push('', '## Optimizations', '');
  const restLabelled = contrast.successes + contrast.failures;
  if (restLabelled > 0) {
    lines.push(
      `- Compared with other workflows on the same tasks: ${counts.successes}/${counts.successes + counts.failures} here against ${contrast.successes}/${restLabelled} (P(better) = ${pattern.probBeatsRest.toFixed(2)}).`,
    );
  } else {
    lines.push(
      '- Every recorded execution of these tasks followed this workflow; there is nothing to compare it with yet.',
    );
  }
  const retried = new Map<string, number>();
  for (const execution of pattern.matches) {
    for (const step of execution.steps) {
      if ((step.retries ?? 0) > 0)
        retried.set(
          `${step.kind}:${step.name}`,
          (retried.get(`${step.kind}:${step.name}`) ?? 0) + 1,
        );
    }
  }
  const topRetried = [...retried.entries()].sort(
    (a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1),
  )[0];
  if (topRetried !== undefined)
    lines.push(
      `- Most often repeated step: \`${topRetried[0]}\` (in ${topRetried[1]} of ${counts.executions} executions).`,
    );
  const paths = new Map<string, number>();
  for (const execution of pattern.matches)
    for (const p of execution.paths ?? []) paths.set(p, (paths.get(p) ?? 0) + 1);
  const topPaths = [...paths.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 3);
  if (topPaths.length > 0)
    lines.push(`- Usually touches ${topPaths.map(([p]) => `\`${p}\``).join(', ')}.`);
  lines.push(
    pattern.status === 'deprecated'
      ? '- Deprecated: prefer a better-performing pattern for these tasks.'
      : pattern.status === 'validated'
        ? '- Validated: the default choice for matching tasks.'
        : '- Not validated yet: more executions with objective outcomes will settle it.',
  );
  const unknown = counts.executions - counts.successes - counts.failures;
  lines.push(
    '',
    '## Metrics',
    '',
    '| metric | value |',
    '|---|---|',
    `| executions | ${counts.executions} |`,
    `| successes / failures / unknown | ${counts.successes} / ${counts.failures} / ${unknown} |`,
    `| success rate (posterior mean) | ${pct(pattern.successRate)} |`,
    `| 90 % interval | ${pct(pattern.interval[0])} – ${pct(pattern.interval[1])} |`,
    `| P(rate > 70 %) | ${pattern.probAbove70.toFixed(2)} |`,
    `| status (${pattern.rule} rule) | ${pattern.status} |`,
    `| first / last seen | ${pattern.firstSeen} / ${pattern.lastSeen} |`,
    '',
    generatedEnd,
  );
  return `${lines.join('\n')}\n`;
}

/** Splits an existing file's human-owned tail (everything after the end marker). */
function humanSection(existing: string | undefined): string {
  if (existing === undefined) return defaultHumanSection;
  const index = existing.indexOf(generatedEnd);
  if (index === -1) return defaultHumanSection;
  const after = existing.slice(index + generatedEnd.length);
  return after.startsWith('\n') ? after.slice(1) : after;
}

/** The whole file: frontmatter, title, generated block, the human-owned section verbatim. */
export function renderPatternFile(pattern: LearnedPattern, existing: string | undefined): string {
  const frontmatter = renderFrontmatter(patternFrontmatter(pattern), { success_rate: 2 });
  return `${frontmatter}\n# Pattern: ${patternTitle(pattern)}\n\n${renderGeneratedBlock(pattern)}${humanSection(existing)}`;
}

/** The repository-relative path of a pattern file inside the patterns folder. */
export function patternPath(pattern: LearnedPattern): string {
  return `${pattern.category}/${pattern.id}.md`;
}

function readIfFile(file: string): string | undefined {
  try {
    const stat = fs.lstatSync(file);
    if (!stat.isFile() || stat.size > 1024 * 1024) return undefined;
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Engine-written pattern files currently in the folder (those with the generated marker). */
function listGeneratedFiles(patternsDir: string): string[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(patternsDir, { recursive: true, encoding: 'utf8' });
  } catch {
    return [];
  }
  return entries
    .filter(
      (entry) =>
        entry.endsWith('.md') && !entry.split(path.sep).some((part) => part.startsWith('.')),
    )
    .filter((entry) => readIfFile(path.join(patternsDir, entry))?.includes(generatedStart) === true)
    .map((entry) => entry.split(path.sep).join('/'))
    .sort();
}

/** The files a rebuild would write: relative path → bytes. */
export function plannedFiles(
  patterns: readonly LearnedPattern[],
  patternsDir: string,
): Map<string, string> {
  const files = new Map<string, string>();
  for (const pattern of patterns) {
    const relative = patternPath(pattern);
    files.set(relative, renderPatternFile(pattern, readIfFile(path.join(patternsDir, relative))));
  }
  return files;
}

/** Result of writing pattern files. */
export interface WriteResult {
  written: string[];
  unchanged: string[];
  removed: string[];
  kept: string[];
}

/**
 * Writes pattern files atomically and removes engine-written files no longer produced, unless
 * people wrote in their human-owned section (those are kept and reported).
 */
export function writePatternFiles(
  patterns: readonly LearnedPattern[],
  patternsDir: string,
): WriteResult {
  const planned = plannedFiles(patterns, patternsDir);
  const result: WriteResult = { written: [], unchanged: [], removed: [], kept: [] };
  for (const [relative, content] of planned) {
    const file = path.join(patternsDir, relative);
    if (readIfFile(file) === content) result.unchanged.push(relative);
    else {
      ensureDir(path.dirname(file), path.dirname(patternsDir));
      writeFileAtomic(file, content);
      result.written.push(relative);
    }
  }
  for (const relative of listGeneratedFiles(patternsDir)) {
    if (planned.has(relative)) continue;
    const file = path.join(patternsDir, relative);
    if (humanSection(readIfFile(file)) === defaultHumanSection) {
      fs.unlinkSync(file);
      result.removed.push(relative);
    } else result.kept.push(relative);
  }
  return result;
}

/** Differences between the committed files and a rebuild: relative paths that differ. */
export function diffPatternFiles(
  patterns: readonly LearnedPattern[],
  patternsDir: string,
): string[] {
  const planned = plannedFiles(patterns, patternsDir);
  const differ: string[] = [];
  for (const [relative, content] of planned) {
    if (readIfFile(path.join(patternsDir, relative)) !== content) differ.push(relative);
  }
  for (const relative of listGeneratedFiles(patternsDir))
    if (!planned.has(relative)) differ.push(relative);
  return differ.sort();
}
