/** The canonical formatter; the implementation lives in `format/`. */
export { format, type FormatResult } from './format/index.ts';
