export * from './result';
export * from './money';
export * from './chinese-amount';
export * from './fees';
export * from './allocation';
export * from './cash';
export * from './canonical-json';
export * from './time';
