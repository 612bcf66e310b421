export { discoverySubgraph } from './schema';
export { buildSearchSql, creatorColumns } from './search/search.service';
export type { SearchCreatorsArgs } from './search/search.types';
