import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the site's own repository is (the one holding `site/`, `docs/` and `schemas/`). */
export const projectRoot = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/** Settings of one build, from the environment. */
export interface SiteConfig {
  /** The marketplace repository to build the catalog of. */
  repo: string;
  /** `docs/` folder rendered under `/docs/` and `/rules/`. */
  docsDir: string;
  /** `schemas/` folder published under `/schemas/` and `/reference/`. */
  schemasDir: string;
  /** `owner/repo` override for the install commands. */
  addSource: string | undefined;
  /** Base URL of the repository's files (`https://github.com/o/r/blob/<ref>/`) override. */
  sourceBase: string | undefined;
  /** The linter's stored result of this run (`npm start` writes it), reused when still current. */
  lintResult: string | undefined;
}

/**
 * Reads the build settings: `AGENTOPS_REPO`, `AGENTOPS_DOCS`, `AGENTOPS_SCHEMAS`,
 * `AGENTOPS_ADD_SOURCE`, `AGENTOPS_SOURCE_BASE`, `AGENTOPS_LINT_RESULT`.
 */
export function readSiteConfig(env: Record<string, string | undefined>): SiteConfig {
  const value = (name: string): string | undefined => env[name]?.trim() || undefined;
  // npm runs workspace scripts in site/; a relative AGENTOPS_REPO is meant from where npm was started.
  const repo = path.resolve(
    value('INIT_CWD') ?? process.cwd(),
    value('AGENTOPS_REPO') ?? projectRoot,
  );
  return {
    repo,
    docsDir: path.resolve(value('AGENTOPS_DOCS') ?? path.join(projectRoot, 'docs')),
    schemasDir: path.resolve(value('AGENTOPS_SCHEMAS') ?? path.join(projectRoot, 'schemas')),
    addSource: value('AGENTOPS_ADD_SOURCE'),
    sourceBase: value('AGENTOPS_SOURCE_BASE'),
    lintResult: value('AGENTOPS_LINT_RESULT'),
  };
}
