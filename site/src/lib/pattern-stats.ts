import type { CatalogPattern } from 'agentops-lint/catalog';

/** A pattern's statistics as its page shows them. */
export interface PatternStats {
  /** Share of successful executions, 0 to 1. */
  successRate: number | undefined;
  /** 90 % interval of the success rate, `[low, high]`. */
  interval: [number, number] | undefined;
  /** True when the interval was estimated here from the counts, not written in the file. */
  intervalEstimated: boolean;
  executions: number | undefined;
  successes: number | undefined;
  status: 'candidate' | 'provisional' | 'validated' | 'deprecated' | undefined;
  validated: boolean;
  firstSeen: string | undefined;
  lastSeen: string | undefined;
  /** Canonical steps from the frontmatter (`agent:code-explorer`, `phase:test`, …). */
  canonicalSteps: string[];
  verify: string | undefined;
}

const statuses = new Set(['candidate', 'provisional', 'validated', 'deprecated']);

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function isRate(value: number | undefined): value is number {
  return value !== undefined && value >= 0 && value <= 1;
}

/**
 * Reads the statistics fields of a pattern's (schema-checked) frontmatter; the interval is the
 * catalog's (`CatalogPattern.interval`: written in the file or estimated by the loader).
 */
export function readPatternStats(
  data: Record<string, unknown>,
  interval: CatalogPattern['interval'],
): PatternStats {
  const successRate = num(data.success_rate);
  const executions = num(data.executions);
  let successes = num(data.successes);
  const failures = num(data.failures);
  if (successes === undefined && failures !== undefined && executions !== undefined) {
    successes = executions - failures;
  }
  const validated = data.validated === true;
  const status =
    typeof data.status === 'string' && statuses.has(data.status)
      ? (data.status as PatternStats['status'])
      : undefined;
  return {
    successRate: isRate(successRate) ? successRate : undefined,
    interval: interval?.range,
    intervalEstimated: interval?.estimated ?? false,
    executions,
    successes,
    status: status ?? (validated ? 'validated' : undefined),
    validated,
    firstSeen: typeof data.first_seen === 'string' ? data.first_seen : undefined,
    lastSeen: typeof data.last_seen === 'string' ? data.last_seen : undefined,
    canonicalSteps: Array.isArray(data.steps)
      ? data.steps.filter((step): step is string => typeof step === 'string')
      : [],
    verify: typeof data.verify === 'string' ? data.verify : undefined,
  };
}

/** A rate as a whole percentage (`0.873` → `87 %`). */
export function formatPercent(rate: number): string {
  return `${Math.round(rate * 100)} %`;
}

/** An interval as `90 % CI 62–96 %`. */
export function formatInterval(interval: [number, number]): string {
  return `90 % CI ${Math.round(interval[0] * 100)}–${Math.round(interval[1] * 100)} %`;
}
