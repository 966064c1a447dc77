// Packages the corpus imports that are not installed in this repository. mariadb, mongodb and the
// OpenAI SDK are left untyped on purpose (the analyser must recognise them without types); the
// Next.js and Remix entry points get the few declarations the route files use.
declare module 'mariadb';
declare module 'mongodb';
declare module 'openai';

declare module 'next/server' {
  export class NextRequest extends Request {
    readonly nextUrl: URL;
  }
  export class NextResponse extends Response {
    static json(body: unknown, init?: ResponseInit): NextResponse;
  }
  export function after(task: Promise<unknown> | (() => unknown)): void;
}

declare module '@remix-run/node' {
  export interface LoaderFunctionArgs {
    request: Request;
    params: Record<string, string | undefined>;
    context: Record<string, unknown>;
  }
  export type ActionFunctionArgs = LoaderFunctionArgs;
  export function json<T>(data: T, init?: ResponseInit): Response;
  export function redirect(url: string, init?: ResponseInit): Response;
}
