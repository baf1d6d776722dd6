import type { McpConfig } from '../../generated/schema-types.ts';
import type { McpServer, ParsedDocument } from '../model.ts';
import { joinPointer } from '../position-map.ts';
import { isObject, type Json, type PluginScope } from './plugin-scope.ts';
import { discoverServers } from './server-files.ts';

const transports = new Set(['stdio', 'http', 'streamable-http', 'sse', 'ws']);

/**
 * MCP servers: `.mcp.json` (servers at the top or under `mcpServers`), plus the manifest's
 * `mcpServers` files and inline maps; each server as a local command or a remote host.
 */
export function discoverMcp(scope: PluginScope): {
  files: ParsedDocument<McpConfig>[];
  servers: McpServer[];
} {
  return discoverServers<McpConfig, McpServer>(scope, {
    field: 'mcpServers',
    defaultFile: '.mcp.json',
    schema: 'mcp',
    fromFile(data, file) {
      const wrapped = isObject(data.mcpServers);
      return mcpServersOf(
        wrapped ? (data.mcpServers as Json) : data,
        file,
        wrapped ? '/mcpServers' : '',
      );
    },
    fromMap: mcpServersOf,
  });
}

function hostOf(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    return new URL(url).hostname || undefined;
  } catch {
    return undefined;
  }
}

function mcpServersOf(servers: Json, file: string, pointer: string): McpServer[] {
  return Object.entries(servers)
    .filter((entry): entry is [string, Json] => isObject(entry[1]))
    .map(([name, config]) => {
      const declared =
        typeof config.type === 'string'
          ? config.type
          : config.command !== undefined
            ? 'stdio'
            : 'unknown';
      return {
        name,
        transport: (transports.has(declared) ? declared : 'unknown') as McpServer['transport'],
        command: typeof config.command === 'string' ? config.command : undefined,
        args: Array.isArray(config.args)
          ? config.args.filter((arg): arg is string => typeof arg === 'string')
          : [],
        host: hostOf(config.url),
        path: file,
        pointer: joinPointer(pointer, name),
      };
    });
}
