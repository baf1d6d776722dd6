import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startStaticServer } from './static-server.ts';

const { values } = parseArgs({
  options: {
    dir: {
      type: 'string',
      default: path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist'),
    },
    base: { type: 'string', default: process.env.AGENTOPS_BASE ?? '/agentops-marketplace' },
    port: { type: 'string', default: '4321' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
const server = await startStaticServer(values.dir, values.base, Number(values.port), values.host);
console.log(`Serving ${path.resolve(values.dir)} at ${server.url}`);
