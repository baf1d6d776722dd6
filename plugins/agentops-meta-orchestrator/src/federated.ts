import fs from 'node:fs';
import path from 'node:path';
import { bm25 } from './suggest.ts';
import { keywords } from './text.ts';

/** Where a repository keeps the federated index (`npm run catalog:sync` writes it). */
export const federationIndexFile = path.join('federation', 'index.json');

/** Larger files are not read (the 5,000-plugin benchmark index is about 14 MiB). */
const maxIndexBytes = 256 * 1024 * 1024;

/** One way to install a federated plugin: the commands of one marketplace listing it. */
interface FederatedInstall {
  marketplace: string;
  marketplaceAdd: string;
  pluginInstall: string;
}

/** What a plugin runs on the user's machine, as the loader judged it when the index was built. */
interface FederatedRuns {
  /** `prompt-only`, `no-network`, `network` or `unknown`. */
  label: string;
  /** The facts behind the label, each with the file it was found in. */
  reasons: string[];
  /** Reasons the index left out. */
  more: number;
}

/** What the recommender needs of one canonical plugin of `federation/index.json`. */
export interface FederatedPlugin {
  id: string;
  name: string;
  description: string;
  keywords: string[];
  /** Names of its commands, agents, skills and output styles. */
  components: string[];
  /** Marketplaces listing it that Claude Code can add, with their commands. */
  install: FederatedInstall[];
  /** `dead`, `stale`, `unpinned`. */
  flags: string[];
  /** From the index's `footprint`; `undefined` in an index without one. */
  runs: FederatedRuns | undefined;
}

/** One external plugin proposed for a task. */
interface FederatedSuggestion {
  id: string;
  name: string;
  description: string;
  /** BM25 score of the plugin's text against the task. */
  score: number;
  /** The task's keywords the plugin's text contains. */
  matched: string[];
  install: FederatedInstall[];
  flags: string[];
  runs: FederatedRuns | undefined;
}

/** The federated part of a `suggest` answer. */
export interface FederatedResult {
  /** Always `true`: these plugins come from other marketplaces, not from this repository. */
  external: true;
  abstained: boolean;
  reason: string;
  plugins: FederatedSuggestion[];
}

/** Recommender options for federated plugins. */
export interface FederatedOptions {
  /** Most plugins proposed (3). */
  limit?: number;
  /** Least share of the task's keywords a plugin must contain (0.5). */
  minCoverage?: number;
  /** Least BM25 score (1.5): below it a match rests on common words only. */
  minScore?: number;
  /** Keyword normaliser (the engine's own by default). */
  normalise?: (text: string) => string[];
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function names(value: unknown): string[] {
  return Array.isArray(value)
    ? value.flatMap((item) => (isObject(item) && typeof item.name === 'string' ? [item.name] : []))
    : [];
}

const footprintLabels = new Set(['prompt-only', 'no-network', 'network', 'unknown']);

/** A footprint reason as one line: its sentence, then its file unless the sentence names it. */
function reasonLine(reason: unknown): string[] {
  if (!isObject(reason) || typeof reason.text !== 'string') return [];
  const file = typeof reason.path === 'string' && reason.path !== '' ? reason.path : undefined;
  return [
    file && !reason.text.includes(`\`${file}\``) ? `${reason.text} (in \`${file}\`)` : reason.text,
  ];
}

function runsOf(value: unknown): FederatedRuns | undefined {
  if (!isObject(value) || typeof value.label !== 'string' || !footprintLabels.has(value.label))
    return undefined;
  return {
    label: value.label,
    reasons: Array.isArray(value.reasons) ? value.reasons.flatMap(reasonLine) : [],
    more:
      typeof value.moreReasons === 'number' && Number.isInteger(value.moreReasons)
        ? Math.max(0, value.moreReasons)
        : 0,
  };
}

function pluginOf(value: unknown): FederatedPlugin | undefined {
  if (!isObject(value) || typeof value.id !== 'string' || typeof value.name !== 'string')
    return undefined;
  const components = isObject(value.components) ? value.components : {};
  const install = Array.isArray(value.availableFrom)
    ? value.availableFrom.flatMap((entry): FederatedInstall[] => {
        if (!isObject(entry) || !isObject(entry.install)) return [];
        const add = entry.install.marketplaceAdd;
        const plugin = entry.install.pluginInstall;
        if (typeof add !== 'string' || typeof plugin !== 'string') return [];
        return [
          {
            marketplace: text(entry.marketplaceName) || text(entry.marketplaceId),
            marketplaceAdd: add,
            pluginInstall: plugin,
          },
        ];
      })
    : [];
  return {
    id: value.id,
    name: value.name,
    description: text(value.description).slice(0, 1000),
    keywords: Array.isArray(value.keywords)
      ? value.keywords.filter((k): k is string => typeof k === 'string')
      : [],
    components: [
      ...names(components.commands),
      ...names(components.agents),
      ...names(components.skills),
      ...names(components.outputStyles),
    ],
    install,
    flags: Array.isArray(value.flags)
      ? value.flags.filter((f): f is string => typeof f === 'string')
      : [],
    runs: runsOf(value.footprint),
  };
}

/**
 * The plugins of a federated index's text. Anything malformed (not JSON, another format
 * version, entries without an id or name) is skipped, never thrown: suggestions are an aid.
 */
export function parseFederatedIndex(textValue: string): FederatedPlugin[] {
  let data: unknown;
  try {
    data = JSON.parse(textValue);
  } catch {
    return [];
  }
  if (!isObject(data) || data.formatVersion !== 1 || !Array.isArray(data.plugins)) return [];
  return data.plugins.flatMap((plugin) => pluginOf(plugin) ?? []);
}

/**
 * Reads a federated index file: `undefined` when there is none (or it is not a regular file,
 * or is over 256 MiB), else its plugins.
 */
export function readFederatedIndex(file: string): FederatedPlugin[] | undefined {
  let stats: fs.Stats;
  try {
    stats = fs.statSync(file);
  } catch {
    return undefined;
  }
  if (!stats.isFile() || stats.size > maxIndexBytes) return undefined;
  try {
    return parseFederatedIndex(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Splits names like `code-review` or `/deploy:check` into words for matching. */
function words(textValue: string, normalise: (text: string) => string[]): string[] {
  return normalise(textValue.replace(/[-_:/.]+/g, ' '));
}

/**
 * Proposes external plugins for a task by BM25 over each plugin's name (counted twice),
 * description, keywords and component names. Abstains unless a plugin contains at least
 * `minCoverage` of the task's keywords and scores at least `minScore`. Plugins that no
 * marketplace can install (every listing dead, invalid or nameless) are never proposed.
 */
export function suggestFederated(
  task: string,
  plugins: readonly FederatedPlugin[],
  options: FederatedOptions = {},
): FederatedResult {
  const normalise = options.normalise ?? keywords;
  const result: FederatedResult = { external: true, abstained: true, reason: '', plugins: [] };
  const query = normalise(task);
  if (plugins.length === 0) {
    result.reason = 'The federated index lists no plugins';
    return result;
  }
  if (query.length === 0) {
    result.reason = 'The task has no keywords to match';
    return result;
  }
  const docs = plugins.map((plugin) => {
    const name = words(plugin.name, normalise);
    return [
      ...name,
      ...name,
      ...words(plugin.description, normalise),
      ...plugin.keywords.flatMap((keyword) => words(keyword, normalise)),
      ...plugin.components.flatMap((component) => words(component, normalise)),
    ];
  });
  const scores = bm25(query, docs);
  const minCoverage = options.minCoverage ?? 0.5;
  const minScore = options.minScore ?? 1.5;
  const ranked = plugins
    .map((plugin, i) => {
      const doc = new Set(docs[i]);
      const matched = query.filter((word) => doc.has(word));
      return { plugin, score: scores[i] ?? 0, matched };
    })
    // A plugin no marketplace can install from (dead or invalid ones) is no use to propose.
    .filter((entry) => entry.matched.length > 0 && entry.plugin.install.length > 0)
    .sort((a, b) => b.score - a.score || (a.plugin.id < b.plugin.id ? -1 : 1));
  const good = ranked.filter(
    (entry) => entry.matched.length / query.length >= minCoverage && entry.score >= minScore,
  );
  if (good.length === 0) {
    result.reason =
      ranked.length === 0
        ? 'No federated plugin mentions the task'
        : 'No federated plugin matches the task well enough';
    return result;
  }
  result.abstained = false;
  result.reason = 'External plugins whose name, description, keywords or components match the task';
  result.plugins = good.slice(0, options.limit ?? 3).map(({ plugin, score, matched }) => ({
    id: plugin.id,
    name: plugin.name,
    description: plugin.description,
    score: Math.round(score * 100) / 100,
    matched,
    install: plugin.install,
    flags: plugin.flags,
    runs: plugin.runs,
  }));
  return result;
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point: they must not reach the terminal
const controlRe = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** Untrusted text on one line, without terminal control characters. */
function plain(value: string, max = 200): string {
  return value.replace(controlRe, ' ').replace(/\s+/g, ' ').trim().slice(0, max);
}

/** Reasons printed after a label; the rest are counted. */
const printedReasons = 2;

/** A label with its first reasons: `unknown: \`hooks/a.sh\` is run but is empty, …; and 2 more`. */
function runsText(runs: FederatedRuns): string {
  const more = runs.reasons.length - printedReasons + runs.more;
  const parts = runs.reasons.slice(0, printedReasons).map((reason) => plain(reason));
  if (more > 0) parts.push(`and ${more} more`);
  return `${plain(runs.label, 20)}${parts.length > 0 ? `: ${parts.join('; ')}` : ''}`;
}

/** The text `suggest` prints for federated plugins (control characters removed). */
export function federatedText(result: FederatedResult): string {
  const head =
    'External plugins (from other marketplaces in the federated index, not from this repository):\n';
  if (result.abstained) return `${head}  none: ${result.reason}.\n`;
  return (
    head +
    result.plugins
      .map((plugin) => {
        const description = plain(plugin.description);
        const lines = [
          `  ${plain(plugin.name, 100)} (${plain(plugin.id, 300)})${description ? `: ${description}` : ''}`,
          `    matched: ${plugin.matched.join(', ')}`,
        ];
        if (plugin.runs) lines.push(`    runs: ${runsText(plugin.runs)}`);
        if (plugin.flags.length > 0) lines.push(`    labels: ${plugin.flags.join(', ')}`);
        for (const install of plugin.install) {
          lines.push(
            `    install from ${plain(install.marketplace, 100)}:`,
            `      ${plain(install.marketplaceAdd, 300)}`,
            `      ${plain(install.pluginInstall, 300)}`,
          );
        }
        return `${lines.join('\n')}\n`;
      })
      .join('')
  );
}
