// The "Context & Pool Findings" tree as plain data: findings grouped by rule, then by file, in a
// stable order. Pure, so it is tested without an editor; findingsTree.ts only renders it.

export interface FindingEntry {
  rule: string;
  message: string;
  /** 0-based, as the editor reports diagnostics. */
  line: number;
  character: number;
}

export interface FileFindings {
  uri: string;
  /** Shown label: the path relative to its workspace folder. */
  label: string;
  findings: FindingEntry[];
}

export interface RuleGroup {
  rule: string;
  count: number;
  files: { uri: string; label: string; findings: FindingEntry[] }[];
}

/** Groups every file's findings by rule (ordered by rule id), then file (by label), then position. */
export function groupFindings(files: readonly FileFindings[]): RuleGroup[] {
  const byRule = new Map<string, Map<string, { uri: string; label: string; findings: FindingEntry[] }>>();
  for (const file of files) {
    for (const finding of file.findings) {
      let byFile = byRule.get(finding.rule);
      if (!byFile) byRule.set(finding.rule, (byFile = new Map()));
      let entry = byFile.get(file.uri);
      if (!entry) byFile.set(file.uri, (entry = { uri: file.uri, label: file.label, findings: [] }));
      entry.findings.push(finding);
    }
  }
  return [...byRule.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([rule, byFile]) => {
      const grouped = [...byFile.values()].sort((a, b) => a.label.localeCompare(b.label) || a.uri.localeCompare(b.uri));
      for (const file of grouped) file.findings.sort((a, b) => a.line - b.line || a.character - b.character);
      return { rule, count: grouped.reduce((n, f) => n + f.findings.length, 0), files: grouped };
    });
}
