import fs from 'node:fs';
import { cryptoModule } from './builtins.ts';

const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Whether a string is a ULID. */
export const ulidRe = /^[0-9A-HJKMNP-TV-Z]{26}$/;

let lastTime = -1;
let lastRandom: number[] = [];

/** A non-negative integer in `digits` digits of the ULID alphabet (Crockford base 32). */
export function encodeBase32(value: number, digits: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < digits; i++) {
    out = alphabet[rest % 32]! + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

/** `count` digits of the ULID alphabet taken from a hex digest, one per byte. */
export function digestDigits(hex: string, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += alphabet[parseInt(hex.slice(i * 2, i * 2 + 2), 16) % 32]!;
  return out;
}

/**
 * Sixteen random bytes, from `/dev/urandom` where there is one: reading it costs a process far
 * less than loading `node:crypto`, which the prompt hook would otherwise load for this alone.
 */
function randomBytes(): Uint8Array {
  const bytes = Buffer.alloc(16);
  try {
    const fd = fs.openSync('/dev/urandom', 'r');
    try {
      if (fs.readSync(fd, bytes, 0, 16, null) === 16) return bytes;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // No such device (Windows): the crypto module's generator.
  }
  return cryptoModule().randomBytes(16);
}

function encodeTime(ms: number): string {
  return encodeBase32(ms, 10);
}

/** A monotonic ULID: later calls in the same process sort after earlier ones. */
export function ulid(now: number = Date.now()): string {
  if (now <= lastTime && lastRandom.length === 16) {
    // Same millisecond: increment the random part so ids stay strictly increasing.
    for (let i = 15; i >= 0; i--) {
      const digit = lastRandom[i]!;
      if (digit < 31) {
        lastRandom[i] = digit + 1;
        break;
      }
      lastRandom[i] = 0;
    }
    return encodeTime(lastTime) + lastRandom.map((d) => alphabet[d]!).join('');
  }
  const bytes = randomBytes();
  lastTime = now;
  lastRandom = [...bytes].map((b) => b % 32);
  // Leave headroom in the top digit so increments never overflow.
  lastRandom[0] = lastRandom[0]! % 16;
  return encodeTime(now) + lastRandom.map((d) => alphabet[d]!).join('');
}

/** A deterministic ULID-shaped id from a time and a seed string (for imports and fixtures). */
export function ulidFrom(ms: number, seed: string, hash: (s: string) => string): string {
  return encodeTime(ms) + digestDigits(hash(seed), 16);
}
