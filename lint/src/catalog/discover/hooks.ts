import type { HooksFile } from '../../generated/schema-types.ts';
import type { HookHandler, ParsedDocument } from '../model.ts';
import { joinPointer } from '../position-map.ts';
import { asList, isObject, type Json, type PluginScope } from './plugin-scope.ts';

/** Events whose hooks run on every tool call or prompt unless a matcher or `if` narrows them. */
const perCallEvents = new Set([
  'PreToolUse',
  'PostToolUse',
  'PostToolUseFailure',
  'PermissionRequest',
  'PostToolBatch',
  'UserPromptSubmit',
]);

/**
 * Hooks: `hooks/hooks.json`, plus the manifest's `hooks` files or inline maps and the entry's
 * inline map, each file parsed once and every handler flattened.
 */
export function discoverHooks(scope: PluginScope): {
  hookFiles: ParsedDocument<HooksFile>[];
  hooks: HookHandler[];
} {
  const { plugin, manifestData, entryData, at } = scope;
  const hooks: HookHandler[] = [];
  const docs = new Map<string, ParsedDocument<HooksFile>>();
  const load = (file: string): void => {
    if (docs.has(file)) return;
    const doc = scope.reader.json<HooksFile>(file, 'hooks');
    docs.set(file, doc);
    if (isObject(doc.data) && isObject(doc.data.hooks))
      hooks.push(...flattenHooks(doc.data.hooks, file, '/hooks'));
  };
  if (scope.files.has(at('hooks/hooks.json'))) load(at('hooks/hooks.json'));
  asList(manifestData.hooks).forEach((value, index) => {
    const pointer = Array.isArray(manifestData.hooks) ? `/hooks/${index}` : '/hooks';
    if (typeof value === 'string') {
      const target = value.startsWith('./')
        ? scope.resolve('manifest', pointer, value, 'file')
        : undefined;
      if (target?.path.endsWith('.json')) load(target.path);
    } else if (isObject(value) && plugin.manifest) {
      hooks.push(...flattenHooks(value, plugin.manifest.file.path, pointer));
    }
  });
  if (plugin.entry && isObject(entryData.hooks)) {
    const pointer = `/plugins/${plugin.entry.index}/hooks`;
    hooks.push(...flattenHooks(entryData.hooks, '.claude-plugin/marketplace.json', pointer));
  }
  return { hookFiles: [...docs.values()], hooks };
}

/** The handlers of a hooks map (`{ Event: [{ matcher, hooks: [...] }] }`) at `pointer` in `file`. */
function flattenHooks(events: Json, file: string, pointer: string): HookHandler[] {
  const out: HookHandler[] = [];
  for (const [event, groups] of Object.entries(events)) {
    if (!Array.isArray(groups)) continue;
    groups.forEach((group, groupIndex) => {
      if (!isObject(group) || !Array.isArray(group.hooks)) return;
      const matcher = typeof group.matcher === 'string' ? group.matcher : undefined;
      group.hooks.forEach((hook, hookIndex) => {
        if (!isObject(hook)) return;
        const gated =
          (matcher !== undefined && matcher !== '' && matcher !== '*') ||
          typeof hook.if === 'string';
        out.push({
          event,
          matcher,
          type: typeof hook.type === 'string' ? hook.type : 'unknown',
          command: typeof hook.command === 'string' ? hook.command : undefined,
          url: typeof hook.url === 'string' ? hook.url : undefined,
          broad: perCallEvents.has(event) && !gated,
          path: file,
          pointer: `${joinPointer(joinPointer(pointer, event), groupIndex)}/hooks/${hookIndex}`,
        });
      });
    });
  }
  return out;
}
