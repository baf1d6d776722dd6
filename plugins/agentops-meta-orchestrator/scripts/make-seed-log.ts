// Writes fixtures/seed-executions.jsonl: the recorded log that seeds this repository's patterns/.
// Deterministic (fixed seed); rerun only to regenerate the fixture on purpose.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rng } from '../src/bench/world.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const random = rng(2026);

const flows = {
  full: [
    'agent:code-explorer',
    'agent:spec-architect',
    'agent:change-executor',
    'agent:test-generator',
    'phase:test',
  ],
  explore: ['agent:code-explorer', 'agent:change-executor', 'phase:test'],
  direct: ['agent:change-executor', 'phase:test'],
  design: ['agent:spec-architect', 'agent:change-executor', 'agent:reviewer'],
  tdd: ['agent:test-generator', 'agent:change-executor', 'phase:test', 'agent:reviewer'],
  docs: ['agent:code-explorer', 'agent:doc-generator', 'agent:reviewer'],
  docsDirect: ['agent:doc-generator', 'agent:reviewer'],
};

const families: {
  category: string;
  texts: string[];
  verify: string;
  paths: string[];
  flows: [string[], number][];
}[] = [
  {
    category: 'api-development',
    verify: 'npm test',
    paths: ['src/auth/*.ts', 'src/routes/*.ts'],
    texts: [
      'Add OAuth2 login endpoint with PKCE to the API',
      'Implement SSO authentication for the admin API',
      'Build the OAuth callback route and session handling',
      'Add login with GitHub OAuth to the public API',
      'Create token exchange endpoint for OAuth2 authentication',
    ],
    flows: [
      [flows.full, 0.9],
      [flows.explore, 0.6],
      [flows.direct, 0.35],
    ],
  },
  {
    category: 'bug-fix',
    verify: 'npm test',
    paths: ['src/auth/*.ts', 'src/middleware/*.ts'],
    texts: [
      'Fix the token refresh race in the auth middleware',
      'Fix expired JWT crash when refreshing the session token',
      'Repair the refresh token regression after the last release',
      'Debug intermittent 401 errors caused by token refresh',
    ],
    flows: [
      [flows.explore, 0.88],
      [flows.direct, 0.4],
      [flows.full, 0.6],
    ],
  },
  {
    category: 'documentation',
    verify: 'npm run check',
    paths: ['docs/*.md', '*.md'],
    texts: [
      'Document the plugin API endpoints in the README',
      'Update the docs for the new lint rules',
      'Write documentation for the pattern format',
      'Refresh the README install steps and examples',
    ],
    flows: [
      [flows.docs, 0.9],
      [flows.docsDirect, 0.55],
    ],
  },
  {
    category: 'database',
    verify: 'npm run test:db',
    paths: ['db/migrations/*.sql', 'src/models/*.ts'],
    texts: [
      'Migrate the ORM to v5 and fix the failing queries',
      'Upgrade the Postgres schema for multi-tenant accounts',
      'Move the sessions table to the new database schema',
    ],
    flows: [
      [flows.design, 0.85],
      [flows.direct, 0.3],
      [flows.explore, 0.5],
    ],
  },
  {
    category: 'testing',
    verify: 'npm test',
    paths: ['test/*.ts'],
    texts: [
      'Stabilize the flaky integration tests for the checkout flow',
      'Fix intermittent test failures in the payment specs',
      'Repair unstable end-to-end tests on CI',
    ],
    flows: [
      [flows.tdd, 0.82],
      [flows.explore, 0.5],
    ],
  },
];

const weights = [0.28, 0.26, 0.18, 0.14, 0.14];
const lines: string[] = [];
const start = Date.parse('2026-02-02T09:00:00.000Z');
for (let i = 0; i < 220; i++) {
  let x = random();
  let f = 0;
  while (f < weights.length - 1 && x >= weights[f]!) x -= weights[f++]!;
  const fam = families[f]!;
  const [flow, p] = fam.flows[random() < 0.5 ? 0 : Math.floor(random() * fam.flows.length)]!;
  const steps = flow.flatMap((token) => (random() < 0.1 ? [token, token] : [token]));
  const ok = random() < p;
  const at = start + i * 12 * 3_600_000 + Math.floor(random() * 3_600_000);
  const unknown = random() < 0.12;
  lines.push(
    JSON.stringify({
      session_id: `rec-${(i + 1).toString().padStart(4, '0')}`,
      started_at: new Date(at).toISOString(),
      ended_at: new Date(at + 600_000 + Math.floor(random() * 1_800_000)).toISOString(),
      task: { category: fam.category, text: fam.texts[Math.floor(random() * fam.texts.length)] },
      steps,
      paths: [fam.paths[Math.floor(random() * fam.paths.length)]],
      verify: fam.verify,
      outcome: unknown
        ? {
            status: ok ? 'success' : 'failure',
            source: 'self_report',
            signals: [{ kind: 'self_report', claimed: ok ? 'success' : 'failure' }],
          }
        : {
            status: ok ? 'success' : 'failure',
            source: 'verify',
            signals: [{ kind: 'verify', label: fam.verify, exit_code: ok ? 0 : 1 }],
          },
    }),
  );
}
fs.writeFileSync(path.join(root, 'fixtures', 'seed-executions.jsonl'), `${lines.join('\n')}\n`);
console.log(`Wrote ${lines.length} executions to fixtures/seed-executions.jsonl`);
