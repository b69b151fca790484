import * as fs from "node:fs";
import * as path from "node:path";
import { checkpointPath, type StackWorkspace } from "../automation/stackWorkspace";

/**
 * Counts the file backend's writes of a stack's checkpoint during one command. The backend
 * (gocloud's fileblob) writes a whole new checkpoint to a temporary file and renames it over the
 * old one, so each write is one rename onto the checkpoint's name, which `fs.watch` (inotify)
 * reports. The engine writes the checkpoint after every step's start and end unless
 * `PULUMI_SKIP_CHECKPOINTS` is set: this shows how many writes a phase paid for.
 */
export class CheckpointWatch {
  private watcher: fs.FSWatcher | undefined;
  private writes = 0;

  constructor(private readonly ws: StackWorkspace) {}

  start(): void {
    const file = checkpointPath(this.ws);
    const dir = path.dirname(file);
    // The backend creates the folder on the stack's first write; creating it first changes nothing
    // it reads (it lists the stacks by their files).
    fs.mkdirSync(dir, { recursive: true });
    const name = path.basename(file);
    try {
      this.watcher = fs.watch(dir, (event, filename) => {
        if (event === "rename" && filename === name) this.writes++;
      });
    } catch {
      this.watcher = undefined; // no inotify: the count stays 0
    }
  }

  /** Stops watching; the number of checkpoint writes seen. */
  stop(): number {
    this.watcher?.close();
    this.watcher = undefined;
    return this.writes;
  }
}
