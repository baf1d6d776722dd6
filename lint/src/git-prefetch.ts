import { statSync } from 'node:fs';
import path from 'node:path';
import type { CliOptions } from './cli-options.ts';
import type { StagedState, WorkTreeState } from './git-files.ts';
import { gitAsync, stagedNamesArgs } from './git-run.ts';

/** Git reads started early, for the run to take up once the rest of the tool has loaded. */
export interface GitPrefetch {
  staged?: Promise<StagedState>;
  workTree?: Promise<WorkTreeState | undefined>;
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
 * Starts the git reads a `--staged` or file-argument run needs while the linter's larger modules
 * are still loading: git scans the work tree on another core in the meantime. A failure surfaces
 * where the run awaits the read, as it would have without the head start.
 */
export function prefetchGit(options: CliOptions, cwd: string): GitPrefetch {
  if (!options.staged && !isFileArgumentRun(options, cwd)) return {};
  // The listing of staged files is the longest wait of a staged run: git starts before anything
  // else loads.
  const names = options.staged ? gitAsync(cwd, stagedNamesArgs) : undefined;
  const git = import('./git-files.ts');
  const started: GitPrefetch = names
    ? { staged: git.then((module) => module.readStagedState(cwd, names)) }
    : {
        workTree: git.then((module) =>
          module.readWorkTreeState(
            cwd,
            options.paths.map((name) => path.resolve(cwd, name)),
          ),
        ),
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
