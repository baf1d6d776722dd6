import type { LspConfig } from '../../generated/schema-types.ts';
import type { LspServer, ParsedDocument } from '../model.ts';
import { joinPointer } from '../position-map.ts';
import { isObject, type Json, type PluginScope } from './plugin-scope.ts';
import { discoverServers } from './server-files.ts';

/**
 * Language servers: `.lsp.json`, plus the manifest's `lspServers` files and inline maps; each with
 * the command it starts and the languages it serves.
 */
export function discoverLsp(scope: PluginScope): {
  files: ParsedDocument<LspConfig>[];
  servers: LspServer[];
} {
  return discoverServers<LspConfig, LspServer>(scope, {
    field: 'lspServers',
    defaultFile: '.lsp.json',
    schema: 'lsp',
    fromFile: (data, file) => lspServersOf(data, file, ''),
    fromMap: lspServersOf,
  });
}

function lspServersOf(servers: Json, file: string, pointer: string): LspServer[] {
  return Object.entries(servers)
    .filter((entry): entry is [string, Json] => isObject(entry[1]))
    .map(([name, config]) => ({
      name,
      command: typeof config.command === 'string' ? config.command : undefined,
      languages: isObject(config.extensionToLanguage)
        ? [
            ...new Set(
              Object.values(config.extensionToLanguage).filter(
                (v): v is string => typeof v === 'string',
              ),
            ),
          ].sort()
        : [],
      path: file,
      pointer: joinPointer(pointer, name),
    }));
}
