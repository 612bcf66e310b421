export * from './domain';
export * from './topics';
export * from './events';
export * from './disclosure-markers';
export * from './disclosure';
export * from './partner-events';
export * from './live-events';
