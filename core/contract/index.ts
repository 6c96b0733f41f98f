export * from './command';
export * from './commands';
export * from './errors';
export * from './events';
export * from './primitives';
