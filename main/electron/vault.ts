/**
 * SafeStorageVault: API keys encrypted with Electron safeStorage (macOS Keychain, Windows DPAPI,
 * libsecret/kwallet on Linux), the ciphertext kept in electron-store. electron-store's
 * `encryptionKey` is obfuscation only, so it is not relied on for secrecy.
 */
import { safeStorage } from 'electron';
import type Store from 'electron-store';
import type { SecretProtection, SecretVault } from '../services/ports';

/** Shape of the secrets store: connection id → base64 safeStorage ciphertext. */
export interface SecretStoreShape {
  secrets: Record<string, string>;
}

export class SafeStorageVault implements SecretVault {
  constructor(private readonly store: Store<SecretStoreShape>) {}

  /** On Linux without a keyring, safeStorage falls back to `basic_text`: obfuscation, not protection. */
  get protection(): SecretProtection {
    if (!safeStorage.isEncryptionAvailable()) return 'obfuscation-only';
    if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return 'obfuscation-only';
    return 'os-keychain';
  }

  async get(connectionId: string): Promise<string | undefined> {
    const cipher = this.store.get('secrets')[connectionId];
    if (!cipher) return undefined;
    return safeStorage.decryptString(Buffer.from(cipher, 'base64'));
  }

  async set(connectionId: string, secret: string): Promise<void> {
    if (!safeStorage.isEncryptionAvailable()) {
      throw new Error('The system keychain is not available, so Burnrate cannot store API keys safely.');
    }
    const cipher = safeStorage.encryptString(secret).toString('base64');
    this.store.set('secrets', { ...this.store.get('secrets'), [connectionId]: cipher });
  }

  async delete(connectionId: string): Promise<void> {
    const { [connectionId]: _removed, ...rest } = this.store.get('secrets');
    this.store.set('secrets', rest);
  }
}
