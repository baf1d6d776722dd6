import type { Family, WorldConfig } from './world.ts';

/** Folders each family's tasks touch (near-duplicate families share some). */
const familyPaths: Readonly<Record<string, string[]>> = {
  oauth: ['src/auth/*.ts', 'src/api/routes/*.ts'],
  'token-bug': ['src/auth/*.ts', 'src/auth/token/*.ts'],
  'db-migration': ['db/migrations/*.sql', 'src/models/*.ts'],
  'api-docs': ['docs/api/*.md', 'src/api/routes/*.ts'],
  'flaky-tests': ['test/integration/*.ts', 'test/*.ts'],
  'refactor-module': ['src/services/*.ts', 'src/services/billing/*.ts'],
  'perf-cache': ['src/cache/*.go', 'src/server/*.go'],
  'ui-form': ['web/components/*.tsx', 'web/styles/*.css'],
  'deploy-pipeline': ['.github/workflows/*.yml', 'deploy/*.yaml'],
  'login-page': ['web/pages/*.tsx', 'src/auth/*.ts'],
  'search-feature': ['src/search/*.py', 'src/search/index/*.py'],
  'null-crash': ['src/importer/*.py', 'src/parser/*.py'],
};

/** The workflows the families choose from. */
const w = {
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
  docsDirect: ['agent:doc-generator'],
  review: ['agent:code-explorer', 'agent:change-executor', 'agent:reviewer', 'phase:test'],
};

function family(
  id: string,
  category: string,
  slots: string[][],
  workflows: [string[], number, number?][],
  defaultIndex: number,
  weight: number,
): Family {
  return {
    id,
    category,
    slots,
    workflows: workflows.map(([steps, p, pAfterDrift]) =>
      pAfterDrift === undefined ? { steps, p } : { steps, p, pAfterDrift },
    ),
    defaultIndex,
    weight,
    paths: familyPaths[id] ?? [],
  };
}

/** The default benchmark world: 12 families with synonyms, drift, near duplicates, imbalance. */
export function defaultWorld(seed = 7): WorldConfig {
  return {
    seed,
    defaultShare: 0.4,
    driftAt: 0.6,
    strayPath: 0.25,
    heldOutPaths: 0.5,
    noise: {
      stray: 0.12,
      missing: 0.08,
      retry: 0.15,
      unknown: 0.2,
      flipped: 0.05,
      selfReportOptimism: 0.6,
    },
    families: [
      family(
        'oauth',
        'api-development',
        [
          ['add', 'implement', 'build'],
          ['oauth', 'login', 'authentication', 'sso'],
          ['endpoint', 'api', 'route'],
        ],
        [
          [w.full, 0.85],
          [w.explore, 0.6],
          [w.direct, 0.45],
          [w.design, 0.3],
        ],
        1,
        3,
      ),
      family(
        'token-bug',
        'bug-fix',
        [
          ['fix', 'repair', 'debug'],
          ['token', 'jwt'],
          ['refresh', 'expiry'],
          ['bug', 'crash', 'regression'],
        ],
        [
          [w.explore, 0.85],
          [w.full, 0.6],
          [w.direct, 0.45],
          [w.tdd, 0.3],
        ],
        2,
        3,
      ),
      family(
        'db-migration',
        'database',
        [
          ['migrate', 'upgrade', 'move'],
          ['database', 'postgres', 'sql', 'orm'],
          ['schema', 'tables', 'columns'],
        ],
        [
          [w.design, 0.85],
          [w.full, 0.6],
          [w.explore, 0.45],
          [w.direct, 0.3],
        ],
        2,
        2,
      ),
      family(
        'api-docs',
        'documentation',
        [
          ['document', 'write', 'update'],
          ['api', 'endpoints', 'routes'],
          ['docs', 'readme', 'documentation'],
        ],
        [
          [w.docs, 0.85],
          [w.docsDirect, 0.6],
          [w.review, 0.45],
          [w.direct, 0.3],
        ],
        1,
        2,
      ),
      family(
        'flaky-tests',
        'testing',
        [
          ['stabilize', 'fix', 'repair'],
          ['flaky', 'intermittent', 'unstable'],
          ['tests', 'specs', 'testing'],
        ],
        [
          [w.tdd, 0.85],
          [w.explore, 0.6],
          [w.direct, 0.45],
          [w.full, 0.3],
        ],
        1,
        2,
      ),
      family(
        'refactor-module',
        'refactoring',
        [
          ['refactor', 'restructure', 'simplify', 'cleanup'],
          ['module', 'service', 'package'],
          ['structure', 'layout'],
        ],
        [
          [w.review, 0.85],
          [w.explore, 0.6],
          [w.full, 0.45],
          [w.direct, 0.3],
        ],
        1,
        2,
      ),
      family(
        'perf-cache',
        'performance',
        [
          ['speed', 'optimize', 'improve'],
          ['cache', 'caching'],
          ['latency', 'performance', 'slow'],
        ],
        [
          [w.full, 0.8],
          [w.explore, 0.6, 0.85],
          [w.direct, 0.45],
          [w.design, 0.3],
        ],
        1,
        1,
      ),
      family(
        'ui-form',
        'frontend',
        [
          ['build', 'create', 'add'],
          ['form', 'dialog'],
          ['component', 'page', 'ui'],
        ],
        [
          [w.explore, 0.85],
          [w.design, 0.6],
          [w.full, 0.45, 0.85],
          [w.direct, 0.3],
        ],
        0,
        1,
      ),
      family(
        'deploy-pipeline',
        'devops',
        [
          ['fix', 'update', 'configure'],
          ['deploy', 'deployment', 'release'],
          ['pipeline', 'ci', 'workflow'],
        ],
        [
          [w.direct, 0.8],
          [w.explore, 0.6],
          [w.design, 0.45],
          [w.full, 0.3],
        ],
        1,
        1,
      ),
      family(
        'login-page',
        'api-development',
        [
          ['add', 'build', 'create'],
          ['login', 'authentication', 'signin'],
          ['page', 'form', 'screen'],
        ],
        [
          [w.design, 0.85],
          [w.full, 0.6],
          [w.explore, 0.45],
          [w.direct, 0.3],
        ],
        1,
        1,
      ),
      family(
        'search-feature',
        'feature-development',
        [
          ['implement', 'add', 'build'],
          ['search', 'filter', 'lookup'],
          ['results', 'listing', 'index'],
        ],
        [
          [w.full, 0.85],
          [w.review, 0.6],
          [w.explore, 0.45],
          [w.direct, 0.3],
        ],
        1,
        1,
      ),
      family(
        'null-crash',
        'bug-fix',
        [
          ['fix', 'repair', 'debug'],
          ['null', 'undefined', 'missing'],
          ['crash', 'error', 'exception'],
          ['parser', 'importer', 'loader'],
        ],
        [
          [w.tdd, 0.85],
          [w.explore, 0.6],
          [w.direct, 0.45],
          [w.design, 0.3],
        ],
        2,
        2,
      ),
    ],
  };
}
