import { statSync } from 'node:fs';
import path from 'node:path';
import type { CliOptions } from './cli-options.ts';
import { findGitPaths } from './git-dir.ts';
import type { EarlyDiff, StagedState, WorkTreeState } from './git-files.ts';
import { gitAsync, splitNul, stagedNamesArgs, unstagedNamesArgs } from './git-run.ts';
import { patternFolders } from './work-tree-scope.ts';

/** Git reads started early, for the run to take up once the rest of the tool has loaded. */
export interface GitPrefetch {
  staged?: Promise<StagedState>;
  workTree?: Promise<WorkTreeState | undefined>;
  /** The `git diff` of a single pattern file's first folders, when started with `workTree`. */
  diff?: EarlyDiff;
  /**
   * Settles once every read has started (the module doing them has loaded): awaited before the
   * rest of the tool loads, so that the reads are not queued behind it.
   */
  started?: Promise<void>;
}

const isFile = (file: string): boolean => {
  try {
    return !statSync(file).isDirectory();
  } catch {
    return false;
  }
};

/** Whether a run's paths are files, checked against stored facts (as `run.ts` decides too). */
export function isFileArgumentRun(options: CliOptions, cwd: string): boolean {
  return (
    options.stdinFilepath === undefined &&
    !options.staged &&
    !options.changed &&
    !options.fix &&
    !options.fixDryRun &&
    options.paths.length > 0 &&
    options.paths.every((name) => isFile(path.resolve(cwd, name)))
  );
}

/**
 * Index size (bytes) from which a pattern file's first folders are diffed by git at once: every
 * entry takes 64 bytes or more, so a smaller index has fewer entries than the stat check of
 * `readWorkTreeState` takes on itself (1,000), which is quicker there than starting git.
 */
const earlyDiffIndexBytes = 64_000;

/**
 * `git diff` of the folders a single pattern file's check starts with (`patternFolders`), started
 * before the modules that decide them have loaded: in a large catalog it stats every pattern file,
 * the longest wait of the run. `undefined` when the file is not one, or the index is small.
 */
function earlyPatternDiff(
  cwd: string,
  file: string,
  indexFile: string,
  minIndexBytes: number,
): EarlyDiff | undefined {
  const folders = patternFolders(file);
  if (folders === undefined) return undefined;
  if ((statSync(indexFile, { throwIfNoEntry: false })?.size ?? 0) < minIndexBytes) return undefined;
  const names = gitAsync(cwd, unstagedNamesArgs(cwd, folders)).then(splitNul);
  // Handled here too: a scope that turns out to be another never awaits it.
  names.catch(() => undefined);
  return { folders, names };
}

/**
 * Starts the git reads a `--staged` or file-argument run needs while the linter's larger modules
 * are still loading: git scans the work tree on another core in the meantime. A failure surfaces
 * where the run awaits the read, as it would have without the head start. `earlyDiffFrom` is the
 * index size from which a single pattern file's folders are diffed at once.
 */
export function prefetchGit(
  options: CliOptions,
  cwd: string,
  earlyDiffFrom = earlyDiffIndexBytes,
): GitPrefetch {
  if (!options.staged && !isFileArgumentRun(options, cwd)) return {};
  // The listing of staged files is the longest wait of a staged run: git starts before anything
  // else loads.
  const names = options.staged ? gitAsync(cwd, stagedNamesArgs) : undefined;
  const files = options.paths.map((name) => path.resolve(cwd, name));
  const found = names || files.length !== 1 ? undefined : findGitPaths(cwd);
  const diff =
    found && files[0] !== undefined
      ? earlyPatternDiff(cwd, files[0], found.indexFile, earlyDiffFrom)
      : undefined;
  const git = import('./git-files.ts');
  const started: GitPrefetch = names
    ? { staged: git.then((module) => module.readStagedState(cwd, names)) }
    : {
        workTree: git.then((module) =>
          module.readWorkTreeState(cwd, files, {
            ...(found ? { found } : {}),
            ...(diff ? { diff } : {}),
          }),
        ),
        ...(diff ? { diff } : {}),
      };
  // Handled here so that a run which ends before awaiting them reports no stray rejection.
  void names?.catch(() => undefined);
  void started.staged?.catch(() => undefined);
  void started.workTree?.catch(() => undefined);
  // After the reads' own callbacks, which start them as soon as their module has loaded.
  started.started = git.then(
    () => undefined,
    () => undefined,
  );
  return started;
}
