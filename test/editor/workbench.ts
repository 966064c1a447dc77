// Drives code-server's workbench the way a person does: keyboard and clicks in Debian's chromium,
// with playwright-core (which never downloads a browser). Every wait is on a condition.
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** One row of a tree view, as shown. */
export interface TreeRow {
  level: number;
  label: string;
  description: string;
  expanded: boolean;
}

export class Workbench {
  constructor(readonly page: Page) {}

  static async open(browser: Browser, url: string, folder: string): Promise<Workbench> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${url}?folder=${encodeURIComponent(folder)}`);
    const workbench = new Workbench(page);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    // The explorer shows the folder once the remote file system answers.
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
    return workbench;
  }

  get activeEditor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  /** Opens a workspace file through Quick Open (Ctrl+P), as a person would. */
  async openFile(relativePath: string): Promise<void> {
    const name = relativePath.split('/').pop()!;
    const quickInput = this.page.locator('.quick-input-widget');
    for (let attempt = 0; attempt < 3; attempt++) {
      await this.page.keyboard.press('Control+P');
      try {
        await quickInput.waitFor({ state: 'visible', timeout: 5_000 });
        break;
      } catch {
        // The first key press can land before the workbench listens to keys; try again.
      }
    }
    await this.page.keyboard.type(relativePath);
    // Enter opens the focused row: wait until the list is filtered down to the file (the
    // recently-opened list shows first, and Enter on it would open another file).
    const row = quickInput.locator('.monaco-list-row.focused', { hasText: name }).first();
    await row.waitFor({ timeout: 30_000 });
    await this.page.keyboard.press('Enter');
    await quickInput.waitFor({ state: 'hidden' });
    await this.page.locator('.tab.active', { hasText: name }).waitFor();
    await this.activeEditor.locator('.view-lines').waitFor();
  }

  /**
   * Runs a command from the palette (F1) by its title. Right after start-up the palette can open
   * before the extensions' commands are registered: then it is closed and opened again.
   */
  async runCommand(title: string): Promise<void> {
    const quickInput = this.page.locator('.quick-input-widget');
    const row = quickInput.locator('.monaco-list-row', { hasText: title }).first();
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press('F1');
      await quickInput.waitFor({ state: 'visible' });
      await this.page.keyboard.type(title);
      try {
        await row.waitFor({ timeout: 5_000 });
        break;
      } catch (error) {
        if (attempt === 6) throw error;
        await this.page.keyboard.press('Escape');
        await quickInput.waitFor({ state: 'hidden' });
      }
    }
    await this.page.keyboard.press('Enter');
    await quickInput.waitFor({ state: 'hidden' });
  }

  /** The warning squiggles in the active editor. */
  warningSquiggles(): Locator {
    return this.activeEditor.locator('.squiggly-warning');
  }

  /** The error squiggles in the active editor. */
  errorSquiggles(): Locator {
    return this.activeEditor.locator('.squiggly-error');
  }

  /** The source text under the first squiggle of a kind (from the rendered line and its offsets). */
  async squiggledText(kind: 'warning' | 'error' = 'warning'): Promise<string> {
    return this.activeEditor.evaluate((editor, selector) => {
      const squiggle = editor.querySelector(selector) as unknown as { getBoundingClientRect(): { left: number; right: number; top: number } } | null;
      if (!squiggle) return '';
      const box = squiggle.getBoundingClientRect();
      const doc = (editor as unknown as { ownerDocument: { caretPositionFromPoint?: unknown; caretRangeFromPoint(x: number, y: number): { startContainer: { textContent: string | null }; startOffset: number } | null } }).ownerDocument;
      const y = box.top + 2;
      const start = doc.caretRangeFromPoint(box.left + 1, y);
      const end = doc.caretRangeFromPoint(box.right - 1, y);
      if (!start || !end || start.startContainer !== end.startContainer) return '';
      return (start.startContainer.textContent ?? '').slice(start.startOffset, end.startOffset + 1);
    }, `.squiggly-${kind}`);
  }

  /** The editor's text, line by line, as rendered (the file must fit the viewport). */
  async editorText(): Promise<string> {
    const lines = this.activeEditor.locator('.view-lines .view-line');
    const tops = await lines.evaluateAll((elements) =>
      elements.map((element) => ({ top: parseFloat((element as unknown as { style: { top: string } }).style.top) || 0, text: element.textContent ?? '' })),
    );
    return tops
      .sort((a, b) => a.top - b.top)
      .map((line) => line.text.replace(/\u00a0/g, ' ').trimEnd())
      .join('\n');
  }

  /** Opens the Problems panel (Ctrl+Shift+M) and returns its rows. */
  async openProblems(): Promise<Locator> {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) await this.page.keyboard.press('Control+Shift+M');
    await panel.waitFor({ state: 'visible' });
    return panel.locator('.monaco-list-row');
  }

  /** Types into the Problems panel's filter box (the panel must be open). */
  async filterProblems(text: string): Promise<void> {
    const input = this.page.locator('.markers-panel-action-filter input, .viewpane-filter input').first();
    if (!(await input.isVisible())) await this.openProblems();
    await input.fill(text);
  }

  /** Puts the cursor on a 1-based line and column through "Go to Line/Column" (Ctrl+G). */
  async goTo(line: number, column: number): Promise<void> {
    await this.activeEditor.click();
    await this.page.keyboard.press('Control+G');
    const quickInput = this.page.locator('.quick-input-widget');
    await quickInput.waitFor({ state: 'visible' });
    await this.page.keyboard.type(`${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await quickInput.waitFor({ state: 'hidden' });
    await this.page.locator('.editor-group-container.active .monaco-editor.focused').waitFor();
  }

  /** The code-action menu (`Ctrl+.`), not its submenu panel. */
  quickFixMenu(): Locator {
    return this.page.locator('.action-widget:not(.action-list-submenu-panel)');
  }

  /** Puts the cursor at the end of a 1-based line. */
  async goToEndOfLine(line: number): Promise<void> {
    await this.goTo(line, 1);
    await this.page.keyboard.press('End');
  }

  /**
   * Opens the quick-fix menu (Ctrl+.) and returns its items. `Ctrl+.` is sometimes swallowed right
   * after a widget closes, so wait for the editor to have focus and retry until the menu shows.
   */
  async openQuickFixes(): Promise<Locator> {
    const menu = this.quickFixMenu();
    for (let attempt = 0; attempt < 5; attempt++) {
      await this.page.locator('.editor-group-container.active .monaco-editor.focused').waitFor();
      await this.page.keyboard.press('Control+.');
      try {
        const items = menu.locator('.actionList .monaco-list-row.action');
        await items.first().waitFor({ state: 'visible', timeout: 3_000 });
        return items;
      } catch {
        await this.page.keyboard.press('Escape');
      }
    }
    throw new Error('the quick-fix menu did not open after five tries of Ctrl+.');
  }

  /** Saves the active editor (Ctrl+S) and waits for its tab to stop showing unsaved changes. */
  async save(): Promise<void> {
    await this.page.keyboard.press('Control+S');
    await this.page.locator('.tab.active.dirty').waitFor({ state: 'detached' });
  }

  /** Whether the active editor's tab shows unsaved changes. */
  async isDirty(): Promise<boolean> {
    return (await this.page.locator('.tab.active.dirty').count()) > 0;
  }

  /**
   * Starts recording every text the status bar shows, so a progress message that comes and goes
   * between two polls is still seen. `recordedStatusTexts` returns what was recorded.
   */
  async recordStatusBar(): Promise<void> {
    // Page code as text: this project type-checks without the DOM library.
    await this.page.evaluate(`(() => {
      const texts = [];
      globalThis.__cplStatusTexts = texts;
      const bar = document.querySelector('.part.statusbar');
      new MutationObserver(() => {
        const text = bar.innerText;
        if (texts[texts.length - 1] !== text) texts.push(text);
      }).observe(bar, { subtree: true, childList: true, characterData: true, attributes: true });
    })()`);
  }

  async recordedStatusTexts(): Promise<string[]> {
    return this.page.evaluate(() => (globalThis as unknown as { __cplStatusTexts?: string[] }).__cplStatusTexts ?? []);
  }

  /** The visible notification toasts' texts. */
  notifications(): Locator {
    return this.page.locator('.notifications-toasts .notification-toast');
  }

  /**
   * Rests the mouse on an element of the active editor (e.g. a squiggle) until the editor's hover
   * shows, and returns the hover. A hover can be dismissed by a widget that closes just then: move
   * away and back, as a person would.
   */
  async hoverOver(target: Locator, hasText: string): Promise<Locator> {
    const hover = this.page.locator('.monaco-editor .monaco-hover:not(.hidden)', { hasText }).first();
    for (let attempt = 1; ; attempt++) {
      const box = await target.boundingBox();
      if (!box) throw new Error('the element to hover is not on screen');
      const x = box.x + box.width / 2;
      const y = box.y + box.height / 2;
      await this.page.mouse.move(x - 40, y + 60);
      await this.page.mouse.move(x, y, { steps: 5 });
      try {
        await hover.waitFor({ state: 'visible', timeout: 5_000 });
        return hover;
      } catch (error) {
        if (attempt === 4) throw error;
      }
    }
  }

  /** The language status entry ("{ }") of the status bar, shown for the active editor's language. */
  languageStatusEntry(): Locator {
    return this.page.locator('.part.statusbar #status\\.languageStatus');
  }

  /**
   * Clicks the "{ }" entry and returns the text (label, then detail) of the language status item
   * whose label contains `name`, as its hover shows it; the hover is left open.
   */
  async languageStatus(name: string): Promise<string> {
    const item = this.page.locator('.hover-language-status', { hasText: name }).first();
    for (let attempt = 1; ; attempt++) {
      await this.languageStatusEntry().click();
      try {
        await item.waitFor({ state: 'visible', timeout: 5_000 });
        break;
      } catch (error) {
        if (attempt === 4) throw error;
        await this.page.keyboard.press('Escape');
      }
    }
    return (await item.locator('.element .left').innerText()).replace(/\s+/g, ' ').trim();
  }

  /** Closes a hover (language status, editor hover) by pressing Escape and waits for it to go. */
  async closeHover(hover: Locator): Promise<void> {
    await this.page.keyboard.press('Escape');
    await hover.waitFor({ state: 'hidden' });
  }

  /** Closes whatever hover an earlier step left open (it would take the next key press). */
  async dismissHovers(): Promise<void> {
    const hovers = this.page.locator('.hover-language-status, .monaco-editor .monaco-hover:not(.hidden)');
    for (let attempt = 0; attempt < 3 && (await hovers.first().isVisible()); attempt++) {
      await this.page.mouse.move(1, 1);
      await this.page.keyboard.press('Escape');
      await hovers.first().waitFor({ state: 'hidden', timeout: 3_000 }).catch(() => undefined);
    }
  }

  /**
   * An Explorer view's pane (e.g. "Context & Pool Findings"), expanded. With `alone`, the Explorer's
   * other sections are collapsed first, so the view has the whole side bar.
   */
  async explorerView(title: string, { alone = false } = {}): Promise<Locator> {
    const explorer = this.page.locator('.explorer-viewlet');
    if (!(await explorer.isVisible())) await this.page.keyboard.press('Control+Shift+E');
    await explorer.waitFor({ state: 'visible' });
    const pane = explorer.locator('.pane', { has: this.page.locator('.pane-header', { hasText: title }) }).first();
    const header = pane.locator('.pane-header').first();
    await header.waitFor();
    if (alone) {
      const others = explorer.locator('.pane-header[aria-expanded="true"]').filter({ hasNotText: title });
      while ((await others.count()) > 0) {
        const count = await others.count();
        await others.first().click();
        await waitUntil(async () => (await others.count()) < count);
      }
    }
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    await pane.locator('.pane-body').waitFor({ state: 'visible' });
    return pane;
  }

  /** The rows a tree view shows, top to bottom: depth (1 = top level), label, description. */
  async treeRows(pane: Locator): Promise<TreeRow[]> {
    const rows = pane.locator('.pane-body .monaco-list-row');
    const found = await rows.evaluateAll((elements) =>
      elements.map((element) => {
        const row = element as unknown as { getAttribute(name: string): string | null; style: { top: string }; querySelector(s: string): { textContent: string | null } | null };
        return {
          top: parseFloat(row.style.top) || 0,
          level: Number(row.getAttribute('aria-level') ?? '0'),
          label: (row.querySelector('.label-name')?.textContent ?? '').trim(),
          description: (row.querySelector('.label-description')?.textContent ?? '').trim(),
          expanded: row.getAttribute('aria-expanded') === 'true',
        };
      }),
    );
    return found.sort((a, b) => a.top - b.top).map(({ top: _top, ...row }) => row);
  }

  /** A tree row by its depth and label (exact). */
  treeRow(pane: Locator, level: number, label: string): Locator {
    return pane
      .locator(`.pane-body .monaco-list-row[aria-level="${level}"]`)
      .filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) })
      .first();
  }

  /** Saves a screenshot once the page's finite animations (a hover fading in) have ended. */
  async screenshot(file: string): Promise<void> {
    await this.page
      .evaluate(`Promise.all(document.getAnimations()
        .filter((a) => a.effect && a.effect.getComputedTiming().iterations !== Infinity)
        .map((a) => a.finished.catch(() => undefined)))`)
      .catch(() => undefined);
    await this.page.screenshot({ path: file });
  }

  async close(): Promise<void> {
    await this.page.context().close();
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Polls a condition of the page that no single locator state expresses. */
async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the workbench');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
