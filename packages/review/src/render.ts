import { describeReport, type ReviewItem } from './describe.ts';
import type { DiffReport } from './model.ts';
import { summarizeReport, summaryLine } from './summary.ts';

const SIGNS: Record<ReviewItem['mark'], string> = { added: '+', removed: '-', changed: '~', breaking: '!', note: '·' };
const ANSI: Record<ReviewItem['mark'], string> = { added: '\x1b[32m', removed: '\x1b[31m', changed: '\x1b[33m', breaking: '\x1b[1;31m', note: '\x1b[2m' };
const RESET = '\x1b[0m';

/** The diff for a terminal: the summary line, then a block per ruleset, one line per change, colour when asked. */
export function renderText(report: DiffReport, options: { color?: boolean } = {}): string {
  const paint = (mark: ReviewItem['mark'], s: string): string => (options.color ? ANSI[mark] + s + RESET : s);
  const blocks = describeReport(report);
  if (blocks.length === 0) return 'no rulesets to compare\n';
  const out: string[] = [summaryLine(summarizeReport(report))];
  for (const block of blocks) {
    const where = block.path === undefined ? '' : ` (${block.path})`;
    out.push(`${options.color ? '\x1b[1m' : ''}${block.ruleset}${options.color ? RESET : ''}${where}: ${block.summary}`);
    for (const section of block.sections) {
      out.push(`  ${section.title}`);
      for (const item of section.items) {
        out.push(paint(item.mark, `    ${SIGNS[item.mark]} ${item.text.replace(/`/g, '')}`));
        if (item.from !== undefined && item.from !== null && item.mark !== 'added') out.push(paint('removed', `        - ${item.from}`));
        if (item.to !== undefined && item.to !== null && item.mark !== 'removed') out.push(paint('added', `        + ${item.to}`));
      }
    }
  }
  return out.join('\n') + '\n';
}

/**
 * The diff as Markdown for a pull-request comment: the summary, then each ruleset
 * in a collapsible `<details>` (open when its meaning changed).
 */
export function renderMarkdown(report: DiffReport): string {
  const out: string[] = ['## Verdict policy review', ''];
  const blocks = describeReport(report);
  out.push(blocks.length === 0 ? 'No rulesets to compare.' : `**${summaryLine(summarizeReport(report))}**`, '');
  for (const block of blocks) {
    const where = block.path === undefined ? '' : ` (<code>${escapeHtml(block.path)}</code>)`;
    const open = block.sections.length > 0 ? ' open' : '';
    out.push(`<details${open}><summary><code>${escapeHtml(block.ruleset)}</code>${where}: ${escapeHtml(block.summary)}</summary>`, '');
    for (const section of block.sections) {
      out.push(`**${section.title}**`, '');
      for (const item of section.items) {
        out.push(`- ${SIGNS[item.mark] === '·' ? '' : `\`${SIGNS[item.mark]}\` `}${item.text}`);
        const from = item.from !== undefined && item.from !== null && item.mark !== 'added' ? item.from : null;
        const to = item.to !== undefined && item.to !== null && item.mark !== 'removed' ? item.to : null;
        if (from !== null || to !== null) {
          out.push('  ```diff');
          if (from !== null) out.push(`  - ${from}`);
          if (to !== null) out.push(`  + ${to}`);
          out.push('  ```');
        }
      }
      out.push('');
    }
    out.push('</details>', '');
  }
  return out.join('\n').replace(/\n+$/, '') + '\n';
}

/** The diff as JSON: the summary first, then the document the server's diff endpoint returns. */
export function renderJson(report: DiffReport): string {
  return JSON.stringify({ summary: summarizeReport(report), ...report }, null, 2) + '\n';
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
