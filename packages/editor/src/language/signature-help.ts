/** Signature help in Monaco: the language service's. */
import { SourceFile, signatureHelp } from '@verdict/language-service';
import { monaco } from '../monaco.ts';

export function registerSignatureHelp(languageId: string): monaco.IDisposable {
  return monaco.languages.registerSignatureHelpProvider(languageId, {
    signatureHelpTriggerCharacters: ['(', ','],
    signatureHelpRetriggerCharacters: [','],
    provideSignatureHelp(model, position) {
      const offset = model.getOffsetAt(position);
      // Only the text before the cursor is read: no analysis.
      const help = signatureHelp(new SourceFile(model.getValue()), offset);
      if (help === null) return null;
      const signatures = help.signatures.map((s) => ({ label: s.label, documentation: typeof s.documentation === 'string' ? s.documentation : (s.documentation?.value ?? ''), parameters: (s.parameters ?? []).map((p) => ({ label: p.label })) }));
      return { value: { signatures, activeSignature: help.activeSignature ?? 0, activeParameter: help.activeParameter ?? 0 }, dispose: () => {} };
    },
  });
}
