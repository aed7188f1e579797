// Scan records: `bmake pbulk-index` output, meta/pscan and meta/presolve; the scan cache.
export * from './record';
export { parseScan, type ParseScanOptions, type ScanParse, type ScanFormat } from './parse';
export { formatScan } from './format';
export { parseAllDepends, type DependItem, type DependList } from './all-depends';
export { decodeScanBytes, encodeScanText, readScanFile, type ScanEncoding, type ScanText, type ReadScanResult } from './file';
export { assemblePscan, checkIndexOutput, splitIndexOutput, type AssembledPscan, type IndexChunk, type ScanJobResult, type SplitOutput } from './pscan';
export { ScanCache, SCAN_CACHE_FORMAT, SCAN_CACHE_VERSION, outputDepends, type CachedScan, type Freshness } from './cache';
export { scanDependPath } from './scan-depends';
