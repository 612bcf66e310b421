export * from './gateway';
export * from './auth/token-verifier';
export * from './limits';
export * from './web-app';
