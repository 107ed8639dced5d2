/**
 * CEL conformance cases Verdict deliberately does not follow, by
 * `file/section/name`, each with its reason. The point of each case is CEL's
 * int/uint/double distinction (Verdict has one number type, a JSON double) or
 * bytes as distinct from strings (Verdict reads bytes literals as text). One
 * case follows from another data-model choice (types are their names, as
 * strings); it is listed apart so it can be reviewed.
 */
export type DeviationReason = 'number-types' | 'bytes' | 'type-values';

export interface Deviation {
  reason: DeviationReason;
  why: string;
}

export const DEVIATIONS: Readonly<Record<string, Deviation>> = {
  "comparisons/eq_literal/not_eq_double_nan": { reason: 'number-types', why: "CEL divides doubles by IEEE rules (0.0/0.0 is NaN) and only ints by zero are errors; Verdict has one number type and makes every division by zero an error." },
  "comparisons/eq_literal/not_eq_uint_double_nan": { reason: 'number-types', why: "0.0/0.0 is NaN only for CEL doubles; in Verdict every division by zero is an error." },
  "comparisons/ne_literal/not_ne_int_double_nan": { reason: 'number-types', why: "0.0/0.0 is NaN only for CEL doubles; in Verdict every division by zero is an error." },
  "comparisons/ne_literal/not_ne_uint_double_nan": { reason: 'number-types', why: "0.0/0.0 is NaN only for CEL doubles; in Verdict every division by zero is an error." },
  "conversions/int/uint_max_exact": { reason: 'number-types', why: "9223372036854775807u is not representable as a double: it rounds to 2^63, outside int64, so int() reports a range error." },
  "conversions/type/int": { reason: 'number-types', why: "Every Verdict number is a double: type(0) is \"double\", not \"int\"." },
  "conversions/type/eq_diff": { reason: 'number-types', why: "type(7) == type(7u): one number type, so both are \"double\"." },
  "conversions/type/neq_diff": { reason: 'number-types', why: "type(0.0) != type(0): one number type, so both are \"double\"." },
  "integer_math/int64_math/int64_overflow_negative": { reason: 'number-types', why: "int64 overflow: Verdict numbers are doubles and only overflow past ±1.8e308." },
  "integer_math/int64_math/int64_overflow_add_negative": { reason: 'number-types', why: "int64 overflow: Verdict numbers are doubles." },
  "integer_math/int64_math/int64_overflow_sub_positive": { reason: 'number-types', why: "int64 overflow: Verdict numbers are doubles." },
  "integer_math/int64_math/int64_min_negate_div": { reason: 'number-types', why: "int64 overflow (MIN / -1): Verdict numbers are doubles." },
  "integer_math/int64_math/int64_overflow_mul_positive": { reason: 'number-types', why: "int64 overflow: Verdict numbers are doubles." },
  "integer_math/int64_math/int64_overflow_mul_negative": { reason: 'number-types', why: "int64 overflow: Verdict numbers are doubles." },
  "integer_math/int64_math/uint64_overflow_positive": { reason: 'number-types', why: "uint64 overflow: Verdict numbers are doubles." },
  "integer_math/int64_math/uint64_overflow_negative": { reason: 'number-types', why: "uint64 underflow (0u - 1u): Verdict has no unsigned type; the result is -1." },
  "integer_math/int64_math/uint64_overflow_mul_positive": { reason: 'number-types', why: "uint64 overflow: Verdict numbers are doubles." },
  "integer_math/uint64_math/negative_no_overload": { reason: 'number-types', why: "-(5u) has no overload only because 5u is unsigned; the `u` suffix is ignored in Verdict." },
  "comparisons/eq_literal/eq_bytes": { reason: 'bytes', why: "b'ÿ' is the UTF-8 bytes C3 BF in CEL; Verdict reads bytes literals as text (escapes are code points), so it is \"ÿ\", unequal to \"\\u00c3\\u00bf\"." },
  "comparisons/ne_literal/not_ne_bytes": { reason: 'bytes', why: "Same as eq_bytes: bytes literals are text, `\\303\\277` is two characters." },
  "conversions/bytes/string_unicode": { reason: 'bytes', why: "bytes('ÿ') is the UTF-8 encoding (2 bytes) in CEL; in Verdict bytes() returns the text unchanged (1 character)." },
  "conversions/bytes/string_unicode_vs_literal": { reason: 'bytes', why: "bytes('\\377') (UTF-8 of U+00FF) differs from b'\\377' (byte FF) in CEL; as text both are \"ÿ\"." },
  "conversions/string/bytes_unicode": { reason: 'bytes', why: "string(b'\\303\\277') decodes UTF-8 in CEL; Verdict's bytes are already text, one character per escape." },
  "conversions/type/bytes": { reason: 'bytes', why: "Bytes are text in Verdict: type(b'\\xff') is \"string\"." },
  "conversions/type/type": { reason: 'type-values', why: "Verdict has no type values: a type is its name as a string, so type(int) is \"string\", not \"type\"." },
};
