import type { RequestContext, SubgraphRuntime } from '@influenceflow/kit';
import { ContractTemplateService } from './templates/contract-template.service';

/** What the contracts subgraph is made of, built once per process (`contractsServices`). */
export interface ContractsServices {
  templates: ContractTemplateService;
}

/** The request context of contracts's resolvers: `ctx.services` are the ones below. */
export type ContractsContext = RequestContext<ContractsServices>;

/** The one place contracts's parts are made, with what each needs. */
export function contractsServices(_runtime: SubgraphRuntime): ContractsServices {
  return {
    templates: new ContractTemplateService(),
  };
}
