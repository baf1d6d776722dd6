import { defineRule } from '../rule.ts';

export default defineRule({
  id: 'no-invalid-disable',
  description: 'Require disable comments to name known rules and give a reason',
  severity: 'error',
  appliesTo: 'catalog',
  // The engine checks directives together with the messages they suppress (engine.ts `applyDisables`).
  check() {},
});
