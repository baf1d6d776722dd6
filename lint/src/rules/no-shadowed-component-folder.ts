import path from 'node:path/posix';
import { defineRule } from '../rule.ts';

/** The manifest field that replaces each default folder, and what it may list. */
const fields: Record<string, { field: string; listing: string }> = {
  commands: { field: 'commands', listing: '`./commands/` listed in it' },
  agents: { field: 'agents', listing: 'each `agents/` file listed in it' },
  'output-styles': { field: 'outputStyles', listing: '`./output-styles/` listed in it' },
};

export default defineRule({
  id: 'no-shadowed-component-folder',
  description:
    'Disallow manifest `commands`, `agents` or `outputStyles` that leave files of the default folder unloaded',
  severity: 'error',
  appliesTo: 'plugin',
  stage: 'stable',
  check(plugin, ctx) {
    if (!plugin.manifest) return;
    for (const folder of plugin.shadowedFolders) {
      const name = path.basename(folder);
      const known = fields[name];
      if (!known) continue;
      ctx.report({
        at: `/${known.field}`,
        key: true,
        message: `Unexpected \`${known.field}\` field that replaces the \`${name}/\` folder, expected ${known.listing} or no \`${known.field}\` field (the folder holds files Claude Code does not load)`,
        actual: known.field,
      });
    }
  },
});
