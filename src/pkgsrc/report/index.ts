// pbulk's reports (meta/report, report.txt, report.html, report.dot) and a structured summary.
export * from './model';
export * from './format-meta-report';
export * from './txt';
export * from './html';
export * from './dot';
export * from './summary';
export * from './write';
