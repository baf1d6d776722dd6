import path from 'node:path';
import { lintCatalog, rules } from 'agentops-lint';
import { loadCatalog, ruleUrl } from 'agentops-lint/catalog';
import type { Catalog } from 'agentops-lint/catalog';
import type { VFile } from 'vfile';
import { buildSiteData, type SiteData } from './catalog-view.ts';
import { compactErrors, type RuleInfo } from './checklist.ts';
import { inputsDigest } from './input-digest.ts';
import { readLintResult, reportFiles } from './lint-result.ts';
import { readGitHead, readGitHistory, readGitPrefix, readGitRemote } from './git-history.ts';
import { githubRepoFromRemote } from './install.ts';
import { projectRoot, type SiteConfig } from './site-config.ts';

/** Where this project's own repository is published, for its install commands and source links. */
const ownRepo = 'agentops-marketplace/agentops-marketplace';
const ownerRepoRe = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/** The linter's verdicts: every file's messages (loader and rules) and the rules that ran. */
interface LintVerdicts {
  files: readonly VFile[];
  rules: RuleInfo[];
}

/** The rules a default lint runs. */
function defaultRules(): RuleInfo[] {
  // Experimental and deprecated rules are off by default: listing them as passed would mislead.
  return rules
    .filter((rule) => rule.stage !== 'experimental' && rule.deprecated === undefined)
    .map((rule) => ({
      id: rule.id,
      description: rule.description,
      appliesTo: rule.appliesTo,
      url: ruleUrl(rule.id),
    }));
}

/**
 * The linter's verdicts on the catalog: the stored result of this run's lint when `lintResult`
 * names one made from the same inputs, else a lint with the default configuration.
 */
function lintVerdicts(catalog: Catalog, config: SiteConfig): LintVerdicts {
  const stored = config.lintResult ? readLintResult(config.lintResult) : undefined;
  if (stored && stored.digest === inputsDigest(config.repo))
    return { files: reportFiles(stored.report, catalog.files), rules: defaultRules() };
  return { files: lintCatalog(catalog).files, rules: defaultRules() };
}

/** Thrown when the catalog has error-level diagnostics: its message is the compact report. */
export class CatalogError extends Error {
  override name = 'CatalogError';
}

/**
 * Loads the catalog of `config.repo` through the shared loader and turns it into the site's
 * data. Throws a `CatalogError` with the compact report when the loader found any error.
 */
export async function loadSiteData(config: SiteConfig): Promise<SiteData> {
  const catalog = await loadCatalog(config.repo);
  const errors = compactErrors(catalog.files);
  if (errors) throw new CatalogError(`The catalog has errors:\n${errors}`);
  const verdicts = lintVerdicts(catalog, config);
  const remote = readGitRemote(config.repo);
  const github = remote ? githubRepoFromRemote(remote) : undefined;
  // Only this project's own repository falls back to its published address; any other catalog
  // without a remote or a setting is added from a clone.
  const addSource =
    config.addSource ?? github ?? (path.resolve(config.repo) === projectRoot ? ownRepo : undefined);
  // Source links go to GitHub when the repository is known there (its remote, or `owner/repo`).
  const repoOnGitHub =
    github ?? (addSource !== undefined && ownerRepoRe.test(addSource) ? addSource : undefined);
  let sourceBase = config.sourceBase;
  if (!sourceBase && repoOnGitHub) {
    const ref = readGitHead(config.repo) ?? 'main';
    sourceBase = `https://github.com/${repoOnGitHub}/blob/${ref}/${readGitPrefix(config.repo)}`;
  }
  return buildSiteData(catalog, {
    addSource,
    sourceBase,
    history: readGitHistory(config.repo),
    lintFiles: verdicts.files,
    rules: verdicts.rules,
  });
}
