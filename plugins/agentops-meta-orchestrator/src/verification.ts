/** What a verification command checks. */
export type VerificationKind = 'test' | 'build' | 'typecheck';

/** A test, build or type-check run found in a shell command line. */
export interface Verification {
  kind: VerificationKind;
  /** A short label of the runner (`npm test`, `make test`, `cargo check`); never its arguments. */
  label: string;
  /**
   * Whether the command line's exit status is the runner's: it is the last command, or only an
   * `&&` chain follows it. After `;`, `||`, `|` or `&` the status belongs to another command,
   * and only the runner's output can tell how it went.
   */
  decisive: boolean;
}

/** A simple command: its words, and the operator that follows it (`''` at the end). */
interface SimpleCommand {
  argv: string[];
  next: string;
}

const operatorRe = /^(&&|\|\||;;|[;&|\n()])/;

/**
 * Splits a shell command line into simple commands. Quotes and escapes are honoured, so an
 * operator or a runner's name inside a quoted string (`echo "npm test failed"`,
 * `git commit -m "… npm test …"`) stays a word of its command. Substitutions stay inside their
 * word: what runs in `$(…)` is not a run of the command line.
 */
function splitCommands(line: string): SimpleCommand[] {
  const out: SimpleCommand[] = [];
  let argv: string[] = [];
  let word: string | undefined;
  let i = 0;
  const endWord = (): void => {
    if (word !== undefined) argv.push(word);
    word = undefined;
  };
  const endCommand = (op: string): void => {
    endWord();
    if (argv.length > 0) out.push({ argv, next: op });
    else if (out.length > 0 && op !== '\n') out[out.length - 1]!.next = op;
    argv = [];
  };
  while (i < line.length) {
    const ch = line[i]!;
    if (ch === '\\') {
      if (line[i + 1] === '\n') i += 2;
      else {
        word = (word ?? '') + (line[i + 1] ?? '');
        i += 2;
      }
    } else if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      const stop = end === -1 ? line.length : end;
      word = (word ?? '') + line.slice(i + 1, stop);
      i = stop + 1;
    } else if (ch === '"') {
      let j = i + 1;
      let text = '';
      while (j < line.length && line[j] !== '"') {
        if (line[j] === '\\' && j + 1 < line.length) j++;
        text += line[j];
        j++;
      }
      word = (word ?? '') + text;
      i = j + 1;
    } else if (ch === '$' && line[i + 1] === '(') {
      // A substitution is part of the word; skip to its closing parenthesis.
      let depth = 0;
      let j = i + 1;
      for (; j < line.length; j++) {
        if (line[j] === '(') depth++;
        else if (line[j] === ')' && --depth === 0) break;
      }
      word = (word ?? '') + line.slice(i, j + 1);
      i = j + 1;
    } else if (ch === '`') {
      const end = line.indexOf('`', i + 1);
      const stop = end === -1 ? line.length : end;
      word = (word ?? '') + line.slice(i, stop + 1);
      i = stop + 1;
    } else if (ch === '#' && word === undefined) {
      while (i < line.length && line[i] !== '\n') i++;
    } else if (ch === ' ' || ch === '\t' || ch === '\r') {
      endWord();
      i++;
    } else if (
      /[<>]/.test(ch) ||
      line.startsWith('&>', i) ||
      (/[0-9]/.test(ch) && word === undefined && /^\d+[<>]/.test(line.slice(i)))
    ) {
      // A redirection and its target are not words of the command.
      endWord();
      const match = /^\d*(>>|>&|<&|&>|>|<)\s*/.exec(line.slice(i));
      i += match === null ? 1 : match[0].length;
      const target = /^[^\s;&|()<>]*/.exec(line.slice(i));
      i += target?.[0].length ?? 0;
    } else {
      const op = operatorRe.exec(line.slice(i));
      if (op !== null) {
        // `&>` and `>&` were taken above; `2>&1` never reaches here.
        endCommand(op[1]!);
        i += op[1]!.length;
      } else {
        word = (word ?? '') + ch;
        i++;
      }
    }
  }
  endCommand('');
  return out;
}

const assignmentRe = /^[A-Za-z_][A-Za-z0-9_]*=/;
const testNameRe = /(^|[-_:.])(tests?|spec|specs|e2e|unit|integration|check)([-_:.]|$)/i;
const buildNameRe = /^(build|compile|dist|all|assemble|bundle)([-_:].*)?$/i;
const typecheckNameRe = /^(typecheck|type-check|types|tsc|check-types|check:types|lint:types)$/i;
const scriptNameRe =
  /^(run[-_]?)?(tests?|spec|check|ci)([-_.][\w-]*)?\.(sh|bash|py|js|mjs|ts|rb|pl)$|^(tests?|check|ci)$/i;

function kindOfName(name: string): VerificationKind | undefined {
  if (typecheckNameRe.test(name)) return 'typecheck';
  if (buildNameRe.test(name)) return 'build';
  if (testNameRe.test(name)) return 'test';
  return undefined;
}

/** Drops leading variable assignments and wrappers that run the command they are given. */
function unwrap(argv: readonly string[]): string[] {
  let words = [...argv];
  for (let guard = 0; guard < 8 && words.length > 0; guard++) {
    while (words.length > 0 && assignmentRe.test(words[0]!)) words = words.slice(1);
    const [head = '', second = ''] = words;
    const base = head.split('/').pop() ?? head;
    if (['env', 'time', 'command', 'nice', 'nohup', 'stdbuf', 'xvfb-run', 'exec'].includes(base)) {
      words = words.slice(1);
      while (words.length > 0 && (words[0]!.startsWith('-') || assignmentRe.test(words[0]!)))
        words = words.slice(1);
    } else if (base === 'timeout') {
      words = words.slice(1);
      while (words.length > 0 && words[0]!.startsWith('-')) words = words.slice(1);
      words = words.slice(1);
    } else if (['npx', 'bunx', 'pnpx'].includes(base)) {
      words = words.slice(1);
      while (words.length > 0 && words[0]!.startsWith('-')) words = words.slice(1);
    } else if (
      (['pnpm', 'yarn', 'npm'].includes(base) && ['exec', 'dlx', 'x'].includes(second)) ||
      (['uv', 'poetry', 'pipenv', 'hatch', 'pdm', 'rye'].includes(base) && second === 'run') ||
      (base === 'bundle' && second === 'exec')
    ) {
      words = words.slice(2);
      while (words.length > 0 && words[0]!.startsWith('-')) words = words.slice(1);
    } else if (/^python(\d(\.\d+)?)?$/.test(base) && second === '-m') {
      words = words.slice(2);
    } else if (['sh', 'bash', 'zsh'].includes(base) && second !== '' && !second.startsWith('-')) {
      words = words.slice(1);
    } else break;
  }
  return words;
}

const packageManagers = new Set(['npm', 'pnpm', 'yarn', 'bun']);
const javascriptRunners = new Set(['vitest', 'jest', 'mocha', 'ava', 'karma', 'cypress']);
const otherRunners = new Set(['pytest', 'py.test', 'tox', 'nox', 'rspec', 'phpunit', 'ctest']);
const typecheckers = new Set(['tsc', 'vue-tsc', 'mypy', 'pyright']);

/** A `make`/`just` invocation: its targets, skipping options and their values. */
function targets(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (['-C', '-f', '-j', '-I', '-o', '-W', '--file', '--directory'].includes(arg)) i++;
    else if (!arg.startsWith('-') && !arg.includes('=')) out.push(arg);
  }
  return out;
}

function packageScript(pm: string, args: readonly string[]): Verification | undefined {
  const [sub = '', second = ''] = args;
  if (sub === 'test' || sub === 't' || (pm === 'npm' && sub === 'tst'))
    return run('test', `${pm} test`);
  let script = sub;
  if (sub === 'run' || sub === 'run-script') script = second;
  // npm and bun run package scripts only through `run`; pnpm and yarn also take a bare name.
  else if (pm === 'npm' || pm === 'bun') return undefined;
  if (script === '' || script.startsWith('-')) return undefined;
  if (script === 'test') return run('test', `${pm} test`);
  const kind = kindOfName(script);
  return kind === undefined ? undefined : run(kind, `${pm} run ${script}`);
}

function run(kind: VerificationKind, label: string): Verification {
  return { kind, label: label.slice(0, 60), decisive: true };
}

/** The verification a simple command runs, if any. */
function verificationOf(argv: readonly string[]): Verification | undefined {
  const words = unwrap(argv);
  const [head = '', ...args] = words;
  const base = head.split('/').pop() ?? head;
  const first = args.find((arg) => !arg.startsWith('-')) ?? '';
  if (packageManagers.has(base)) return packageScript(base, args);
  if (javascriptRunners.has(base)) return run('test', base);
  if (otherRunners.has(base)) return run('test', base === 'py.test' ? 'pytest' : base);
  if (base === 'unittest') return run('test', 'unittest');
  if (typecheckers.has(base)) return run('typecheck', base);
  if (base === 'playwright' && first === 'test') return run('test', 'playwright test');
  if (/^(python\d?(\.\d+)?|ruby|perl)$/.test(base))
    return first !== '' && scriptNameRe.test(first.split('/').pop() ?? '')
      ? run('test', first.replace(/^\.\//, ''))
      : undefined;
  if (base === 'node') {
    if (args.includes('--test')) return run('test', 'node --test');
    const index = args.indexOf('--run');
    if (index !== -1 && args[index + 1] !== undefined) {
      const kind = kindOfName(args[index + 1]!);
      return kind === undefined ? undefined : run(kind, `node --run ${args[index + 1]!}`);
    }
    return first !== '' && scriptNameRe.test(first.split('/').pop() ?? '')
      ? run('test', first.replace(/^\.\//, ''))
      : undefined;
  }
  const tool: Record<string, Partial<Record<string, VerificationKind>>> = {
    deno: { test: 'test', check: 'typecheck', compile: 'build' },
    go: { test: 'test', build: 'build', vet: 'typecheck' },
    cargo: { test: 'test', nextest: 'test', build: 'build', check: 'typecheck' },
    swift: { test: 'test', build: 'build' },
    mix: { test: 'test', compile: 'build' },
    dotnet: { test: 'test', build: 'build' },
    rake: { test: 'test', spec: 'test' },
  };
  const subcommands = tool[base];
  if (subcommands !== undefined) {
    const kind = subcommands[first];
    if (kind === undefined) return undefined;
    return run(kind, `${base} ${first === 'nextest' ? 'test' : first}`);
  }
  if (base === 'make' || base === 'just' || base === 'gmake') {
    const named = targets(args);
    if (named.length === 0) return base === 'just' ? undefined : run('build', 'make');
    for (const target of [...named].reverse()) {
      const kind = kindOfName(target);
      if (kind !== undefined) return run(kind, `${base === 'gmake' ? 'make' : base} ${target}`);
    }
    return undefined;
  }
  if (base === 'sbt') {
    const task = [...args]
      .reverse()
      .find((a) => /^(\w+:)?(test|testOnly|testQuick|compile)\b/.test(a));
    if (task === undefined) return undefined;
    return task.includes('compile') ? run('build', 'sbt compile') : run('test', 'sbt test');
  }
  if (['gradle', 'gradlew', 'mvn', 'mvnw'].includes(base)) {
    const name = base.startsWith('gradle') ? 'gradle' : 'mvn';
    const tasks = args.filter((a) => !a.startsWith('-')).map((a) => a.split(':').pop() ?? a);
    for (const task of [...tasks].reverse()) {
      if (/^(test|check|verify|integration-test|\w*Test|\w*Check)$/.test(task))
        return run('test', `${name} ${task}`);
      if (/^(build|assemble|compile|package|install|compileJava)$/.test(task))
        return run('build', `${name} ${task}`);
    }
    return undefined;
  }
  if ((head.includes('/') || /\.(sh|bash)$/.test(head)) && scriptNameRe.test(base))
    return run('test', head.replace(/^\.\//, ''));
  return undefined;
}

/**
 * The last test, build or type-check run in a shell command line, or `undefined` when it runs
 * none. Installs (`pip install pytest`), reading files (`cat jest.config.js`), printing
 * (`echo "npm test failed"`) and commit messages are never runs: only the command word decides.
 */
export function findVerification(line: string): Verification | undefined {
  const commands = splitCommands(line.slice(0, 100_000));
  for (let i = commands.length - 1; i >= 0; i--) {
    const found = verificationOf(commands[i]!.argv);
    if (found === undefined) continue;
    const rest = commands.slice(i);
    const decisive = rest.every(
      (c, j) => c.next === '&&' || (c.next === '' && j === rest.length - 1),
    );
    return { ...found, decisive };
  }
  return undefined;
}

const failRes: RegExp[] = [
  /\bTests?:?\s+\d+ failed\b/,
  /\bTest Files\s+\d+ failed\b/,
  /^\s*\d+ failing\b/m,
  /^=+ .*\b\d+ (failed|errors?)\b.*=+\s*$/m,
  /^(--- )?FAIL\b/m,
  /\btest result: FAILED\b/,
  /^# fail [1-9]/m,
  /^ℹ fail [1-9]/m,
  /\bBUILD FAILED\b|\bBUILD FAILURE\b/,
  /\bFailed!\s+-\s+Failed:\s+[1-9]/,
  /\berror TS\d+:/,
  /^error(\[E\d+\])?: /m,
];

const passRes: RegExp[] = [
  /\bTests?:?\s+\d+ passed\b/,
  /^\s*\d+ passing\b/m,
  /^=+ .*\b\d+ passed\b.*=+\s*$/m,
  /^ok\s+\S+/m,
  /\btest result: ok\b/,
  /^# pass \d+/m,
  /^ℹ pass \d+/m,
  /\bBUILD SUCCESS(FUL)?\b/,
  /\bPassed!\s+-\s+Failed:\s+0\b/,
];

/** What a runner's output says: `fail` when it reports failures, `pass` when only passes. */
export function outputVerdict(output: string): 'pass' | 'fail' | undefined {
  const text = output.length > 200_000 ? output.slice(-200_000) : output;
  if (failRes.some((re) => re.test(text))) return 'fail';
  if (passRes.some((re) => re.test(text))) return 'pass';
  return undefined;
}
