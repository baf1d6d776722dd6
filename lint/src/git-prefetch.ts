import { statSync } from 'node:fs';
import path from 'node:path';
import type { CliOptions } from './cli-options.ts';
import type { StagedState, WorkTreeState } from './git-files.ts';

/** Git reads started early, for the run to take up once the rest of the tool has loaded. */
export interface GitPrefetch {
  staged?: Promise<StagedState>;
  workTree?: Promise<WorkTreeState | undefined>;
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
  const git = import('./git-files.ts');
  const started: GitPrefetch = options.staged
    ? { staged: git.then((module) => module.readStagedState(cwd)) }
    : {
        workTree: git.then((module) =>
          module.readWorkTreeState(
            cwd,
            options.paths.map((name) => path.resolve(cwd, name)),
          ),
        ),
      };
  // Handled here so that a run which ends before awaiting them reports no stray rejection.
  void started.staged?.catch(() => undefined);
  void started.workTree?.catch(() => undefined);
  return started;
}
