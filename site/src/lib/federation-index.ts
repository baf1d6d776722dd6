import { lstat, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { FederationIndex } from '../../../lint/src/generated/schema-types.ts';
import { federationIndex } from '../../../lint/src/generated/validators.js';

/** Where a repository keeps its federated index, relative to its root. */
const federationIndexPath = 'federation/index.json';

/** Larger files are refused rather than parsed (the 5,000-plugin benchmark index is about 20 MiB). */
const maxIndexBytes = 256 * 1024 * 1024;

/** Thrown when `federation/index.json` exists but cannot be used: its message says why. */
export class FederationIndexError extends Error {
  override name = 'FederationIndexError';
}

/** An index with no marketplaces: what a repository without `federation/index.json` has. */
export function emptyFederationIndex(): FederationIndex {
  return {
    $schema:
      'https://agentops-marketplace.github.io/agentops-marketplace/schemas/federation-index.schema.json',
    formatVersion: 1,
    marketplaces: [],
    plugins: [],
    renames: [],
  };
}

/**
 * Checks the text of `federation/index.json` against `schemas/federation-index.schema.json`
 * (the generated standalone validator) and returns it typed. Throws a `FederationIndexError`
 * naming the first problems when the text is not JSON or does not match the schema.
 */
export function parseFederationIndex(text: string): FederationIndex {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new FederationIndexError(
      `Unexpected text in \`${federationIndexPath}\`, expected JSON written by \`npm run catalog:sync\``,
    );
  }
  if (!federationIndex(data)) {
    const problems = (federationIndex.errors ?? []).slice(0, 5).map((error) => {
      const at = error.instancePath === '' ? 'the top level' : `\`${error.instancePath}\``;
      return `- Unexpected value at ${at}, expected it to satisfy \`${error.keyword}\` of the federation index schema`;
    });
    throw new FederationIndexError(
      `\`${federationIndexPath}\` does not match schemas/federation-index.schema.json:\n${problems.join('\n')}`,
    );
  }
  return data as FederationIndex;
}

/**
 * Reads `federation/index.json` of the repository at `repo`: an empty index when there is
 * none, the validated index otherwise. A symlink leading out of the repository, a file that is
 * not a regular file or one over 256 MiB is refused with a `FederationIndexError`.
 */
export async function readFederationIndex(repo: string): Promise<FederationIndex> {
  const file = path.join(repo, federationIndexPath);
  try {
    await lstat(file);
  } catch {
    return emptyFederationIndex();
  }
  const [root, real] = await Promise.all([realpath(repo), realpath(file).catch(() => undefined)]);
  if (real === undefined || !real.startsWith(`${root}${path.sep}`)) {
    throw new FederationIndexError(
      `Unexpected \`${federationIndexPath}\` leading out of the repository, expected a file inside it`,
    );
  }
  const stats = await lstat(real);
  if (!stats.isFile()) {
    throw new FederationIndexError(`Unexpected \`${federationIndexPath}\`, expected a file`);
  }
  if (stats.size > maxIndexBytes) {
    throw new FederationIndexError(
      `Unexpected size of \`${federationIndexPath}\` (${stats.size} bytes), expected at most ${maxIndexBytes}`,
    );
  }
  return parseFederationIndex(await readFile(real, 'utf8'));
}
