export * from './run';
export * from './databases';
export * from './events';
export * from './subgraph';
export * from './state-machine';
export * from './statements';
