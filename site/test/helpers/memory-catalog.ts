import { createMemorySource, parseCatalog, type Catalog } from 'agentops-lint/catalog';
import { fixtureFiles } from './fixture-repo.ts';

/** The fixture marketplace loaded from memory through the shared loader. */
export function memoryCatalog(files: Record<string, string> = fixtureFiles()): Catalog {
  return parseCatalog(createMemorySource(files));
}
