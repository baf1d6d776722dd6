import { commitStore } from '../commit.ts';
import { extractPatterns } from '../extract.ts';
import { finalize } from '../finalize.ts';
import { memoryRef } from '../git.ts';
import { readLog } from '../log.ts';
import { writePatternFiles } from '../pattern-file.ts';
import { refreshPromptIndex } from '../prompt-gate.ts';
import { logBackground } from '../store.ts';
import type { CommandContext, EngineCommand } from './registry.ts';
import { plural } from './registry.ts';

function finalizeAll({ layout, config }: CommandContext): ReturnType<typeof finalize> {
  return finalize(layout, { repoRoot: layout.repoRoot, storeTaskText: config.storeTaskText });
}

/** `finalize`: folds finished sessions from the spool into the log. */
export const finalizeCommand: EngineCommand = {
  name: 'finalize',
  usage: 'finalize',
  summary: ['fold finished sessions from the spool into the log'],
  run(ctx) {
    const result = finalizeAll(ctx);
    ctx.io.stdout(
      `Finalized ${plural(result.sessions, 'session')}, ${plural(result.appended, 'execution')} added\n`,
    );
    return 0;
  },
};

/** `extract`: rebuilds pattern files from the log, and the prompt index. */
export const extractCommand: EngineCommand = {
  name: 'extract',
  usage: 'extract',
  summary: ['rebuild pattern files from the log'],
  run(ctx) {
    finalizeAll(ctx);
    const { executions } = readLog(ctx.layout.executionsDir);
    const patterns = extractPatterns(executions, { rule: ctx.rule });
    const result = writePatternFiles(patterns, ctx.layout.patternsDir);
    refreshPromptIndex(ctx.layout);
    ctx.io.stdout(
      `Extracted ${plural(patterns.length, 'pattern')} from ${executions.length} executions: ${result.written.length} written, ${result.unchanged.length} unchanged, ${result.removed.length} removed${result.kept.length > 0 ? `, ${result.kept.length} kept (human notes)` : ''}\n`,
    );
    return 0;
  },
};

/** `commit`: commits the store to the memory ref (or the current branch). */
export const commitCommand: EngineCommand = {
  name: 'commit',
  usage: 'commit',
  summary: [`commit the store to ${memoryRef} [--on-branch]`],
  options: { 'on-branch': { type: 'boolean' } },
  run(ctx) {
    finalizeAll(ctx);
    const onBranch = ctx.values['on-branch'] === true || ctx.config.commitMode === 'on-branch';
    const result = commitStore(ctx.layout, { rule: ctx.rule, onBranch });
    ctx.io.stdout(
      result.changed
        ? `Committed ${result.executions} executions and ${result.patterns} patterns to ${result.ref} (${result.commit?.slice(0, 12) ?? ''})\n`
        : `Nothing new to commit (${result.executions} executions, ${result.patterns} patterns)\n`,
    );
    return 0;
  },
};

/**
 * `learn-background`: what a session end starts: finalize, extract and commit, logged; then the
 * prompt index is rewritten.
 */
export const learnBackgroundCommand: EngineCommand = {
  name: 'learn-background',
  usage: 'learn-background',
  summary: ['finalize, extract and commit, reporting to the background log'],
  hidden: true,
  run(ctx) {
    finalizeAll(ctx);
    const result = commitStore(ctx.layout, {
      rule: ctx.rule,
      onBranch: ctx.config.commitMode === 'on-branch',
    });
    logBackground(
      ctx.layout,
      `learned: ${result.executions} executions, ${result.patterns} patterns, ${result.changed ? `committed ${result.commit?.slice(0, 12) ?? ''} to ${result.ref}` : 'nothing new to commit'}`,
    );
    refreshPromptIndex(ctx.layout);
    return 0;
  },
};
