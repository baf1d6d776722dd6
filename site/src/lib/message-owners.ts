import type { Catalog } from 'agentops-lint/catalog';
import { VFile } from 'vfile';

/**
 * Groups files by the entry that owns them: a pattern by its path, a plugin by its folder (the
 * nearest plugin folder above the file). A plugin at the catalog root owns what no other entry
 * owns, except the marketplace file. Messages about a plugin's marketplace entry go to that plugin.
 */
export function filesByOwner(files: readonly VFile[], catalog: Catalog): Map<string, VFile[]> {
  const owners = new Map<string, VFile[]>();
  const add = (owner: string, file: VFile): void => {
    const list = owners.get(owner) ?? [];
    list.push(file);
    owners.set(owner, list);
  };
  const patternPaths = new Set(catalog.patterns.map((pattern) => pattern.path));
  const pluginDirs = new Set(catalog.plugins.map((plugin) => plugin.dir));
  for (const file of files) {
    if (patternPaths.has(file.path)) {
      add(file.path, file);
      continue;
    }
    let dir = file.path;
    let owner: string | undefined;
    for (
      let cut = dir.lastIndexOf('/');
      cut > 0 && owner === undefined;
      cut = dir.lastIndexOf('/')
    ) {
      dir = dir.slice(0, cut);
      if (pluginDirs.has(dir)) owner = dir;
    }
    if (
      owner === undefined &&
      pluginDirs.has('.') &&
      !file.path.startsWith('.claude-plugin/marketplace')
    )
      owner = '.';
    if (owner !== undefined) add(owner, file);
    if (file.path === catalog.marketplace?.file.path) {
      for (const [dir, entryFile] of entryMessages(file, catalog)) add(dir, entryFile);
    }
  }
  return owners;
}

/**
 * The messages of marketplace.json that fall inside a plugin's entry (`/plugins/<index>`), as one
 * file per plugin folder, so a plugin's checklist shows what the linter says about its entry.
 */
function entryMessages(file: VFile, catalog: Catalog): Map<string, VFile> {
  const entries = new Map<string, VFile>();
  const positions = catalog.marketplace?.positions;
  if (!positions) return entries;
  const ranges = catalog.plugins.flatMap((plugin) => {
    const range = plugin.entry ? positions.value(`/plugins/${plugin.entry.index}`) : undefined;
    return range ? [{ dir: plugin.dir, range }] : [];
  });
  for (const message of file.messages) {
    const line = message.line ?? 0;
    const column = message.column ?? 0;
    const owner = ranges.find(({ range }) => {
      const afterStart =
        line > range.start.line || (line === range.start.line && column >= range.start.column);
      const beforeEnd =
        line < range.end.line || (line === range.end.line && column < range.end.column);
      return afterStart && beforeEnd;
    });
    if (!owner) continue;
    const entryFile = entries.get(owner.dir) ?? new VFile({ path: file.path });
    entryFile.messages.push(message);
    entries.set(owner.dir, entryFile);
  }
  return entries;
}
