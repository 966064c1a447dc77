import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface AtomicWriteOptions {
  /**
   * The bytes the file is expected to hold now. When it holds something else (an editor saved it
   * while we were fixing it), nothing is written and an error says so.
   */
  expectedContent?: Buffer;
}

/**
 * Replaces a file's content so that readers see either the old or the new bytes, never a part:
 * the new content goes to a temporary file in the same folder (same file system), is flushed,
 * gets the original's permissions, and is renamed over the original. A symbolic link is kept and
 * its target is replaced. On failure the original is untouched and the temporary file removed.
 */
export function writeFileAtomic(file: string, content: Buffer, options: AtomicWriteOptions = {}): void {
  const target = fs.realpathSync(file);
  const stat = fs.statSync(target);
  if (options.expectedContent && !fs.readFileSync(target).equals(options.expectedContent)) {
    throw new Error('the file changed on disk while it was being fixed');
  }

  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(temporary, 'wx', stat.mode & 0o777);
    let written = 0;
    while (written < content.length) written += fs.writeSync(fd, content, written, content.length - written);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    // The creation mode was filtered by the umask; the original's permissions are what we keep.
    fs.chmodSync(temporary, stat.mode & 0o7777);
    preserveOwner(temporary, stat);
    fs.renameSync(temporary, target);
  } catch (error) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

// Only a privileged process can give a file away; everyone else already owns what they create.
function preserveOwner(file: string, original: fs.Stats): void {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return;
  if (original.uid === 0 && original.gid === 0) return;
  try {
    fs.chownSync(file, original.uid, original.gid);
  } catch {
    // Some file systems refuse ownership changes; the content and mode are what matter.
  }
}
