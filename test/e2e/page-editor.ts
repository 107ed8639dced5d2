/**
 * What the editor page exposes to browser tests (`window.__verdictEditor`), the edits tests make
 * through it, and the suite wrapper every editor browser test uses: the suite runs when Chromium is
 * installed and fails, instead of being skipped, when it is missing and VERDICT_REQUIRE_BROWSER=1.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserAvailable, CHROMIUM } from './harness.ts';

type Position = { lineNumber: number; column: number };

export interface PageEditor {
  __verdictEditor: {
    editor: { executeEdits(source: string, edits: unknown[]): void; pushUndoStop(): void; setPosition(p: unknown): void; focus(): void; revealLineInCenter(n: number): void };
    model: { getValue(): string; getFullModelRange(): unknown; getVersionId(): number; uri: unknown; getPositionAt(offset: number): Position };
    monaco: {
      editor: {
        tokenize(text: string, languageId: string): Array<Array<{ offset: number; type: string }>>;
        getModelMarkers(filter: unknown): Array<{ code: unknown; message: string; startLineNumber: number }>;
      };
    };
  };
  __verdictCheckedVersion?: number;
}

/** `describe` for a suite that needs Chromium (see the module comment). */
export function describeInChromium(title: string, body: () => void): void {
  const available = browserAvailable();
  if (!available && process.env['VERDICT_REQUIRE_BROWSER'] === '1') {
    describe(title, () => it('needs Chromium', () => expect.fail(`VERDICT_REQUIRE_BROWSER=1 but ${CHROMIUM} does not exist (apt-get install -y chromium)`)));
  }
  describe.runIf(available)(title, { timeout: 60_000 }, body);
}

/** The editor's text. */
export function editorText(page: Page): Promise<string> {
  return page.evaluate(() => (window as unknown as PageEditor).__verdictEditor.model.getValue());
}

/** Replaces the editor's text, as one undoable edit. */
export function setEditorText(page: Page, text: string): Promise<void> {
  return page.evaluate((t) => {
    const { editor, model } = (window as unknown as PageEditor).__verdictEditor;
    editor.executeEdits('test', [{ range: model.getFullModelRange(), text: t }]);
    editor.pushUndoStop();
  }, text);
}
