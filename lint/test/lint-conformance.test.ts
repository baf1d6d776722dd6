import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseCatalog } from '../src/catalog/index.ts';
import type { Catalog, CatalogSource } from '../src/catalog/index.ts';
import { createFsSource } from '../src/catalog/read.ts';
import { lintCatalog, type LintResult } from '../src/engine.ts';
import type { VFileMessage } from 'vfile-message';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const corpus = path.resolve(repoRoot, '../shared/corpus');
const hasCorpus = existsSync(path.join(corpus, 'verdicts.json'));

/** One entry of the corpus's `verdicts.json` (see its README). */
interface Verdict {
  path: string;
  kind: 'marketplace' | 'plugin';
  valid: boolean;
  errors: string[];
  validated: string;
  hasPluginJson?: boolean;
  omittedPlugins?: string[];
  missingPlugins?: string[];
}

/** One of our error messages, as `path:line:column rule-id reason` relative to the corpus. */
type ErrorLine = string;

/** Why one of our errors may stand where Claude Code's validator accepts: a documented runtime failure. */
interface RuntimeFailure {
  reason: string;
  /** Whether an error line of this rule is that failure, for this verdict. */
  applies(verdict: Verdict, line: ErrorLine): boolean;
}

/**
 * Rules whose errors are failures that `claude plugin validate` 2.1.330 passes but install or load
 * then hits (reference §5, "validator false negatives"). Anything else we report as an error where
 * Claude Code accepts is a mismatch.
 */
const runtimeFailures: Record<string, RuntimeFailure> = {
  'no-missing-plugin-source': {
    reason:
      'a relative source whose directory does not exist passes validate; install fails with `Source path does not exist`',
    applies: (verdict) => (verdict.missingPlugins ?? []).length > 0,
  },
  'no-strict-false-conflict': {
    reason:
      '`strict: false` with plugin.json and entry components passes validate; the runtime refuses the conflicting manifests',
    applies: () => true,
  },
  'marketplace-entry-hooks-inline': {
    reason: 'entry `hooks` as a path or array passes validate; the plugin then fails to load',
    applies: () => true,
  },
  'no-reserved-marketplace-name': {
    reason:
      'official reserved names, `claudeai-*` and prototype names pass validate; `marketplace add` refuses them',
    applies: () => true,
  },
  'no-shadowed-component-folder': {
    reason:
      'a manifest field replacing an existing default folder passes validate; the folder is silently not loaded',
    applies: () => true,
  },
  'no-symlink-outside-plugin': {
    reason: 'installs copy the plugin folder alone, so a link out of it leads nowhere',
    applies: () => true,
  },
  schema: {
    reason:
      'entry `hooks` as a path or array (the schema requires the inline object) passes validate; the plugin then fails to load',
    applies: (_verdict, line) =>
      /schema Unexpected type `\w+` for `\/plugins\/\d+\/hooks`/.test(line),
  },
};

/**
 * Verdicts that still disagree with Claude Code for a reason outside the conformance test, each with
 * its reason and who can fix it. The test asserts they still disagree, so a fix shows up as a failure
 * asking to delete the entry.
 */
const knownGaps: Record<string, { mismatch: 'extra' | 'missed'; reason: string }> = {};

/** A plugin folder without plugin.json that validate rejects only because it is checked alone. */
function isManifestOnlyMiss(verdict: Verdict): boolean {
  return (
    verdict.kind === 'plugin' &&
    verdict.hasPluginJson === false &&
    verdict.errors.length > 0 &&
    verdict.errors.every((error) => error.startsWith('No manifest found in directory'))
  );
}

/**
 * A plugin Claude Code rejects only for a reserved name. Validated alone it has no marketplace,
 * and the check is waived only in a marketplace with an official name, so it is checked alone too.
 */
function isReservedNameOnly(verdict: Verdict): boolean {
  return (
    verdict.kind === 'plugin' &&
    verdict.errors.length > 0 &&
    verdict.errors.every((error) => error.includes('is reserved: it passes as one of Anthropic'))
  );
}

function readVerdicts(): Verdict[] {
  const parsed = JSON.parse(readFileSync(path.join(corpus, 'verdicts.json'), 'utf8')) as {
    verdicts: Verdict[];
  };
  return parsed.verdicts;
}

/** A source that hides some paths, to check a plugin at a marketplace root on its own. */
function hidingSource(source: CatalogSource, hidden: readonly string[]): CatalogSource {
  const isHidden = (p: string): boolean => hidden.some((h) => p === h || p.startsWith(`${h}/`));
  return {
    root: source.root,
    list: (dir) =>
      source
        .list(dir)
        .filter((entry) => !isHidden(dir === '' ? entry.name : `${dir}/${entry.name}`)),
    type: (p) => (isHidden(p) ? 'missing' : source.type(p)),
    link: (p) => source.link(p),
    read: (p, max) =>
      isHidden(p) ? { problem: 'unreadable', reason: 'hidden' } : source.read(p, max),
  };
}

/** Error messages of a lint run on files that `keep` selects, with paths relative to the corpus. */
function errorsOf(
  result: LintResult,
  base: string,
  keep: (file: string) => boolean,
  isArtifact: (file: string, message: VFileMessage) => boolean = () => false,
): ErrorLine[] {
  return result.files.flatMap((file) =>
    keep(file.path)
      ? file.messages
          .filter((message) => message.fatal === true && !isArtifact(file.path, message))
          .map(
            (message) =>
              `${path.posix.join(base, file.path)}:${message.line ?? 1}:${message.column ?? 1} ${message.ruleId ?? ''} ${message.reason}`,
          )
      : [],
  );
}

/** Rules that judge a plugin by its files, which the corpus does not store for omitted plugins. */
const contentRules = new Set(['component-paths-exist', 'no-shadowed-component-folder']);

/** Whether a message is about the marketplace entry of a plugin the corpus left out on purpose. */
function isOmittedEntryMessage(
  catalog: Catalog,
  verdict: Verdict,
): (file: string, message: VFileMessage) => boolean {
  const omitted = new Set(verdict.omittedPlugins ?? []);
  const marketplace = catalog.marketplace;
  const entries = marketplace?.data?.plugins ?? [];
  const ranges = entries.flatMap((entry, index) =>
    typeof entry.source === 'string' && omitted.has(entry.source)
      ? [marketplace?.positions.value(`/plugins/${index}`)]
      : [],
  );
  return (file, message) =>
    file === '.claude-plugin/marketplace.json' &&
    contentRules.has(message.ruleId ?? '') &&
    ranges.some(
      (range) =>
        range !== undefined &&
        message.line !== undefined &&
        message.line >= range.start.line &&
        message.line <= range.end.line,
    );
}

const rootManifest = '.claude-plugin/plugin.json';

/** A plugin whose manifest sits beside the marketplace: loaded alone, as validating its manifest does. */
function loadRootPlugin(dir: string): Catalog {
  return parseCatalog(
    hidingSource(createFsSource(dir), ['.claude-plugin/marketplace.json', 'plugins']),
  );
}

/** Loads and lints each marketplace root once. */
class CorpusLinter {
  readonly #marketplaces = new Map<string, { catalog: Catalog; result: LintResult }>();

  marketplace(verdict: Verdict): { catalog: Catalog; result: LintResult } {
    let linted = this.#marketplaces.get(verdict.path);
    if (!linted) {
      const source = createFsSource(path.join(corpus, verdict.path));
      const catalog = parseCatalog(source, { assumePresent: verdict.omittedPlugins ?? [] });
      linted = { catalog, result: lintCatalog(catalog) };
      this.#marketplaces.set(verdict.path, linted);
    }
    return linted;
  }

  /**
   * At a marketplace root Claude Code checks marketplace.json, each local plugin's plugin.json
   * and hooks files, and a plugin.json beside marketplace.json, but no component frontmatter.
   */
  errorsOfMarketplace(verdict: Verdict): ErrorLine[] {
    const { catalog, result } = this.marketplace(verdict);
    const hookFiles = new Set(
      catalog.plugins.flatMap((plugin) => plugin.hookFiles.map((doc) => doc.file.path)),
    );
    const inScope = (file: string): boolean =>
      file === '.claude-plugin/marketplace.json' ||
      file.endsWith(rootManifest) ||
      hookFiles.has(file);
    const errors = errorsOf(result, verdict.path, inScope, isOmittedEntryMessage(catalog, verdict));
    const dir = path.join(corpus, verdict.path);
    if (
      !catalog.plugins.some((plugin) => plugin.dir === '.') &&
      existsSync(path.join(dir, rootManifest))
    ) {
      const alone = lintCatalog(loadRootPlugin(dir));
      errors.push(...errorsOf(alone, verdict.path, (file) => file === rootManifest));
    }
    return errors;
  }

  /** A plugin directory on its own, outside any marketplace that lists it. */
  errorsOfPluginAlone(verdict: Verdict): ErrorLine[] {
    const dir = path.join(corpus, verdict.path);
    return errorsOf(lintCatalog(loadRootPlugin(dir)), verdict.path, () => true);
  }

  /** A plugin directory is checked with everything in it, frontmatter included. */
  errorsOfPlugin(verdict: Verdict, marketplaces: Verdict[]): ErrorLine[] {
    const dir = path.join(corpus, verdict.path);
    if (marketplaces.some((other) => other.path === verdict.path)) {
      return errorsOf(lintCatalog(loadRootPlugin(dir)), verdict.path, () => true);
    }
    for (const marketplace of marketplaces) {
      if (!verdict.path.startsWith(`${marketplace.path}/`)) continue;
      const relative = verdict.path.slice(marketplace.path.length + 1);
      const { catalog, result } = this.marketplace(marketplace);
      if (!catalog.plugins.some((plugin) => plugin.dir === relative)) continue;
      return errorsOf(result, marketplace.path, (file) => file.startsWith(`${relative}/`));
    }
    return errorsOf(lintCatalog(parseCatalog(createFsSource(dir))), verdict.path, () => true);
  }
}

/** Our errors that no documented runtime failure explains. */
function unexplained(verdict: Verdict, errors: ErrorLine[]): ErrorLine[] {
  return errors.filter((line) => {
    const ruleId = line.split(' ')[1] ?? '';
    return !(runtimeFailures[ruleId]?.applies(verdict, line) ?? false);
  });
}

const allVerdicts = hasCorpus ? readVerdicts() : [];
/** Verdicts whose repository the corpus does not store (no files to check them against). */
const unstored = allVerdicts.filter((verdict) => !existsSync(path.join(corpus, verdict.path)));
const verdicts = allVerdicts.filter((verdict) => !unstored.includes(verdict));
const marketplaces = verdicts.filter((verdict) => verdict.kind === 'marketplace');
const linter = new CorpusLinter();

function errorsFor(verdict: Verdict): ErrorLine[] {
  if (verdict.kind === 'marketplace') return linter.errorsOfMarketplace(verdict);
  return isReservedNameOnly(verdict)
    ? linter.errorsOfPluginAlone(verdict)
    : linter.errorsOfPlugin(verdict, marketplaces);
}

const title = hasCorpus
  ? 'conformance with Claude Code 2.1.330 on ../shared/corpus'
  : 'conformance with Claude Code 2.1.330 (skipped: ../shared/corpus is absent)';

describe.skipIf(!hasCorpus)(title, () => {
  test.for(verdicts.filter((verdict) => !verdict.valid && knownGaps[verdict.path] === undefined))(
    'reports an error where Claude Code rejects the $kind $path',
    (verdict) => {
      const errors = errorsFor(verdict);
      if (isManifestOnlyMiss(verdict)) {
        // The marketplace entry supplies the manifest at install; the marketplace verdict covers it.
        expect(errors).toEqual([]);
        return;
      }
      expect(errors.length, `Claude Code says: ${verdict.errors.join(' | ')}`).toBeGreaterThan(0);
    },
  );

  test.for(verdicts.filter((verdict) => verdict.valid && knownGaps[verdict.path] === undefined))(
    'reports no error where Claude Code accepts the $kind $path',
    (verdict) => {
      expect(unexplained(verdict, errorsFor(verdict))).toEqual([]);
    },
  );

  test('leaves out only verdicts of repositories the corpus does not store', () => {
    const sources = readFileSync(path.join(corpus, 'SOURCES.tsv'), 'utf8');
    const stored = new Set(
      sources.split('\n').map((line) => (line.split('\t')[0] ?? '').replace('/', '__')),
    );
    expect(unstored.filter((verdict) => stored.has(verdict.path.split('/')[0] ?? ''))).toEqual([]);
  });

  test.for(Object.entries(knownGaps))(
    'still disagrees on %s for a documented reason',
    ([gapPath, gap]) => {
      const verdict = verdicts.find((candidate) => candidate.path === gapPath);
      expect(verdict, `${gapPath} is no longer in the corpus: delete its entry`).toBeDefined();
      if (!verdict) return;
      const errors = unexplained(verdict, errorsFor(verdict));
      const disagrees =
        gap.mismatch === 'extra'
          ? verdict.valid && errors.length > 0
          : !verdict.valid && errors.length === 0;
      expect(
        disagrees,
        `${gapPath} now conforms (${gap.reason}): delete its entry from knownGaps`,
      ).toBe(true);
    },
  );
});
