import * as validators from '../generated/validators.js';
import type { StandaloneValidator } from '../generated/validators.js';
import { registerValidators } from './validator-modules.ts';

// The library entry points validate any kind at any time, synchronously: they load every
// validator up front. The command line loads only the kinds a run needs (`loadValidators`).
const byName = validators as unknown as Partial<Record<string, StandaloneValidator>>;
registerValidators(
  Object.fromEntries(
    Object.entries(validators.schemas).flatMap(([kind, schema]) => {
      const validate =
        byName[kind.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase())];
      return validate ? [[kind, { validate, schema }]] : [];
    }),
  ),
);
