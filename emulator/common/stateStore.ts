import {
  closeSync,
  fsyncSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import type { EmulatorState } from "./state";

/** Where the emulator keeps its world between requests (and restarts). */
export interface StateStore {
  /** Whether `save` writes anywhere (false for the memory store: nothing to wait for). */
  readonly durable: boolean;
  /** The stored state, or `undefined` when nothing was stored yet. */
  load(): EmulatorState | undefined;
  /** Stores `state`; returns only once it is durable. */
  save(state: EmulatorState): void;
}

/** In-memory store: the live state object is the only copy, nothing to write. */
export function createMemoryStore(): StateStore {
  return {
    durable: false,
    load: () => undefined,
    save: () => {},
  };
}

const STATE_FILE = "state.json";

/**
 * File-backed store: the whole state as one JSON file, replaced atomically (write a temp file,
 * fsync it, rename it over the old one, fsync the directory). A process killed at any point
 * leaves either the previous or the new file, never a torn one.
 */
export function createFileStore(dataDir: string): StateStore {
  const path = join(dataDir, STATE_FILE);
  const tempPath = `${path}.${process.pid}.tmp`;
  return {
    durable: true,
    load() {
      // Temp files of a process that died mid-write are garbage: the rename never happened.
      for (const name of readdirSync(dataDir)) {
        if (name.startsWith(`${STATE_FILE}.`) && name.endsWith(".tmp")) {
          try {
            unlinkSync(join(dataDir, name));
          } catch {
            // another emulator on the same directory may own it
          }
        }
      }
      let text: string;
      try {
        text = readFileSync(path, "utf8");
      } catch {
        return undefined;
      }
      const parsed = JSON.parse(text) as EmulatorState;
      if (parsed.version !== 1) throw new Error(`unsupported emulator state version in ${path}`);
      return parsed;
    },
    save(state) {
      const data = Buffer.from(JSON.stringify(state));
      const fd = openSync(tempPath, "w", 0o600);
      try {
        let offset = 0;
        while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tempPath, path);
      try {
        const dirFd = openSync(dataDir, "r");
        try {
          fsyncSync(dirFd);
        } finally {
          closeSync(dirFd);
        }
      } catch {
        // Directory fsync is not supported everywhere (Windows); the rename itself is atomic.
      }
    },
  };
}
