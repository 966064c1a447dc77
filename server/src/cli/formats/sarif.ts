import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as sarif from 'sarif';
import { RULES, docsUrl, type LineCharacter, type Severity } from '../../core';
import { isInside } from '../findFiles';
import type { LintReport, ReportedFinding } from '../report';
import { TOOL_INFORMATION_URI, TOOL_NAME, TOOL_VERSION } from '../version';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SOURCE_ROOT = '%SRCROOT%';

const LEVEL: Record<Severity, sarif.Result.level> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};

/**
 * SARIF 2.1.0 with one run, as code-scanning services read it: every rule with its help page,
 * results with regions, related locations and fixes, and files that were not analysed as
 * notifications of the invocation. Paths are relative to %SRCROOT%, the current directory.
 */
export function formatSarif(report: LintReport): string {
  const artifact = (file: string) => artifactLocation(report.cwd, file);
  const ruleIndex = new Map(RULES.map((rule, index) => [rule.id, index]));
  const log: sarif.Log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: TOOL_VERSION,
            semanticVersion: TOOL_VERSION,
            informationUri: TOOL_INFORMATION_URI,
            rules: RULES.map((rule) => ({
              id: rule.id,
              shortDescription: { text: rule.description },
              helpUri: docsUrl(rule.id),
              defaultConfiguration: { level: 'warning' },
            })),
          },
        },
        originalUriBaseIds: { [SOURCE_ROOT]: { uri: directoryUri(report.cwd) } },
        columnKind: 'utf16CodeUnits',
        invocations: [
          {
            executionSuccessful: report.ruleErrors.length === 0 && report.fixFailures.length === 0,
            toolExecutionNotifications: [
              ...report.skipped.map(({ file, reason }) => notification('warning', `skipped: ${reason}`, artifact(file))),
              ...report.fixFailures.map(({ file, reason }) => notification('error', `not fixed: ${reason}`, artifact(file))),
              ...report.ruleErrors.map(({ file, rule, message }) => ({
                ...notification('error', `rule ${rule} failed: ${message}`, artifact(file)),
                associatedRule: { id: rule, index: ruleIndex.get(rule) },
              })),
            ],
          },
        ],
        results: report.findings.map((finding) => result(finding, ruleIndex.get(finding.rule), artifact)),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function result(finding: ReportedFinding, ruleIndex: number | undefined, artifact: (file: string) => sarif.ArtifactLocation): sarif.Result {
  const location = artifact(finding.fileName);
  return {
    ruleId: finding.rule,
    ruleIndex,
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    locations: [{ physicalLocation: { artifactLocation: location, region: region(finding.startLc, finding.endLc) } }],
    relatedLocations: finding.related.map((related, index) => ({
      id: index,
      message: { text: related.message },
      physicalLocation: { artifactLocation: artifact(related.fileName), region: region(related.startLc, related.endLc) },
    })),
    fixes: finding.fixes.map((fix) => ({
      description: { text: fix.title },
      artifactChanges: [
        {
          artifactLocation: location,
          replacements: fix.edits.map((edit) => ({
            deletedRegion: region(edit.startLc, edit.endLc),
            insertedContent: { text: edit.newText },
          })),
        },
      ],
    })),
  };
}

/** 1-based lines and columns; the end column is the one just after the region, as SARIF defines it. */
function region(start: LineCharacter, end: LineCharacter): sarif.Region {
  return { startLine: start.line + 1, startColumn: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
}

function notification(level: sarif.Notification.level, text: string, location: sarif.ArtifactLocation): sarif.Notification {
  return { level, message: { text }, locations: [{ physicalLocation: { artifactLocation: location } }] };
}

// Files outside the current directory cannot be expressed relative to it: they get absolute URIs.
function artifactLocation(cwd: string, file: string): sarif.ArtifactLocation {
  if (!isInside(file, cwd)) return { uri: pathToFileURL(file).href };
  const relative = path.relative(cwd, file).split(path.sep).map(encodeURIComponent).join('/');
  return { uri: relative, uriBaseId: SOURCE_ROOT };
}

function directoryUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : `${href}/`;
}
