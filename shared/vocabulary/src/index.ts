export * from './domain';
export * from './topics';
export * from './events';
