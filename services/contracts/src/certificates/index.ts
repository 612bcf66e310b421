export * from './certificate';
export * from './signing-keys';
export * from './certificate-settings';
export { SigningKey } from './signing-key.entity';
export type { SigningKeyStatus, SigningKeySource } from './signing-key.entity';
