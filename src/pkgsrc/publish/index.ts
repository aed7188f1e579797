// Publishing a bulk build as pbulk's build and upload phases do: which packages go out, the
// rsync rules, destinations, gates and the report mail. Pure; the engine runs the tools.
export * from './packages';
export * from './report-files';
export * from './target';
export * from './gates';
export * from './mail';
