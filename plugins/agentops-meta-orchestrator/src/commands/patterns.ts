import fs from 'node:fs';
import path from 'node:path';
import { extractPatterns } from '../extract.ts';
import { LearnError } from '../git.ts';
import { readLog } from '../log.ts';
import { diffPatternFiles, patternPath, renderPatternFile } from '../pattern-file.ts';
import type { EngineCommand } from './registry.ts';

/** `list`: patterns with status and counts. */
export const listCommand: EngineCommand = {
  name: 'list',
  usage: 'list',
  summary: ['patterns with status and counts'],
  run({ layout, rule, io }) {
    const { executions } = readLog(layout.executionsDir);
    const patterns = extractPatterns(executions, { rule });
    if (patterns.length === 0) io.stdout('No patterns yet\n');
    for (const p of patterns) {
      io.stdout(
        `${p.id}  ${p.status}  ${p.counts.successes}/${p.counts.successes + p.counts.failures}  ${p.steps.join(' → ')}\n`,
      );
    }
    return 0;
  },
};

/** `show`: one pattern file, as a rebuild of the log writes it. */
export const showCommand: EngineCommand = {
  name: 'show',
  usage: 'show <pattern_id>',
  summary: ['one pattern file'],
  run({ layout, rule, positionals, io }) {
    const id = positionals[0];
    if (id === undefined || !/^pat_[A-Za-z0-9_-]+$/.test(id))
      throw new LearnError('Missing or invalid pattern id, expected `show pat_<date>_<slug>`');
    const { executions } = readLog(layout.executionsDir);
    const pattern = extractPatterns(executions, { rule }).find((p) => p.id === id);
    if (pattern === undefined) throw new LearnError(`Unknown pattern \`${id}\``);
    let existing: string | undefined;
    try {
      existing = fs.readFileSync(path.join(layout.patternsDir, patternPath(pattern)), 'utf8');
    } catch {
      existing = undefined;
    }
    io.stdout(renderPatternFile(pattern, existing));
    return 0;
  },
};

/** `check`: exits 1 when the committed pattern files differ from a rebuild of the log. */
export const checkCommand: EngineCommand = {
  name: 'check',
  usage: 'check',
  summary: ['rebuild and exit 1 if committed pattern files differ'],
  run({ layout, rule, io }) {
    const { executions } = readLog(layout.executionsDir);
    const differ = diffPatternFiles(extractPatterns(executions, { rule }), layout.patternsDir);
    if (differ.length === 0) {
      io.stdout(`Pattern files match the log (${executions.length} executions)\n`);
      return 0;
    }
    io.stderr(
      `Pattern files differ from a rebuild of the log; run \`agentops-learn extract\`:\n${differ.map((d) => `  ${d}\n`).join('')}`,
    );
    return 1;
  },
};
