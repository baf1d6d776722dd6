/**
 * `1 plugin`, `2 plugins`, `0 plugins`: a count with its noun in the right number.
 *
 * @param n - How many there are.
 * @param singular - The noun for one (`plugin`, `federated plugin`).
 * @param plural - The noun for any other count; `singular` plus `s` when not given.
 */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
