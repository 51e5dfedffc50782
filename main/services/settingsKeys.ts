/**
 * The API keys of the tray app's settings: write-only, kept in the SecretVault (safeStorage
 * ciphertext in the app) under `<workspace>/<connection>`, never in the settings document, a plain
 * file or a log line. Without a system keychain a key is stored only with the person's yes.
 */
import type { SettingsChange } from '../../preload/api';
import type { Logger, SecretVault } from './ports';

/** Key of a connection's secret in the vault. */
export const vaultKey = (workspaceId: string, connectionId: string): string => `${workspaceId}/${connectionId}`;

/** Connection keys in the vault, by workspace and connection id. */
export class SettingsKeys {
  constructor(
    private readonly vault: SecretVault,
    private readonly logger: Logger,
  ) {}

  /** How the vault protects keys at rest. */
  get protection(): SecretVault['protection'] {
    return this.vault.protection;
  }

  /** The stored key, or undefined when it is missing or the keychain cannot be read (logged, without the key). */
  async read(workspaceId: string, connectionId: string): Promise<string | undefined> {
    try {
      return await this.vault.get(vaultKey(workspaceId, connectionId));
    } catch (error) {
      this.logger.warn(`Could not read the key of ${workspaceId}/${connectionId} from the keychain.`, { message: (error as Error).message });
      return undefined;
    }
  }

  /** Stores a key (throws the vault's error). */
  async store(workspaceId: string, connectionId: string, secret: string): Promise<void> {
    await this.vault.set(vaultKey(workspaceId, connectionId), secret);
  }

  /** Deletes a key (a missing one is fine). */
  async forget(workspaceId: string, connectionId: string): Promise<void> {
    await this.vault.delete(vaultKey(workspaceId, connectionId));
  }

  /**
   * Without a keychain, storing a key needs the person's yes (once): the refusal asking for it,
   * or undefined when keys may be stored.
   */
  consentRequired(allowObfuscated: boolean, alreadyAccepted: boolean): SettingsChange | undefined {
    if (this.vault.protection !== 'obfuscation-only' || allowObfuscated || alreadyAccepted) return undefined;
    return {
      ok: false,
      reason: 'consent_required',
      message:
        'This system has no keychain (no Secret Service or KWallet), so Burnrate can only obfuscate API keys on disk: anyone who can read your files can recover them. Store keys anyway?',
      problems: [],
    };
  }

  /**
   * After an import: stores the file's inline `keys` (by {@link vaultKey}) and deletes every key in
   * `before` that no connection of `after` keeps in the vault any more.
   */
  async replaceImported(before: readonly string[], after: ReadonlySet<string>, keys: ReadonlyMap<string, string>): Promise<void> {
    for (const [key, secret] of keys) await this.vault.set(key, secret);
    // A connection that reads its key from the environment keeps no ciphertext either.
    for (const key of before) if (!after.has(key) || !keys.has(key)) await this.vault.delete(key);
  }
}
