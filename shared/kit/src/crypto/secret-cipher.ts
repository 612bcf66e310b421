import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Secrets at rest (a creator's platform tokens, a shop's webhook signing secret): AES-256-GCM
 * (node:crypto) with the operator's 32-byte key (each service its own variable), a random 96-bit nonce
 * per value, and the row the secret belongs to as additional data, so a value copied into another row
 * does not decrypt. Stored as `v1.<nonce>.<tag>.<ciphertext>` (base64url).
 */
export class SecretCipher {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new RangeError('the secret key must be 32 bytes');
  }

  encrypt(plaintext: string, boundTo: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    cipher.setAAD(Buffer.from(boundTo, 'utf8'));
    const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', nonce, cipher.getAuthTag(), sealed].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  /** The secret, or an error when the value was not sealed with this key for this row (or was altered). */
  decrypt(stored: string, boundTo: string): string {
    const [version, nonce, tag, sealed] = stored.split('.');
    if (version !== 'v1' || !nonce || !tag || sealed === undefined) throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(nonce, 'base64url'));
    decipher.setAAD(Buffer.from(boundTo, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString('utf8');
  }
}
