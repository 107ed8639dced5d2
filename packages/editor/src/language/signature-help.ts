/** Signature help for builtin functions: the overloads and the parameter being typed (method form counts the receiver). */
import { BUILTINS, signatureText } from '@verdict/language';
import { monaco } from '../monaco.ts';
import { callBefore } from './paths.ts';

export function registerSignatureHelp(languageId: string): monaco.IDisposable {
  return monaco.languages.registerSignatureHelpProvider(languageId, {
    signatureHelpTriggerCharacters: ['(', ','],
    signatureHelpRetriggerCharacters: [','],
    provideSignatureHelp(model, position) {
      const start = Math.max(0, model.getOffsetAt(position) - 2000);
      const call = callBefore(model.getValue().slice(start, model.getOffsetAt(position)));
      const builtin = call === null ? undefined : BUILTINS.get(call.name);
      if (call === null || builtin === undefined) return null;
      const argument = call.argument + (call.method ? 1 : 0);
      const signatures = builtin.overloads.map((o) => {
        const params = [...o.params, ...(o.rest ? [o.rest] : [])];
        const label = signatureText(builtin.name, o);
        return { label, documentation: builtin.doc, parameters: params.map((p) => ({ label: p.name })) };
      });
      const active = Math.max(0, builtin.overloads.findIndex((o) => o.rest !== undefined || o.params.length > argument));
      return { value: { signatures, activeSignature: active, activeParameter: argument }, dispose: () => {} };
    },
  });
}
