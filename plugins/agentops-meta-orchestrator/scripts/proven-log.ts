/**
 * A log that proves one workflow: twelve past token-refresh fixes, where the six that explored the
 * code first passed their tests and the six that did not failed. `record` reads it as JSON lines.
 *
 * @param paths - The folders each past task touched, when it should carry them.
 */
export function provenTokenRefreshLog(paths?: readonly string[]): string {
  return Array.from({ length: 12 }, (_u, i) =>
    JSON.stringify({
      session_id: `past-${i}`,
      started_at: new Date(Date.UTC(2026, 1, 1 + i)).toISOString(),
      task: { category: 'bug-fix', text: 'fix the token refresh race' },
      steps:
        i % 2 === 0
          ? ['agent:code-explorer', 'agent:change-executor', 'phase:test']
          : ['agent:change-executor', 'phase:test'],
      outcome: { status: i % 2 === 0 ? 'success' : 'failure', source: 'tests' },
      ...(paths ? { paths } : {}),
    }),
  ).join('\n');
}
