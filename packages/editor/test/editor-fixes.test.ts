/**
 * The web editor's rough edges from issue 17, in Chromium (the harness of test/e2e: the built editor
 * served by the real server). They fail when Chromium is missing and VERDICT_REQUIRE_BROWSER=1.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN_KEY, EXAMPLE_RULESETS, startHarness, type Harness } from '../../../test/e2e/harness.ts';
import { describeInChromium, editorText, setEditorText, type PageEditor } from '../../../test/e2e/page-editor.ts';

describeInChromium('editor fixes in Chromium', () => {
  let h: Harness;
  const source = () => editorText(h.page);
  const setSource = (text: string) => setEditorText(h.page, text);
  const append = (text: string) => h.page.evaluate((t) => {
    const { editor, model } = (window as unknown as PageEditor).__verdictEditor;
    const end = model.getPositionAt(model.getValue().length) as { lineNumber: number; column: number };
    editor.executeEdits('test', [{ range: { startLineNumber: end.lineNumber, startColumn: end.column, endLineNumber: end.lineNumber, endColumn: end.column }, text: t }]);
  }, text);
  const markers = async (owner: string) => {
    await h.page.waitForFunction(() => {
      const w = window as unknown as PageEditor;
      return w.__verdictCheckedVersion === w.__verdictEditor.model.getVersionId();
    });
    return h.page.evaluate((o) => {
      const { monaco, model } = (window as unknown as PageEditor).__verdictEditor;
      return monaco.editor.getModelMarkers({ owner: o, resource: model.uri }).map((m) => ({ code: m.code, message: m.message, line: m.startLineNumber }));
    }, owner);
  };
  const openRuleset = async (name: string, status = `Opened ${name}`) => {
    await h.page.selectOption('#ruleset-select', name);
    await h.page.waitForFunction((s) => document.querySelector('#status')?.textContent?.startsWith(s) === true, status);
  };

  beforeAll(async () => {
    h = await startHarness();
    await h.page.goto(h.server.url);
    await h.page.waitForSelector('#key-dialog[open]');
    await h.page.fill('#api-key', ADMIN_KEY);
    await h.page.click('#api-key-submit');
    await h.page.waitForFunction((n) => (document.querySelector('#ruleset-select') as HTMLSelectElement | null)?.options.length === n, EXAMPLE_RULESETS);
    await openRuleset('marketplace.admission');
  }, 120_000);

  afterAll(async () => {
    await h?.close();
  });

  it('keeps the Channels tab reachable at 800x600 and resizes the side panel by drag and by keyboard', async () => {
    await h.page.setViewportSize({ width: 800, height: 600 });
    for (const id of ['problems', 'playground', 'tests', 'history', 'channels']) {
      const box = await h.page.locator(`#tab-${id}`).boundingBox();
      expect(box, id).not.toBeNull();
      expect(box!.x + box!.width, id).toBeLessThanOrEqual(800);
      expect(box!.y + box!.height, id).toBeLessThanOrEqual(600);
    }
    await h.page.click('#tab-channels');
    expect(await h.page.locator('#panel-channels').isVisible()).toBe(true);
    const side = () => h.page.locator('aside.side').boundingBox().then((b) => b!.width);
    const before = await side();
    const handle = (await h.page.locator('#side-resizer').boundingBox())!;
    await h.page.mouse.move(handle.x + 3, handle.y + 100);
    await h.page.mouse.down();
    await h.page.mouse.move(handle.x - 120, handle.y + 100, { steps: 5 });
    await h.page.mouse.up();
    const dragged = await side();
    expect(dragged).toBeGreaterThan(before + 100);
    await h.page.focus('#side-resizer');
    await h.page.keyboard.press('ArrowRight');
    expect(await side()).toBeLessThan(dragged);
    // Never so wide that the source disappears.
    await h.page.mouse.move(handle.x - 120, handle.y + 100);
    await h.page.mouse.down();
    await h.page.mouse.move(5, handle.y + 100, { steps: 5 });
    await h.page.mouse.up();
    expect(await h.page.locator('section.source').boundingBox().then((b) => b!.width)).toBeGreaterThanOrEqual(270);
    await h.page.setViewportSize({ width: 1440, height: 900 });
    await h.page.click('#tab-problems');
  });

  it('formats with the shortcut the tooltip names, and advertises no Alt+F1', async () => {
    const title = await h.page.getAttribute('#format', 'title');
    expect(title).toContain('Ctrl+Shift+F');
    const original = await source();
    await setSource(original.replace('rule https_required {', 'rule    https_required    {'));
    await h.page.evaluate(() => (window as unknown as PageEditor).__verdictEditor.editor.focus());
    await h.page.keyboard.press('Control+Shift+F');
    await h.page.waitForFunction(() => !(window as unknown as PageEditor).__verdictEditor.model.getValue().includes('rule    https_required'));
    expect(await source()).toBe(original);
    const label = await h.page.getAttribute('.monaco-editor textarea', 'aria-label');
    expect(label ?? '').not.toContain('Alt+F1');
  });

  it('raises no uncaught Canceled error when hovers are cancelled', async () => {
    const errors = h.consoleErrors.length;
    const lines = await h.page.locator('.view-line').all();
    for (let i = 0; i < 12; i++) {
      const box = await lines[(i * 3) % lines.length]!.boundingBox();
      if (box === null) continue;
      await h.page.mouse.move(box.x + 60, box.y + box.height / 2);
      await h.page.waitForTimeout(i % 2 === 0 ? 30 : 400);
      await h.page.keyboard.press('Escape');
    }
    // What Monaco does on a cancelled request: a promise rejected with its CancellationError.
    await h.page.evaluate(() => {
      const canceled = new Error('Canceled');
      canceled.name = 'Canceled';
      void Promise.reject(canceled);
    });
    await h.page.waitForTimeout(200);
    expect(h.consoleErrors.slice(errors).filter((e) => e.includes('Canceled'))).toEqual([]);
  });

  it('marks the results of a test run stale after an edit, until run again', async () => {
    await h.page.click('#tab-tests');
    await h.page.click('#run-tests');
    await h.page.waitForSelector('#tests-summary');
    expect(await h.page.locator('#tests-stale').isVisible()).toBe(false);
    await append('\n# edited\n');
    await h.page.waitForSelector('#tests-stale', { state: 'visible' });
    await h.page.click('#run-tests');
    await h.page.waitForSelector('#tests-stale', { state: 'hidden' });
  });

  it('keeps a draft across a reload, says so, and discards it on request', async () => {
    const edited = await source();
    expect(edited).toContain('# edited');
    await h.page.waitForFunction(() => localStorage.getItem('verdict.draft.marketplace.admission')?.includes('# edited') === true);
    await h.page.reload();
    await h.page.waitForFunction((n) => (document.querySelector('#ruleset-select') as HTMLSelectElement | null)?.options.length === n, EXAMPLE_RULESETS);
    await h.page.waitForFunction(() => document.querySelector('#status')?.textContent?.startsWith('Opened') === true);
    await openRuleset('marketplace.admission', 'Opened marketplace.admission with a restored draft');
    expect(await h.page.locator('#draft-banner').textContent()).toContain('Restored draft');
    expect(await source()).toBe(edited);
    expect(await h.page.textContent('#dirty')).toContain('unsaved');
    await h.page.click('#discard-draft');
    await h.page.waitForSelector('#draft-banner', { state: 'hidden' });
    expect(await source()).not.toContain('# edited');
    await h.page.waitForFunction(() => localStorage.getItem('verdict.draft.marketplace.admission') === null);
  });

  it('evaluates the buffer with a channel\u2019s params', async () => {
    const patched = await fetch(`${h.server.url}/v1/rulesets/insurance.auto_quote/channels/production/params`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ params: { base_rate: 1080 }, reason: 'test' }),
    });
    expect(patched.status).toBe(200);
    await openRuleset('insurance.auto_quote');
    await h.page.click('#tab-playground');
    await h.page.click('#playground-sample');
    await h.page.waitForSelector('#playground-params option[value="production"]', { state: 'attached' });
    await h.page.click('#evaluate-local');
    await h.page.waitForSelector('#playground-result:has-text("default params")');
    const defaults = await h.page.textContent('#playground-outputs');
    await h.page.selectOption('#playground-params', 'production');
    await h.page.click('#evaluate-local');
    await h.page.waitForSelector("#playground-result:has-text(\"production's params\")");
    const production = await h.page.textContent('#playground-outputs');
    expect(production).not.toBe(defaults);
  });

  it('starts a new ruleset from a template, marks a header naming another ruleset, and publishes it', async () => {
    await h.page.click('#new-ruleset');
    await h.page.fill('#new-ruleset-name', 'Not A Name');
    await h.page.click('#new-ruleset-create');
    expect(await h.page.textContent('#new-ruleset-error')).toContain('dotted lowercase');
    await h.page.fill('#new-ruleset-name', 'payments.refunds');
    await h.page.click('#new-ruleset-create');
    await h.page.waitForFunction(() => document.querySelector('#status')?.textContent?.startsWith('New ruleset payments.refunds') === true);
    const template = await source();
    expect(template).toContain('ruleset payments.refunds');
    expect(await markers('verdict')).toEqual([]);
    expect(await markers('ruleset-name')).toEqual([]);

    await setSource(template.replace('ruleset payments.refunds', 'ruleset payments.other'));
    const mismatch = await markers('ruleset-name');
    expect(mismatch).toEqual([{ code: 'name_mismatch', message: expect.stringContaining('payments.other'), line: 2 }]);
    await setSource(template);
    expect(await markers('ruleset-name')).toEqual([]);

    await h.page.fill('#publish-message', 'first version');
    await h.page.click('#publish');
    await h.page.waitForFunction(() => document.querySelector('#status')?.textContent?.startsWith('Published payments.refunds v1') === true);
    await h.page.waitForSelector('#ruleset-select option[value="payments.refunds"]:has-text("v1")', { state: 'attached' });
  });

  /** Puts the cursor at the end of the buffer after appending `text` (typed, so completion pops up as it would). */
  const typeAtEnd = async (text: string) => {
    await h.page.evaluate(() => {
      const { editor, model } = (window as unknown as PageEditor).__verdictEditor;
      const end = model.getPositionAt(model.getValue().length) as { lineNumber: number };
      editor.setPosition({ lineNumber: end.lineNumber, column: 1 });
      editor.revealLineInCenter(end.lineNumber);
      editor.focus();
    });
    await h.page.keyboard.type(text);
  };
  const suggestions = () => h.page.locator('.suggest-widget.visible .monaco-list-row');

  it('completes nothing in a comment, and the values of a literal union after `== "`', async () => {
    await openRuleset('marketplace.admission');
    const original = await source();
    await setSource(`${original}\n`);
    await typeAtEnd('# e.g.');
    await h.page.waitForTimeout(600);
    expect(await suggestions().count()).toBe(0);
    await h.page.keyboard.press('Enter');
    expect(await source()).toContain('# e.g.\n');
    await typeAtEnd('let probe = service.tier == "');
    await suggestions().first().waitFor();
    const rows = await suggestions().allTextContents();
    for (const value of ['free', 'standard', 'enterprise']) expect(rows.some((r) => r.trim().startsWith(value)), value).toBe(true);
    expect(rows.some((r) => r.trim().startsWith('size'))).toBe(false);
    await h.page.keyboard.press('Escape');
    await setSource(original);
  });

  it('finds the references of an input field used in a test input, and renames it everywhere', async () => {
    const original = await source();
    const key = original.indexOf('      data_residency: ["US", "DE"]') + 8;
    await h.page.evaluate((offset) => {
      const { editor, model } = (window as unknown as PageEditor).__verdictEditor;
      const p = model.getPositionAt(offset) as { lineNumber: number };
      editor.setPosition(p);
      editor.revealLineInCenter(p.lineNumber);
      editor.focus();
    }, key);
    await h.page.keyboard.press('Shift+F12');
    const title = h.page.locator('.zone-widget .peekview-title');
    await title.first().waitFor();
    const count = original.split('\n').filter((l) => /\bdata_residency\b(?!\?)/.test(l) && !l.trimStart().startsWith('#')).length;
    expect(await title.first().textContent()).toContain(`(${count})`);
    await h.page.keyboard.press('Escape');
    await h.page.keyboard.press('F2');
    const input = h.page.locator('.rename-box input');
    await input.waitFor();
    await input.fill('residency');
    await h.page.keyboard.press('Enter');
    await h.page.waitForFunction(() => !/\bdata_residency\b(?!\s*\.)/.test((window as unknown as PageEditor).__verdictEditor.model.getValue().replace(/#.*$/gm, '')));
    expect(await markers('verdict')).toEqual([]);
    await setSource(original);
  });

  it('logged no page errors', () => {
    expect(h.consoleErrors.filter((e) => e.startsWith('pageerror')).map((e) => e.slice(0, 300))).toEqual([]);
  });
});
