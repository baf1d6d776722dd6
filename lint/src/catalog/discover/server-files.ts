import type { ParsedDocument, SchemaKind } from '../model.ts';
import {
  asList,
  isObject,
  isWithin,
  resolveInside,
  type Json,
  type PluginScope,
} from './plugin-scope.ts';

/** How one server kind (MCP, LSP) reads its servers from a file's data or an inline map. */
export interface ServerKind<S> {
  field: 'mcpServers' | 'lspServers';
  defaultFile: string;
  schema: SchemaKind;
  /** The servers of a whole file's data. */
  fromFile(data: Json, file: string): S[];
  /** The servers of an inline map at `pointer` in `file`. */
  fromMap(value: Json, file: string, pointer: string): S[];
}

/**
 * The server files of a kind (the default file, then each `.json` path of the manifest field and
 * of the marketplace entry's, each once) and every server they and the inline maps declare.
 */
export function discoverServers<T, S>(
  scope: PluginScope,
  kind: ServerKind<S>,
): { files: ParsedDocument<T>[]; servers: S[] } {
  const { plugin, manifestData } = scope;
  const servers: S[] = [];
  const docs = new Map<string, ParsedDocument<T>>();
  const load = (file: string): void => {
    if (docs.has(file)) return;
    const doc = scope.reader.json<T>(file, kind.schema);
    docs.set(file, doc);
    if (isObject(doc.data)) servers.push(...kind.fromFile(doc.data, file));
  };
  if (scope.files.has(scope.at(kind.defaultFile))) load(scope.at(kind.defaultFile));
  /** Loads a config file named by a path, when it is a file inside the catalog. */
  const loadInside = (value: string): void => {
    const resolved = resolveInside(plugin.dir, value);
    if (
      resolved !== undefined &&
      isWithin(scope.base, resolved) &&
      scope.source.type(resolved) === 'file'
    )
      load(resolved);
  };
  const declared = manifestData[kind.field];
  asList(declared).forEach((value, index) => {
    const pointer = Array.isArray(declared) ? `/${kind.field}/${index}` : `/${kind.field}`;
    if (typeof value === 'string' && value.endsWith('.json')) {
      // A `./` path that leads nowhere is a path problem, as for every component field; the schema
      // reports a path without `./`, which Claude Code still reads.
      if (value.startsWith('./')) {
        const target = scope.resolve('manifest', pointer, value, 'file');
        if (target) load(target.path);
        return;
      }
      loadInside(value);
    } else if (isObject(value) && plugin.manifest) {
      servers.push(...kind.fromMap(value, plugin.manifest.file.path, pointer));
    }
  });
  // A marketplace entry's servers load too (`strict: false` plugins often declare them only there);
  // its paths are not reported here, so the verdicts on entries stay Claude Code's.
  const entryValue = plugin.entry ? scope.entryData[kind.field] : undefined;
  asList(entryValue).forEach((value, index) => {
    const pointer = `/plugins/${plugin.entry?.index ?? 0}/${kind.field}${Array.isArray(entryValue) ? `/${index}` : ''}`;
    if (typeof value === 'string' && value.startsWith('./') && value.endsWith('.json')) {
      loadInside(value);
    } else if (isObject(value)) {
      servers.push(...kind.fromMap(value, '.claude-plugin/marketplace.json', pointer));
    }
  });
  return { files: [...docs.values()], servers };
}
