import { createRequire } from 'node:module';
import type * as ChildProcess from 'node:child_process';
import type * as Crypto from 'node:crypto';

// Loaded on first use: recording a hook event never needs `child_process` (only session
// boundaries and commands that run git do), and a command that prints needs no `crypto`. An ESM
// import would load them up front and first build a facade of all their exports; `require`
// returns the module as it is.
const load = createRequire(import.meta.url);
let childProcess: typeof ChildProcess | undefined;
let crypto: typeof Crypto | undefined;

/** `node:child_process`, loaded on first use. */
export function childProcessModule(): typeof ChildProcess {
  return (childProcess ??= load('node:child_process') as typeof ChildProcess);
}

/** `node:crypto`, loaded on first use. */
export function cryptoModule(): typeof Crypto {
  return (crypto ??= load('node:crypto') as typeof Crypto);
}
