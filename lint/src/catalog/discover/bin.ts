import type { PluginScope } from './plugin-scope.ts';

/** Executables in `bin/`, which Claude Code adds to the `PATH` of the plugin's commands. */
export function discoverBin(scope: PluginScope): string[] {
  return scope.under('bin');
}
