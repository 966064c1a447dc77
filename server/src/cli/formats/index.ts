import type { Format } from '../args';
import type { LintReport } from '../report';
import { formatJson } from './json';
import { formatSarif } from './sarif';
import { formatText } from './text';

export const FORMATTERS: Record<Format, (report: LintReport) => string> = {
  text: formatText,
  json: formatJson,
  sarif: formatSarif,
};
