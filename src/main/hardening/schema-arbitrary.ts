// fast-check arbitraries made from the contract's zod schemas (through z.toJSONSchema), leaning towards
// the inputs that break code: names of object members, empty and oversized strings, wrong types, extra keys.
import fc from 'fast-check';
import { z } from 'zod';

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  additionalProperties?: boolean | JsonSchema;
};

/** Strings that have broken code before: object members, traversal, NUL, markup, huge. */
export const HOSTILE_STRINGS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '',
  ' ',
  '../../etc/passwd',
  'a\u0000b',
  '<script>alert(1)</script>',
  '%00',
  'HEAD',
  'main',
  'demo',
  'staging',
  'production',
  '-1',
  'x'.repeat(5_000),
];

const hostile = fc.constantFrom(...HOSTILE_STRINGS);
const anyJson = fc.jsonValue({ maxDepth: 2 });

function stringArb(schema: JsonSchema): fc.Arbitrary<string> {
  const options: fc.Arbitrary<string>[] = [hostile, fc.string({ maxLength: 40 })];
  if (schema.pattern) {
    try {
      options.push(fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= 300));
    } catch {
      // a pattern fast-check cannot read: the other options still cover it
    }
  }
  return fc.oneof(...options);
}

function numberArb(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = schema.minimum ?? -1_000_000;
  const max = schema.maximum ?? 1_000_000;
  const inRange = integer
    ? fc.integer({ min: Math.max(min, Number.MIN_SAFE_INTEGER), max: Math.min(max, Number.MAX_SAFE_INTEGER) })
    : fc.double({ min, max, noNaN: true });
  return fc.oneof(inRange, fc.constantFrom(0, -1, 1.5, min - 1, max + 1, Number.MAX_SAFE_INTEGER, 65_536));
}

export function arbitraryFor(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  // Now and then a value of the wrong type, at every level.
  const wrap = (arb: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
    fc.oneof({ weight: 9, arbitrary: arb }, { weight: 1, arbitrary: anyJson });
  if (depth > 6) return anyJson;
  if (schema.const !== undefined) return wrap(fc.constant(schema.const));
  if (schema.enum) return wrap(fc.constantFrom(...schema.enum));
  const union = schema.anyOf ?? schema.oneOf;
  if (union && union.length > 0) return fc.oneof(...union.map((s) => arbitraryFor(s, depth + 1)));
  if (schema.allOf && schema.allOf[0]) return arbitraryFor(schema.allOf[0], depth + 1);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return wrap(stringArb(schema));
    case 'integer':
      return wrap(numberArb(schema, true));
    case 'number':
      return wrap(numberArb(schema, false));
    case 'boolean':
      return wrap(fc.boolean());
    case 'null':
      return fc.constant(null);
    case 'array': {
      const item = schema.items ? arbitraryFor(schema.items, depth + 1) : anyJson;
      return wrap(fc.array(item, { minLength: Math.min(schema.minItems ?? 0, 3), maxLength: 3 }));
    }
    case 'object': {
      const properties = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, value] of Object.entries(properties)) record[key] = arbitraryFor(value, depth + 1);
      const keys = Object.keys(properties);
      const shaped = fc.record(record, { requiredKeys: keys.filter((k) => required.has(k)) });
      if (keys.length === 0 && typeof schema.additionalProperties === 'object') {
        const value = arbitraryFor(schema.additionalProperties, depth + 1);
        return wrap(fc.dictionary(fc.oneof(hostile, fc.string({ maxLength: 10 })), value, { maxKeys: 3 }));
      }
      // Extra keys named after object members ride along.
      return wrap(
        fc
          .tuple(shaped, fc.dictionary(hostile, anyJson, { maxKeys: 2 }))
          .map(([base, extra]) => ({ ...extra, ...base })),
      );
    }
    default:
      return anyJson;
  }
}

/** An arbitrary for a zod schema's input side. */
export function arbitraryForZod(schema: z.ZodType): fc.Arbitrary<unknown> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return arbitraryFor(json);
}
