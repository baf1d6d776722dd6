import { code } from '../catalog/diagnostic.ts';
import type { PathProblem } from '../catalog/model.ts';
import { defineRule } from '../rule.ts';

/** What each manifest field must point at, by its name (the pointer's first token). */
const targets: Record<string, string> = {
  commands: 'a `.md` file or a folder',
  agents: 'a `.md` file',
  skills: 'a folder holding `SKILL.md` or `<name>/SKILL.md` folders',
  outputStyles: 'a `.md` file or a folder',
  hooks: 'a `.json` file',
  mcpServers: 'a `.json` file',
  lspServers: 'a `.json` file',
};

function targetOf(problem: PathProblem): string {
  // An inline command's `source` names one file.
  if (problem.pointer.endsWith('/source')) return 'a `.md` file';
  const field = problem.pointer.split('/')[1] ?? '';
  return targets[field] ?? 'a file or folder';
}

/** The message for one path problem. */
function messageOf(problem: PathProblem): string {
  const written = code(problem.path);
  const target = targetOf(problem);
  switch (problem.problem) {
    case 'missing':
      return `Missing ${written}, expected ${target} at that path in the plugin`;
    case 'not-a-directory':
      return `Unexpected file ${written}, expected ${target}`;
    case 'not-a-file':
      return `Unexpected folder ${written}, expected ${target}`;
    case 'outside-plugin':
      return `Unexpected path ${written} outside the plugin folder, expected ${target} inside it`;
  }
}

export default defineRule({
  id: 'component-paths-exist',
  description:
    'Require component paths in `plugin.json` and marketplace entries to lead to what Claude Code loads',
  severity: 'error',
  appliesTo: 'plugin',
  stage: 'stable',
  check(plugin, ctx) {
    const marketplace = ctx.catalog.marketplace;
    for (const problem of plugin.pathProblems) {
      // Entry pointers are relative to the entry; manifest ones to the manifest.
      const location =
        problem.declaredIn === 'manifest'
          ? plugin.manifest && { doc: plugin.manifest, at: problem.pointer }
          : plugin.entry &&
            marketplace && {
              doc: marketplace,
              at: `/plugins/${plugin.entry.index}${problem.pointer}`,
            };
      if (!location) continue;
      ctx.report({
        ...location,
        message: messageOf(problem),
        actual: problem.path,
      });
    }
  },
});
