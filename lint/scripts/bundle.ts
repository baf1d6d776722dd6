// Bundles the `agentops-lint` command into `dist/bin/`: one file per entry plus
// shared chunks, so that a run loads a handful of files instead of every module of the package and
// its dependencies. The library entry points stay as `tsc` emits them.
import { build, type Plugin } from 'esbuild';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const lintRoot = path.resolve(import.meta.dirname, '..');

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

// Chunk names carry content hashes: clear the folder so that old chunks do not pile up.
rmSync(path.join(lintRoot, 'dist/bin'), { recursive: true, force: true });

await build({
  entryPoints: [path.join(lintRoot, 'src/cli.ts')],
  outdir: path.join(lintRoot, 'dist/bin'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  // Bundled CommonJS dependencies (yaml) may call `require` for Node's own modules.
  banner: {
    js: "import { createRequire as __agentopsRequire } from 'node:module'; const require = __agentopsRequire(import.meta.url);",
  },
  minifyWhitespace: true,
  minifySyntax: true,
  plugins: [yamlAsModule],
  logLevel: 'warning',
});
