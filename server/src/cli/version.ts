// Bundled at build time, so the installed binary reports the version it was built from.
import packageJson from '../../../package.json';

export const TOOL_NAME = 'context-pool-lint';
export const TOOL_VERSION: string = packageJson.version;
export const TOOL_INFORMATION_URI: string = packageJson.repository.url;
