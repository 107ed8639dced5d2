/**
 * The built-in functions: one catalogue read by the checker (types), the
 * engine (joined to its implementations by name), the editor (completion,
 * hover) and the language reference. Every function may also be called in
 * method form: `x.f(y)` is `f(x, y)`.
 */
import { T, type Type } from './checker/types.ts';

/** A parameter or result type; `T` is the element type of the list (or map) argument. */
export type SignatureType = Type | 'T' | 'list<T>' | 'map<T>';

export interface Overload {
  params: Array<{ name: string; type: SignatureType }>;
  /** Further arguments of this type (variadic `min(a, b, c)`). */
  rest?: { name: string; type: SignatureType };
  returns: SignatureType;
}

export interface Builtin {
  name: string;
  /** One line for completion and hover. */
  doc: string;
  overloads: Overload[];
  /** An example that evaluates to `true`, shown in the reference. */
  example: string;
}

const p = (name: string, type: SignatureType) => ({ name, type });
const text = T.string;
const num = T.number;
const bool = T.boolean;
const dec = T.decimal;

function define(name: string, doc: string, example: string, ...overloads: Overload[]): Builtin {
  return { name, doc, example, overloads };
}

const list: Builtin[] = [
  define(
    'size',
    'Number of characters of a string (code points), items of a list or keys of a map.',
    'size([1, 2, 3]) == 3',
    { params: [p('value', text)], returns: num },
    { params: [p('value', 'list<T>')], returns: num },
    { params: [p('value', 'map<T>')], returns: num },
  ),
  define(
    'sum',
    'Sum of a list of numbers (0 for an empty list); of decimals, exact (an empty list is still the number 0: write `decimal(0) + sum(xs)` for a decimal).',
    'sum([1, 2, 3]) == 6',
    { params: [p('values', T.list(num))], returns: num },
    { params: [p('values', T.list(dec))], returns: dec },
  ),
  define(
    'min',
    'Smallest of a list of numbers, or of its arguments. An empty list is an error.',
    'min(3, 1, 2) == 1',
    { params: [p('values', T.list(num))], returns: num },
    { params: [p('a', num), p('b', num)], rest: p('more', num), returns: num },
  ),
  define(
    'max',
    'Largest of a list of numbers, or of its arguments. An empty list is an error.',
    'max([3, 1, 2]) == 3',
    { params: [p('values', T.list(num))], returns: num },
    { params: [p('a', num), p('b', num)], rest: p('more', num), returns: num },
  ),
  define('avg', 'Arithmetic mean of a list of numbers. An empty list is an error.', 'avg([1, 2, 3]) == 2', { params: [p('values', T.list(num))], returns: num }),
  define('count', 'Number of `true` items in a list of booleans.', 'count([true, false, true]) == 2', { params: [p('values', T.list(bool))], returns: num }),
  define('startsWith', 'Whether the string starts with the prefix.', '"https://x".startsWith("https://")', { params: [p('value', text), p('prefix', text)], returns: bool }),
  define('endsWith', 'Whether the string ends with the suffix.', '"a.json".endsWith(".json")', { params: [p('value', text), p('suffix', text)], returns: bool }),
  define(
    'contains',
    'Whether the string contains the substring, or the list contains the item (deep equality).',
    '"marketplace".contains("ket")',
    { params: [p('value', text), p('part', text)], returns: bool },
    { params: [p('values', 'list<T>'), p('item', 'T')], returns: bool },
  ),
  define(
    'matches',
    'Whether the string matches the regular expression (RE2 syntax; linear-time, no backreferences).',
    '"AB-12".matches("^[A-Z]+-[0-9]+$")',
    { params: [p('value', text), p('pattern', text)], returns: bool },
  ),
  define('lower', 'The string in lower case.', '"ABC".lower() == "abc"', { params: [p('value', text)], returns: text }),
  define('upper', 'The string in upper case.', '"abc".upper() == "ABC"', { params: [p('value', text)], returns: text }),
  define('trim', 'The string without leading and trailing white space (Unicode white space, as CEL; not zero-width characters).', '" a\\t".trim() == "a"', { params: [p('value', text)], returns: text }),
  define(
    'split',
    'The parts of the string between separators (an empty separator: each character); with a limit, at most that many parts, the last holding the rest (0: none, negative: all).',
    '"a,b,c".split(",", 2) == ["a", "b,c"]',
    { params: [p('value', text), p('separator', text)], returns: T.list(text) },
    { params: [p('value', text), p('separator', text), p('limit', num)], returns: T.list(text) },
  ),
  define(
    'join',
    'The items of a list as text, separated by the separator (default none).',
    '["a", "b"].join(", ") == "a, b"',
    { params: [p('values', 'list<T>')], returns: text },
    { params: [p('values', 'list<T>'), p('separator', text)], returns: text },
  ),
  define('floor', 'The largest whole number not above the number.', 'floor(2.7) == 2', { params: [p('value', num)], returns: num }),
  define('ceil', 'The smallest whole number not below the number.', 'ceil(2.1) == 3', { params: [p('value', num)], returns: num }),
  define('abs', 'The absolute value.', 'abs(-2) == 2', { params: [p('value', num)], returns: num }),
  define(
    'round',
    'Rounds to `digits` decimal places, half away from zero, on the decimal value as written (round(1.005, 2) == 1.01); `mode` names another rounding: "half_up", "half_even", "half_down", "up", "down", "ceiling", "floor". A decimal rounds exactly and stays a decimal.',
    'round(1.005, 2) == 1.01 && round(decimal("2.345"), 2, "half_even") == decimal("2.34")',
    { params: [p('value', num)], returns: num },
    { params: [p('value', num), p('digits', num)], returns: num },
    { params: [p('value', num), p('digits', num), p('mode', text)], returns: num },
    { params: [p('value', dec)], returns: dec },
    { params: [p('value', dec), p('digits', num)], returns: dec },
    { params: [p('value', dec), p('digits', num), p('mode', text)], returns: dec },
  ),
  define(
    'percent',
    'A fraction as a percentage string: percent(0.05) == "5%"; `digits` decimal places (default 0, trailing zeros dropped).',
    'percent(0.125, 1) == "12.5%"',
    { params: [p('fraction', num)], returns: text },
    { params: [p('fraction', num), p('digits', num)], returns: text },
  ),
  define('keys', 'The keys of a map, in the order JavaScript keeps them: keys that are array indices (`"2"`, `"10"`) first, ascending, then the others in insertion order. (A JSON input\'s map has this order as soon as it is parsed.)', 'keys({"a": 1}) == ["a"]', { params: [p('value', 'map<T>')], returns: T.list(text) }),
  define('values', 'The values of a map, in the order of its keys (see `keys`).', 'values({"a": 1}) == [1]', { params: [p('value', 'map<T>')], returns: 'list<T>' }),
  define('string', 'The value as text (numbers in their shortest form, lists and maps as JSON).', 'string(1.5) == "1.5"', { params: [p('value', T.any)], returns: text }),
  define(
    'number',
    'The number a numeric string denotes (an error when it is not one); a number is returned unchanged.',
    'number("2.5") == 2.5',
    { params: [p('value', text)], returns: num },
    { params: [p('value', num)], returns: num },
  ),
  define(
    'timestamp',
    'A point in time from an RFC 3339 string (to the nanosecond), or from whole Unix seconds; years 0001 to 9999, outside is an error.',
    'timestamp("2026-01-01T00:00:00Z") < timestamp("2026-06-01T00:00:00Z")',
    { params: [p('value', text)], returns: T.timestamp },
    { params: [p('seconds', num)], returns: T.timestamp },
  ),
  define(
    'duration',
    'A length of time from a string such as "90s", "1h30m", "1.5h", "-5m", "1ns"; to the nanosecond, within about 292 years either way.',
    'duration("1h") == duration("60m")',
    { params: [p('value', text)], returns: T.duration },
  ),
  define('dyn', 'The value itself, typed `any` (CEL\'s `dyn`): turns off static type checking of the argument.', 'dyn(1) == 1', { params: [p('value', T.any)], returns: T.any }),
  define(
    'int',
    'A whole number: a number truncated toward zero, a whole-number string, or a timestamp in Unix seconds; an error outside the 64-bit signed range (CEL `int`).',
    'int(-7.9) == -7',
    { params: [p('value', num)], returns: num },
    { params: [p('value', text)], returns: num },
    { params: [p('value', T.timestamp)], returns: num },
  ),
  define(
    'uint',
    'A non-negative whole number: a number truncated toward zero or a whole-number string; an error when negative or beyond 64 bits (CEL `uint`).',
    'uint(25.5) == 25',
    { params: [p('value', num)], returns: num },
    { params: [p('value', text)], returns: num },
  ),
  define(
    'double',
    'A number from a number or a numeric string (also "NaN", "Infinity"); CEL `double`.',
    'double("-84.32e7") == -843200000',
    { params: [p('value', num)], returns: num },
    { params: [p('value', text)], returns: num },
  ),
  define(
    'bool',
    'A boolean from a boolean or one of the strings "true", "True", "TRUE", "t", "1" and "false", "False", "FALSE", "f", "0".',
    'bool("True") == true',
    { params: [p('value', bool)], returns: bool },
    { params: [p('value', text)], returns: bool },
  ),
  define(
    'type',
    'CEL\'s name for the type of the value, as a string: "bool", "double" (every number), "string", "list", "map", "null_type", "google.protobuf.Timestamp", "google.protobuf.Duration".',
    'type([1]) == "list"',
    { params: [p('value', T.any)], returns: text },
  ),
  define('bytes', 'CEL `bytes`: Verdict reads bytes as text, so this returns the string unchanged.', 'bytes("abc") == "abc"', { params: [p('value', text)], returns: text }),
  define(
    'decimal',
    'An exact decimal from a string ("19.99", "-1e-3") or a number (its shortest form: decimal(0.1) is exactly 0.1). Arithmetic on decimals is exact (division to 34 significant digits, half-even).',
    'decimal("0.1") + decimal("0.2") == decimal("0.3")',
    { params: [p('value', text)], returns: dec },
    { params: [p('value', num)], returns: dec },
    { params: [p('value', dec)], returns: dec },
  ),
  define(
    'fixed',
    'A decimal or number as text with exactly `digits` decimal places, for messages: fixed(decimal("5"), 2) == "5.00". Rounds half-even unless `mode` says otherwise (see `round`).',
    'fixed(decimal("1234.5"), 2) == "1234.50"',
    { params: [p('value', dec), p('digits', num)], returns: text },
    { params: [p('value', dec), p('digits', num), p('mode', text)], returns: text },
    { params: [p('value', num), p('digits', num)], returns: text },
    { params: [p('value', num), p('digits', num), p('mode', text)], returns: text },
  ),
];

/**
 * A calendar field of a timestamp in UTC, or in the time zone given: an IANA name
 * ("America/New_York") or a fixed offset ("+05:30").
 */
function timestampField(name: string, doc: string, example: string, ...more: Overload[]): Builtin {
  return define(
    name,
    `${doc} In UTC, or in the time zone given (an IANA name such as "America/New_York", or an offset such as "+05:30").`,
    example,
    { params: [p('time', T.timestamp)], returns: num },
    { params: [p('time', T.timestamp), p('zone', text)], returns: num },
    ...more,
  );
}

const ofDuration: Overload = { params: [p('length', T.duration)], returns: num };

/** CEL's timestamp and duration accessors. */
const timeFunctions: Builtin[] = [
  timestampField('getFullYear', 'The year.', 'timestamp("2009-02-13T23:31:30Z").getFullYear() == 2009'),
  timestampField('getMonth', 'The month, from 0 (January) to 11.', 'timestamp("2009-02-13T23:31:30Z").getMonth() == 1'),
  timestampField('getDate', 'The day of the month, from 1.', 'timestamp("2009-02-13T23:31:30Z").getDate("Australia/Sydney") == 14'),
  timestampField('getDayOfMonth', 'The day of the month, from 0.', 'timestamp("2009-02-13T23:31:30Z").getDayOfMonth() == 12'),
  timestampField('getDayOfWeek', 'The day of the week, from 0 (Sunday) to 6 (Saturday).', 'timestamp("2026-03-09T13:30:00Z").getDayOfWeek("America/New_York") == 1'),
  timestampField('getDayOfYear', 'The day of the year, from 0 (1 January).', 'timestamp("2009-02-13T23:31:30Z").getDayOfYear() == 43'),
  timestampField(
    'getHours',
    'The hour of the day, from 0 to 23; of a duration, its whole hours.',
    'timestamp("2026-03-09T13:30:00Z").getHours("America/New_York") == 9',
    ofDuration,
  ),
  timestampField(
    'getMinutes',
    'The minute of the hour; of a duration, its whole minutes.',
    'duration("3730s").getMinutes() == 62',
    ofDuration,
  ),
  timestampField(
    'getSeconds',
    'The second of the minute; of a duration, its whole seconds.',
    'timestamp("2009-02-13T23:31:30Z").getSeconds("+05:30") == 30',
    ofDuration,
  ),
  timestampField(
    'getMilliseconds',
    'The millisecond of the second; of a duration, its millisecond part (not the whole duration in milliseconds).',
    'duration("1.234s").getMilliseconds() == 234',
    ofDuration,
  ),
];

/** CEL's strings extension, prefix and suffix trimming, and list slicing. Indexes count characters (code points). */
const stringFunctions: Builtin[] = [
  define(
    'charAt',
    'The character at an index, as a string; at the length, "" (beyond it, or negative, an error).',
    '"tacocat".charAt(4) == "c"',
    { params: [p('value', text), p('index', num)], returns: text },
  ),
  define(
    'indexOf',
    'The index of the first occurrence of the part, from an optional start index; -1 when absent.',
    '"hello mellow".indexOf("ello", 2) == 7',
    { params: [p('value', text), p('part', text)], returns: num },
    { params: [p('value', text), p('part', text), p('from', num)], returns: num },
  ),
  define(
    'lastIndexOf',
    'The index of the last occurrence of the part, starting no later than an optional index; -1 when absent.',
    '"hello mellow".lastIndexOf("ello") == 7',
    { params: [p('value', text), p('part', text)], returns: num },
    { params: [p('value', text), p('part', text), p('from', num)], returns: num },
  ),
  define('lowerAscii', 'The string with ASCII letters in lower case (others unchanged).', '"TacoCÆt".lowerAscii() == "tacocÆt"', { params: [p('value', text)], returns: text }),
  define('upperAscii', 'The string with ASCII letters in upper case (others unchanged).', '"tacoCαt".upperAscii() == "TACOCαT"', { params: [p('value', text)], returns: text }),
  define(
    'replace',
    'The string with occurrences of `old` replaced by `new`: all of them, or the first `limit` (negative: all).',
    '"{0} days {0} hours".replace("{0}", "2", 1) == "2 days {0} hours"',
    { params: [p('value', text), p('old', text), p('new', text)], returns: text },
    { params: [p('value', text), p('old', text), p('new', text), p('limit', num)], returns: text },
  ),
  define(
    'substring',
    'The characters from `start` up to (not including) `end`, or to the end; an index outside the string is an error.',
    '"tacocat".substring(0, 4) == "taco"',
    { params: [p('value', text), p('start', num)], returns: text },
    { params: [p('value', text), p('start', num), p('end', num)], returns: text },
  ),
  define('trimPrefix', 'The string without the prefix, when it starts with it.', '"ORD-123".trimPrefix("ORD-") == "123"', { params: [p('value', text), p('prefix', text)], returns: text }),
  define('trimSuffix', 'The string without the suffix, when it ends with it.', '"report.json".trimSuffix(".json") == "report"', { params: [p('value', text), p('suffix', text)], returns: text }),
  define('reverse', 'The characters of the string in reverse order.', '"Ta©o".reverse() == "o©aT"', { params: [p('value', text)], returns: text }),
  define(
    'strings.quote',
    'The string as a double-quoted literal, with `\\`, `"` and control characters escaped.',
    'strings.quote("a \\"b\\"\\n") == "\\"a \\\\\\"b\\\\\\"\\\\n\\""',
    { params: [p('value', text)], returns: text },
  ),
  define(
    'format',
    'printf-style substitution, CEL\'s: `%s` any value, `%d` whole numbers, `%f`/`%e` with an optional precision (`%.2f`), `%x`/`%X` hex of numbers and strings, `%o`, `%b`, `%%`.',
    '"%s owes %.2f".format(["ann", 3.14159]) == "ann owes 3.14"',
    { params: [p('template', text), p('values', 'list<T>')], returns: text },
  ),
  define(
    'slice',
    'The items from `start` up to (not including) `end` (CEL\'s lists extension); an index outside the list is an error.',
    '[1, 2, 3, 4].slice(1, 3) == [2, 3]',
    { params: [p('values', 'list<T>'), p('start', num), p('end', num)], returns: 'list<T>' },
  ),
];

const mathUnary = (name: string, doc: string, example: string, returns: Type = num) => define(name, doc, example, { params: [p('value', num)], returns });

/** CEL's math extension, for one number type. */
const mathFunctions: Builtin[] = [
  define(
    'math.greatest',
    'The largest of the arguments, or of a list (an empty list is an error).',
    'math.greatest(-42.0, -21.5, -100.0) == -21.5',
    { params: [p('a', num)], rest: p('more', num), returns: num },
    { params: [p('values', T.list(num))], returns: num },
  ),
  define(
    'math.least',
    'The smallest of the arguments, or of a list (an empty list is an error).',
    'math.least([3, 1, 2]) == 1',
    { params: [p('a', num)], rest: p('more', num), returns: num },
    { params: [p('values', T.list(num))], returns: num },
  ),
  mathUnary('math.ceil', 'The smallest whole number not below the number.', 'math.ceil(-1.2) == -1'),
  mathUnary('math.floor', 'The largest whole number not above the number.', 'math.floor(-1.2) == -2'),
  mathUnary('math.round', 'The nearest whole number, half away from zero.', 'math.round(-1.5) == -2'),
  mathUnary('math.trunc', 'The whole part of the number (toward zero).', 'math.trunc(-1.7) == -1'),
  mathUnary('math.abs', 'The absolute value.', 'math.abs(-11.5) == 11.5'),
  mathUnary('math.sign', 'The sign: -1, 0 or 1.', 'math.sign(-32) == -1'),
  mathUnary('math.isNaN', 'Whether the number is NaN.', '!math.isNaN(1.5)', bool),
  mathUnary('math.isInf', 'Whether the number is infinite.', 'math.isInf(double("Infinity"))', bool),
  mathUnary('math.isFinite', 'Whether the number is neither infinite nor NaN.', 'math.isFinite(1.5)', bool),
  mathUnary('math.sqrt', 'The square root (NaN for a negative number).', 'math.sqrt(81) == 9'),
];

export const BUILTINS: ReadonlyMap<string, Builtin> = new Map([...list, ...timeFunctions, ...stringFunctions, ...mathFunctions].map((b) => [b.name, b]));

/** `round(value: number, digits: number) -> number`, for completion and hover. */
export function signatureText(name: string, overload: Overload): string {
  const params = overload.params.map((x) => `${x.name}: ${showSig(x.type)}`);
  if (overload.rest) params.push(`...${overload.rest.name}: ${showSig(overload.rest.type)}`);
  return `${name}(${params.join(', ')}) -> ${showSig(overload.returns)}`;
}

function showSig(t: SignatureType): string {
  if (typeof t === 'string') return t;
  switch (t.kind) {
    case 'list':
      return `list<${showSig(t.element)}>`;
    case 'map':
      return `map<${showSig(t.value)}>`;
    default:
      return t.kind;
  }
}
