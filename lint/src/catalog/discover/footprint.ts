import path from 'node:path/posix';
import type {
  CatalogPlugin,
  FootprintReason,
  FootprintRun,
  FootprintScript,
  ParsedDocument,
  PluginFootprint,
} from '../model.ts';
import { maxFileBytes } from '../parse.ts';
import type { CatalogSource } from '../source.ts';
import { commandFacts, scriptFacts, type RunFacts } from './command-line.ts';

const decoder = new TextDecoder('utf-8', { fatal: false });
/** Files that commands read as data (`cat "${CLAUDE_PLUGIN_ROOT}/hint.md"`), never run. */
const dataFileRe = /\.(?:md|txt|json|ya?ml|toml|csv)$/i;
const unknownKinds = new Set<FootprintReason['kind']>([
  'folder-missing',
  'external-source',
  'config-unreadable',
  'script-missing',
  'script-empty',
  'script-unreadable',
  'external-program',
  'unknown-handler',
]);
const networkKinds = new Set<FootprintReason['kind']>([
  'network-host',
  'network-command',
  'package-download',
  'remote-server',
]);

/** A fact's name as a reader sees it: a program in backticks, a description as it is. */
function named(fact: string): string {
  return fact.startsWith('a ') || fact.includes('`') ? fact : `\`${fact}\``;
}

type ScriptProblem = 'missing' | 'empty' | 'unreadable';

const scriptProblems: Record<ScriptProblem, (file: string) => string> = {
  missing: (file) => `\`${file}\` is run but does not exist`,
  empty: (file) => `\`${file}\` is run but is empty, so what it does is not known`,
  unreadable: (file) => `\`${file}\` is run but could not be read as text`,
};

/** Collects the runs, scripts and reasons of one plugin, each reason once. */
class FootprintBuilder {
  readonly runs: FootprintRun[] = [];
  readonly reasons: FootprintReason[] = [];
  readonly hosts = new Set<string>();
  readonly scripts = new Map<string, FootprintScript>();
  writesGit = false;
  readonly #seen = new Set<string>();

  reason(kind: FootprintReason['kind'], file: string | undefined, text: string): void {
    const key = `${kind}\n${file ?? ''}\n${text}`;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    this.reasons.push({ kind, path: file, text });
  }

  /** Records what a command line or a script's text shows, found in `file`. */
  facts(facts: RunFacts, file: string): void {
    for (const host of facts.hosts) {
      this.hosts.add(host);
      this.reason('network-host', file, `Reaches \`${host}\``);
    }
    for (const tool of facts.network)
      this.reason('network-command', file, `Runs ${named(tool)}, which reaches the network`);
    for (const runner of facts.downloads)
      this.reason(
        'package-download',
        file,
        `Runs ${named(runner)}, which can download packages from a registry`,
      );
    for (const program of facts.external)
      this.reason(
        'external-program',
        file,
        `Runs \`${program}\`, which is installed separately or not shown, so it is not inspected here`,
      );
    if (facts.writesGit) {
      this.writesGit = true;
      this.reason('writes-git', file, 'Commits to the git repository');
    }
  }

  build(folderMissing: boolean): PluginFootprint {
    const kinds = new Set(this.reasons.map((reason) => reason.kind));
    const has = (set: Set<FootprintReason['kind']>): boolean =>
      [...kinds].some((kind) => set.has(kind));
    return {
      label: has(networkKinds)
        ? 'network'
        : has(unknownKinds)
          ? 'unknown'
          : this.runs.length === 0
            ? 'prompt-only'
            : 'no-network',
      folderMissing,
      hosts: [...this.hosts].sort(),
      runs: this.runs,
      scripts: [...this.scripts.values()].sort((a, b) =>
        a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
      ),
      writes: this.writesGit ? ['git'] : [],
      reasons: this.reasons,
    };
  }
}

/**
 * The footprint of a plugin whose files are not read here: a marketplace entry whose `source` is
 * another repository, a git URL or a package.
 */
export function externalFootprint(source: unknown): PluginFootprint {
  const builder = new FootprintBuilder();
  builder.reason(
    'external-source',
    undefined,
    `Comes from ${describeSource(source)}, whose files are not read here, so what it runs is not known`,
  );
  return builder.build(false);
}

/** An entry's source as a reader sees it: `github:owner/repo`, a URL, a package name. */
function describeSource(source: unknown): string {
  if (typeof source === 'string') return `\`${source}\``;
  if (typeof source !== 'object' || source === null) return 'another repository';
  const fields = source as Record<string, unknown>;
  const named =
    typeof fields.repo === 'string'
      ? `github:${fields.repo}`
      : typeof fields.url === 'string'
        ? fields.url
        : typeof fields.package === 'string'
          ? fields.package
          : undefined;
  const where = typeof fields.path === 'string' ? ` (\`${fields.path}\`)` : '';
  return named === undefined ? 'another repository' : `\`${named}\`${where}`;
}

/**
 * What a discovered plugin runs on the user's machine: its command and http hooks, MCP and LSP
 * servers and `bin/` executables, the plugin files they run (read through `source`, following the
 * plugin files those name), and what all of that can reach.
 */
export function deriveFootprint(
  plugin: CatalogPlugin,
  source: CatalogSource,
  folderExists: boolean,
): PluginFootprint {
  const builder = new FootprintBuilder();
  if (!folderExists) {
    builder.reason(
      'folder-missing',
      plugin.dir,
      `The plugin folder \`${plugin.dir}\` does not exist, so what it runs cannot be seen`,
    );
    return builder.build(true);
  }
  const configs: (ParsedDocument<unknown> | undefined)[] = [
    plugin.manifest,
    ...plugin.hookFiles,
    ...plugin.mcpFiles,
    ...plugin.lspFiles,
  ];
  for (const doc of configs)
    if (doc && doc.data === undefined)
      builder.reason(
        'config-unreadable',
        doc.file.path,
        `\`${doc.file.path}\` could not be parsed, so what it declares is not known`,
      );

  const base = plugin.dir === '.' ? '' : plugin.dir;
  const pluginFiles = (written: readonly string[]): string[] =>
    written.flatMap((file) => {
      const joined = path.normalize(path.join(base, file));
      return joined === '..' || joined.startsWith('../') ? [] : [joined];
    });
  const toRead: string[] = [];
  const run = (entry: Omit<FootprintRun, 'scripts'>, facts: RunFacts | undefined): void => {
    const scripts = pluginFiles(facts?.pluginFiles ?? []).filter((file) => !dataFileRe.test(file));
    builder.runs.push({ ...entry, scripts });
    toRead.push(...scripts);
    if (facts) builder.facts(facts, entry.path);
  };

  for (const hook of plugin.hooks) {
    const at = { kind: 'hook', name: hook.event, path: hook.path, pointer: hook.pointer } as const;
    if (hook.type === 'command') {
      run({ ...at, command: hook.command, url: undefined }, commandFacts(hook.command ?? ''));
    } else if (hook.type === 'http') {
      run({ ...at, command: undefined, url: hook.url }, undefined);
      const host = hostOf(hook.url);
      if (host) builder.hosts.add(host);
      builder.reason(
        'remote-server',
        hook.path,
        host ? `Calls \`${host}\` on ${hook.event}` : `Calls a URL on ${hook.event}`,
      );
    } else if (hook.type !== 'prompt' && hook.type !== 'agent') {
      builder.reason(
        'unknown-handler',
        hook.path,
        `Runs a \`${hook.type}\` hook on ${hook.event}, a type not known here`,
      );
    }
  }
  for (const server of plugin.mcpServers) {
    const at = {
      kind: 'mcp',
      name: server.name,
      path: server.path,
      pointer: server.pointer,
    } as const;
    const command =
      server.command === undefined
        ? undefined
        : [server.command, ...server.args].map(shellWord).join(' ');
    if (server.transport === 'stdio') {
      run({ ...at, command, url: undefined }, commandFacts(command ?? ''));
    } else if (server.transport === 'unknown') {
      run({ ...at, command, url: undefined }, undefined);
      builder.reason(
        'unknown-handler',
        server.path,
        `Starts the MCP server \`${server.name}\` with a transport not known here`,
      );
    } else {
      run({ ...at, command: undefined, url: server.host }, undefined);
      if (server.host) builder.hosts.add(server.host);
      builder.reason(
        'remote-server',
        server.path,
        `Connects to the remote MCP server \`${server.name}\`${server.host ? ` at \`${server.host}\`` : ''}`,
      );
    }
  }
  for (const server of plugin.lspServers) {
    const at = {
      kind: 'lsp',
      name: server.name,
      path: server.path,
      pointer: server.pointer,
    } as const;
    run({ ...at, command: server.command, url: undefined }, commandFacts(server.command ?? ''));
  }
  for (const file of plugin.bin) {
    const name = path.basename(file);
    builder.runs.push({
      kind: 'bin',
      name,
      command: undefined,
      url: undefined,
      scripts: [file],
      path: file,
      pointer: '',
    });
    toRead.push(file);
  }

  // Each script is read once, and the plugin files it names are read in turn.
  for (let i = 0; i < toRead.length; i++) {
    const file = toRead[i];
    if (file === undefined || builder.scripts.has(file)) continue;
    const script = readScript(source, file);
    builder.scripts.set(file, { path: file, status: script.status });
    if (script.status === 'read') {
      const facts = scriptFacts(script.text);
      builder.facts({ ...facts, pluginFiles: [] }, file);
      // Files named beside the script count only while they stay inside the plugin folder.
      const siblings = (facts.siblingFiles ?? [])
        .map((rel) => path.normalize(path.join(path.dirname(file), rel)))
        .filter((joined) =>
          base === '' ? !joined.startsWith('..') : joined.startsWith(`${base}/`),
        );
      toRead.push(
        ...[...pluginFiles(facts.pluginFiles), ...siblings].filter(
          (file) => !dataFileRe.test(file),
        ),
      );
    } else {
      builder.reason(`script-${script.status}`, file, scriptProblems[script.status](file));
    }
  }
  return builder.build(false);
}

function readScript(
  source: CatalogSource,
  file: string,
): { status: 'read'; text: string } | { status: ScriptProblem } {
  const type = source.type(file);
  if (type === 'missing') return { status: 'missing' };
  if (type !== 'file') return { status: 'unreadable' };
  // Bundled scripts can be larger than the component files Claude Code caps at 1 MiB.
  const bytes = source.read(file, maxFileBytes * 4);
  if (!(bytes instanceof Uint8Array)) return { status: 'unreadable' };
  if (bytes.length === 0) return { status: 'empty' };
  if (bytes.subarray(0, 8192).includes(0)) return { status: 'unreadable' };
  return { status: 'read', text: decoder.decode(bytes) };
}

/** A word as a shell line holds it: quoted when it has spaces or quotes. */
function shellWord(word: string): string {
  return /[\s"']/.test(word) ? `'${word.replaceAll("'", `'"'"'`)}'` : word;
}

function hostOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).hostname || undefined;
  } catch {
    return undefined;
  }
}
