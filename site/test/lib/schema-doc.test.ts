import { describe, expect, test } from 'vitest';
import { describeSchema } from '../../src/lib/schema-doc.ts';

const schema = {
  $id: 'https://x.test/thing.schema.json',
  title: 'Thing',
  description: 'A thing',
  type: 'object',
  required: ['name'],
  properties: {
    name: {
      type: 'string',
      description: 'Its name',
      pattern: '^[a-z]+$',
      'x-expected': 'lower-case letters',
      examples: ['abc'],
    },
    kind: { enum: ['a', 'b'], description: 'Its kind' },
    owner: { $ref: '#/$defs/person' },
    items: { type: 'array', items: { $ref: '#/$defs/person' } },
  },
  $defs: {
    person: {
      type: 'object',
      description: 'A person',
      required: ['id'],
      properties: { id: { type: 'integer', description: 'Id' } },
    },
  },
};

describe('describeSchema', () => {
  const doc = describeSchema('thing', schema);

  test('reads the title, description and $id', () => {
    expect([doc.title, doc.description, doc.id]).toEqual([
      'Thing',
      'A thing',
      'https://x.test/thing.schema.json',
    ]);
  });

  test('lists every property, following $ref and array items', () => {
    expect(doc.rows.map((row) => [row.path, row.type, row.required])).toEqual([
      ['/name', 'string', true],
      ['/kind', 'enum', false],
      ['/owner', 'object', false],
      ['/owner/id', 'integer', true],
      ['/items', 'array', false],
      ['/items/*/id', 'integer', true],
    ]);
  });

  test('describes patterns in words, enumerations and examples as JSON', () => {
    expect(doc.rows[0]).toMatchObject({ pattern: 'lower-case letters', examples: ['"abc"'] });
    expect(doc.rows[1]?.values).toEqual(['"a"', '"b"']);
    expect(doc.rows[2]?.description).toBe('A person');
  });

  test('survives a recursive or non-object schema', () => {
    const recursive = { type: 'object', properties: { next: { $ref: '#' } } };
    expect(describeSchema('r', recursive).rows.length).toBeLessThan(10);
    expect(describeSchema('n', null).rows).toEqual([]);
  });
});
