import { existsSync, lstatSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { VFile } from 'vfile';
import { lintInBatches } from './batches.ts';
import { findCatalogRoot, isDir, looksLikeRoot } from './catalog-root.ts';
import { writeAtomic } from './write-atomic.ts';
import { ruleUrl } from './catalog/diagnostic.ts';
import { createFsSource } from './catalog/read.ts';
import { loadYaml } from './catalog/frontmatter.ts';
import { loadValidators } from './catalog/validator-modules.ts';
import { createOverlaySource, type CatalogSource } from './catalog/source.ts';
import { readVersion, type CliOptions } from './cli-options.ts';
import {
  createDefaultConfig,
  findConfig,
  parseConfigText,
  resolveConfig,
  type ResolvedConfig,
} from './config.ts';
import { selector, lintCatalog, loaderRules, type LintMessage, type LintResult } from './engine.ts';
import { ConfigNotFound, PathNotFound, createError } from './errors.ts';
import type { RuleMeta } from './format.ts';
import { isFileArgumentRun, type GitPrefetch } from './git-prefetch.ts';
import { storeKey } from './store-key.ts';
import type { IndexSnapshot } from './index-snapshot.ts';
import { createReportStream, keep, withPrefix, type ReportStream } from './report-stream.ts';
import { rules } from './rules/index.ts';

/** What the run needs from its caller (the CLI), so it never touches `process` itself. */
export interface RunHost {
  cwd: string;
  readStdin: () => Promise<string>;
  /** Called at the start of each phase; the CLI shows it on a TTY when the run is long. */
  progress?: (text: string) => void;
  /** Whether colours are wanted when `--color`/`--no-color` is not given. */
  color: boolean;
  /** Called before each file a full load reads (the CLI tunes garbage collection there). */
  onRead?: () => void;
  /** Git reads already started (`prefetchGit`), taken instead of starting them again. */
  git?: GitPrefetch;
  /**
   * Called when most of what a full load read has become garbage (the plugins, before the pattern
   * batches): the CLI collects it there, so that the batches do not pile up on top of it.
   */
  collect?: () => void;
  /** Takes a streamed report piece by piece as it is made (`stdout` then holds only the rest). */
  write?: (text: string) => void;
}

/** The outcome of a run: text for stdout and stderr, and the exit code. */
export interface RunOutput {
  stdout: string;
  stderr: string;
  exitCode: 0 | 1 | 2;
  /** Catalog roots loaded in full, and those a `--staged` run loaded only in part. */
  loads: { full: number; partial: number };
}

interface Target {
  root: string;
  /** Paths relative to the root to report on; `undefined` reports the whole catalog. */
  files: string[] | undefined;
}

/** The git work tree of a `--staged` run, or of file arguments checked the same way. */
interface StagedRepo {
  top: string;
  privateDir: string;
  index: IndexSnapshot;
  /** Untracked files that count as part of the tree (file arguments), relative to `top`. */
  untracked?: string[];
  /** Besides the files to report on, files to read from the work tree (absolute). */
  workTree?: string[];
}

const toPosix = (file: string): string => file.split(path.sep).join('/');

function addTarget(targets: Map<string, Target>, root: string, file: string | undefined): void {
  const target = targets.get(root) ?? { root, files: [] };
  if (file === undefined) target.files = undefined;
  else target.files?.push(toPosix(path.relative(root, file)));
  targets.set(root, target);
}

/**
 * Starts loading the modules a staged load and its report take, while git works: an error shows
 * where they are imported again.
 */
function loadStagedSteps(): void {
  for (const next of [import('./staged.ts'), import('./format.ts')]) void next.catch(() => {});
}

async function resolveTargets(
  options: CliOptions,
  host: RunHost,
): Promise<{ targets: Map<string, Target>; repo: StagedRepo | undefined }> {
  const targets = new Map<string, Target>();
  if (options.stdinFilepath !== undefined) {
    const file = path.resolve(host.cwd, options.stdinFilepath);
    addTarget(targets, findCatalogRoot(path.dirname(file)), file);
    return { targets, repo: undefined };
  }
  if (options.staged) {
    // Loaded while git lists the staged files.
    loadStagedSteps();
    const state =
      host.git?.staged ??
      import('./git-files.ts').then((module) => module.readStagedState(host.cwd));
    const { files, ...repo } = await state;
    for (const file of files) addTarget(targets, findCatalogRoot(path.dirname(file)), file);
    return { targets, repo };
  }
  if (options.changed) {
    const git = await import('./git-files.ts');
    for (const file of git.listChangedFiles(host.cwd, options.since))
      addTarget(targets, findCatalogRoot(path.dirname(file)), file);
    return { targets, repo: undefined };
  }
  const given = options.paths.map((name) => {
    const file = path.resolve(host.cwd, name);
    if (!existsSync(file)) throw createError(PathNotFound, name);
    return file;
  });
  // File arguments in a git work tree are checked like `--staged`: against facts stored from the
  // last full load, so a large catalog is not read again; every file that differs from what the
  // facts were taken from is read from the work tree (tracked or not), so the result is the same.
  if (isFileArgumentRun(options, host.cwd)) {
    // Loaded while git compares the work tree with the index.
    loadStagedSteps();
    const [state, { hasPath }] = await Promise.all([
      host.git?.workTree ??
        import('./git-files.ts').then((module) => module.readWorkTreeState(host.cwd)),
      import('./index-snapshot.ts'),
    ]);
    // Each file must be in the index or untracked: an ignored one is in no view git gives.
    const untracked = new Set(state?.untracked);
    const isKnown = (file: string): boolean => {
      if (state === undefined) return false;
      const relative = toPosix(path.relative(state.top, file));
      return untracked.has(relative) || hasPath(state.index, relative);
    };
    if (state && given.every(isKnown)) {
      for (const file of given) addTarget(targets, findCatalogRoot(path.dirname(file)), file);
      const { changed, ...repo } = state;
      return { targets, repo: { ...repo, workTree: changed } };
    }
  }
  for (const file of given) {
    if (isDir(file) && looksLikeRoot(file)) addTarget(targets, file, undefined);
    else if (isDir(file)) {
      const root = findCatalogRoot(file);
      addTarget(targets, root, root === file ? undefined : file);
    } else addTarget(targets, findCatalogRoot(path.dirname(file)), file);
  }
  return { targets, repo: undefined };
}

/** The files a staged load reads from the work tree, relative to the root. */
function workTreeFiles(root: string, files: readonly string[], repo: StagedRepo): string[] {
  const extra = (repo.workTree ?? [])
    .map((file) => toPosix(path.relative(root, file)))
    .filter((file) => !file.startsWith('..'));
  return [...new Set([...files, ...extra])];
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

async function loadConfig(
  root: string,
  options: CliOptions,
  host: RunHost,
): Promise<ResolvedConfig> {
  let found: { path: string; data: unknown } | undefined;
  if (options.config !== undefined) {
    const file = path.resolve(host.cwd, options.config);
    const text = readText(file);
    if (text === undefined) throw createError(ConfigNotFound, options.config);
    found = { path: file, data: await parseConfigText(text, options.config) };
  } else {
    found = await findConfig(root, readText);
  }
  if (!found) return createDefaultConfig();
  await loadValidators(['lint-config']);
  const source = toPosix(path.relative(host.cwd, found.path)) || path.basename(found.path);
  return resolveConfig(found.data, {
    source,
    rules,
    loaderIds: Object.keys(loaderRules),
    base: toPosix(path.relative(path.dirname(found.path), root)),
  });
}

/** Writes a fixed file in place, only when it is a regular file inside the root; true when written. */
function writeFixed(root: string, relative: string, text: string): boolean {
  const file = path.join(root, relative);
  const stat = lstatSync(file);
  const realRoot = realpathSync(root);
  const realDir = realpathSync(path.dirname(file));
  const inside = realDir === realRoot || realDir.startsWith(realRoot + path.sep);
  if (!stat.isFile() || !inside) return false;
  writeAtomic(file, text, stat.mode);
  return true;
}

function ruleMeta(): RuleMeta[] {
  return [
    ...rules.map((rule) => ({
      id: rule.id,
      description: rule.description,
      url: ruleUrl(rule.id),
      severity: rule.severity,
    })),
    ...Object.entries(loaderRules).map(([id, meta]) => ({
      id,
      description: meta.description,
      url: meta.url,
      severity: 'error' as const,
    })),
  ];
}

/** `source` calling `onRead` before each read. */
function withReadHook(source: CatalogSource, onRead: (() => void) | undefined): CatalogSource {
  if (!onRead) return source;
  return {
    root: source.root,
    list: (dir) => source.list(dir),
    type: (file) => source.type(file),
    link: (file) => source.link(file),
    read: (file, maxBytes) => {
      onRead();
      return source.read(file, maxBytes);
    },
  };
}

/** Runs one lint invocation: targets, config, cache, load, lint, fix, format, exit code. */
export async function runLint(options: CliOptions, host: RunHost): Promise<RunOutput> {
  const { targets, repo } = await resolveTargets(options, host);
  const stdin = options.stdinFilepath !== undefined ? await host.readStdin() : undefined;
  const only = options.rules.length > 0 ? options.rules : undefined;
  const fixing = options.fix || options.fixDryRun;
  // File texts are kept only where they are used: fixes, and `source` in the JSON format.
  const withText = fixing || options.format === 'json';
  // Staged runs keep their own store of facts (staged.ts) instead of the result cache.
  const useCache = options.cache && stdin === undefined && !fixing && !repo;
  const loads = { full: 0, partial: 0 };
  const cacheFile = path.resolve(host.cwd, options.cacheLocation ?? '.agentops-lint-cache');
  const cacheModule = useCache ? await import('./cache.ts') : undefined;
  const cache = cacheModule?.parseCache(readText(cacheFile));
  let cacheChanged = false;
  const version = readVersion();
  const schemas = cacheModule
    ? cacheModule.digest(
        readText(fileURLToPath(new URL('./generated/validators.js', import.meta.url))) ?? '',
      )
    : '';

  const files: VFile[] = [];
  const checked: string[] = [];
  // A plain full run formats each file as soon as it is done, and writes it out. JSON lists the
  // clean files of every root sorted together, so it streams only a run of one root.
  const streaming =
    host.write !== undefined &&
    !cacheModule &&
    !fixing &&
    !repo &&
    (options.format !== 'json' || targets.size === 1);
  const stream: ReportStream | undefined = streaming
    ? await createReportStream(options.format, {
        color: options.color ?? host.color,
        quiet: options.quiet,
        rules: ruleMeta(),
        version,
      })
    : undefined;
  /** Printed path to absolute path, for JSON output. */
  const absolute = new Map<string, string>();
  let diff = '';
  for (const target of [...targets.values()].sort((a, b) => (a.root < b.root ? -1 : 1))) {
    const { root } = target;
    const config = await loadConfig(root, options, host);
    const relativeRoot = toPosix(path.relative(host.cwd, root));
    const prefix =
      relativeRoot === '' || relativeRoot.startsWith('..') || path.isAbsolute(relativeRoot)
        ? ''
        : `${relativeRoot}/`;
    const overrides = new Map<string, string>();
    if (stdin !== undefined && target.files?.[0] !== undefined)
      overrides.set(target.files[0], stdin);
    const fsSource = withReadHook(createFsSource(root), host.onRead);
    const source = createOverlaySource(fsSource, overrides);
    host.progress?.(`Linting ${relativeRoot || '.'}`);

    const inTarget = target.files ? selector(target.files) : () => true;
    let result: LintResult | undefined;
    const key = cacheModule?.cacheKey({ version, schemas, config: config.fingerprint, only }) ?? '';
    const cached =
      cacheModule && cache ? cacheModule.findEntry(cache, relativeRoot || '.', key) : undefined;
    if (cacheModule && cached && cacheModule.isFresh(cached.calls, source))
      result = cacheModule.restoreResult(cached);
    if (!result) {
      const recording = cacheModule?.createRecordingSource(source);
      const stagedModule = repo ? await import('./staged.ts') : undefined;
      const stagedInput = repo && {
        root,
        top: repo.top,
        privateDir: repo.privateDir,
        index: repo.index,
        ...(repo.untracked ? { untracked: repo.untracked } : {}),
        staged: workTreeFiles(root, target.files ?? [], repo),
        ...(target.files ? { reported: target.files } : {}),
        key: storeKey(version),
        full: fixing,
      };
      if (stagedModule && stagedInput) {
        const staged = await stagedModule.loadStagedCatalog(stagedInput);
        loads[staged.partial ? 'partial' : 'full']++;
        host.progress?.(`Checking ${staged.catalog.files.length} files of ${relativeRoot || '.'}`);
        result = lintCatalog(staged.catalog, { config, only, withText });
        staged.save?.();
      } else {
        loads.full++;
        await Promise.all([loadValidators(), loadYaml()]);
        result = lintInBatches(
          recording?.source ?? source,
          { config, only, withText },
          (done, total) =>
            host.progress?.(`Checking patterns of ${relativeRoot || '.'}: ${done} of ${total}`),
          host.collect,
          stream &&
            ((done, checkedDone) =>
              host.write?.(stream.add(done, checkedDone, { root, prefix, inTarget }))),
        );
      }
      if (cacheModule && cache && recording) {
        cache.entries[relativeRoot || '.'] = cacheModule.createEntry(key, recording.calls, result);
        cacheChanged = true;
      }
      if (fixing) {
        const { applyFixes, unifiedDiff } = await import('./fix.ts');
        for (const file of result.files) {
          if (target.files && !selector(target.files)(file.path)) continue;
          const fixes = file.messages.flatMap((message: LintMessage) =>
            message.fix ? [message.fix] : [],
          );
          const before = file.value;
          if (fixes.length === 0 || typeof before !== 'string') continue;
          const { output } = applyFixes(before, fixes);
          if (options.fixDryRun) diff += unifiedDiff(`${prefix}${file.path}`, before, output);
          else if (!writeFixed(root, file.path, output)) continue;
          overrides.set(file.path, output);
        }
        if (overrides.size > 0) {
          result =
            stagedModule && stagedInput
              ? lintCatalog(
                  (await stagedModule.loadStagedCatalog({ ...stagedInput, overrides })).catalog,
                  { config, only },
                )
              : lintInBatches(createOverlaySource(fsSource, overrides), { config, only });
        }
      }
    }
    files.push(
      ...withPrefix(
        { ...result, files: result.files.filter((file) => inTarget(file.path)) },
        prefix,
      ),
    );
    // Only the JSON format prints absolute paths.
    if (options.format === 'json' && !stream) {
      const printed = [...result.files.map((file) => file.path), ...(result.checked ?? [])];
      for (const file of printed) absolute.set(`${prefix}${file}`, path.join(root, file));
    }
    for (const file of result.checked ?? []) if (inTarget(file)) checked.push(`${prefix}${file}`);
  }

  if (cacheModule && cache && cacheChanged) {
    try {
      writeAtomic(cacheFile, JSON.stringify(cache));
    } catch {
      // An unwritable cache only costs speed next time.
    }
  }

  const { files: kept, errorCount, warningCount } = keep(files, options.quiet, stream?.counts);
  const result: LintResult = { files: kept, errorCount, warningCount, checked };
  const { formatResult } = await import('./format.ts');
  const report = stream
    ? stream.end(errorCount, warningCount)
    : formatResult(result, options.format, {
        color: options.color ?? host.color,
        rules: ruleMeta(),
        version,
        absolutePath: (printed) => absolute.get(printed) ?? path.resolve(host.cwd, printed),
      });
  let stderr = '';
  let exitCode: 0 | 1 = errorCount > 0 ? 1 : 0;
  if (options.maxWarnings !== undefined && warningCount > options.maxWarnings) {
    exitCode = 1;
    stderr += `agentops-lint: ${warningCount} ${warningCount === 1 ? 'warning' : 'warnings'}, more than the ${options.maxWarnings} allowed by \`--max-warnings\`\n`;
  }
  return { stdout: diff + report, stderr, exitCode, loads };
}
