import type { ts } from 'ts-morph';
import type { AnalyzerSettings, Fix, LineCharacter } from './types';
import type { FileFacts } from './fileFacts';
import type { TypeInfo } from './typeInfo';

/** What a rule says about itself; the docs page, settings and SARIF output are built from it. */
export interface RuleMeta {
  /** Public id (RULES.md): used in settings, suppression comments and output. */
  id: string;
  /** One line: what the rule finds. */
  description: string;
  /** Titles of the fixes the rule may offer, exactly as RULES.md names them. */
  fixTitles: string[];
}

export interface Rule extends RuleMeta {
  check(ctx: RuleContext): void;
}

export interface RelatedDescriptor {
  node?: ts.Node;
  start?: number;
  end?: number;
  /** Defaults to the reported file. */
  fileName?: string;
  /** Line/character of `start`/`end`, required when they are in another file. */
  startLc?: LineCharacter;
  endLc?: LineCharacter;
  message: string;
}

export interface ReportDescriptor {
  /** The anchor: either a node (its trimmed text span) or an explicit span. */
  node?: ts.Node;
  start?: number;
  end?: number;
  message: string;
  related?: RelatedDescriptor[];
  fixes?: Fix[];
}

export interface RuleContext {
  readonly sourceFile: ts.SourceFile;
  readonly fileName: string;
  readonly text: string;
  readonly settings: AnalyzerSettings;
  /** Framework and pool facts about this file, computed once and shared by all rules. */
  readonly facts: FileFacts;
  /** Type information; the checker is created only when a rule first asks for it. */
  readonly types: TypeInfo;
  report(descriptor: ReportDescriptor): void;
}
