export { discoverySubgraph } from './schema';
export { buildSearchSql, creatorColumns, estimateSql, fewMatchesIn, SearchService } from './search/search.service';
export { audienceIndexTask } from './search/audience-index.sync';
export type { SearchCreatorsArgs } from './search/search.types';
export { importCreators, importGenerated, ImportError, workerCount } from './ingest/importer';
export type { ImportFormat, ImportOptions, ImportProgress, ImportSummary } from './ingest/importer';
export { generateCreators } from './ingest/synthetic';
export { deriveCreator, parseAndDerive } from './ingest/import-rows';
