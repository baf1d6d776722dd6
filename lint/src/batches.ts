import type { VFile } from 'vfile';
import { VFileMessage } from 'vfile-message';
import { outsideFacts, pluginFactsOf, validPatternId } from './catalog/facts.ts';
import { patternFolderOf } from './catalog/discover.ts';
import { parseCatalog, parsePatterns } from './catalog/load.ts';
import type {
  Catalog,
  OutsideFacts,
  OutsidePattern,
  OutsidePlugin,
  Range,
} from './catalog/model.ts';
import type { CatalogSource } from './catalog/source.ts';
import {
  compareMessages,
  lintCatalog,
  selector,
  type LintOptions,
  type LintResult,
} from './engine.ts';

/**
 * Patterns parsed and linted at a time. A batch's objects live until it is linted: in a small one
 * most die in the young generation instead of being copied and promoted (on the message-heavy
 * bench catalog, 100 takes a tenth less CPU time and 20 MiB less peak memory than 500). Per-batch
 * costs do not grow with the catalog (see `batchFacts`), so smaller costs little more.
 */
const batchSize = 100;

/** A string that shares no memory with the text it was sliced from. */
const detach = (text: string): string => ` ${text}`.slice(1);

const byPath = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Whether a place is a range of two points with only a line and a column each. */
function isPlainRange(place: object): place is Range {
  const { start, end } = place as Partial<Range>;
  return (
    Object.keys(place).length === 2 &&
    start !== undefined &&
    end !== undefined &&
    Object.keys(start).length === 2 &&
    Object.keys(end).length === 2 &&
    Number.isInteger(start.line) &&
    Number.isInteger(start.column) &&
    Number.isInteger(end.line) &&
    Number.isInteger(end.column)
  );
}

/**
 * Shares what the messages of a run repeat, so that each one kept until the report is written
 * costs less: one string per distinct reason or `actual` value, one range object per distinct
 * place, and message lists with no spare capacity. Only shared values change; every field reads
 * the same as before.
 */
function createCompactor(): (result: LintResult) => LintResult {
  const strings = new Map<string, string>();
  const ranges = new Map<string, Range>();
  const share = (text: string): string => {
    const known = strings.get(text);
    if (known !== undefined) return known;
    strings.set(text, text);
    return text;
  };
  const compact = (message: VFileMessage): void => {
    if (message.reason === message.message)
      message.reason = message.message = share(message.reason);
    if (message.actual !== undefined) message.actual = share(message.actual);
    const place = message.place;
    if (place && 'start' in place && isPlainRange(place)) {
      const key = `${place.start.line}:${place.start.column}-${place.end.line}:${place.end.column}`;
      const known = ranges.get(key);
      if (known) message.place = known;
      else ranges.set(key, place);
    }
    if (message.cause instanceof VFileMessage) compact(message.cause);
  };
  return (result) => {
    for (const file of result.files) {
      for (const message of file.messages) compact(message);
      file.messages = file.messages.slice();
      file.history = file.history.slice();
    }
    return result;
  };
}

/**
 * The facts of the patterns a batch did not load, from indexes every batch shares: the patterns
 * by id (those whose id is known, in path order) and the plugins' component names. Only the
 * patterns of the batch are looked at, so a batch costs the same whatever the size of the catalog.
 */
function batchFacts(
  known: readonly OutsidePattern[],
  byId: ReadonlyMap<string, readonly OutsidePattern[]>,
  loaded: ReadonlySet<string>,
  plugins: OutsideFacts,
): OutsideFacts {
  let patterns: OutsidePattern[] | undefined;
  return {
    // Listed only for the rare rule that reads them all.
    get patterns() {
      return (patterns ??= known.filter((pattern) => !loaded.has(pattern.path)));
    },
    plugins: plugins.plugins,
    pluginCount: plugins.pluginCount,
    withId: (id) => (byId.get(id) ?? []).filter((pattern) => !loaded.has(pattern.path)),
    hasComponent: (kind, key) => plugins.hasComponent(kind, key),
  };
}

/**
 * Loads and lints everything but the pattern files; returns their paths (sorted) and the plugin
 * facts their checks need. The catalog itself is garbage once this returns.
 */
function lintAllButPatterns(
  source: CatalogSource,
  options: LintOptions,
): { result: LintResult; paths: string[]; plugins: OutsidePlugin[] } {
  const main = parseCatalog(source, { deferPatterns: true });
  return {
    result: lintCatalog(main, options),
    paths: [...(main.deferredPatterns ?? [])].sort(byPath),
    plugins: pluginFactsOf(main),
  };
}

/**
 * A sorted list cut where `isDue` stops holding: the due items, and the rest. Nothing due leaves
 * the list itself as the rest, uncopied (the plugins' thousands of paths wait for the end).
 */
function splitDue<T>(list: T[], isDue: (item: T) => boolean): [T[], T[]] {
  const cut = list.findIndex((item) => !isDue(item));
  if (cut === -1) return [list, []];
  if (cut === 0) return [[], list];
  return [list.slice(0, cut), list.slice(cut)];
}

/**
 * Loads and lints a catalog with its pattern files in batches, so that memory holds the plugins,
 * one batch of patterns and a few facts per pattern rather than every pattern at once. The result
 * is the one `lintCatalog(parseCatalog(source))` gives: batches go in path order, so every earlier
 * pattern's id is known when a batch is checked for duplicates, and the first file to use a
 * clashing id is parsed again with the batch (its own messages are not reported twice).
 * `progress` hears of each batch before it starts; `released` is called once, when the loaded
 * plugins have become garbage and the pattern batches are about to start. With `emit`, the files
 * with messages go to it, in path order, as soon as no later batch can add to them, with the paths
 * checked up to the same point (sorted, each once over the whole run); the result holds no file
 * (its counts and `checked` are whole): a caller that formats them then keeps no message until the
 * end.
 */
export function lintInBatches(
  source: CatalogSource,
  options: LintOptions = {},
  progress?: (patternsDone: number, patterns: number) => void,
  released?: () => void,
  emit?: (files: VFile[], checked: string[]) => void,
): LintResult {
  const compact = createCompactor();
  const { result, paths, plugins } = lintAllButPatterns(source, options);
  const results: LintResult[] = [compact(result)];
  // With `emit`: the files of the first part not handed on yet, and its checked paths.
  let pending: VFile[] = [];
  let pendingChecked: string[] = [];
  const hand = (files: VFile[], checked: readonly string[], before: string | undefined): void => {
    if (!emit) return;
    const isDue = (path: string): boolean => before === undefined || path < before;
    let due: VFile[];
    let dueChecked: string[];
    [due, pending] = splitDue(pending, (file) => isDue(file.path));
    [dueChecked, pendingChecked] = splitDue(pendingChecked, isDue);
    if (due.length + files.length + dueChecked.length + checked.length === 0) return;
    emit(mergeFiles([...due, ...files]), [...new Set([...dueChecked, ...checked])].sort(byPath));
  };
  if (emit) {
    pending = result.files;
    pendingChecked = result.checked ?? [];
    results[0] = { ...result, files: [] };
  }
  if (paths.length > 0) {
    released?.();
    const known: OutsidePattern[] = paths.map((file) => ({
      path: file,
      folder: patternFolderOf(file),
      id: undefined,
    }));
    const position = new Map(paths.map((file, index) => [file, index]));
    const firstById = new Map<string, string>();
    const byId = new Map<string, OutsidePattern[]>();
    const pluginFacts = outsideFacts([], plugins);
    const selected = options.files ? selector(options.files) : undefined;
    for (let start = 0; start < paths.length; start += batchSize) {
      progress?.(start, paths.length);
      const batch = paths.slice(start, start + batchSize);
      const reported = selected ? batch.filter(selected) : batch;
      let parsed = parsePatterns(source, batch);
      const originals = new Set<string>();
      for (const pattern of parsed.patterns) {
        const id = validPatternId(pattern);
        const first = id === undefined ? undefined : firstById.get(id);
        if (first !== undefined) originals.add(first);
      }
      if (originals.size > 0) parsed = parsePatterns(source, [...originals, ...batch]);
      const loaded = new Set([...batch, ...originals]);
      const catalog: Catalog = {
        root: source.root,
        marketplace: undefined,
        plugins: [],
        patterns: parsed.patterns,
        files: parsed.files,
        symlinks: [],
        outside: batchFacts(known, byId, loaded, pluginFacts),
      };
      if (reported.length > 0) {
        // Handed on at once when streaming: only a result kept until the end is worth compacting.
        const linted = lintCatalog(catalog, { ...options, files: reported });
        const part = emit ? linted : compact(linted);
        results.push(emit ? { ...part, files: [] } : part);
        hand(part.files, part.checked ?? [], paths[start + batchSize]);
      } else hand([], [], paths[start + batchSize]);
      for (const pattern of parsed.patterns) {
        const id = validPatternId(pattern);
        const index = position.get(pattern.path) ?? -1;
        if (index < start || id === undefined) continue;
        // A copy: a slice of the file's text would keep the whole text alive.
        const own = detach(id);
        const fact = known[index];
        if (fact) {
          fact.id = own;
          const same = byId.get(own);
          if (same) same.push(fact);
          else byId.set(own, [fact]);
        }
        if (!firstById.has(own)) firstById.set(own, pattern.path);
      }
    }
  }
  hand([], [], undefined);
  return mergeResults(results);
}

/** Files sorted by path, those of the same path merged into one with all their messages, in order. */
function mergeFiles(files: readonly VFile[]): VFile[] {
  const byFile = new Map<string, VFile>();
  for (const file of files) {
    const known = byFile.get(file.path);
    if (!known) byFile.set(file.path, file);
    else known.messages = [...known.messages, ...file.messages].sort(compareMessages);
  }
  return [...byFile.values()].sort((a, b) => byPath(a.path, b.path));
}

/**
 * One result from several: files sorted by path. A file that more than one part reports on (a
 * pattern file that a plugin also uses, say) becomes one file with all its messages, in order.
 */
function mergeResults(results: readonly LintResult[]): LintResult {
  return {
    files: mergeFiles(results.flatMap((result) => result.files)),
    errorCount: results.reduce((sum, result) => sum + result.errorCount, 0),
    warningCount: results.reduce((sum, result) => sum + result.warningCount, 0),
    checked: [...new Set(results.flatMap((result) => result.checked ?? []))].sort(byPath),
  };
}
