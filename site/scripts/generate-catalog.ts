import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** How big a catalog to generate. */
export interface CatalogSize {
  plugins: number;
  patterns: number;
}

const words = [
  'kubernetes',
  'terraform',
  'react',
  'postgres',
  'billing',
  'search',
  'auth',
  'payments',
  'docs',
  'release',
  'security',
  'testing',
  'graphql',
  'mobile',
  'analytics',
  'logging',
  'cache',
  'queue',
  'email',
  'export',
  'import',
  'migration',
  'monitoring',
  'design',
  'review',
  'refactor',
  'performance',
  'i18n',
  'cli',
  'api',
];
const categories = [
  'development',
  'devops',
  'productivity',
  'security',
  'documentation',
  'testing',
  'data',
  'design',
];
const licenses = ['MIT', 'Apache-2.0', 'BSD-3-Clause', 'ISC'];

/** A small deterministic random generator (mulberry32), so every run builds the same catalog. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Writes a marketplace repository of `size` plugins and patterns under `root` and commits it,
 * for the build and search budgets.
 */
export function generateCatalog(root: string, size: CatalogSize, seed = 7): void {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const write = (file: string, text: string): void => {
    const full = path.join(root, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
  };
  const entries: unknown[] = [];
  for (let i = 0; i < size.plugins; i++) {
    const name = `plugin-${String(i).padStart(5, '0')}`;
    const topic = pick(words);
    const description = `Helps with ${topic} and ${pick(words)} work in ${pick(words)} projects, plugin number ${i}`;
    const keywords = [topic, pick(words)];
    write(
      `plugins/${name}/.claude-plugin/plugin.json`,
      `${JSON.stringify({ name, version: '1.0.0', description, author: { name: 'Bench' }, license: pick(licenses), keywords }, null, 2)}\n`,
    );
    write(
      `plugins/${name}/commands/run.md`,
      `---\ndescription: Run the ${topic} workflow\n---\n\nRun the ${topic} step for $ARGUMENTS.\n`,
    );
    write(
      `plugins/${name}/agents/${topic}-helper-${i}.md`,
      `---\nname: ${topic}-helper-${i}\ndescription: Use when ${topic} work needs a second look\n---\n\nYou help with ${topic}.\n`,
    );
    write(
      `plugins/${name}/skills/guide/SKILL.md`,
      `---\nname: guide\ndescription: Guides ${topic} tasks step by step\n---\n\n# Guide\n\n1. Read.\n2. Plan.\n3. Do.\n`,
    );
    if (i % 3 === 0) {
      write(
        `plugins/${name}/hooks/hooks.json`,
        `${JSON.stringify({ hooks: { PostToolUse: [{ matcher: 'Edit|Write', hooks: [{ type: 'command', command: 'echo checked' }] }] } }, null, 2)}\n`,
      );
    }
    write(
      `plugins/${name}/README.md`,
      `# ${name}\n\n${description}.\n\n## Usage\n\nRun \`/${name}:run\` in Claude Code.\n`,
    );
    // Descriptions and keywords stay in plugin.json: 5,000 full entries would pass the 1 MiB limit.
    entries.push({ name, source: `./plugins/${name}`, category: pick(categories) });
  }
  write(
    '.claude-plugin/marketplace.json',
    `${JSON.stringify({ name: 'bench-market', owner: { name: 'Bench' }, description: 'A generated marketplace for the site budgets', plugins: entries })}\n`,
  );
  for (let i = 0; i < size.patterns; i++) {
    const topic = pick(words);
    const executions = 3 + Math.floor(next() * 40);
    const successes = Math.min(executions, Math.floor(executions * (0.5 + next() * 0.5)));
    const rate = successes / executions;
    const id = `pat_2026-01-${String(1 + (i % 28)).padStart(2, '0')}_${topic}-${i}`;
    const helper = Math.floor(next() * size.plugins);
    const steps = [
      `1. Research the ${topic} code (${pick(words)} explorer)`,
      `2. Plan the change with \`${words[helper % words.length] ?? 'api'}-helper-${helper}\``,
      `3. Implement the ${pick(words)} part`,
      `4. Test the ${pick(words)} behaviour`,
    ];
    write(
      `patterns/${pick(categories)}/${id}.md`,
      [
        '---',
        `pattern_id: ${id}`,
        `category: ${pick(categories)}`,
        `success_rate: ${rate.toFixed(2)}`,
        `executions: ${executions}`,
        `successes: ${successes}`,
        `validated: ${rate > 0.7 && executions >= 3 ? 'true' : 'false'}`,
        `tags: [${topic}]`,
        '---',
        '',
        `# ${topic} workflow ${i}`,
        '',
        '## Workflow',
        ...steps,
        '',
        '## Notes',
        '',
        `This workflow keeps ${topic} changes small and checks ${pick(words)} behaviour before ${pick(words)} work is merged.`,
        '',
      ].join('\n'),
    );
  }
  const git = (args: string[]): void => {
    execFileSync('git', ['-C', root, ...args], {
      stdio: 'ignore',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'Bench',
        GIT_AUTHOR_EMAIL: 'bench@example.com',
        GIT_COMMITTER_NAME: 'Bench',
        GIT_COMMITTER_EMAIL: 'bench@example.com',
        GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
        GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
      },
    });
  };
  git(['init', '-q', '-b', 'main']);
  git(['add', '-A']);
  git(['commit', '-q', '-m', 'Generated catalog']);
}
