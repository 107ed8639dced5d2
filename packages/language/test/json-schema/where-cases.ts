/** Tables shared by the translation tests and the strict-ajv compile test. */
export const CONSTS = 'const LIMIT = 10\nconst CODES = ["KP", "IR"]\nconst RATES = {low: 1, high: 2}\nconst NEG = -LIMIT';

/** [declaration of field f, expected schema of f] — every row fully translated. */
export const translated: Array<[string, unknown]> = [
  // comparisons on numbers
  ['number where value > 0', { type: 'number', exclusiveMinimum: 0 }],
  ['number where value >= 0', { type: 'number', minimum: 0 }],
  ['number where value < 1', { type: 'number', exclusiveMaximum: 1 }],
  ['number where value <= 1.5', { type: 'number', maximum: 1.5 }],
  ['number where value >= -5', { type: 'number', minimum: -5 }],
  ['number where 0 < value', { type: 'number', exclusiveMinimum: 0 }],
  ['number where 100 >= value', { type: 'number', maximum: 100 }],
  ['number where value <= LIMIT', { type: 'number', maximum: 10 }],
  ['number where value > NEG', { type: 'number', exclusiveMinimum: -10 }],
  ['number where value == 3', { type: 'number', const: 3 }],
  ['number where value != 0', { type: 'number', not: { const: 0 } }],
  ['string where value != ""', { type: 'string', not: { const: '' } }],
  ['string where "x" != value', { type: 'string', not: { const: 'x' } }],
  // conjunctions
  ['number where value > 0 && value <= 1', { type: 'number', exclusiveMinimum: 0, maximum: 1 }],
  ['number where value >= 0 && value >= 5 && value < 9 && value < 7', { type: 'number', minimum: 5, exclusiveMaximum: 7 }],
  ['string where value != "a" && value != "b"', { type: 'string', not: { enum: ['a', 'b'] } }],
  [
    'string where value.matches("^a") && value.endsWith("z")',
    { type: 'string', pattern: '^a', allOf: [{ pattern: 'z$' }] },
  ],
  // disjunction and negation
  ['number where value < 0 || value > 10', { type: 'number', anyOf: [{ exclusiveMaximum: 0 }, { exclusiveMinimum: 10 }] }],
  ['string where !(value in ["x", "y"])', { type: 'string', not: { enum: ['x', 'y'] } }],
  // sizes
  ['string where size(value) == 2', { type: 'string', minLength: 2, maxLength: 2 }],
  ['string where size(value) >= 1', { type: 'string', minLength: 1 }],
  ['string where value.size() <= 64', { type: 'string', maxLength: 64 }],
  ['string where size(value) > 0', { type: 'string', minLength: 1 }],
  ['string where size(value) < 10', { type: 'string', maxLength: 9 }],
  ['string where 3 <= size(value)', { type: 'string', minLength: 3 }],
  ['string where size(value) != 0', { type: 'string', not: { maxLength: 0 } }],
  ['list<string> where size(value) >= 1', { type: 'array', items: { type: 'string' }, minItems: 1 }],
  ['list<string> where size(value) <= 3', { type: 'array', items: { type: 'string' }, maxItems: 3 }],
  ['list<string> where size(value) == 0', { type: 'array', items: { type: 'string' }, maxItems: 0 }],
  ['map<number> where size(value) > 0', { type: 'object', additionalProperties: { type: 'number' }, minProperties: 1 }],
  ['string where size(value) < 0', { type: 'string', not: {} }],
  // strings
  ['string where value.matches("^[A-Z]{2}$")', { type: 'string', pattern: '^[A-Z]{2}$' }],
  ['string where matches(value, "\\\\d")', { type: 'string', pattern: '\\d' }],
  ['string where value.startsWith("http")', { type: 'string', pattern: '^http' }],
  ['string where value.startsWith("a.b(c)*")', { type: 'string', pattern: '^a\\.b\\(c\\)\\*' }],
  ['string where startsWith(value, "$[x]")', { type: 'string', pattern: '^\\$\\[x\\]' }],
  ['string where value.endsWith(".json")', { type: 'string', pattern: '\\.json$' }],
  ['string where value.contains("+")', { type: 'string', pattern: '\\+' }],
  ['"a" | "b" | "c" where value.startsWith("a")', { type: 'string', enum: ['a', 'b', 'c'], pattern: '^a' }],
  // membership
  ['string where value in ["a", "b", "a"]', { type: 'string', enum: ['a', 'b'] }],
  ['string where value in CODES', { type: 'string', enum: ['KP', 'IR'] }],
  ['string where value in RATES', { type: 'string', enum: ['low', 'high'] }],
  ['any where value in [1, "one", true, null]', { enum: [1, 'one', true, null] }],
  ['"a" | "b" | "c" where value in ["b", "c", "d"]', { type: 'string', enum: ['b', 'c'] }],
  ['"a" | "b" where value in ["z"]', { type: 'string', enum: ['a', 'b'], allOf: [{ enum: ['z'] }] }],
  ['list<string> where "x" in value', { type: 'array', items: { type: 'string' }, contains: { const: 'x' } }],
  ['list<string> where value.contains("x")', { type: 'array', items: { type: 'string' }, contains: { const: 'x' } }],
  // whole numbers
  ['number where value == floor(value)', { type: 'integer' }],
  ['number where floor(value) == value', { type: 'integer' }],
  ['number where value == round(value, 0) && value >= 1', { type: 'integer', minimum: 1 }],
  ['number where value % 1 == 0', { type: 'integer' }],
  ['number where value % 5 == 0', { type: 'number', multipleOf: 5 }],
  ['number where value != ceil(value)', { type: 'number', not: { type: 'integer' } }],
  // macros over list elements
  ['list<number> where value.all(x, x > 0)', { type: 'array', items: { type: 'number', exclusiveMinimum: 0 } }],
  [
    'list<string> where value.all(s, size(s) == 2 && s.matches("^[A-Z]+$"))',
    { type: 'array', items: { type: 'string', minLength: 2, maxLength: 2, pattern: '^[A-Z]+$' } },
  ],
  ['list<string> where value.exists(s, s == "x")', { type: 'array', items: { type: 'string' }, contains: { type: 'string', const: 'x' } }],
  [
    'list<string> where value.exists_one(s, s.startsWith("p"))',
    { type: 'array', items: { type: 'string' }, contains: { type: 'string', pattern: '^p' }, minContains: 1, maxContains: 1 },
  ],
  // equality on other types
  ['boolean where value == true', { type: 'boolean', const: true }],
  ['list<number> where value != []', { type: 'array', items: { type: 'number' }, not: { const: [] } }],
];

/** [declaration, expected x-verdict-where, keywords that must still be present]. */
export const untranslated: Array<[string, string, Record<string, unknown>]> = [
  ['number where value > other', 'value > other', { type: 'number' }],
  ['number where value > 0 && value < other', 'value < other', { type: 'number', exclusiveMinimum: 0 }],
  ['number where value < a && value > 0 && value < b', 'value < a && value < b', { exclusiveMinimum: 0 }],
  ['number where (value < 0 || value > x) && value != 5', '(value < 0 || value > x)', { not: { const: 5 } }],
  ['any where value > 0', 'value > 0', {}],
  ['string where value > "m"', 'value > "m"', { type: 'string' }],
  ['timestamp where value > timestamp("2020-01-01T00:00:00Z")', 'value > timestamp("2020-01-01T00:00:00Z")', { format: 'date-time' }],
  ['duration where value == "1h"', 'value == "1h"', { type: 'string' }],
  ['string where value.matches("(?<")', 'value.matches("(?<")', { type: 'string' }],
  ['string where value.matches("^[[:alpha:]]+$")', 'value.matches("^[[:alpha:]]+$")', { type: 'string' }],
  ['string where value.matches("(?i)abc")', 'value.matches("(?i)abc")', { type: 'string' }],
  ['string where lower(value) == value', 'lower(value) == value', { type: 'string' }],
  ['number where value % 0.1 == 0', 'value % 0.1 == 0', { type: 'number' }],
  ['number where size(value) > 1', 'size(value) > 1', { type: 'number' }],
  ['string where size(value) == 1.5', 'size(value) == 1.5', { type: 'string' }],
  ['list<number> where value.all(x, x > value[0])', 'value.all(x, x > value[0])', { type: 'array' }],
  ['list<number> where value.map(x, x * 2).all(y, y > 0)', 'value.map(x, x * 2).all(y, y > 0)', { type: 'array' }],
  ['number where 1 < 2', '1 < 2', { type: 'number' }],
  ['map<string> where "owner" in value', '"owner" in value', { type: 'object' }],
  ['{ a: number } where has(value.a)', 'has(value.a)', { type: 'object' }],
];
