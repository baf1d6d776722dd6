// `npm run serve`: serves the built site (site/dist, or --dir) at the base path it was built for,
// and prints the address that opens it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readScriptOptions } from '../../scripts/script-options.ts';
import { builtBase, startStaticServer } from './static-server.ts';

const options = readScriptOptions({
  usage: 'Usage: npm run serve -- [options]',
  summary: 'Serves the built site at the base path it was built for and prints its address.',
  options: {
    dir: {
      type: 'string',
      default: path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist'),
      value: '<dir>',
      description: 'the built site',
      shownDefault: 'site/dist',
    },
    base: {
      type: 'string',
      value: '<path>',
      description: 'the base path',
      shownDefault: 'the one it was built for, else $AGENTOPS_BASE or /agentops-marketplace',
    },
    port: {
      type: 'string',
      default: '4321',
      value: '<n>',
      description: 'the port',
      min: 0,
      max: 65535,
    },
    host: { type: 'string', default: '127.0.0.1', value: '<host>', description: 'the address' },
  },
});
const values = options?.values;
const dir = values === undefined ? '' : path.resolve(values.dir);
if (values === undefined) {
  // `--help`, or a bad command line: answered already.
} else if (!existsSync(path.join(dir, 'index.html'))) {
  console.error(`No built site in ${dir}: run \`npm start\` (or \`npm run build\`) first.`);
  process.exitCode = 1;
} else {
  // The base the pages were built for is the one their links work under.
  const base =
    values.base ?? builtBase(dir) ?? process.env.AGENTOPS_BASE ?? '/agentops-marketplace';
  const server = await startStaticServer(dir, base, Number(values.port), values.host);
  console.log(`Serving ${dir} at ${server.url}`);
}
