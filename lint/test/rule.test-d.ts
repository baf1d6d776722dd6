import { expectTypeOf, test } from 'vitest';
import type { Catalog, CatalogPattern, CatalogPlugin } from '../src/catalog/index.ts';
import { defineRule, type Fix, type ReportInput, type RuleContext } from '../src/index.ts';

test('defineRule types the subject by scope and the options by the generic', () => {
  defineRule({
    id: 'typed-plugin',
    description: 'Require typed plugins',
    severity: 'error',
    appliesTo: 'plugin',
    check(plugin, ctx) {
      expectTypeOf(plugin).toEqualTypeOf<CatalogPlugin>();
      expectTypeOf(ctx.catalog).toEqualTypeOf<Catalog>();
    },
  });
  defineRule<'pattern', { max: number }>({
    id: 'typed-pattern',
    description: 'Require typed patterns',
    severity: 'warning',
    appliesTo: 'pattern',
    options: { type: 'object', properties: { max: { type: 'integer', default: 3 } } },
    check(pattern, ctx) {
      expectTypeOf(pattern).toEqualTypeOf<CatalogPattern>();
      expectTypeOf(ctx).toEqualTypeOf<RuleContext<{ max: number }>>();
      expectTypeOf(ctx.options.max).toBeNumber();
    },
  });
});

test('a report needs a message and takes an offset-range fix', () => {
  expectTypeOf<ReportInput>().toHaveProperty('message').toBeString();
  expectTypeOf<Fix>().toEqualTypeOf<{ range: [number, number]; text: string }>();
});
