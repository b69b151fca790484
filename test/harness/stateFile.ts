import * as fs from "node:fs";
import * as path from "node:path";
import { PassphraseCrypter } from "./passphraseCrypter";
import {
  containsSecret,
  isSecretEnvelope,
  makeSecret,
  type PropertyMap,
  type PropertyValue,
  SECRET_SIG,
  SIG_KEY,
} from "./propertyValues";
import { emptyStackState, type StackState, topologicalOrder } from "./stackState";

/**
 * The JSON file holding a stack's state. Every `save` is atomic (temporary file, fsync, rename,
 * fsync of the folder), so a crash at any moment leaves either the previous or the new complete
 * state, never a torn file. Secret values are encrypted with the passphrase from the environment;
 * without one, saving a secret fails instead of writing it in plain text.
 */
export class StateFile {
  private crypter: PassphraseCrypter | undefined;
  private lockPath: string | undefined;

  constructor(
    readonly filePath: string,
    private readonly passphrase: string | undefined,
  ) {}

  /** Reads the state (secrets decrypted); an absent file is an empty state. */
  load(project: string, stack: string): StackState {
    if (!fs.existsSync(this.filePath)) return emptyStackState(project, stack);
    const stored = JSON.parse(fs.readFileSync(this.filePath, "utf8")) as StackState;
    if (stored.version !== 1)
      throw new Error(`${this.filePath}: unsupported state version ${stored.version}`);
    if (stored.encryption && this.passphrase !== undefined) {
      this.crypter = PassphraseCrypter.open(this.passphrase, stored.encryption);
    }
    const decrypt = (v: PropertyValue): PropertyValue => this.mapCiphertexts(v);
    return {
      ...stored,
      pendingOperations: stored.pendingOperations ?? [],
      outputs: decrypt(stored.outputs ?? {}) as PropertyMap,
      resources: stored.resources.map((r) => ({
        ...r,
        inputs: decrypt(r.inputs) as PropertyMap,
        outputs: decrypt(r.outputs) as PropertyMap,
      })),
    };
  }

  /** True when secrets can be written (a passphrase is set). */
  canStoreSecrets(): boolean {
    return this.passphrase !== undefined;
  }

  /** Writes the state atomically, encrypting secrets. */
  save(state: StackState): void {
    const hasSecrets =
      containsSecret(state.outputs) ||
      state.resources.some((r) => containsSecret(r.inputs) || containsSecret(r.outputs));
    if (hasSecrets && !this.crypter) {
      if (this.passphrase === undefined) throw new Error(missingPassphraseMessage(this.filePath));
      this.crypter = PassphraseCrypter.create(this.passphrase);
    }
    const encrypt = (v: PropertyValue): PropertyValue => this.encryptSecrets(v);
    const stored: StackState = {
      version: 1,
      project: state.project,
      stack: state.stack,
      ...(this.crypter ? { encryption: this.crypter.params } : {}),
      resources: topologicalOrder(state.resources).map((r) => ({
        ...r,
        inputs: encrypt(r.inputs) as PropertyMap,
        outputs: encrypt(r.outputs) as PropertyMap,
      })),
      outputs: encrypt(state.outputs) as PropertyMap,
      pendingOperations: state.pendingOperations,
      updated: new Date().toISOString(),
    };
    writeFileAtomic(this.filePath, `${JSON.stringify(stored, null, 2)}\n`);
  }

  /**
   * Takes the lock file next to the state (`<state>.lock` with the owner's pid). A lock left by a
   * process that no longer exists (a crashed run) is taken over.
   */
  lock(): void {
    const lockPath = `${this.filePath}.lock`;
    fs.mkdirSync(path.dirname(lockPath), { recursive: true });
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.writeFileSync(lockPath, String(process.pid), { flag: "wx" });
        this.lockPath = lockPath;
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
        const owner = Number(fs.readFileSync(lockPath, "utf8"));
        if (owner && owner !== process.pid && isAlive(owner)) {
          throw new Error(
            `the stack is locked by another run (process ${owner}, lock file ${lockPath}); wait for it to finish`,
          );
        }
        fs.rmSync(lockPath, { force: true });
      }
    }
    throw new Error(`could not take the lock ${lockPath}`);
  }

  unlock(): void {
    if (this.lockPath) fs.rmSync(this.lockPath, { force: true });
    this.lockPath = undefined;
  }

  private encryptSecrets(v: PropertyValue): PropertyValue {
    if (v === null || typeof v !== "object") return v;
    if (isSecretEnvelope(v)) {
      if (!this.crypter) throw new Error(missingPassphraseMessage(this.filePath));
      return { [SIG_KEY]: SECRET_SIG, ciphertext: this.crypter.encrypt(JSON.stringify(v.value)) };
    }
    if (Array.isArray(v)) return v.map((e) => this.encryptSecrets(e));
    const out: PropertyMap = {};
    for (const [k, e] of Object.entries(v)) out[k] = this.encryptSecrets(e);
    return out;
  }

  private mapCiphertexts(v: PropertyValue): PropertyValue {
    if (v === null || typeof v !== "object") return v;
    if (Array.isArray(v)) return v.map((e) => this.mapCiphertexts(e));
    if (v[SIG_KEY] === SECRET_SIG && typeof v.ciphertext === "string") {
      if (!this.crypter) {
        throw new Error(
          `${this.filePath} holds encrypted secrets: set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) to the passphrase used when they were written`,
        );
      }
      return makeSecret(JSON.parse(this.crypter.decrypt(v.ciphertext)) as PropertyValue);
    }
    const out: PropertyMap = {};
    for (const [k, e] of Object.entries(v)) out[k] = this.mapCiphertexts(e);
    return out;
  }
}

/** The error shown when a secret would have to be written without a passphrase. */
export function missingPassphraseMessage(file: string): string {
  return `refusing to write a secret value in plain text to ${file}: set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) to encrypt secrets in the state, as the Pulumi CLI's passphrase secrets provider does`;
}

/** Writes a file so that readers see either the old or the new content, durable on return. */
export function writeFileAtomic(file: string, content: string): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  const fd = fs.openSync(tmp, "w", 0o600);
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  try {
    const dfd = fs.openSync(dir, "r");
    try {
      fs.fsyncSync(dfd);
    } finally {
      fs.closeSync(dfd);
    }
  } catch {
    // Some platforms cannot fsync a directory; the rename itself is still atomic.
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
