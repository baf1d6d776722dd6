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
 * The 90 % Wilson score interval for `successes` out of `trials`, rounded to two decimals; the
 * estimate shown when a pattern file has counts but no interval.
 */
export function wilsonInterval(successes: number, trials: number): [number, number] | undefined {
  if (trials <= 0 || successes < 0 || successes > trials) return undefined;
  const z = 1.6448536269514722;
  const p = successes / trials;
  const denominator = 1 + (z * z) / trials;
  const centre = (p + (z * z) / (2 * trials)) / denominator;
  const margin =
    (z * Math.sqrt((p * (1 - p)) / trials + (z * z) / (4 * trials * trials))) / denominator;
  const round = (value: number): number => Math.round(Math.min(1, Math.max(0, value)) * 100) / 100;
  return [round(centre - margin), round(centre + margin)];
}

/** Reads the statistics fields of a pattern's (schema-checked) frontmatter. */
export function readPatternStats(data: Record<string, unknown>): PatternStats {
  const successRate = num(data.success_rate);
  const executions = num(data.executions);
  let successes = num(data.successes);
  const failures = num(data.failures);
  if (successes === undefined && failures !== undefined && executions !== undefined) {
    successes = executions - failures;
  }
  const written = Array.isArray(data.interval) ? data.interval.map(num) : [];
  let interval: [number, number] | undefined;
  let intervalEstimated = false;
  const [low, high] = written;
  if (written.length === 2 && isRate(low) && isRate(high) && low <= high) interval = [low, high];
  else if (successes !== undefined && executions !== undefined) {
    interval = wilsonInterval(successes, executions);
    intervalEstimated = interval !== undefined;
  }
  const validated = data.validated === true;
  const status =
    typeof data.status === 'string' && statuses.has(data.status)
      ? (data.status as PatternStats['status'])
      : undefined;
  return {
    successRate: isRate(successRate) ? successRate : undefined,
    interval,
    intervalEstimated,
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
