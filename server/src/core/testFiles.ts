import picomatch from 'picomatch';

// RULES.md §4: nothing is reported in test files by default. Also the helper graph's filter:
// handlers registered by tests (supertest apps) don't make project functions helpers.
const TEST_FILE = picomatch(['**/*.{test,spec}.*', '**/__tests__/**'], { dot: true });

/** Whether a path (absolute, or relative to a project root, with `/` separators) is a test file. */
export function isTestFile(fileName: string): boolean {
  return TEST_FILE(fileName);
}
