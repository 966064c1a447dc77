import * as path from 'node:path';

/** How a file is shown to a person: relative to the current directory, in the platform's style. */
export function displayPath(cwd: string, file: string): string {
  return path.relative(cwd, file) || path.basename(file);
}

/** How a file is named in machine-readable output: relative to the current directory, with `/`. */
export function portablePath(cwd: string, file: string): string {
  return displayPath(cwd, file).split(path.sep).join('/');
}
