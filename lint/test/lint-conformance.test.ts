import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseCatalog } from '../src/catalog/index.ts';
import type { Catalog, CatalogSource } from '../src/catalog/index.ts';
import { createFsSource } from '../src/catalog/read.ts';
import { lintCatalog, type LintResult } from '../src/engine.ts';
import { readMirrorSources } from '../../scripts/federation/mirror.ts';
import type { VFileMessage } from 'vfile-message';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const corpus = path.resolve(repoRoot, '../shared/corpus');
const hasCorpus = existsSync(path.join(corpus, 'verdicts.json'));
const mirror = path.resolve(repoRoot, '../shared/mirror');
const hasMirror = existsSync(path.join(mirror, 'SOURCES.tsv'));
/** Claude Code's verdicts on the mirror, from `npm run conformance:mirror`. */
const mirrorVerdicts = path.join(import.meta.dirname, 'conformance/mirror-verdicts.json');

/** One entry of the corpus's `verdicts.json` (see its README), or of the mirror's. */
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

/** One of our error messages, as `path:line:column rule-id reason` relative to the verdicts' folder. */
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
const runtimeFailures: Record<string, RuntimeFailure | readonly RuntimeFailure[]> = {
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
  schema: [
    {
      reason:
        'entry `hooks` as a path or array (the schema requires the inline object) passes validate; the plugin then fails to load',
      applies: (_verdict, line) =>
        /schema Unexpected type `\w+` for `\/plugins\/\d+\/hooks`/.test(line),
    },
    {
      reason:
        'entry `skills` naming a file (such as a SKILL.md) passes validate at the marketplace root, which does not check entry paths; the loader then fails the component: `path is a file; skills entries must be directories containing SKILL.md`',
      applies: (verdict, line) =>
        verdict.kind === 'marketplace' &&
        /\.claude-plugin\/marketplace\.json:\d+:\d+ schema Unexpected value `[^`]*` for `\/plugins\/\d+\/skills(\/\d+)?`, expected a folder \(the one holding `SKILL\.md`\), not a file$/.test(
          line,
        ),
    },
    {
      reason:
        'frontmatter `hooks` that Claude Code cannot read (an array of matchers, a matcher that is no string) passes validate; the loader drops them and logs it, and the command or skill loads without its hooks',
      applies: (_verdict, line) => /\.md:\d+:\d+ schema Unexpected .* for `\/hooks[`/]/.test(line),
    },
  ],
};

/**
 * A verdict that still disagrees with Claude Code for a reason outside the conformance test, with
 * its reason and who can fix it. The test asserts it still disagrees, so a fix shows up as a failure
 * asking to delete the entry.
 */
interface KnownGap {
  mismatch: 'extra' | 'missed';
  reason: string;
}

/** Known gaps on the corpus, by verdict path. */
const corpusGaps: Record<string, KnownGap> = {};

/** Known gaps on the mirror, by verdict path (every verdict at that path, marketplace and plugin). */
const mirrorGaps: Record<string, KnownGap> = {};

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

function readVerdicts(file: string): Verdict[] {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { verdicts: Verdict[] };
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

/** Error messages of a lint run on files that `keep` selects, with paths relative to `base`'s folder. */
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

/** Loads and lints each marketplace root under `root` once. */
class CorpusLinter {
  readonly #marketplaces = new Map<string, { catalog: Catalog; result: LintResult }>();

  /** The folder the verdict paths are relative to. */
  readonly root: string;
  /** The marketplace verdicts, to find the marketplace that lists a plugin. */
  readonly marketplaces: readonly Verdict[];

  constructor(root: string, marketplaces: readonly Verdict[]) {
    this.root = root;
    this.marketplaces = marketplaces;
  }

  marketplace(verdict: Verdict): { catalog: Catalog; result: LintResult } {
    let linted = this.#marketplaces.get(verdict.path);
    if (!linted) {
      const source = createFsSource(path.join(this.root, verdict.path));
      const catalog = parseCatalog(source, { assumePresent: verdict.omittedPlugins ?? [] });
      linted = { catalog, result: lintCatalog(catalog) };
      this.#marketplaces.set(verdict.path, linted);
    }
    return linted;
  }

  /**
   * At a marketplace root Claude Code checks marketplace.json, each local plugin's plugin.json
   * and hooks files, but no component frontmatter, except for the plugin whose plugin.json sits
   * beside marketplace.json, which it checks whole.
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
    const dir = path.join(this.root, verdict.path);
    if (existsSync(path.join(dir, rootManifest))) {
      // With a plugin.json beside marketplace.json, Claude Code checks that plugin as it checks a
      // plugin directory, component frontmatter included.
      errors.push(...errorsOf(lintCatalog(loadRootPlugin(dir)), verdict.path, () => true));
    }
    return [...new Set(errors)];
  }

  /** A plugin directory on its own, outside any marketplace that lists it. */
  errorsOfPluginAlone(verdict: Verdict): ErrorLine[] {
    const dir = path.join(this.root, verdict.path);
    return errorsOf(lintCatalog(loadRootPlugin(dir)), verdict.path, () => true);
  }

  /** A plugin directory is checked with everything in it, frontmatter included. */
  errorsOfPlugin(verdict: Verdict): ErrorLine[] {
    const dir = path.join(this.root, verdict.path);
    if (this.marketplaces.some((other) => other.path === verdict.path)) {
      return errorsOf(lintCatalog(loadRootPlugin(dir)), verdict.path, () => true);
    }
    for (const marketplace of this.marketplaces) {
      if (!verdict.path.startsWith(`${marketplace.path}/`)) continue;
      const relative = verdict.path.slice(marketplace.path.length + 1);
      const { catalog, result } = this.marketplace(marketplace);
      if (!catalog.plugins.some((plugin) => plugin.dir === relative)) continue;
      return errorsOf(result, marketplace.path, (file) => file.startsWith(`${relative}/`));
    }
    return errorsOf(lintCatalog(parseCatalog(createFsSource(dir))), verdict.path, () => true);
  }

  errorsFor(verdict: Verdict): ErrorLine[] {
    if (verdict.kind === 'marketplace') return this.errorsOfMarketplace(verdict);
    return isReservedNameOnly(verdict)
      ? this.errorsOfPluginAlone(verdict)
      : this.errorsOfPlugin(verdict);
  }
}

/** Our errors that no documented runtime failure explains. */
function unexplained(verdict: Verdict, errors: ErrorLine[]): ErrorLine[] {
  return errors.filter((line) => {
    const ruleId = line.split(' ')[1] ?? '';
    const failures = [runtimeFailures[ruleId] ?? []].flat();
    return !failures.some((failure) => failure.applies(verdict, line));
  });
}

/**
 * The comparison on one set of verdicts: an error from us wherever Claude Code rejects, none that no
 * runtime failure explains wherever it accepts, and each known gap still a gap.
 */
function describeConformance(
  title: string,
  present: boolean,
  load: () => { root: string; verdicts: Verdict[]; knownGaps: Record<string, KnownGap> },
  more: (verdicts: readonly Verdict[]) => void = () => {},
): void {
  const { root, verdicts, knownGaps } = present
    ? load()
    : { root: '', verdicts: [], knownGaps: {} };
  const linter = new CorpusLinter(
    root,
    verdicts.filter((verdict) => verdict.kind === 'marketplace'),
  );

  describe.skipIf(!present)(title, () => {
    test.for(verdicts.filter((verdict) => !verdict.valid && knownGaps[verdict.path] === undefined))(
      'reports an error where Claude Code rejects the $kind $path',
      (verdict) => {
        const errors = linter.errorsFor(verdict);
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
        expect(unexplained(verdict, linter.errorsFor(verdict))).toEqual([]);
      },
    );

    more(verdicts);

    test.for(Object.entries(knownGaps))(
      'still disagrees on %s for a documented reason',
      ([gapPath, gap]) => {
        const atPath = verdicts.filter((candidate) => candidate.path === gapPath);
        expect(atPath, `${gapPath} is no longer among the verdicts: delete its entry`).not.toEqual(
          [],
        );
        const disagrees = atPath.every((verdict) => {
          const errors = unexplained(verdict, linter.errorsFor(verdict));
          return gap.mismatch === 'extra'
            ? verdict.valid && errors.length > 0
            : !verdict.valid && errors.length === 0;
        });
        expect(
          disagrees,
          `${gapPath} now conforms (${gap.reason}): delete its entry from knownGaps`,
        ).toBe(true);
      },
    );
  });
}

const allCorpusVerdicts = hasCorpus ? readVerdicts(path.join(corpus, 'verdicts.json')) : [];
/** Verdicts whose repository the corpus does not store (no files to check them against). */
const unstored = allCorpusVerdicts.filter(
  (verdict) => !existsSync(path.join(corpus, verdict.path)),
);

describeConformance(
  hasCorpus
    ? 'conformance with Claude Code 2.1.330 on ../shared/corpus'
    : 'conformance with Claude Code 2.1.330 (skipped: ../shared/corpus is absent)',
  hasCorpus,
  () => ({
    root: corpus,
    verdicts: allCorpusVerdicts.filter((verdict) => !unstored.includes(verdict)),
    knownGaps: corpusGaps,
  }),
  () => {
    test('leaves out only verdicts of repositories the corpus does not store', () => {
      const sources = readFileSync(path.join(corpus, 'SOURCES.tsv'), 'utf8');
      const stored = new Set(
        sources.split('\n').map((line) => (line.split('\t')[0] ?? '').replace('/', '__')),
      );
      expect(unstored.filter((verdict) => stored.has(verdict.path.split('/')[0] ?? ''))).toEqual(
        [],
      );
    });
  },
);

describeConformance(
  hasMirror
    ? 'conformance with Claude Code 2.1.330 on ../shared/mirror'
    : 'conformance with Claude Code 2.1.330 (skipped: ../shared/mirror is absent)',
  hasMirror,
  () => ({ root: mirror, verdicts: readVerdicts(mirrorVerdicts), knownGaps: mirrorGaps }),
  (verdicts) => {
    test('has verdicts for exactly the repositories of ../shared/mirror', () => {
      const ids = [...readMirrorSources(mirror).sources.keys()];
      const judged = new Set(verdicts.map((verdict) => verdict.path.split('/')[0] ?? ''));
      expect(
        [...judged].sort(),
        'the mirror changed: rerun `npm run conformance:mirror` and commit its output',
      ).toEqual(ids.sort());
    });

    test('has a verdict for every stored path it names', () => {
      expect(verdicts.filter((verdict) => !existsSync(path.join(mirror, verdict.path)))).toEqual(
        [],
      );
    });
  },
);
