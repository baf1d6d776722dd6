/**
 * What a command line or a script's text shows about what it reaches: hosts, network tools,
 * package downloads, git commits, plugin files it runs, and programs installed separately. A
 * reading of the text, never of what the programs do: whatever it cannot place is reported as a
 * program it does not inspect.
 */
export interface RunFacts {
  /** Paths after `${CLAUDE_PLUGIN_ROOT}/`, as written (relative to the plugin folder). */
  pluginFiles: string[];
  /** Paths a script names beside itself (`"$(dirname "$0")/x"`, `"$here/../x"`), as written. */
  siblingFiles?: string[];
  hosts: string[];
  /** Network tools and commands it runs (`curl`, `git push`, a network API in a script). */
  network: string[];
  /** Package runners and installers that may download (`npx`, `pip install`). */
  downloads: string[];
  /** Programs it runs that are neither the plugin's nor known local tools. */
  external: string[];
  writesGit: boolean;
}

const hostRe = /\b(?:https?|wss?):\/\/([a-z0-9.-]+)(?::\d+)?/gi;
// `"${CLAUDE_PLUGIN_ROOT}"/x` quotes the variable alone, as hooks often do.
const pluginRootRe = /\$\{?CLAUDE_PLUGIN_ROOT\}?["']?\/([^\s"'`;|&)<>]+)/g;
const loopbackHosts = new Set(['localhost', '127.0.0.1', '0.0.0.0']);
const gitCommitRe = /\bgit\b[^\n]{0,40}?(?:["']commit["']|[ \t]commit(?=[ \t]|$))/m;

/** Interpreters and shells: what they run is the plugin file or inline code on the same line. */
const interpreters = new Set([
  'node',
  'nodejs',
  'python',
  'python3',
  'bash',
  'sh',
  'zsh',
  'dash',
  'ruby',
  'perl',
  'php',
  'bun',
  'deno',
  'tsx',
  'pwsh',
  'powershell',
]);
/** Shell built-ins and common local tools that do not reach the network. */
const localTools = new Set(
  (
    'echo printf cat test [ [[ true false exit cd pwd mkdir touch rm cp mv ln ls jq grep egrep ' +
    'sed awk head tail date sleep tee sort uniq wc tr cut find basename dirname realpath readlink ' +
    'export set unset read return source . local declare chmod stat which type cmp ' +
    'diff wait printenv shift true : mktemp disown uname whoami id seq expr base64 tput nproc ps kill'
  ).split(' '),
);
/** Words that start a shell construct, or run the program named after them. */
const shellWords = new Set(
  (
    'if then else elif fi do done while until for case esac in ! { } ( ) exec time nohup command ' +
    'env xargs sudo'
  ).split(' '),
);
const networkTools = new Set(
  (
    'curl wget ssh scp sftp rsync nc ncat netcat telnet ftp gh aws gcloud az kubectl docker ' +
    'podman http https xh'
  ).split(' '),
);
const packageRunners = new Set(['npx', 'bunx', 'pnpx', 'uvx', 'pipx', 'uv']);
const gitNetworkCommands = new Set(['push', 'pull', 'fetch', 'clone', 'ls-remote', 'submodule']);

/** Network APIs and tools as they appear in a script's text. */
const scriptNetworkRes: [RegExp, string][] = [
  [/\b(?:curl|wget)\b/, 'curl or wget'],
  [/\bfetch\s*\(/, '`fetch()`'],
  [/\brequire\(\s*["'](?:node:)?(?:https?|http2|net|tls|dgram)["']\s*\)/, 'a Node network module'],
  [/\bfrom\s+["'](?:node:)?(?:https?|http2|net|tls|dgram)["']/, 'a Node network module'],
  [/\b(?:XMLHttpRequest|WebSocket)\b/, 'a browser network API'],
  [
    /^\s*(?:import|from)\s+(?:requests|urllib|httpx|aiohttp|socket|http\.client)\b/m,
    'a Python network module',
  ],
  [/\bInvoke-(?:WebRequest|RestMethod)\b/, 'a PowerShell web cmdlet'],
  [/\bgit\b[^\n]{0,40}?\b(?:push|pull|fetch|clone)\b/, 'git with a remote'],
  [/\b(?:ssh|scp|nc|ncat|telnet)\s+-?\w/, 'a remote shell tool'],
];
const scriptDownloadRes: [RegExp, string][] = [
  [/\b(?:npx|bunx|uvx|pipx)\s/, 'a package runner'],
  [/\b(?:npm|pnpm|yarn)\s+(?:install|add|i)\b/, 'a package install'],
  [/\bpip3?\s+install\b/, 'a package install'],
];

function hostsIn(text: string): string[] {
  const hosts: string[] = [];
  for (const match of text.matchAll(hostRe)) {
    const host = match[1]?.toLowerCase().replace(/\.$/, '');
    if (host && !loopbackHosts.has(host)) hosts.push(host);
  }
  return hosts;
}

function pluginFilesIn(text: string): string[] {
  const files: string[] = [];
  for (const match of text.matchAll(pluginRootRe)) {
    const file = match[1]?.replace(/^\.\//, '');
    if (file && !file.split('/').includes('..')) files.push(file);
  }
  return files;
}

/** A plausible program name: not an option, a glob or a fragment of a shell construct. */
const programRe = /^[A-Za-z_][\w.+-]*$/;
/** Case labels (`ts|js)`), which name patterns, not programs. */
const caseLabelRe = /(^|[\s;(])[^\s;()|]+(?:\|[^\s;()|]+)*\)/g;
const packageManagers = new Set(['npm', 'pnpm', 'yarn', 'bun', 'pip', 'pip3']);

/**
 * The simple commands of a shell line, each as its words: split at unquoted `;`, `&`, `|`,
 * newlines, backticks and parentheses, with quotes removed from each word.
 */
function simpleCommands(line: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = '';
  let quote = '';
  const endWord = (): void => {
    if (word !== '') words.push(word);
    word = '';
  };
  const endCommand = (): void => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  for (const char of line.replace(caseLabelRe, '$1')) {
    if (quote !== '') {
      if (char === quote) quote = '';
      else word += char;
    } else if (char === '"' || char === "'") quote = char;
    else if (/[;&|\n`()]/.test(char)) endCommand();
    else if (/\s/.test(char)) endWord();
    else word += char;
  }
  endCommand();
  return commands;
}

/** What a shell command line (a hook's command, a server's command and arguments) runs. */
export function commandFacts(command: string): RunFacts {
  const facts: RunFacts = {
    pluginFiles: pluginFilesIn(command),
    hosts: hostsIn(command),
    network: [],
    downloads: [],
    external: [],
    writesGit: gitCommitRe.test(command),
  };
  const visit = (line: string, depth: number): void => {
    for (const words of simpleCommands(line)) {
      // `for x in …` and `case x in` name variables and words, not programs.
      if (['for', 'case', 'select', 'function'].includes(words[0] ?? '')) continue;
      const at = words.findIndex((w) => !shellWords.has(w) && !/^[A-Za-z_]\w*=/.test(w));
      const word = words[at];
      if (word === undefined || word.includes('CLAUDE_PLUGIN_ROOT')) continue;
      const program = word.slice(word.lastIndexOf('/') + 1);
      const args = words.slice(at + 1);
      if (!programRe.test(program) || localTools.has(program)) continue;
      if (interpreters.has(program)) {
        const inline = args.findIndex((arg) => arg === '-c' || arg === '-e');
        const code = inline === -1 ? undefined : args[inline + 1];
        const script = args.find((arg) => !arg.startsWith('-'));
        // `sh -c '…'` runs a command line; `python -c '…'` runs code, read like a script.
        if (code !== undefined && ['bash', 'sh', 'zsh', 'dash'].includes(program)) {
          if (depth < 4) visit(code, depth + 1);
        } else if (code !== undefined) {
          const inner = scriptFacts(code);
          facts.network.push(...inner.network);
          facts.downloads.push(...inner.downloads);
        } else if (script === undefined || !script.includes('CLAUDE_PLUGIN_ROOT')) {
          facts.external.push(script === undefined ? program : `${program} ${script}`);
        }
      } else if (networkTools.has(program)) facts.network.push(program);
      else if (packageRunners.has(program)) facts.downloads.push(program);
      else if (packageManagers.has(program)) {
        const sub = args.find((arg) => !arg.startsWith('-')) ?? '';
        if (/^(?:install|add|i|exec|dlx|x)$/.test(sub)) facts.downloads.push(`${program} ${sub}`);
        else facts.external.push(`${program} ${sub}`.trim());
      } else if (program === 'git') {
        const sub = args.find(
          (arg, i) => !arg.startsWith('-') && !['-C', '-c'].includes(args[i - 1] ?? ''),
        );
        if (sub !== undefined && gitNetworkCommands.has(sub)) facts.network.push(`git ${sub}`);
      } else facts.external.push(program);
    }
  };
  visit(command, 0);
  return facts;
}

/**
 * The script's own folder as shell scripts spell it: `${0%/*}`, `$(dirname "$0")`,
 * `$(cd "$(dirname "$0")" && pwd)` and their `BASH_SOURCE` forms.
 */
const selfDirRe =
  /^\s*(?:local\s+|readonly\s+|export\s+)?([A-Za-z_]\w*)=["']?(?:\$\{(?:0|BASH_SOURCE(?:\[0\])?)%\/\*\}|\$\((?:cd\s+["']?\$\()?dirname\s+(?:--\s+)?["']?\$(?:0|\{BASH_SOURCE(?:\[0\])?\})["']?\)(?:["']?\s*&&\s*pwd(?:\s+-P)?\))?)["']?\s*$/gm;

/** Paths a script names relative to its own folder, through a variable set to that folder. */
function siblingFilesIn(text: string): string[] {
  const names = [...text.matchAll(selfDirRe)].map((match) => match[1] ?? '');
  const files: string[] = [];
  for (const name of new Set(names)) {
    const useRe = new RegExp(`\\$(?:\\{${name}\\}|${name}\\b)["']?\\/([^\\s"'\`;|&)<>$]+)`, 'g');
    for (const match of text.matchAll(useRe)) if (match[1]) files.push(match[1]);
  }
  return files;
}

/** What a script's text shows: hosts, network APIs, downloads, git commits, plugin files. */
export function scriptFacts(text: string): RunFacts {
  return {
    pluginFiles: pluginFilesIn(text),
    siblingFiles: siblingFilesIn(text),
    hosts: hostsIn(text),
    network: scriptNetworkRes.filter(([re]) => re.test(text)).map(([, name]) => name),
    downloads: scriptDownloadRes.filter(([re]) => re.test(text)).map(([, name]) => name),
    external: [],
    writesGit: gitCommitRe.test(text),
  };
}
