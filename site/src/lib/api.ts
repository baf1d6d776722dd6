import { withBase } from './paths.ts';
import type { PatternView } from './pattern-view.ts';
import type { PluginView } from './plugin-view.ts';

const tokenCost = {
  type: 'object',
  required: ['session', 'activation'],
  properties: {
    session: { type: 'integer', minimum: 0, description: 'Tokens loaded in every session.' },
    activation: {
      type: 'integer',
      minimum: 0,
      description: 'Tokens loaded when the component is activated.',
    },
  },
} as const;

const check = {
  type: 'object',
  required: ['id', 'label', 'status', 'messages'],
  properties: {
    id: { type: 'string', description: 'Rule id, or `parse` / `schema` for the loader checks.' },
    label: { type: 'string', description: 'What the check requires.' },
    status: { enum: ['pass', 'warning', 'error'], description: 'The verdict.' },
    url: { type: 'string', description: 'The rule documentation.' },
    messages: {
      type: 'array',
      description: 'Problems found, with their place.',
      items: {
        type: 'object',
        required: ['path', 'line', 'column', 'severity', 'reason'],
        properties: {
          path: { type: 'string', description: 'File, relative to the catalog root.' },
          line: { type: 'integer', description: '1-based line.' },
          column: { type: 'integer', description: '1-based column.' },
          severity: { enum: ['error', 'warning'], description: 'Severity.' },
          reason: { type: 'string', description: 'What is wrong and what is expected.' },
        },
      },
    },
  },
} as const;

const stringList = { type: 'array', items: { type: 'string' } } as const;

/** JSON Schema of `/api/plugins/<name>.json`. */
const pluginApiSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'api/plugin.schema.json',
  title: 'Catalog plugin',
  description:
    'One plugin of the catalog as the site shows it: metadata, install commands, components, what runs on the machine, context cost and checks.',
  type: 'object',
  required: [
    '$schema',
    'url',
    'name',
    'displayName',
    'description',
    'install',
    'components',
    'hooks',
    'mcpServers',
    'lspServers',
    'bin',
    'hosts',
    'scripts',
    'flags',
    'tokens',
    'checks',
    'patterns',
    'tags',
    'dir',
  ],
  properties: {
    $schema: { type: 'string', description: 'This schema.' },
    url: { type: 'string', description: 'The plugin page.' },
    name: { type: 'string', description: 'Plugin name, the part before `@` in the install id.' },
    displayName: { type: 'string', description: 'Name to show.' },
    description: { type: 'string', description: 'What the plugin does.' },
    version: { type: 'string', description: 'Version from plugin.json or the marketplace entry.' },
    license: { type: 'string', description: 'SPDX license id.' },
    category: { type: 'string', description: 'Marketplace category.' },
    updated: { type: 'string', description: 'Date of the last commit touching the plugin.' },
    created: { type: 'string', description: 'Date of the first commit touching the plugin.' },
    dir: { type: 'string', description: 'Plugin folder relative to the repository root.' },
    tags: { ...stringList, description: 'Tags and keywords.' },
    install: {
      type: 'object',
      description: 'The two install steps, inside Claude Code and from a shell.',
      required: ['slash', 'shell'],
      properties: {
        slash: { type: 'string', description: 'Slash commands.' },
        shell: { type: 'string', description: 'Shell commands.' },
      },
    },
    components: {
      type: 'array',
      description: 'Commands, agents, skills and output styles.',
      items: {
        type: 'object',
        required: ['kind', 'name', 'path', 'anchor', 'tokens'],
        properties: {
          kind: {
            enum: ['command', 'agent', 'skill', 'output-style'],
            description: 'Component kind.',
          },
          name: { type: 'string', description: 'Name within the plugin.' },
          invocation: { type: 'string', description: 'How it is invoked.' },
          description: { type: 'string', description: 'Its description.' },
          path: { type: 'string', description: 'Source file.' },
          anchor: { type: 'string', description: 'Fragment id on the plugin page.' },
          tokens: tokenCost,
        },
      },
    },
    hooks: {
      type: 'array',
      description: 'Hook handlers.',
      items: { type: 'object', required: ['event', 'type', 'broad', 'path'] },
    },
    mcpServers: {
      type: 'array',
      description: 'MCP servers.',
      items: { type: 'object', required: ['name', 'transport', 'args', 'path'] },
    },
    lspServers: {
      type: 'array',
      description: 'Language servers.',
      items: { type: 'object', required: ['name', 'languages', 'path'] },
    },
    bin: { ...stringList, description: 'Executables in `bin/`.' },
    hosts: { ...stringList, description: 'Hosts found in hooks and server settings.' },
    scripts: { ...stringList, description: 'Plugin files that hooks and servers run.' },
    flags: {
      type: 'object',
      description: 'Capability flags.',
      required: ['noHooks', 'noNetwork', 'promptOnly'],
      properties: {
        noHooks: { type: 'boolean', description: 'Declares no hooks.' },
        noNetwork: { type: 'boolean', description: 'Contacts no host found at build time.' },
        promptOnly: {
          type: 'boolean',
          description: 'Only Markdown prompts: no hooks, servers or executables.',
        },
      },
    },
    tokens: tokenCost,
    checks: { type: 'array', description: 'Quality checklist.', items: check },
    patterns: {
      type: 'array',
      description: 'Patterns that use this plugin.',
      items: { type: 'object', required: ['id', 'title'] },
    },
  },
} as const;

/** JSON Schema of `/api/patterns/<id>.json`. */
const patternApiSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'api/pattern.schema.json',
  title: 'Catalog pattern',
  description:
    'One workflow pattern as the site shows it: statistics, steps, the components they use and checks.',
  type: 'object',
  required: [
    '$schema',
    'url',
    'id',
    'title',
    'path',
    'stats',
    'steps',
    'plugins',
    'agents',
    'skills',
    'checks',
    'tags',
  ],
  properties: {
    $schema: { type: 'string', description: 'This schema.' },
    url: { type: 'string', description: 'The pattern page.' },
    id: { type: 'string', description: 'Pattern id.' },
    title: { type: 'string', description: 'Title.' },
    path: { type: 'string', description: 'Pattern file.' },
    category: { type: 'string', description: 'Category.' },
    tags: { ...stringList, description: 'Tags and keywords.' },
    stats: {
      type: 'object',
      description: 'Statistics.',
      required: ['validated', 'canonicalSteps', 'intervalEstimated'],
      properties: {
        successRate: { type: 'number', minimum: 0, maximum: 1, description: 'Success rate.' },
        interval: {
          type: 'array',
          items: { type: 'number' },
          minItems: 2,
          maxItems: 2,
          description: '90 % interval.',
        },
        executions: { type: 'integer', description: 'Executions.' },
        status: {
          enum: ['candidate', 'provisional', 'validated', 'deprecated'],
          description: 'Status.',
        },
        validated: { type: 'boolean', description: 'Validated.' },
      },
    },
    steps: {
      type: 'array',
      description: 'Workflow steps.',
      items: {
        type: 'object',
        required: ['text', 'uses'],
        properties: { text: { type: 'string', description: 'Step text.' } },
      },
    },
    plugins: { ...stringList, description: 'Plugins its steps use.' },
    agents: {
      type: 'array',
      description: 'Agents its steps use.',
      items: { type: 'object', required: ['plugin', 'name', 'anchor'] },
    },
    skills: {
      type: 'array',
      description: 'Skills its steps use.',
      items: { type: 'object', required: ['plugin', 'name', 'anchor'] },
    },
    checks: { type: 'array', description: 'Quality checklist.', items: check },
  },
} as const;

/** JSON Schema of `/api/plugins.json` and `/api/patterns.json`. */
const indexApiSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'api/index.schema.json',
  title: 'Catalog index',
  description: 'Every plugin or pattern with a summary and the URL of its full document.',
  type: 'object',
  required: ['$schema', 'count', 'items'],
  properties: {
    $schema: { type: 'string', description: 'This schema.' },
    count: { type: 'integer', minimum: 0, description: 'Number of items.' },
    items: {
      type: 'array',
      description: 'Items, sorted by name or id.',
      items: {
        type: 'object',
        required: ['id', 'title', 'description', 'url', 'api'],
        properties: {
          id: { type: 'string', description: 'Plugin name or pattern id.' },
          title: { type: 'string', description: 'Name to show.' },
          description: { type: 'string', description: 'Summary.' },
          url: { type: 'string', description: 'The page.' },
          api: { type: 'string', description: 'The full JSON document.' },
        },
      },
    },
  },
} as const;

/** The published API schemas by file name under `/schemas/`. */
export const apiSchemas = {
  'api/plugin.schema.json': pluginApiSchema,
  'api/pattern.schema.json': patternApiSchema,
  'api/index.schema.json': indexApiSchema,
} as const;

/** Drops `undefined` members (JSON has none) and the HTML that only the page needs. */
export function pluginDocument(
  plugin: PluginView,
  pageUrl: string,
  schemaUrl: string,
): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify({ $schema: schemaUrl, url: pageUrl, ...plugin, readmeHtml: undefined }),
  ) as Record<string, unknown>;
}

/** The JSON twin of a pattern page. */
export function patternDocument(
  pattern: PatternView,
  pageUrl: string,
  schemaUrl: string,
): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify({ $schema: schemaUrl, url: pageUrl, ...pattern, bodyHtml: undefined }),
  ) as Record<string, unknown>;
}

/** A JSON response body with a trailing newline. */
export function jsonBody(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** A JSON API response. */
export function jsonResponse(value: unknown): Response {
  return new Response(jsonBody(value), { headers: { 'content-type': 'application/json' } });
}

/** An API index (`api/plugins.json`, `api/patterns.json`): its schema, a count and the items. */
export function indexResponse(base: string, items: readonly unknown[]): Response {
  return jsonResponse({
    $schema: withBase(base, 'schemas/api/index.schema.json'),
    count: items.length,
    items,
  });
}
