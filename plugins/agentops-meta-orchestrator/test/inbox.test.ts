import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { drainInbox, inboxEventId, inboxPaths, incompleteGraceMs } from '../src/inbox.ts';
import { readSpoolSession } from '../src/spool.ts';
import { storeLayout } from '../src/store.ts';
import { makeRepo, pluginRoot } from './helpers.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function repoWithInbox(): { repo: string; inbox: string } {
  const repo = makeRepo();
  dirs.push(repo);
  const inbox = path.join(repo, '.agentops', 'spool', '.inbox');
  fs.mkdirSync(inbox, { recursive: true });
  return { repo, inbox };
}

const edit = (session: string, file: string): string =>
  JSON.stringify({
    session_id: session,
    hook_event_name: 'PostToolUse',
    tool_name: 'Edit',
    tool_input: { file_path: file },
    tool_response: {},
  });

/** Sets a file's modification time to `ms` since the epoch. */
function touch(file: string, ms: number): void {
  fs.utimesSync(file, ms / 1000, ms / 1000);
}

/** The shells to test the hooks with: `sh`, and dash and bash where installed. */
const shells = ['sh', 'dash', 'bash'].filter(
  (shell) => spawnSync(shell, ['-c', 'exit 0']).status === 0,
);

describe('the inbox protocol (hooks/store.sh, src/inbox.ts)', () => {
  test('a half-written payload is left alone, then taken once it is complete', () => {
    const { repo, inbox } = repoWithInbox();
    const layout = storeLayout(undefined, repo);
    const file = path.join(inbox, '4242-0-PostToolUse.json');
    const whole = edit('half-1', path.join(repo, 'src', 'a.ts'));
    fs.writeFileSync(file, whole.slice(0, 40));
    expect(drainInbox(layout)).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe(whole.slice(0, 40));
    expect(readSpoolSession(layout, 'half-1').events).toEqual([]);
    fs.appendFileSync(file, whole.slice(40));
    const ns = fs.statSync(file, { bigint: true }).mtimeNs;
    expect(drainInbox(layout)).toBe(1);
    expect(fs.existsSync(file)).toBe(false);
    const { events } = readSpoolSession(layout, 'half-1');
    expect(events.map((e) => [e.event, e.tool, e.path, e.id, e.at])).toEqual([
      [
        'tool',
        'Edit',
        'src/*.ts',
        inboxEventId({ name: '4242-0-PostToolUse.json', ns, pid: 4242, n: 0 }),
        new Date(Number(ns / 1_000_000n)).toISOString(),
      ],
    ]);
  });

  test('a payload that never parses is recorded as unreadable once it is a minute old', () => {
    const { repo, inbox } = repoWithInbox();
    const layout = storeLayout(undefined, repo);
    const file = path.join(inbox, '77-0-PostToolUse.json');
    fs.writeFileSync(file, '{"session_id":"cut-1","tool_na');
    const written = Date.UTC(2026, 11, 4, 10, 0, 0);
    touch(file, written);
    expect(drainInbox(layout, written + incompleteGraceMs - 1)).toBe(0);
    expect(fs.existsSync(file)).toBe(true);
    expect(drainInbox(layout, written + incompleteGraceMs)).toBe(1);
    expect(fs.existsSync(file)).toBe(false);
    const { events } = readSpoolSession(layout, 'unknown-session');
    expect(events.map((e) => [e.event, e.at])).toEqual([['tool', '2026-12-04T10:00:00.000Z']]);
  });

  test('events are ordered by file time, then process id as a number, then retry count', () => {
    const { repo, inbox } = repoWithInbox();
    const layout = storeLayout(undefined, repo);
    const at = Date.UTC(2026, 11, 4, 11, 0, 0);
    // Times a binary fraction of a second apart, so a file time holds them exactly. The last
    // was written by an earlier version: `<ns>-<pid>-<Event>.json`, still read.
    const files: [string, number, string][] = [
      ['900-0-PostToolUse.json', at + 500, 'src/late/x.ts'],
      ['100-0-PostToolUse.json', at + 250, 'src/p100/x.ts'],
      ['99-1-PostToolUse.json', at + 250, 'src/p99-retry/x.ts'],
      ['99-0-PostToolUse.json', at + 250, 'src/p99/x.ts'],
      [`${BigInt(at) * 1_000_000n}-5-PostToolUse.json`, at, 'src/dated/x.ts'],
    ];
    for (const [name, ms, file] of files) {
      fs.writeFileSync(path.join(inbox, name), edit('order-1', path.join(repo, file)));
      touch(path.join(inbox, name), ms);
    }
    expect(drainInbox(layout)).toBe(5);
    expect(fs.readdirSync(inbox)).toEqual([]);
    const { events } = readSpoolSession(layout, 'order-1');
    expect(events.map((e) => [e.path, e.at])).toEqual([
      ['src/dated/*.ts', '2026-12-04T11:00:00.000Z'],
      ['src/p99/*.ts', '2026-12-04T11:00:00.250Z'],
      ['src/p99-retry/*.ts', '2026-12-04T11:00:00.250Z'],
      ['src/p100/*.ts', '2026-12-04T11:00:00.250Z'],
      ['src/late/*.ts', '2026-12-04T11:00:00.500Z'],
    ]);
    // Draining the same files again (a second process at once) writes the same event files.
    for (const [name, ms, file] of files) {
      fs.writeFileSync(path.join(inbox, name), edit('order-1', path.join(repo, file)));
      touch(path.join(inbox, name), ms);
    }
    expect(drainInbox(layout)).toBe(5);
    expect(readSpoolSession(layout, 'order-1').events.map((e) => e.id)).toEqual(
      events.map((e) => e.id),
    );
  });

  test.for(shells)(
    '%s: a process id whose earlier file is still there never overwrites it',
    (shell) => {
      const { repo, inbox } = repoWithInbox();
      const store = path.join(pluginRoot, 'hooks', 'store.sh');
      // The shell takes the names of a dead process with its own id first, as a recycled id
      // would find them, then records as record.sh does.
      const script = [
        `. '${store}'`,
        `printf '%s' earlier-0 >"$inbox/$$-0-PostToolUse.json"`,
        `printf '%s' earlier-1 >"$inbox/$$-1-PostToolUse.json"`,
        'agentops_record PostToolUse',
        'echo "$$"',
      ].join('\n');
      const payload = edit('pid-1', path.join(repo, 'src', 'b.ts'));
      const result = spawnSync(shell, ['-c', script], {
        cwd: repo,
        input: payload,
        encoding: 'utf8',
      });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const pid = result.stdout.trim();
      expect(fs.readdirSync(inbox).sort()).toEqual(
        [0, 1, 2].map((n) => `${pid}-${n}-PostToolUse.json`).sort(),
      );
      expect(
        [0, 1, 2].map((n) =>
          fs.readFileSync(path.join(inbox, `${pid}-${n}-PostToolUse.json`), 'utf8'),
        ),
      ).toEqual(['earlier-0', 'earlier-1', payload]);
    },
  );

  test.for(shells)(
    '%s: record.sh writes exactly the payload, and nothing when no name is free',
    (shell) => {
      const { repo, inbox } = repoWithInbox();
      const record = path.join(pluginRoot, 'hooks', 'record.sh');
      const payload = `${edit('sh-1', path.join(repo, 'src', 'c.ts'))}\n`;
      const first = spawnSync(shell, [record, 'PostToolUse'], { cwd: repo, input: payload });
      expect([first.status, first.stdout.length, first.stderr.length]).toEqual([0, 0, 0]);
      const names = fs.readdirSync(inbox);
      expect(names).toHaveLength(1);
      expect(names[0]).toMatch(/^\d+-0-PostToolUse\.json$/);
      expect(fs.readFileSync(path.join(inbox, names[0]!), 'utf8')).toBe(payload);
      // A store whose inbox cannot be made (a file is in its way): the hook still succeeds,
      // silently, and writes nothing.
      const other = makeRepo();
      dirs.push(other);
      fs.mkdirSync(path.join(other, '.agentops', 'spool'), { recursive: true });
      fs.writeFileSync(path.join(other, '.agentops', 'spool', '.inbox'), 'in the way');
      const blocked = spawnSync(shell, [record, 'PostToolUse'], { cwd: other, input: payload });
      expect([blocked.status, blocked.stdout.length, blocked.stderr.length]).toEqual([0, 0, 0]);
      expect(fs.readFileSync(path.join(other, '.agentops', 'spool', '.inbox'), 'utf8')).toBe(
        'in the way',
      );
    },
  );

  test('after 100 names taken by its process id, a hook gives up without writing', () => {
    const { repo, inbox } = repoWithInbox();
    const store = path.join(pluginRoot, 'hooks', 'store.sh');
    const script = [
      `. '${store}'`,
      'n=0',
      'while [ "$n" -lt 100 ]; do : >"$inbox/$$-$n-Stop.json"; n=$((n + 1)); done',
      'agentops_record Stop',
      'echo "$$ $?"',
    ].join('\n');
    const result = spawnSync('sh', ['-c', script], { cwd: repo, input: '{}', encoding: 'utf8' });
    expect(result.stderr).toBe('');
    const [pid, status] = result.stdout.trim().split(' ');
    expect(status).toBe('0');
    const names = fs.readdirSync(inbox);
    expect(names).toHaveLength(100);
    expect(names.every((name) => name.startsWith(`${pid!}-`))).toBe(true);
    expect(names.every((name) => fs.statSync(path.join(inbox, name)).size === 0)).toBe(true);
  });
});

describe('what a session touched, read from the inbox without draining it', () => {
  test('the paths the drain would record for the session, and nothing else', () => {
    const { repo, inbox } = repoWithInbox();
    const layout = storeLayout(undefined, repo);
    const tool = (session: string, name: string, input: object, event = 'PostToolUse'): string =>
      JSON.stringify({
        session_id: session,
        hook_event_name: event,
        tool_name: name,
        tool_input: input,
        tool_response: {},
      });
    const files: [string, string][] = [
      ['10-0-PostToolUse.json', edit('s-1', path.join(repo, 'src', 'auth', 'token.ts'))],
      ['11-0-PostToolUse.json', edit('s-1', '/etc/hosts')],
      ['12-0-PostToolUse.json', tool('s-1', 'NotebookEdit', { notebook_path: 'nb/a.ipynb' })],
      ['13-0-PostToolUse.json', tool('s-1', 'MultiEdit', { file_path: 'README.md' })],
      [
        '14-0-PostToolUseFailure.json',
        tool('s-1', 'Write', { file_path: 'lib/x.py' }, 'PostToolUseFailure'),
      ],
      ['15-0-PostToolUse.json', tool('s-1', 'Bash', { command: 'npm test' })],
      ['16-0-PostToolUse.json', tool('s-1', 'Read', { file_path: 'src/other.ts' })],
      ['17-0-PostToolUse.json', edit('s-2', path.join(repo, 'docs', 'a.md'))],
      ['18-0-PostToolUse.json', '{"session_id":"s-1","tool_name":"Edit","tool_inp'],
      ['19-0-UserPromptSubmit.json', JSON.stringify({ session_id: 's-1', prompt: 'fix it' })],
      ['20-0-Unknown.json', edit('s-1', 'src/unknown.ts')],
      // A tool name written with an escape is still read.
      [
        '21-0-PostToolUse.json',
        '{"session_id":"s-1","tool_name":"\\u0045dit","tool_input":{"file_path":"bin/run.sh"}}',
      ],
      ['22-0-PostToolUse.json', tool('s-1', 'Read', { file_path: 'src/edit.ts', text: 'Edit' })],
    ];
    files.forEach(([name, body], i) => {
      fs.writeFileSync(path.join(inbox, name), body);
      touch(path.join(inbox, name), Date.UTC(2026, 11, 4, 10, 0, i));
    });
    const now = Date.UTC(2026, 11, 4, 10, 0, 30);
    const paths = inboxPaths(layout, 's-1', now);
    expect(paths).toEqual(['src/auth/*.ts', 'nb/*.ipynb', '*.md', 'lib/*.py', 'bin/*.sh']);
    expect(inboxPaths(layout, 's-2', now)).toEqual(['docs/*.md']);
    expect(fs.readdirSync(inbox)).toHaveLength(files.length);
    drainInbox(layout, now);
    const drained = readSpoolSession(layout, 's-1').events.flatMap((e) => e.path ?? []);
    expect(drained).toEqual(paths);
  });
});
