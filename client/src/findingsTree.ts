import * as vscode from 'vscode';
import { groupFindings, type FileFindings, type FindingEntry, type RuleGroup } from './findingsModel';

/** The diagnostic `source` of our findings (DESIGN.md). */
const SOURCE = 'context-pool-lint';
export const FINDINGS_VIEW = 'contextPoolLint.findings';

type Node =
  | { kind: 'rule'; group: RuleGroup }
  | { kind: 'file'; rule: string; file: RuleGroup['files'][number] }
  | { kind: 'finding'; uri: string; finding: FindingEntry };

/**
 * "Context & Pool Findings": every finding the editor holds (open files and what Scan Workspace
 * published), grouped by rule then file, rebuilt when diagnostics change. It reads the editor's
 * diagnostics, so it always shows what the Problems view shows.
 */
export class FindingsTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  readonly #changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.#changed.event;
  readonly #subscription: vscode.Disposable;
  #groups: RuleGroup[] | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    this.#subscription = vscode.languages.onDidChangeDiagnostics(() => this.#scheduleRefresh());
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'rule': {
        const item = new vscode.TreeItem(node.group.rule, vscode.TreeItemCollapsibleState.Expanded);
        item.description = String(node.group.count);
        item.iconPath = new vscode.ThemeIcon('warning');
        return item;
      }
      case 'file': {
        const item = new vscode.TreeItem(node.file.label, vscode.TreeItemCollapsibleState.Collapsed);
        item.resourceUri = vscode.Uri.parse(node.file.uri);
        item.description = String(node.file.findings.length);
        return item;
      }
      case 'finding': {
        const { finding } = node;
        const item = new vscode.TreeItem(finding.message, vscode.TreeItemCollapsibleState.None);
        item.description = `${finding.line + 1}:${finding.character + 1}`;
        item.tooltip = finding.message;
        const position = new vscode.Position(finding.line, finding.character);
        item.command = { title: 'Open', command: 'vscode.open', arguments: [vscode.Uri.parse(node.uri), { selection: new vscode.Range(position, position) }] };
        return item;
      }
    }
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.#current().map((group) => ({ kind: 'rule', group }));
    if (node.kind === 'rule') return node.group.files.map((file) => ({ kind: 'file', rule: node.group.rule, file }));
    if (node.kind === 'file') return node.file.findings.map((finding) => ({ kind: 'finding', uri: node.file.uri, finding }));
    return [];
  }

  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#subscription.dispose();
    this.#changed.dispose();
  }

  #current(): RuleGroup[] {
    this.#groups ??= groupFindings(ourFindings());
    return this.#groups;
  }

  /** A scan publishes hundreds of files in a row: one rebuild per burst, not one per file. */
  #scheduleRefresh(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#groups = undefined;
      this.#changed.fire(undefined);
    }, 200);
  }
}

function ourFindings(): FileFindings[] {
  const out: FileFindings[] = [];
  for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
    const findings = diagnostics
      .filter((d) => d.source === SOURCE)
      .map((d) => ({ rule: ruleOf(d), message: d.message, line: d.range.start.line, character: d.range.start.character }));
    if (findings.length > 0) out.push({ uri: uri.toString(), label: vscode.workspace.asRelativePath(uri), findings });
  }
  return out;
}

function ruleOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  if (typeof code === 'object' && code !== null) return String(code.value);
  return String(code ?? 'context-pool-lint');
}
