/** What a handler answers; the server serialises `body` as compact JSON. */
export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

interface Route<Context> {
  method: string;
  segments: string[];
  handler: (context: Context, params: Record<string, string>) => Reply | Promise<Reply>;
}

/** A minimal method + path-pattern router (`/jobs/:id/proposals`). */
export class Router<Context> {
  private readonly routes: Route<Context>[] = [];

  add(method: string, pattern: string, handler: Route<Context>['handler']): this {
    this.routes.push({ method, segments: pattern.split('/').filter(Boolean), handler });
    return this;
  }

  match(method: string, path: string): { handler: Route<Context>['handler']; params: Record<string, string> } | null {
    const parts = path.split('/').filter(Boolean);
    for (const route of this.routes) {
      if (route.method !== method || route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      const matched = route.segments.every((segment, index) => {
        const part = parts[index]!;
        if (segment.startsWith(':')) {
          params[segment.slice(1)] = safeDecode(part);
          return true;
        }
        return segment === part;
      });
      if (matched) return { handler: route.handler, params };
    }
    return null;
  }
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
