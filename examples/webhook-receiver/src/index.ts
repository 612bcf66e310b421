export * from './receiver';
export { secretsFromEnv } from './config';
