import { code } from '../catalog/diagnostic.ts';
import { jsonStringFix } from '../fix.ts';
import { defineRule } from '../rule.ts';

export default defineRule({
  id: 'no-missing-plugin-source',
  description: 'Disallow a relative plugin `source` whose folder does not exist',
  severity: 'error',
  appliesTo: 'marketplace',
  stage: 'stable',
  check(marketplace, ctx) {
    for (const plugin of ctx.catalog.plugins) {
      if (plugin.dirExists || !plugin.entry) continue;
      const source = plugin.entry.data.source;
      const at = `/plugins/${plugin.entry.index}/source`;
      // A `./` source the author meant under `metadata.pluginRoot`, which applies only to bare
      // names: the folder is there, so the fix names it from the repository root.
      const rooted = plugin.underPluginRoot?.exists ? plugin.underPluginRoot.dir : undefined;
      ctx.report({
        message:
          rooted === undefined
            ? `Missing plugin folder ${code(plugin.dir)}, expected an existing folder (relative sources resolve from the repository root)`
            : `Missing plugin folder ${code(plugin.dir)}, expected ${code(`./${rooted}`)} (\`metadata.pluginRoot\` applies only to bare names, not to \`./\` sources)`,
        at,
        actual: typeof source === 'string' ? source : undefined,
        ...(rooted === undefined ? {} : { expected: [`./${rooted}`] }),
        note: 'Claude Code accepts the marketplace, but `claude plugin install` fails with `Source path does not exist`.',
        fix:
          rooted === undefined || typeof source !== 'string'
            ? undefined
            : jsonStringFix(
                marketplace.file.value,
                marketplace.positions.value(at),
                source,
                `./${rooted}`,
              ),
      });
    }
  },
});
