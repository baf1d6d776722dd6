import path from 'node:path/posix';
import { code } from '../catalog/diagnostic.ts';
import type { CatalogPlugin } from '../catalog/model.ts';
import { defineRule, type RuleContext } from '../rule.ts';

/** agentskills.io: lowercase letters, digits and single hyphens between them. */
const portableNameRe = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const maxNameLength = 64;

function isPortable(name: string): boolean {
  return name.length <= maxNameLength && portableNameRe.test(name);
}

/** The portable name closest to `name` (`My_Skill` → `my-skill`), or `undefined` when none is. */
function suggest(name: string): string | undefined {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, maxNameLength)
    .replace(/^-+|-+$/g, '');
  return slug === '' ? undefined : slug;
}

/** What a non-portable name should be instead: only the length when that is all that is wrong. */
function expectation(name: string): string {
  if (portableNameRe.test(name)) return `at most ${maxNameLength} characters`;
  const example = suggest(name);
  const rule = `1–${maxNameLength} lowercase letters, digits and single inner hyphens`;
  return example === undefined ? rule : `${rule}, such as ${code(example)}`;
}

function describeName(name: string): string {
  return portableNameRe.test(name) ? `of ${name.length} characters` : code(name);
}

function check(plugin: CatalogPlugin, ctx: RuleContext): void {
  const pluginDir = plugin.dir === '.' ? '' : plugin.dir;
  for (const skill of plugin.skills) {
    if (!skill.doc.valid) continue;
    const declared: unknown = (skill.doc.data as Record<string, unknown> | undefined)?.name;
    const name = typeof declared === 'string' ? declared : undefined;
    // A skill at the plugin root (`"skills": ["./"]`) is named by its frontmatter alone.
    const folder = skill.dir === pluginDir ? undefined : path.basename(skill.dir);
    if (name !== undefined && !isPortable(name)) {
      ctx.report({
        doc: skill.doc,
        at: '/name',
        message: `Unexpected skill name ${describeName(name)}, expected ${expectation(name)}`,
        actual: name,
      });
    } else if (folder !== undefined && !isPortable(folder)) {
      ctx.report({
        doc: skill.doc,
        message: `Unexpected skill folder name ${describeName(folder)}, expected ${expectation(folder)}`,
        actual: folder,
      });
    } else if (name !== undefined && folder !== undefined && name !== folder) {
      ctx.report({
        doc: skill.doc,
        at: '/name',
        message: `Unexpected skill name ${code(name)}, expected ${code(folder)} (its folder name)`,
        actual: name,
        expected: [folder],
      });
    }
  }
}

export default defineRule({
  id: 'skill-name-portable',
  description:
    'Require skill names that follow the Agent Skills specification and equal their folder name',
  severity: 'warning',
  appliesTo: 'plugin',
  stage: 'stable',
  check,
});
