// Generates a synthetic marketplace repository for benchmarks: N plugins and M pattern files of
// 2–4 KB, deterministic for a given seed.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** A small deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const words =
  'api auth cache deploy docs event feature graph http index job kube log metric node oauth queue release schema test token user vault webhook'.split(
    ' ',
  );
const roles = [
  'Code Explorer',
  'Spec Architect',
  'Change Executor',
  'Test Generator',
  'Doc Generator',
  'Reviewer',
];
const categories = Array.from(
  { length: 20 },
  (_, i) =>
    `${words[i % words.length]}-${['development', 'operations', 'quality', 'delivery'][i % 4]}`,
);

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** Options of `generateRepo`. */
export interface GenerateOptions {
  plugins: number;
  patterns: number;
  seed?: number;
}

/** Writes the synthetic repository under `root`. */
export function generateRepo(root: string, options: GenerateOptions): void {
  const random = prng(options.seed ?? 1);
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)]!;
  const entries: unknown[] = [];
  for (let i = 0; i < options.plugins; i++) {
    const name = `plugin-${String(i).padStart(5, '0')}`;
    const dir = path.join(root, 'plugins', name);
    const description = `Helps with ${pick(words)} and ${pick(words)} work in ${pick(words)} projects`;
    write(
      path.join(dir, '.claude-plugin/plugin.json'),
      `${JSON.stringify({ name, version: '1.0.0', description, author: { name: 'Bench' }, license: 'MIT', keywords: [pick(words), pick(words)] }, null, 2)}\n`,
    );
    for (const command of ['run', 'check']) {
      write(
        path.join(dir, 'commands', `${command}.md`),
        `---\ndescription: ${command} the ${pick(words)} workflow\nargument-hint: <target>\nallowed-tools: Read, Grep, Bash(git status:*)\n---\n\n# ${command}\n\nDo the ${command} step for $ARGUMENTS.\n`,
      );
    }
    // The first plugins provide the roles that pattern steps name.
    const role = roles[i];
    if (role) {
      const id = role.toLowerCase().replaceAll(' ', '-');
      write(
        path.join(dir, 'agents', `${id}.md`),
        `---\nname: ${id}\ndescription: Use as the ${role} of a workflow\n---\n\nYou are the ${role}.\n`,
      );
    }
    write(
      path.join(dir, 'agents', 'helper.md'),
      `---\nname: helper\ndescription: Use when the ${pick(words)} work needs a second pair of eyes\ntools: Read, Grep\n---\n\nYou are a careful helper.\n`,
    );
    write(
      path.join(dir, 'skills', 'guide', 'SKILL.md'),
      `---\nname: guide\ndescription: Guides ${pick(words)} tasks step by step\n---\n\n# Guide\n\n1. Read.\n2. Plan with [the check command](../../commands/check.md).\n3. Do.\n`,
    );
    write(
      path.join(dir, 'hooks', 'hooks.json'),
      `${JSON.stringify({ hooks: { PostToolUse: [{ matcher: 'Edit|Write', hooks: [{ type: 'command', command: '"${CLAUDE_PLUGIN_ROOT}/bin/check"' }] }] } }, null, 2)}\n`,
    );
    entries.push({ name, source: `./plugins/${name}`, description, version: '1.0.0' });
  }
  write(
    path.join(root, '.claude-plugin/marketplace.json'),
    `${JSON.stringify({ name: 'bench-market', owner: { name: 'Bench' }, description: 'Benchmark marketplace', plugins: entries }, null, 2)}\n`,
  );

  for (let i = 0; i < options.patterns; i++) {
    const category = pick(categories);
    const date = `2025-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
    const id = `pat_${date}_${pick(words)}_${i}`;
    const executions = 3 + Math.floor(random() * 40);
    const successes = Math.floor(executions * (0.72 + random() * 0.27));
    const rate = Math.round((successes / executions) * 100) / 100;
    const steps = Array.from(
      { length: 4 + Math.floor(random() * 4) },
      (_, s) =>
        `${s + 1}. ${pick(['Research', 'Plan', 'Implement', 'Test', 'Document', 'Review'])} the ${pick(words)} ${pick(words)} change (${pick(roles)})`,
    );
    const prose = Array.from(
      { length: 8 + Math.floor(random() * 14) },
      () =>
        `This workflow keeps ${pick(words)} changes small and checks ${pick(words)} behaviour before ${pick(words)} work is merged.`,
    ).join(' ');
    const text = [
      '---',
      `pattern_id: ${id}`,
      `category: ${category}`,
      `success_rate: ${rate.toFixed(2)}`,
      `executions: ${executions}`,
      `validated: ${rate > 0.7 ? 'true' : 'false'}`,
      '---',
      '',
      `# Pattern: ${pick(words)} ${pick(words)} workflow`,
      '',
      '## Workflow',
      ...steps,
      '',
      '## Optimizations',
      `- Parallel: Research + Plan (saves ${1 + Math.floor(random() * 20)}min)`,
      '- Checkpoint: After implementation',
      '',
      '## Metrics',
      `- Duration: ~${10 + Math.floor(random() * 80)}min`,
      `- Success: ${Math.round(rate * 100)}%`,
      '',
      '## Notes',
      '',
      prose,
      '',
    ].join('\n');
    write(path.join(root, 'patterns', category, `${id}.md`), text);
  }
}
