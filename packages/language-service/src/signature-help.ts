/** Signature help for builtin functions: the overloads and the parameter being typed (method form counts the receiver). */
import { BUILTINS, signatureText } from '@verdict/language';
import type { SignatureHelp } from 'vscode-languageserver-types';
import { callBefore } from './paths.ts';
import type { SourceFile } from './source.ts';

export function signatureHelp(source: SourceFile, offset: number): SignatureHelp | null {
  const start = Math.max(0, offset - 2000);
  const call = callBefore(source.text.slice(start, offset));
  const builtin = call === null ? undefined : BUILTINS.get(call.name);
  if (call === null || builtin === undefined) return null;
  const argument = call.argument + (call.method ? 1 : 0);
  const signatures = builtin.overloads.map((o) => {
    const params = [...o.params, ...(o.rest ? [o.rest] : [])];
    return { label: signatureText(builtin.name, o), documentation: builtin.doc, parameters: params.map((p) => ({ label: p.name })) };
  });
  const active = Math.max(0, builtin.overloads.findIndex((o) => o.rest !== undefined || o.params.length > argument));
  return { signatures, activeSignature: active, activeParameter: argument };
}
