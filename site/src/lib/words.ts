/**
 * `1 plugin`, `2 plugins`, `3,539 plugins`: a count with its noun in the right number.
 *
 * @param n - How many there are.
 * @param singular - The noun for one (`plugin`, `federated plugin`).
 * @param plural - The noun for any other count; `singular` plus `s` when not given.
 */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : plural}`;
}

/** A count as English text groups its digits: `3,539`, `13,111`, `42`. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
