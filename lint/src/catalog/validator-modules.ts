import { validatorLoaders, type ValidatorModule } from '../generated/validator-loaders.js';
import type { SchemaKind } from './model.ts';

// One module per kind (`generated/validators/<kind>.js`): a run loads the kinds it validates, so
// that one pattern does not cost the compilation of every schema's validator.

/** Validator modules loaded so far, by kind. */
const loaded = new Map<string, ValidatorModule>();

/**
 * Loads the validators of `kinds` (default: every catalog kind), each one once. A run calls it
 * before parsing with the kinds its files can have, so that it compiles only those validators.
 */
export async function loadValidators(kinds: readonly SchemaKind[] = allKinds()): Promise<void> {
  await Promise.all(
    kinds.map(async (kind) => {
      const load = validatorLoaders[kind];
      if (load && !loaded.has(kind)) loaded.set(kind, await load());
    }),
  );
}

/** Registers validator modules already imported (the library entry points import them all). */
export function registerValidators(modules: Record<string, ValidatorModule>): void {
  for (const [kind, module] of Object.entries(modules)) loaded.set(kind, module);
}

/** Every kind a catalog's documents can have (the federation schemas are not among them). */
const catalogKinds = {
  agent: true,
  command: true,
  execution: true,
  hooks: true,
  'lint-config': true,
  lsp: true,
  marketplace: true,
  mcp: true,
  'output-style': true,
  pattern: true,
  plugin: true,
  skill: true,
} satisfies Record<SchemaKind, true>;

function allKinds(): SchemaKind[] {
  return Object.keys(catalogKinds) as SchemaKind[];
}

/**
 * The validator and schema of a kind; `undefined` for a kind without a schema (the execution
 * schema belongs to the learning engine and may be absent). A kind that has one but was not
 * loaded is a bug of the caller, never a reason to skip validation.
 */
export function moduleOf(kind: SchemaKind): ValidatorModule | undefined {
  const module = loaded.get(kind);
  if (module || !(kind in validatorLoaders)) return module;
  throw new Error(`The ${kind} validator was used before loadValidators() loaded it`);
}

/** The dereferenced schema of a loaded kind (see `moduleOf`). */
export function schemaOf(kind: SchemaKind): Record<string, unknown> | undefined {
  return moduleOf(kind)?.schema;
}
