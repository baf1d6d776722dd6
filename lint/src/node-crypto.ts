import { createRequire } from 'node:module';
import type * as NodeCrypto from 'node:crypto';

let loaded: typeof NodeCrypto | undefined;

/**
 * Node's `crypto` module, loaded on first use: loading it takes about 10 ms, a twentieth of a
 * `--staged` run, which needs it only when it stores new facts.
 */
export function nodeCrypto(): typeof NodeCrypto {
  loaded ??= createRequire(import.meta.url)('node:crypto') as typeof NodeCrypto;
  return loaded;
}
