import path from 'node:path/posix';
import { VFile } from 'vfile';
import { code } from '../catalog/diagnostic.ts';
import type { CatalogPlugin, UnloadedFile } from '../catalog/model.ts';
import { defineRule, type RuleContext } from '../rule.ts';

/**
 * Where Claude Code would load the skill from, relative to the plugin root. A file directly in
 * `skills/` moves into a folder named after it, or after the plugin when it is `SKILL.md` itself
 * (a folder `skills/SKILL/` would name the skill `SKILL`).
 */
function expectedPath(file: UnloadedFile, relative: string, plugin: CatalogPlugin): string {
  const segments = relative.split('/');
  switch (file.reason) {
    case 'skill-not-in-folder': {
      const stem = path.basename(relative, path.extname(relative));
      return `skills/${stem.toLowerCase() === 'skill' ? plugin.name : stem}/SKILL.md`;
    }
    case 'skill-too-deep':
      return `skills/${segments.at(-2) ?? ''}/SKILL.md`;
    case 'skill-file-name-case':
      return `${path.dirname(relative)}/SKILL.md`;
  }
}

/** What is wrong with the file's place, by reason. */
const problems: Record<UnloadedFile['reason'], (relative: string) => string> = {
  'skill-not-in-folder': () => 'skill file directly in `skills/`',
  'skill-too-deep': () => 'skill folder more than one level below `skills/`',
  'skill-file-name-case': (relative) => `file name ${code(path.basename(relative))}`,
};

function check(plugin: CatalogPlugin, ctx: RuleContext): void {
  const prefix = plugin.dir === '.' ? '' : `${plugin.dir}/`;
  for (const file of plugin.unloaded) {
    const relative = file.path.startsWith(prefix) ? file.path.slice(prefix.length) : file.path;
    // A README beside the skill folders documents them; it is not a skill.
    if (
      file.reason === 'skill-not-in-folder' &&
      path.basename(relative).toLowerCase() === 'readme.md'
    )
      continue;
    const expected = expectedPath(file, relative, plugin);
    const doc =
      ctx.catalog.files.find((known) => known.path === file.path) ?? new VFile({ path: file.path });
    ctx.report({
      doc,
      message: `Unexpected ${problems[file.reason](relative)}, expected ${code(expected)}`,
      actual: relative,
      expected: [expected],
    });
  }
}

export default defineRule({
  id: 'skill-layout',
  description:
    'Require skills at `skills/<name>/SKILL.md`, the only place Claude Code loads them from',
  severity: 'warning',
  appliesTo: 'plugin',
  stage: 'stable',
  check,
});
