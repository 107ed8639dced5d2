/**
 * Field names as source text and as paths. A field may be named with any
 * text but a backquote or a line break: a plain identifier is written bare,
 * any other name in backquotes (CEL's quoted field names, `` `content-type` ``).
 */

const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The name of the input document in expressions: `` input.`account-information` `` reads a top-level field. */
export const INPUT_ROOT = 'input';

/** Whether `name` is written bare (an identifier; keywords included, as field names they are soft). */
export function isPlainName(name: string): boolean {
  return PLAIN_NAME.test(name);
}

/** `name` as written in source: bare when it is an identifier, else in backquotes. */
export function fieldNameText(name: string): string {
  return isPlainName(name) ? name : `\`${name}\``;
}

/**
 * A dotted path of field names (`service.sla.tier`). A name that holds a `.` is
 * written in backquotes (`` files.`a.txt` ``), so that a path splits back into
 * the names it was made of and two different paths never read alike.
 */
export function joinPath(names: readonly string[]): string {
  let path = '';
  for (const name of names) path += (path === '' ? '' : '.') + pathSegment(name);
  return path;
}

/** `path`'s text extended by one field name. */
export function extendPath(path: string, name: string): string {
  return path === '' ? pathSegment(name) : `${path}.${pathSegment(name)}`;
}

function pathSegment(name: string): string {
  return name.includes('.') ? `\`${name}\`` : name;
}

/** The field names of a path made by `joinPath`. */
export function splitPath(path: string): string[] {
  if (!path.includes('`')) return path.split('.');
  const names: string[] = [];
  let i = 0;
  while (i <= path.length) {
    if (path[i] === '`') {
      const close = path.indexOf('`', i + 1);
      const end = close < 0 ? path.length : close;
      names.push(path.slice(i + 1, end));
      i = end + 2; // past the closing quote and the dot after it
    } else {
      const dot = path.indexOf('.', i);
      const end = dot < 0 ? path.length : dot;
      names.push(path.slice(i, end));
      i = end + 1;
    }
  }
  return names;
}
