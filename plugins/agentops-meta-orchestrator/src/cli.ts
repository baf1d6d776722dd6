import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { childProcessModule } from './builtins.ts';
import { commitStore } from './commit.ts';
import type { Rule } from './extract.ts';
import { extractPatterns, referenceTime } from './extract.ts';
import type { FederatedResult } from './federated.ts';
import {
  federatedText,
  federationIndexFile,
  readFederatedIndex,
  suggestFederated,
} from './federated.ts';
import { appendExecution, finalize } from './finalize.ts';
import { LearnError, memoryRef, readRef } from './git.ts';
import type { HookEvent } from './hook.ts';
import { commandHash, eventFromPayload, hookEvents } from './hook.ts';
import { normalizeImport } from './import.ts';
import type { OutcomeSignal } from './outcome.ts';
import { appendOutcomeUpdate, outcomeSignals } from './outcome.ts';
import { readLog } from './log.ts';
import {
  diffPatternFiles,
  patternPath,
  renderPatternFile,
  writePatternFiles,
} from './pattern-file.ts';
import { labelOf } from './record.ts';
import { activeSession, listSpoolSessions, readSpoolSession, writeSpoolEvent } from './spool.ts';
import type { StoreLayout } from './store.ts';
import { ensureDataDir, findRepoRoot, logBackground, readConfig, storeLayout } from './store.ts';
import { suggest } from './suggest.ts';
import { inferCategory, kebab, keywords, redact, sha256 } from './text.ts';
import { ulid } from './ulid.ts';
import { engineVersion } from './version.ts';

/** Where the CLI writes and what it reads. */
export interface CliIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdin: () => string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** The script to re-run for background work. */
  self: string;
}

const usage = `Usage: agentops-learn <command> [--store <dir>] [--rule bayes|legacy]

Commands:
  hook <Event>            record a Claude Code hook payload (stdin); never fails
  record                  append executions given as JSON or JSON lines on stdin
  start --task "<text>"   start an explicit workflow [--category <c>]
  end --outcome <o>       end it: success | failure | unknown [--verify "<cmd>"]
  outcome <execution_id>  later evidence: --status success|failure
                          [--signal ci|revert|tests|user] [--note "<text>"]
  finalize                fold finished sessions from the spool into the log
  extract                 rebuild pattern files from the log
  status                  store summary and the background log
  suggest "<task>"        recommend a proven pattern or abstain [--json] [--category <c>];
                          also external plugins from federation/index.json [--federation <file>]
                          [--path <glob>]... (the session's edited paths are added)
  commit                  commit the store to ${memoryRef} [--on-branch]
  metrics [category]      success over time per category and pattern
  list                    patterns with status and counts
  show <pattern_id>       one pattern file
  check                   rebuild and exit 1 if committed pattern files differ
`;

function ruleOf(value: string | boolean | undefined, fallback: Rule): Rule {
  if (value === undefined) return fallback;
  if (value === 'bayes' || value === 'legacy') return value;
  throw new LearnError(`Unexpected rule \`${String(value)}\`, expected \`bayes\` or \`legacy\``);
}

function runHook(event: string | undefined, storeArg: string | undefined, io: CliIo): number {
  const started = Date.now();
  let layout: StoreLayout | undefined;
  try {
    const hook = hookEvents.find((name) => name === event);
    let raw = '';
    try {
      raw = io.stdin();
    } catch {
      raw = '';
    }
    let payload: unknown = {};
    if (raw.length <= 10 * 1024 * 1024) {
      try {
        payload = JSON.parse(raw);
      } catch {
        payload = {};
      }
    }
    const payloadCwd =
      typeof payload === 'object' &&
      payload !== null &&
      typeof (payload as { cwd?: unknown }).cwd === 'string'
        ? (payload as { cwd: string }).cwd
        : undefined;
    const cwd =
      payloadCwd !== undefined && path.isAbsolute(payloadCwd) && fs.existsSync(payloadCwd)
        ? payloadCwd
        : io.cwd;
    layout = storeLayout(storeArg, cwd);
    if (hook === undefined) {
      logBackground(
        layout,
        `hook: ignored unknown event ${JSON.stringify(String(event)).slice(0, 60)}`,
      );
      return 0;
    }
    ensureDataDir(layout);
    const spoolEvent = eventFromPayload(hook, payload, layout.repoRoot);
    writeSpoolEvent(layout, spoolEvent);
    if (hook === 'SessionEnd' || hook === 'SessionStart')
      afterSessionBoundary(hook, spoolEvent.session_id, layout, io);
  } catch (error) {
    if (layout !== undefined)
      logBackground(layout, `hook ${String(event)}: ${(error as Error).message}`);
  }
  void started;
  return 0;
}

function afterSessionBoundary(
  hook: HookEvent,
  session: string,
  layout: StoreLayout,
  io: CliIo,
): void {
  const config = readConfig(layout);
  if (hook === 'SessionEnd') {
    finalize(layout, {
      repoRoot: layout.repoRoot,
      storeTaskText: config.storeTaskText,
      only: session,
    });
    if (config.autoLearn) spawnBackground(['learn-background'], layout, io);
    return;
  }
  // A finaliser that crashed leaves an ended session behind: redo it in the background.
  const leftover = listSpoolSessions(layout).some(
    (name) =>
      name !== session &&
      readSpoolSession(layout, name).events.some((e) => e.event === 'session_end'),
  );
  if (leftover) spawnBackground(['finalize'], layout, io);
}

function spawnBackground(args: string[], layout: StoreLayout, io: CliIo): void {
  try {
    const child = childProcessModule().spawn(
      process.execPath,
      [io.self, ...args, '--store', layout.root, '--background'],
      {
        cwd: layout.repoRoot ?? io.cwd,
        detached: true,
        stdio: 'ignore',
        env: io.env,
      },
    );
    child.on('error', (error) =>
      logBackground(layout, `background ${args.join(' ')}: ${error.message}`),
    );
    child.unref();
  } catch (error) {
    logBackground(layout, `background ${args.join(' ')}: ${(error as Error).message}`);
  }
}

function parseStdinJson(text: string): unknown[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  try {
    const data = JSON.parse(trimmed) as unknown;
    return Array.isArray(data) ? data : [data];
  } catch {
    return trimmed.split('\n').flatMap((line) => {
      try {
        return [JSON.parse(line) as unknown];
      } catch {
        return [];
      }
    });
  }
}

/** Runs the CLI and returns the exit code. */
export function main(rawArgv: string[], io: CliIo): number {
  const argv = commandFirst(rawArgv);
  const command = argv[0];
  if (command === 'hook') return runHook(argv[1], storeFromArgv(argv), io);
  let parsed;
  try {
    parsed = parseArgs({
      args: argv.slice(1),
      allowPositionals: true,
      options: {
        store: { type: 'string' },
        rule: { type: 'string' },
        task: { type: 'string' },
        category: { type: 'string' },
        outcome: { type: 'string' },
        verify: { type: 'string' },
        status: { type: 'string' },
        signal: { type: 'string' },
        note: { type: 'string' },
        path: { type: 'string', multiple: true },
        session: { type: 'string' },
        json: { type: 'boolean' },
        federation: { type: 'string' },
        'on-branch': { type: 'boolean' },
        background: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    });
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (command === undefined || command === 'help' || command === '--help' || values.help === true) {
    io.stdout(usage);
    return command === undefined ? 2 : 0;
  }
  const layout = storeLayout(values.store, io.cwd);
  const config = readConfig(layout);
  try {
    const rule = ruleOf(values.rule, config.rule);
    return runCommand(command, { values, positionals, layout, config, rule }, io);
  } catch (error) {
    if (values.background === true) {
      logBackground(layout, `${command}: ${(error as Error).message}`);
      return 1;
    }
    if (error instanceof LearnError) {
      io.stderr(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/**
 * External plugins for a task from the federated index: `--federation <file>` (relative to the
 * working directory), else `federation/index.json` of the enclosing repository when it exists.
 */
function federatedFor(
  task: string,
  fileArg: string | undefined,
  cwd: string,
): FederatedResult | undefined {
  if (fileArg !== undefined) {
    const plugins = readFederatedIndex(path.resolve(cwd, fileArg));
    if (plugins === undefined)
      throw new LearnError(`Missing federated index \`${fileArg}\`, expected a file`);
    return suggestFederated(task, plugins);
  }
  const root = findRepoRoot(cwd);
  const plugins =
    root === undefined ? undefined : readFederatedIndex(path.join(root, federationIndexFile));
  return plugins === undefined ? undefined : suggestFederated(task, plugins);
}

/** Moves global options given before the command (`--store <dir> list`) after it. */
function commandFirst(argv: string[]): string[] {
  const leading: string[] = [];
  let i = 0;
  while (i < argv.length && (argv[i] === '--store' || argv[i] === '--rule')) {
    leading.push(argv[i]!, argv[i + 1] ?? '');
    i += 2;
  }
  while (i < argv.length && /^--(store|rule)=/.test(argv[i]!)) leading.push(argv[i++]!);
  if (leading.length === 0) return argv;
  const rest = argv.slice(i);
  // An explicit option after the command wins over one given before it.
  return [...rest.slice(0, 1), ...leading, ...rest.slice(1)];
}

function storeFromArgv(argv: string[]): string | undefined {
  const index = argv.indexOf('--store');
  if (index !== -1) return argv[index + 1];
  const inline = argv.find((arg) => arg.startsWith('--store='));
  return inline?.slice('--store='.length);
}

interface Context {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  layout: StoreLayout;
  config: ReturnType<typeof readConfig>;
  rule: Rule;
}

function str(value: string | boolean | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function runCommand(command: string, ctx: Context, io: CliIo): number {
  const { layout, config, rule } = ctx;
  const options = { repoRoot: layout.repoRoot, storeTaskText: config.storeTaskText };
  switch (command) {
    case 'record': {
      const now = new Date().toISOString();
      let appended = 0;
      let skipped = 0;
      for (const item of parseStdinJson(io.stdin())) {
        const execution = normalizeImport(item, { storeTaskText: config.storeTaskText, now });
        if (execution === undefined) skipped++;
        else if (appendExecution(layout, execution)) appended++;
      }
      io.stdout(
        `Recorded ${appended} execution${appended === 1 ? '' : 's'}${skipped > 0 ? ` (${skipped} invalid skipped)` : ''}\n`,
      );
      return skipped > 0 && appended === 0 ? 1 : 0;
    }
    case 'start': {
      const task = str(ctx.values.task) ?? ctx.positionals.join(' ');
      if (task.trim() === '')
        throw new LearnError('Missing `--task`, expected the task description');
      ensureDataDir(layout);
      const session =
        str(ctx.values.session) ?? activeSession(layout, io.env) ?? `manual-${ulid()}`;
      const text = redact(task.slice(0, 4000));
      const words = keywords(text);
      const category = str(ctx.values.category);
      const event = writeSpoolEvent(layout, {
        session_id: session,
        event: 'workflow_start',
        keywords: words,
        category:
          category !== undefined && kebab(category) !== '' ? kebab(category) : inferCategory(words),
        text_hash: sha256(text).slice(0, 16),
        ...(config.storeTaskText ? { text } : {}),
      });
      io.stdout(
        `Started execution ${event.id} (session ${session}, category ${event.category ?? ''})\n`,
      );
      return 0;
    }
    case 'end': {
      const outcome = str(ctx.values.outcome) ?? ctx.positionals[0];
      if (outcome !== 'success' && outcome !== 'failure' && outcome !== 'unknown')
        throw new LearnError(
          `Unexpected outcome \`${String(outcome)}\`, expected \`success\`, \`failure\` or \`unknown\``,
        );
      const session =
        str(ctx.values.session) ?? activeSession(layout, io.env) ?? latestWorkflowSession(layout);
      if (session === undefined)
        throw new LearnError('No execution was started; run `start --task "<task>"` first');
      const verify = str(ctx.values.verify);
      writeSpoolEvent(layout, {
        session_id: session,
        event: 'workflow_end',
        claimed: outcome,
        ...(verify !== undefined
          ? { verify: redact(verify.slice(0, 200)), verify_hash: commandHash(verify) }
          : {}),
      });
      const result = finalize(layout, { ...options, only: session });
      io.stdout(`Ended the execution (${outcome} claimed); ${result.appended} added to the log\n`);
      return 0;
    }
    case 'outcome': {
      const id = ctx.positionals[0];
      if (id === undefined)
        throw new LearnError(
          'Missing execution id, expected `outcome <execution_id> --status <s>`',
        );
      const status = str(ctx.values.status);
      if (status !== 'success' && status !== 'failure')
        throw new LearnError(
          `Unexpected status \`${String(status)}\`, expected \`--status success\` or \`--status failure\``,
        );
      const signalArg = str(ctx.values.signal);
      const signal: OutcomeSignal | undefined =
        signalArg === undefined ? undefined : outcomeSignals.find((s) => s === signalArg);
      if (signalArg !== undefined && signal === undefined)
        throw new LearnError(
          `Unexpected signal \`${signalArg}\`, expected ${outcomeSignals.map((s) => `\`${s}\``).join(', ')}`,
        );
      const result = appendOutcomeUpdate(layout, {
        executionId: id,
        status,
        signal,
        note: str(ctx.values.note),
        at: new Date().toISOString(),
      });
      const now = result.execution.outcome;
      io.stdout(
        result.counted
          ? `Recorded ${status} from ${signal ?? ''} for ${id}; its outcome is now ${now.status} (${now.source})\n`
          : `Recorded ${status} for ${id} as a self-report, which validation does not count (add \`--signal ci|revert|tests|user\` for objective evidence); its outcome is ${now.status} (${now.source})\n`,
      );
      return 0;
    }
    case 'finalize': {
      const result = finalize(layout, options);
      io.stdout(
        `Finalized ${result.sessions} session${result.sessions === 1 ? '' : 's'}, ${result.appended} execution${result.appended === 1 ? '' : 's'} added\n`,
      );
      return 0;
    }
    case 'extract': {
      finalize(layout, options);
      const { executions } = readLog(layout.executionsDir);
      const patterns = extractPatterns(executions, { rule });
      const result = writePatternFiles(patterns, layout.patternsDir);
      io.stdout(
        `Extracted ${patterns.length} pattern${patterns.length === 1 ? '' : 's'} from ${executions.length} executions: ${result.written.length} written, ${result.unchanged.length} unchanged, ${result.removed.length} removed${result.kept.length > 0 ? `, ${result.kept.length} kept (human notes)` : ''}\n`,
      );
      return 0;
    }
    case 'learn-background': {
      finalize(layout, options);
      const result = commitStore(layout, { rule, onBranch: config.commitMode === 'on-branch' });
      logBackground(
        layout,
        `learned: ${result.executions} executions, ${result.patterns} patterns, ${result.changed ? `committed ${result.commit?.slice(0, 12) ?? ''} to ${result.ref}` : 'nothing new to commit'}`,
      );
      return 0;
    }
    case 'commit': {
      finalize(layout, options);
      const onBranch = ctx.values['on-branch'] === true || config.commitMode === 'on-branch';
      const result = commitStore(layout, { rule, onBranch });
      io.stdout(
        result.changed
          ? `Committed ${result.executions} executions and ${result.patterns} patterns to ${result.ref} (${result.commit?.slice(0, 12) ?? ''})\n`
          : `Nothing new to commit (${result.executions} executions, ${result.patterns} patterns)\n`,
      );
      return 0;
    }
    case 'suggest': {
      const task = ctx.positionals.join(' ');
      if (task.trim() === '') throw new LearnError('Missing task, expected `suggest "<task>"`');
      const { executions } = readLog(layout.executionsDir);
      const patterns = extractPatterns(executions, { rule });
      const category = str(ctx.values.category);
      const session = activeSession(layout, io.env);
      const paths = new Set(Array.isArray(ctx.values.path) ? ctx.values.path : []);
      if (session !== undefined)
        for (const event of readSpoolSession(layout, session).events)
          if (typeof event.path === 'string') paths.add(event.path);
      const result = suggest(task, patterns, executions, {
        ...(category !== undefined ? { category: kebab(category) } : {}),
        ...(paths.size > 0 ? { paths: [...paths].sort() } : {}),
      });
      if (session !== undefined) {
        try {
          writeSpoolEvent(layout, {
            session_id: session,
            event: 'recommendation',
            pattern_ids: result.suggestions.map((s) => s.pattern_id),
            ...(result.suggestions[0] !== undefined ? { steps: result.suggestions[0].steps } : {}),
          });
        } catch {
          // Logging the recommendation is an aid; suggesting still works without it.
        }
      }
      const federated = federatedFor(task, str(ctx.values.federation), io.cwd);
      if (ctx.values.json === true) {
        const output = federated === undefined ? result : { ...result, federated };
        io.stdout(`${JSON.stringify(output, null, 2)}\n`);
        return 0;
      }
      if (result.abstained) {
        io.stdout(`No suggestion: ${result.reason}. Use the default workflow.\n`);
      }
      for (const s of result.suggestions) {
        io.stdout(
          `${s.pattern_id} (${s.status}): ${s.evidence}\n  steps: ${s.steps.join(' → ')}\n${s.verify !== null ? `  verify: ${s.verify}\n` : ''}`,
        );
      }
      if (federated !== undefined) io.stdout(federatedText(federated));
      return 0;
    }
    case 'status':
      io.stdout(statusText(layout, config, rule));
      return 0;
    case 'metrics':
      io.stdout(metricsText(layout, rule, ctx.positionals[0]));
      return 0;
    case 'list': {
      const { executions } = readLog(layout.executionsDir);
      const patterns = extractPatterns(executions, { rule });
      if (patterns.length === 0) io.stdout('No patterns yet\n');
      for (const p of patterns) {
        io.stdout(
          `${p.id}  ${p.status}  ${p.counts.successes}/${p.counts.successes + p.counts.failures}  ${p.steps.join(' → ')}\n`,
        );
      }
      return 0;
    }
    case 'show': {
      const id = ctx.positionals[0];
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
    }
    case 'check': {
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
    }
    default:
      io.stderr(`Unknown command \`${command}\`\n\n${usage}`);
      return 2;
  }
}

function latestWorkflowSession(layout: StoreLayout): string | undefined {
  let best: { session: string; id: string } | undefined;
  for (const session of listSpoolSessions(layout)) {
    for (const event of readSpoolSession(layout, session).events) {
      if (event.event === 'workflow_start' && (best === undefined || event.id > best.id))
        best = { session, id: event.id };
    }
  }
  return best?.session;
}

function statusText(
  layout: StoreLayout,
  config: ReturnType<typeof readConfig>,
  rule: Rule,
): string {
  const { executions, invalid } = readLog(layout.executionsDir);
  const patterns = extractPatterns(executions, { rule });
  const byStatus = new Map<string, number>();
  for (const p of patterns) byStatus.set(p.status, (byStatus.get(p.status) ?? 0) + 1);
  const labelled = executions.filter((e) => labelOf(e.outcome) !== undefined).length;
  const lines = [
    `agentops-learn ${engineVersion}`,
    `store: ${layout.repoRoot !== undefined ? path.relative(layout.repoRoot, layout.root) || '.' : layout.root}`,
    `executions: ${executions.length} (${labelled} with an objective outcome${invalid > 0 ? `, ${invalid} unreadable lines skipped` : ''})`,
    `pending sessions in the spool: ${listSpoolSessions(layout).length}`,
    `patterns: ${patterns.length} (${['validated', 'provisional', 'candidate', 'deprecated'].map((s) => `${byStatus.get(s) ?? 0} ${s}`).join(', ')}; rule ${rule})`,
    `auto-learn: ${config.autoLearn ? 'on' : 'off'}; commit mode: ${config.commitMode}`,
  ];
  if (layout.repoRoot !== undefined) {
    let head: string | undefined;
    try {
      head = readRef(layout.repoRoot, memoryRef);
    } catch {
      head = undefined;
    }
    lines.push(`${memoryRef}: ${head?.slice(0, 12) ?? 'not created yet'}`);
  }
  let log: string;
  try {
    log = fs.readFileSync(layout.backgroundLog, 'utf8');
  } catch {
    log = '';
  }
  const tail = log
    .trimEnd()
    .split('\n')
    .filter((line) => line !== '')
    .slice(-10);
  lines.push(
    'background log (latest 10):',
    ...(tail.length > 0 ? tail.map((line) => `  ${line}`) : ['  (empty)']),
  );
  return `${lines.join('\n')}\n`;
}

function metricsText(layout: StoreLayout, rule: Rule, category: string | undefined): string {
  const { executions } = readLog(layout.executionsDir);
  const selected = executions.filter((e) => category === undefined || e.task.category === category);
  const table = new Map<string, { s: number; f: number; u: number }>();
  for (const e of selected) {
    const key = `${e.task.category}\t${e.started_at.slice(0, 7)}`;
    const row = table.get(key) ?? { s: 0, f: 0, u: 0 };
    const label = labelOf(e.outcome);
    if (label === true) row.s++;
    else if (label === false) row.f++;
    else row.u++;
    table.set(key, row);
  }
  const lines = ['category\tmonth\tsuccesses\tfailures\tunknown\tsuccess rate'];
  for (const key of [...table.keys()].sort()) {
    const row = table.get(key)!;
    const rate = row.s + row.f > 0 ? `${Math.round((100 * row.s) / (row.s + row.f))} %` : '-';
    lines.push(`${key}\t${row.s}\t${row.f}\t${row.u}\t${rate}`);
  }
  lines.push('', 'pattern\tstatus\tsuccesses/labelled\tinterval');
  const patterns = extractPatterns(executions, { rule }).filter(
    (p) => category === undefined || p.category === category,
  );
  for (const p of patterns)
    lines.push(
      `${p.id}\t${p.status}\t${p.counts.successes}/${p.counts.successes + p.counts.failures}\t${p.interval[0].toFixed(2)}–${p.interval[1].toFixed(2)}`,
    );
  void referenceTime;
  return `${lines.join('\n')}\n`;
}
