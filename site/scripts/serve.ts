// `npm run serve`: serves the built site (site/dist, or --dir) at the base path it was built for,
// and prints the address that opens it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { builtBase, startStaticServer } from './static-server.ts';

const { values } = parseArgs({
  options: {
    dir: {
      type: 'string',
      default: path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist'),
    },
    base: { type: 'string' },
    port: { type: 'string', default: '4321' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
const dir = path.resolve(values.dir);
if (!existsSync(path.join(dir, 'index.html'))) {
  console.error(`No built site in ${dir}: run \`npm start\` (or \`npm run build\`) first.`);
  process.exitCode = 1;
} else {
  // The base the pages were built for is the one their links work under.
  const base =
    values.base ?? builtBase(dir) ?? process.env.AGENTOPS_BASE ?? '/agentops-marketplace';
  const server = await startStaticServer(dir, base, Number(values.port), values.host);
  console.log(`Serving ${dir} at ${server.url}`);
}
