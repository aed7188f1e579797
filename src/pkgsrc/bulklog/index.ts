// The bulklog library: read and write pbulk's bulklog layout.
export * from './phases';
export * from './states';
export * from './records';
export * from './parse-meta-report';
export * from './status';
export * from './pkglist';
export * from './pbuild';
export * from './graph';
export * from './compute';
export * from './reasons';
export * from './logs';
export * from './read';
export * from './write';
export * from './timeline';
