import path from 'node:path/posix';
import type { PatternFrontmatter } from '../../generated/schema-types.ts';
import { credibleInterval } from '../../pattern-stats.ts';
import { scanMarkdown } from '../markdown.ts';
import type { CatalogPattern } from '../model.ts';
import type { DocumentReader } from '../parse.ts';
import { isObject, type DiscoveryContext, type Json } from './plugin-scope.ts';

/**
 * True for a path (relative to the catalog root) the loader reads as a pattern: a `.md` file under
 * `patterns/`, not hidden, not a README.
 */
export function isPatternPath(file: string): boolean {
  return (
    file.startsWith('patterns/') &&
    file.endsWith('.md') &&
    !/(^|\/)\./.test(file.slice('patterns/'.length)) &&
    path.basename(file).toLowerCase() !== 'readme.md'
  );
}

/** The folder of a pattern file under `patterns/` (`''` at the top level). */
export function patternFolderOf(file: string): string {
  const folder = path.dirname(file.slice('patterns/'.length));
  return folder === '.' ? '' : folder;
}

/** The pattern files under `patterns/`, in walk order, leaving out plugin folders there. */
export function findPatternFiles(
  { source, walker }: DiscoveryContext,
  pluginDirs: readonly string[],
): string[] {
  if (source.type('patterns') !== 'dir') return [];
  return walker
    .walk('patterns')
    .filter((entry) => entry.type === 'file' && isPatternPath(entry.path))
    .map((entry) => entry.path)
    .filter((file) => !pluginDirs.some((dir) => file.startsWith(dir)));
}

/** Parses pattern files (paths from `findPatternFiles`) with their headings, steps and interval. */
export function parsePatternFiles(
  reader: DocumentReader,
  files: readonly string[],
): CatalogPattern[] {
  const out: CatalogPattern[] = [];
  for (const file of files) {
    const doc = reader.markdown<PatternFrontmatter>(file, 'pattern');
    const { headings, steps } = doc.body
      ? scanMarkdown(doc.body, doc.bodyLine)
      : { headings: [], steps: [] };
    const fm: Json = isObject(doc.data) ? doc.data : {};
    const slug = path.basename(file, '.md');
    out.push({
      id: typeof fm.pattern_id === 'string' ? fm.pattern_id : slug,
      slug,
      path: file,
      folder: patternFolderOf(file),
      doc,
      title: headings.find((heading) => heading.depth === 1)?.text.replace(/^Pattern:\s*/, ''),
      headings,
      steps,
      interval: patternInterval(fm),
    });
  }
  return out;
}

function rate(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1
    ? value
    : undefined;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** A pattern's interval: written in its frontmatter, or estimated from its counts. */
function patternInterval(fm: Json): CatalogPattern['interval'] {
  const written = Array.isArray(fm.interval) ? fm.interval.map(rate) : [];
  const [low, high] = written;
  if (written.length === 2 && low !== undefined && high !== undefined && low <= high) {
    return { range: [low, high], estimated: false };
  }
  const executions = count(fm.executions);
  let successes = count(fm.successes);
  let failures = count(fm.failures);
  // Executions with an unknown outcome count as neither, unless only one count is given.
  if (successes === undefined && failures !== undefined && executions !== undefined)
    successes = executions - failures;
  if (failures === undefined && successes !== undefined && executions !== undefined)
    failures = executions - successes;
  if (
    successes === undefined ||
    failures === undefined ||
    successes < 0 ||
    failures < 0 ||
    successes + failures === 0
  )
    return undefined;
  const round = (value: number): number => Math.round(value * 100) / 100;
  const [estimatedLow, estimatedHigh] = credibleInterval(successes, failures);
  return { range: [round(estimatedLow), round(estimatedHigh)], estimated: true };
}
