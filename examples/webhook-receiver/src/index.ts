export * from './receiver';
export { secretsFromEnv } from './config';
export { sampleOrderAttributed, sendSample } from './send-sample';
