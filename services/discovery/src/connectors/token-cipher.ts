import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Tokens at rest: AES-256-GCM (node:crypto) with the operator's key (CONNECTOR_TOKEN_KEY), a random 96-bit
 * nonce per value, and the row the token belongs to as additional data, so a token copied into another
 * creator's connection does not decrypt. Stored as `v1.<nonce>.<tag>.<ciphertext>` (base64url).
 */
export class TokenCipher {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new RangeError('the token key must be 32 bytes');
  }

  encrypt(plaintext: string, boundTo: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    cipher.setAAD(Buffer.from(boundTo, 'utf8'));
    const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', nonce, cipher.getAuthTag(), sealed].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  /** The token, or an error when the value was not sealed with this key for this row (or was altered). */
  decrypt(stored: string, boundTo: string): string {
    const [version, nonce, tag, sealed] = stored.split('.');
    if (version !== 'v1' || !nonce || !tag || sealed === undefined) throw new Error('not a sealed token');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(nonce, 'base64url'));
    decipher.setAAD(Buffer.from(boundTo, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString('utf8');
  }
}
