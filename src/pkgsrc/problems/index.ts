// Log text -> structured problems, log sections and the first error line.
export * from './types';
export * from './matchers';
export * from './scan';
export * from './read';
export * from './failure';
