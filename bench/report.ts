// The human-readable report: every time next to its ratio to the parse floor of the same run,
// and the targets the project holds itself to.

export interface BenchResult {
  files: number;
  lines: number;
  parseFloorMs: number;
  scanMs: number;
  scanRatio: number;
  editP50Ms: number;
  editP95Ms: number;
  peakRssMb: number;
}

export interface BenchDetails {
  edits: number;
  editFile: string;
  findingsByRule: Record<string, number>;
  plantedBugs: Record<string, number>;
  ruleErrors: number;
  skipped: number;
}

export const TARGETS = { scanRatio: 4, editP95Ms: 100 };

export function formatTable(r: BenchResult, d: BenchDetails): string {
  const ratio = (ms: number): string => `${(ms / r.parseFloorMs).toFixed(2)}×`;
  const verdict = (ok: boolean): string => (ok ? 'ok' : 'MISSED');
  const rows: string[][] = [
    ['measure', 'time', '× parse floor', 'target'],
    ['parse floor (ts.createSourceFile, text in memory)', ms(r.parseFloorMs), '1.00×', ''],
    ['full scan (new Analyzer, preload, analyzeFile each)', ms(r.scanMs), ratio(r.scanMs), `≤ ${TARGETS.scanRatio}× ${verdict(r.scanRatio <= TARGETS.scanRatio)}`],
    [`edit + re-analysis p50 (${d.edits} edits)`, ms(r.editP50Ms), ratio(r.editP50Ms), ''],
    [`edit + re-analysis p95 (${d.edits} edits)`, ms(r.editP95Ms), ratio(r.editP95Ms), `≤ ${TARGETS.editP95Ms} ms ${verdict(r.editP95Ms <= TARGETS.editP95Ms)}`],
    ['peak RSS', `${r.peakRssMb.toFixed(0)} MB`, '', ''],
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const render = (row: string[]): string =>
    row.map((cell, column) => (column === 1 || column === 2 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join('  ').trimEnd();
  const out = [
    `Context & Pool Lint benchmark: ${r.files.toLocaleString('en')} files, ${r.lines.toLocaleString('en')} lines`,
    '',
    render(rows[0]),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.slice(1).map(render),
    '',
    `edited file: ${d.editFile}`,
    `findings: ${describeCounts(d.findingsByRule)} (planted: ${describeCounts(d.plantedBugs)})`,
  ];
  if (d.ruleErrors > 0 || d.skipped > 0) out.push(`rule errors: ${d.ruleErrors}, files skipped: ${d.skipped}`);
  return `${out.join('\n')}\n`;
}

function ms(value: number): string {
  return `${value.toLocaleString('en', { maximumFractionDigits: 1 })} ms`;
}

function describeCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? 'none' : entries.map(([rule, n]) => `${rule} ${n}`).join(', ');
}
