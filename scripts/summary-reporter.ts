// Prints the one line CI reads after every run: `N passed, N failed` (plus skipped when any); a
// test file that fails outside its tests counts as one failure.
// The run's temporary files go to a folder of their own (TMPDIR, which the test workers and every
// process they start inherit); whatever is still there at the end was left behind by a test and
// counts as one more failure, named on its own line. Node's compile cache (`node-compile-cache`,
// which the bundled commands turn on) is meant to stay there, and Chromium does not always remove
// its own scratch folders (`.org.chromium.Chromium.*`) when it exits: neither is counted.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  private readonly scratch = mkdtempSync(path.join(tmpdir(), 'agentops-test-run-'));

  onInit(): void {
    process.env.TMPDIR = this.scratch;
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const testModule of testModules) {
      let failedHere = 0;
      for (const testCase of testModule.children.allTests()) {
        const state = testCase.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failedHere++;
        else skipped++;
      }
      // A file that fails without a failed test (it does not load, or a beforeAll or afterAll
      // throws, which leaves its tests skipped or passed) still counts as one failure.
      failed += testModule.state() === 'failed' ? Math.max(failedHere, 1) : failedHere;
    }
    const left = readdirSync(this.scratch)
      .filter(
        (name) => name !== 'node-compile-cache' && !name.startsWith('.org.chromium.Chromium.'),
      )
      .sort();
    rmSync(this.scratch, { recursive: true, force: true });
    if (left.length > 0) {
      failed++;
      process.exitCode = 1;
      process.stdout.write(`\nTests left temporary files behind: ${left.join(', ')}\n`);
    }
    const tail = skipped > 0 ? `, ${skipped} skipped` : '';
    process.stdout.write(`\n${passed} passed, ${failed} failed${tail}\n`);
  }
}
