export * from './errors';
export * from './limits';
export * from './common';
export * from './auth';
export * from './org';
export * from './audit';
