/**
 * The language's newer syntax in the web editor, in Chromium (the harness of test/e2e): Monaco colours
 * the contextual keywords (`cases`, `compliant`, `exactly`, `within`, ...) where the parser reads them
 * so, and completion offers the test assertions and `compliant` as you type, with their snippets.
 * They fail when Chromium is missing and VERDICT_REQUIRE_BROWSER=1.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN_KEY, EXAMPLE_RULESETS, startHarness, type Harness } from '../../../test/e2e/harness.ts';
import { describeInChromium, editorText, setEditorText, type PageEditor } from '../../../test/e2e/page-editor.ts';

const RULESET = `ruleset t.syntax

input {
  amount: number
  score: number
}

decision deny > refer > allow
  compliant refer, allow

rule big {
  severity high
  deny when amount > 100 && score > 1
  because "Amount {amount} is too large"
}

test "t" {
  input { amount: 500, score: 2 }
  expect outputs exactly {} within 0.01
  expect message big contains "too large"
  cases {
    { amount: 5 } -> allow
  }
}
`;

describeInChromium('new syntax in the editor (Chromium)', () => {
  let h: Harness;
  const source = () => editorText(h.page);
  const setSource = (text: string) => setEditorText(h.page, text);
  /** Puts the cursor at the start of the line holding `marker` (which it removes), then types `text`. */
  const typeAt = async (marker: string, text: string) => {
    await h.page.evaluate((m) => {
      const { editor, model } = (window as unknown as PageEditor).__verdictEditor;
      const offset = model.getValue().indexOf(m);
      const start = model.getPositionAt(offset);
      const end = model.getPositionAt(offset + m.length);
      editor.executeEdits('test', [{ range: { startLineNumber: start.lineNumber, startColumn: start.column, endLineNumber: end.lineNumber, endColumn: end.column }, text: '' }]);
      editor.setPosition(start);
      editor.revealLineInCenter(start.lineNumber);
      editor.focus();
    }, marker);
    await h.page.keyboard.type(text);
  };
  const suggestions = () => h.page.locator('.suggest-widget.visible .monaco-list-row');
  /** Accepts the suggestion `label` once the widget has it in focus (not a row of an earlier, staler list). */
  const accept = async (label: string) => {
    await h.page.locator(`.suggest-widget.visible .monaco-list-row.focused[aria-label^="${label}"]`).waitFor();
    await h.page.keyboard.press('Enter');
  };
  const suggestionLabels = async (): Promise<string[]> => {
    await suggestions().first().waitFor();
    return (await suggestions().allTextContents()).map((r) => r.trim());
  };

  beforeAll(async () => {
    h = await startHarness();
    await h.page.goto(h.server.url);
    await h.page.waitForSelector('#key-dialog[open]');
    await h.page.fill('#api-key', ADMIN_KEY);
    await h.page.click('#api-key-submit');
    await h.page.waitForFunction((n) => (document.querySelector('#ruleset-select') as HTMLSelectElement | null)?.options.length === n, EXAMPLE_RULESETS);
    await h.page.selectOption('#ruleset-select', 'marketplace.admission');
    await h.page.waitForFunction(() => document.querySelector('#status')?.textContent?.startsWith('Opened marketplace.admission') === true);
  }, 120_000);

  afterAll(async () => {
    await h?.close();
  });

  it('colours contextual keywords as keywords where the parser reads them so, and the same word as a name elsewhere', async () => {
    const classes = await h.page.evaluate((text) => {
      const { monaco } = (window as unknown as PageEditor).__verdictEditor;
      const lines = text.split('\n');
      // Monaco's own tokenization of the text with the registered tokens provider, line state carried.
      return monaco.editor.tokenize(text, 'verdict').flatMap((tokens, line) =>
        tokens.map((t, i) => ({ text: lines[line]!.slice(t.offset, tokens[i + 1]?.offset ?? lines[line]!.length), type: t.type })),
      );
    }, RULESET);
    const typeOf = (text: string) => classes.filter((c) => c.text === text).map((c) => c.type.replace(/\.verdict$/, ''));
    for (const word of ['compliant', 'exactly', 'within', 'message', 'contains', 'cases']) expect(typeOf(word), word).toEqual(['keyword']);
    // `score` the input field, declared and read
    expect(typeOf('score')).toEqual(['identifier', 'identifier', 'identifier']);
  });

  it('completes the assertions after `expect`, inserting the snippet with a rule to choose', async () => {
    await setSource(RULESET.replace('  cases {', '  @@\n  cases {'));
    // Completion reads an analysis that may be a few keystrokes old (refreshed when typing pauses): pause once.
    await typeAt('@@', 'expect');
    await h.page.waitForTimeout(700);
    await h.page.keyboard.type(' mes');
    const labels = await suggestionLabels();
    expect(labels.some((l) => l.startsWith('message'))).toBe(true);
    await accept('message');
    await h.page.waitForFunction(() => (window as unknown as PageEditor).__verdictEditor.model.getValue().includes('expect message big'));
    await h.page.keyboard.press('Escape');
    expect(await source()).toContain('  expect message big ""\n  cases {');
  });

  it('completes a `cases` table as a snippet, and `compliant` in a decision', async () => {
    await setSource(RULESET.replace('  cases {', '  @@\n  cases {'));
    await typeAt('@@', 'ca');
    await h.page.waitForTimeout(700);
    await h.page.keyboard.type('se');
    expect((await suggestionLabels()).some((l) => l.startsWith('cases'))).toBe(true);
    await accept('cases');
    await h.page.waitForFunction(() => /cases \{\n\s+\{ {2}\} -> deny\n\s+\}/.test((window as unknown as PageEditor).__verdictEditor.model.getValue()));
    await h.page.keyboard.press('Escape');

    await setSource(RULESET.replace('decision deny > refer > allow\n  compliant refer, allow', 'decision deny > refer > allow @@'));
    await typeAt('@@', 'comp');
    expect(await suggestionLabels()).toEqual([expect.stringMatching(/^compliant/)]);
    await h.page.keyboard.press('Escape');
  });

  it('logged no page errors', () => {
    expect(h.consoleErrors.filter((e) => e.startsWith('pageerror')).map((e) => e.slice(0, 300))).toEqual([]);
  });
});
