// Bundles the `agentops-lint` command into `lint/bin/`: one file per entry plus shared chunks, so
// that a run loads a handful of files instead of every module of the package and its dependencies.
// The bundle is committed: a clone of the repository runs it with no install or build (pre-commit,
// the GitHub Action, `npx agentops-lint` after `npm install`), and a test checks it is current.
// The library entry points stay as `tsc` emits them, in `dist/`.
import { build, type Plugin } from 'esbuild';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const lintRoot = path.resolve(import.meta.dirname, '..');

/** The committed bundle's folder, and its entry (the package's `bin`). */
export const bundleDir = path.join(lintRoot, 'bin');
export const bundleEntry = path.join(bundleDir, 'agentops-lint.js');

/**
 * `yaml` resolves to its CommonJS build under Node, and a chunk split off for a dynamic
 * `import('yaml')` then exports only `default`, so `const { parse } = await import('yaml')` gets
 * `undefined`. Its ES module build (the same code, published for browsers and Node-safe) keeps
 * the named exports in every chunk.
 */
const yamlAsModule: Plugin = {
  name: 'yaml-as-module',
  setup(bundle) {
    const esm = path.join(
      path.dirname(createRequire(import.meta.url).resolve('yaml')),
      '../browser/index.js',
    );
    bundle.onResolve({ filter: /^yaml$/ }, () => ({ path: esm }));
  },
};

/**
 * Node's modules through `require` rather than `import`: an import makes an ES module facade that
 * reads every export once, which loads what Node itself defers (`fs.promises`, all of `crypto`'s
 * Web Crypto): about 30 ms of a short run. Named imports then read the module's properties when
 * used, as esbuild does for any CommonJS module. The stand-in is an empty object inheriting from
 * Node's module: esbuild's interop copies a CommonJS module's own properties, one getter each,
 * for every module that imports it (a hundred for `fs`, in each of a dozen modules), and finds
 * none to copy, while every name still reads through to Node's module.
 */
const builtinsRequired: Plugin = {
  name: 'builtins-required',
  setup(bundle) {
    // The `require` inside the stand-in module is Node's own; every other use gets the stand-in.
    bundle.onResolve({ filter: /^node:/ }, (args) =>
      args.namespace === 'builtin'
        ? { path: args.path, external: true }
        : { path: args.path, namespace: 'builtin' },
    );
    bundle.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({
      contents: `module.exports = Object.create(require(${JSON.stringify(args.path)}));`,
      loader: 'js',
    }));
  },
};

/**
 * A chunk with its schema validator compiled when the chunk is: V8 compiles a function the first
 * time it is called, and Node's compile cache keeps only what was compiled with the module, so a
 * validator (one function of up to 300 KB) was compiled again by every run that used it, for tens
 * of milliseconds. A function in parentheses is compiled at once, and so is kept: the declaration
 * stays (it is hoisted, and the validator records its errors on it) and calls the parenthesised
 * body. A chunk whose validator does not have the exact form expected is left as it is.
 */
function compiledEagerly(text: string): string {
  const declarations = [...text.matchAll(/function (validate\d+)\(/g)];
  const [declaration] = declarations;
  const name = declaration?.[1];
  if (declarations.length !== 1 || !declaration || !name) return text;
  const end = `return ${name}.errors=vErrors,errors===0}`;
  const at = text.indexOf(end);
  if (at < declaration.index || text.indexOf(end, at + 1) !== -1) return text;
  const body = text.slice(declaration.index + `function ${name}`.length, at + end.length);
  return `${text.slice(0, declaration.index)}function ${name}(){return ${name}$eager.apply(this,arguments)}var ${name}$eager=(function${body});${text.slice(at + end.length)}`;
}

/** Builds the bundle in memory: each file's path relative to `bin/`, and its text. */
export async function bundle(): Promise<{ path: string; text: string }[]> {
  const result = await build({
    entryPoints: { 'agentops-lint': path.join(lintRoot, 'src/cli.ts') },
    outdir: bundleDir,
    // Paths, and so chunk hashes, are relative to this folder whatever the caller's is.
    absWorkingDir: lintRoot,
    write: false,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: 'chunks/[name]-[hash]',
    legalComments: 'none',
    // Non-ASCII characters written as escapes: Node decodes a pure-ASCII file into a one-byte
    // string, which takes a fraction of the time and memory of the two-byte string that a single
    // other character forces for the whole file, on every run.
    charset: 'ascii',
    // Bundled CommonJS dependencies may call `require` for Node's own modules.
    banner: {
      js: [
        '// Generated by `npm run build -w agentops-lint` from lint/src. Do not edit.',
        "import { createRequire as __agentopsRequire } from 'node:module'; const require = __agentopsRequire(import.meta.url);",
      ].join('\n'),
    },
    minifyWhitespace: true,
    minifySyntax: true,
    plugins: [yamlAsModule, builtinsRequired],
    logLevel: 'warning',
  });
  return result.outputFiles
    .map((file) => ({
      path: path.relative(bundleDir, file.path),
      text: compiledEagerly(file.text),
    }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = await bundle();
  // Chunk names carry content hashes: clear the folder so that old chunks do not pile up.
  rmSync(bundleDir, { recursive: true, force: true });
  for (const file of files) {
    const target = path.join(bundleDir, file.path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.text);
  }
  chmodSync(bundleEntry, 0o755);
}
