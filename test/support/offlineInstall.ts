import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Installs a packed pulumi-csp (`npm pack` tarball) into `dir` the way `npm install <tarball>`
 * records it (`"pulumi-csp": "file:<tarball>"` in package.json), with `npm ci --offline`: no
 * network, every package from the local npm cache. The npm cache of these machines holds the
 * packages' tarballs but not all their registry documents, which `npm install` needs to resolve
 * versions; so the lock file is written first, from this repository's own package-lock.json (the
 * versions the package is tested with): pulumi-csp's dependencies and theirs, at the paths this
 * repository installs them, which `npm ci` then fetches from the cache by integrity.
 */
export function installPackedOffline(dir: string, tarball: string, repoRoot: string): void {
  const pkgFile = path.join(dir, "package.json");
  const pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8")) as {
    name: string;
    version: string;
    dependencies?: Record<string, string>;
  };
  const own = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
    name: string;
    version: string;
    license: string;
    dependencies: Record<string, string>;
    peerDependencies?: Record<string, string>;
    peerDependenciesMeta?: Record<string, unknown>;
    bin?: Record<string, string>;
    engines?: Record<string, string>;
  };
  const repoLock = JSON.parse(fs.readFileSync(path.join(repoRoot, "package-lock.json"), "utf8")) as {
    packages: Record<string, LockEntry>;
  };
  const dependencies = { ...pkg.dependencies, [own.name]: `file:${tarball}` };
  fs.writeFileSync(pkgFile, `${JSON.stringify({ ...pkg, dependencies }, null, 2)}\n`);

  const packages: Record<string, LockEntry> = {};
  const queue = Object.keys(dependencies)
    .filter((d) => d !== own.name)
    .concat(Object.keys(own.dependencies))
    .map((d) => resolveIn(repoLock.packages, "", d));
  while (queue.length > 0) {
    const at = queue.pop();
    if (!at || packages[at]) continue;
    const { dev: _dev, devOptional: _devOptional, ...entry } = repoLock.packages[at]!;
    packages[at] = entry;
    for (const d of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) {
      queue.push(resolveIn(repoLock.packages, at, d));
    }
  }
  const lock = {
    name: pkg.name,
    version: pkg.version,
    lockfileVersion: 3,
    requires: true,
    packages: {
      "": { name: pkg.name, version: pkg.version, dependencies },
      [`node_modules/${own.name}`]: {
        version: own.version,
        resolved: `file:${tarball}`,
        integrity: `sha512-${createHash("sha512").update(fs.readFileSync(tarball)).digest("base64")}`,
        license: own.license,
        dependencies: own.dependencies,
        ...(own.bin ? { bin: own.bin } : {}),
        ...(own.engines ? { engines: own.engines } : {}),
        ...(own.peerDependencies ? { peerDependencies: own.peerDependencies } : {}),
        ...(own.peerDependenciesMeta ? { peerDependenciesMeta: own.peerDependenciesMeta } : {}),
      },
      ...packages,
    },
  };
  fs.writeFileSync(path.join(dir, "package-lock.json"), `${JSON.stringify(lock, null, 2)}\n`);
  execFileSync("npm", ["ci", "--offline", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

interface LockEntry {
  dev?: boolean;
  devOptional?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  [key: string]: unknown;
}

/** Where node would find `name` from the package installed at `from` (lock paths). */
function resolveIn(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = `${dir ? `${dir}/` : ""}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!dir) return undefined;
    const i = dir.lastIndexOf("/node_modules/");
    dir = i < 0 ? "" : dir.slice(0, i);
  }
}
