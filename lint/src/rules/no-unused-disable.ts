import { defineRule } from '../rule.ts';

export default defineRule({
  id: 'no-unused-disable',
  description: 'Disallow disable comments that suppress no message',
  severity: 'warning',
  appliesTo: 'catalog',
  // The engine checks directives once every other rule has reported (engine.ts `applyDisables`).
  check() {},
});
