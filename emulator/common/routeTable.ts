import type { Route, ServiceModule } from "./types";

interface CompiledSegment {
  /** Literal text (lower-cased when the module is case-insensitive). */
  literal?: string;
  /** Whole-segment parameter name. */
  param?: string;
  /** Segment mixing text and parameters, e.g. `servicePrincipals(appId=':appId')`. */
  regex?: RegExp;
  regexParams?: string[];
}

interface CompiledRoute {
  route: Route;
  segments: CompiledSegment[];
  /** Name of a trailing `*rest` capture, if any. */
  rest?: string;
}

/** Outcome of looking a request up in a module's routes. */
export type RouteMatch =
  | { kind: "match"; route: Route; params: Record<string, string> }
  /** The path exists for other methods (the emulator still answers 501: not modelled). */
  | { kind: "methodNotModelled" }
  | { kind: "none" };

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function compileSegment(segment: string, caseInsensitive: boolean): CompiledSegment {
  if (/^:[A-Za-z_][A-Za-z0-9_]*$/.test(segment)) return { param: segment.slice(1) };
  if (!segment.includes(":")) return { literal: caseInsensitive ? segment.toLowerCase() : segment };
  const regexParams: string[] = [];
  let source = "";
  let last = 0;
  for (const m of segment.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)) {
    source += escapeRegex(segment.slice(last, m.index));
    source += "(.+?)";
    regexParams.push(m[1]);
    last = (m.index ?? 0) + m[0].length;
  }
  source += escapeRegex(segment.slice(last));
  return { regex: new RegExp(`^${source}$`, caseInsensitive ? "i" : ""), regexParams };
}

function splitPath(path: string): string[] {
  return path.split("/").filter((s, i) => i > 0 || s !== "");
}

/**
 * A module's routes compiled for matching. Patterns: `/v1/customers/:customerId`, parameters
 * inside a segment (`/v1.0/applications(appId=':appId')`), and `*rest` as the last segment.
 * Segments of the request path are percent-decoded before matching.
 */
export class RouteTable {
  private readonly routes: CompiledRoute[];
  private readonly caseInsensitive: boolean;

  constructor(module: ServiceModule) {
    this.caseInsensitive = module.caseInsensitivePaths === true;
    this.routes = module.routes.map((route) => {
      const parts = splitPath(route.path);
      let rest: string | undefined;
      if (parts.length > 0 && parts[parts.length - 1].startsWith("*")) {
        rest = parts.pop()!.slice(1) || "rest";
      }
      return { route, rest, segments: parts.map((p) => compileSegment(p, this.caseInsensitive)) };
    });
  }

  /** Finds the route for `method` and the decoded `segments` of a path. */
  match(method: string, segments: string[]): RouteMatch {
    let pathKnown = false;
    const lowered = this.caseInsensitive ? segments.map((s) => s.toLowerCase()) : segments;
    for (const compiled of this.routes) {
      const params = this.matchSegments(compiled, segments, lowered);
      if (!params) continue;
      if (compiled.route.method === method) return { kind: "match", route: compiled.route, params };
      pathKnown = true;
    }
    return pathKnown ? { kind: "methodNotModelled" } : { kind: "none" };
  }

  private matchSegments(
    compiled: CompiledRoute,
    segments: string[],
    lowered: string[],
  ): Record<string, string> | undefined {
    const n = compiled.segments.length;
    if (compiled.rest === undefined ? segments.length !== n : segments.length < n) return undefined;
    const params: Record<string, string> = {};
    for (let i = 0; i < n; i++) {
      const seg = compiled.segments[i];
      if (seg.literal !== undefined) {
        if (lowered[i] !== seg.literal) return undefined;
      } else if (seg.param !== undefined) {
        if (segments[i] === "") return undefined;
        params[seg.param] = segments[i];
      } else if (seg.regex) {
        const m = seg.regex.exec(segments[i]);
        if (!m) return undefined;
        seg.regexParams!.forEach((name, j) => {
          params[name] = m[j + 1];
        });
      }
    }
    if (compiled.rest !== undefined) params[compiled.rest] = segments.slice(n).join("/");
    return params;
  }
}

/** Splits a raw request path (no query) into percent-decoded segments; `undefined` if undecodable. */
export function decodePathSegments(rawPath: string): string[] | undefined {
  const parts = splitPath(rawPath);
  // A trailing slash names the same resource (`/v1/customers/` = `/v1/customers`).
  if (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  try {
    return parts.map((p) => decodeURIComponent(p));
  } catch {
    return undefined;
  }
}
