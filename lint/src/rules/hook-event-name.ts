import { code } from '../catalog/diagnostic.ts';
import type { CatalogPlugin, ParsedDocument, Range } from '../catalog/model.ts';
import { joinPointer } from '../catalog/position-map.ts';
import { jsonStringFix } from '../fix.ts';
import { schemaOf } from '../catalog/validator-modules.ts';
import { defineRule, type Fix, type RuleContext } from '../rule.ts';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The event names the hooks schema knows, read from the schema itself (its single source). */
function knownEvents(): string[] {
  const hooks = schemaOf('hooks')?.properties;
  const events = isObject(hooks) ? hooks.hooks : undefined;
  // `propertyNames` warns (through `then`) only on names no known event matches in any case.
  const then =
    isObject(events) && isObject(events.propertyNames) ? events.propertyNames.then : undefined;
  const names = isObject(then) ? then.enum : undefined;
  return Array.isArray(names)
    ? names.filter((name): name is string => typeof name === 'string')
    : [];
}

let eventsByLowerCase: Map<string, string> | undefined;

/** Known event names by their lower-case form, from the hooks schema once it is loaded. */
function eventByLowerCase(name: string): string | undefined {
  eventsByLowerCase ??= new Map(knownEvents().map((event) => [event.toLowerCase(), event]));
  return eventsByLowerCase.get(name.toLowerCase());
}

/** One object of hook matchers by event name, and the document and pointer it sits at. */
interface EventMap {
  doc: ParsedDocument<unknown>;
  pointer: string;
  events: Json;
}

function eventMaps(
  plugin: CatalogPlugin,
  marketplace: ParsedDocument<unknown> | undefined,
): EventMap[] {
  const maps: EventMap[] = [];
  for (const doc of plugin.hookFiles) {
    if (doc.valid && isObject(doc.data) && isObject(doc.data.hooks)) {
      maps.push({ doc, pointer: '/hooks', events: doc.data.hooks });
    }
  }
  const manifest = plugin.manifest;
  const inline: unknown = manifest?.data?.hooks;
  if (manifest && isObject(inline)) maps.push({ doc: manifest, pointer: '/hooks', events: inline });
  if (manifest && Array.isArray(inline)) {
    inline.forEach((item, index) => {
      if (isObject(item)) maps.push({ doc: manifest, pointer: `/hooks/${index}`, events: item });
    });
  }
  const entryHooks: unknown = plugin.entry?.data.hooks;
  if (plugin.entry && marketplace && isObject(entryHooks)) {
    maps.push({
      doc: marketplace,
      pointer: `/plugins/${plugin.entry.index}/hooks`,
      events: entryHooks,
    });
  }
  return maps;
}

/** Renames the member when its name is written literally and the new name is not taken. */
function renameFix(
  map: EventMap,
  place: Range | undefined,
  from: string,
  to: string,
): Fix | undefined {
  return to in map.events ? undefined : jsonStringFix(map.doc.file.value, place, from, to);
}

function check(plugin: CatalogPlugin, ctx: RuleContext): void {
  for (const map of eventMaps(plugin, ctx.catalog.marketplace)) {
    for (const name of Object.keys(map.events)) {
      const known = eventByLowerCase(name);
      if (known === undefined || known === name) continue;
      const at = joinPointer(map.pointer, name);
      ctx.report({
        doc: map.doc,
        at,
        key: true,
        message: `Unexpected hook event ${code(name)}, expected ${code(known)}`,
        actual: name,
        expected: [known],
        fix: renameFix(map, map.doc.positions.key(at), name, known),
      });
    }
  }
}

export default defineRule({
  id: 'hook-event-name',
  description: 'Require hook event names in the exact case Claude Code knows',
  severity: 'warning',
  appliesTo: 'plugin',
  stage: 'stable',
  check,
});
