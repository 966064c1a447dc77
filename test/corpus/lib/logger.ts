// Tiny structured logger used across the services. Synchronous on purpose.
type Fields = Record<string, unknown>;

function write(level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: Fields | unknown): void {
  const line = JSON.stringify({ level, msg, time: new Date().toISOString(), ...(fields as Fields) });
  if (level === 'error' || level === 'warn') process.stderr.write(line + '\n');
  else process.stdout.write(line + '\n');
}

export const logger = {
  debug: (msg: string, fields?: Fields) => write('debug', msg, fields),
  info: (msg: string, fields?: Fields) => write('info', msg, fields),
  warn: (msg: string, fields?: Fields | unknown) => write('warn', msg, fields),
  error: (msg: string, fields?: Fields | unknown) => write('error', msg, fields),
};
