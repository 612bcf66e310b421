import { Connection, loadById, newestFirstPage, notFound, RequestContext } from '@influenceflow/kit';
import { ContractTemplate } from './contract-template.entity';
import { ContractTemplatesArgs, CreateContractTemplateInput, UpdateContractTemplateInput } from './contract-template.types';
import { checkTemplate } from './template-engine';

/**
 * Contract templates belong to a brand: only its members read and change them. A template is checked when
 * it is saved (template-engine: Handlebars, strict; only the documented variables), so a contract rendered
 * from it never has a hole.
 */
export class ContractTemplateService {
  async create(ctx: RequestContext, input: CreateContractTemplateInput): Promise<ContractTemplate> {
    ctx.requireBrand(input.brandId);
    const variables = checkTemplate(input.body, 'input.body');
    return ctx.transaction((tx) => {
      const repo = tx.getRepository(ContractTemplate);
      return repo.save(repo.create({ brandId: input.brandId, name: input.name.trim(), body: input.body, variables, version: 1 }));
    });
  }

  /**
   * A partial update: a field left out stays, one sent replaces it; neither may be cleared (null), since a
   * template always has a name and a body. The version goes up by one when something changed.
   */
  async update(ctx: RequestContext, id: string, input: UpdateContractTemplateInput): Promise<ContractTemplate> {
    ctx.requireBrand((await this.get(ctx, id)).brandId);
    const problems = ctx.inputProblems();
    if (input.name === null) problems.add('input.name', 'cannot be cleared: a template always has a name');
    if (input.body === null) problems.add('input.body', 'cannot be cleared: a template always has a body');
    const variables = input.body != null ? problems.check(() => checkTemplate(input.body!, 'input.body')) : undefined;
    problems.throwIfAny();
    return ctx.transaction(async (tx) => {
      const repo = tx.getRepository(ContractTemplate);
      const template = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!template) throw notFound('ContractTemplate', id);
      const name = input.name?.trim();
      const changed = (name !== undefined && name !== template.name) || (input.body != null && input.body !== template.body);
      if (!changed) return template;
      if (name !== undefined) template.name = name;
      if (input.body != null && variables) {
        template.body = input.body;
        template.variables = variables;
      }
      template.version += 1;
      return repo.save(template);
    });
  }

  /** Someone else's template is "not found": its existence is not revealed. */
  async get(ctx: RequestContext, id: string): Promise<ContractTemplate> {
    ctx.requireIdentity();
    const template = await loadById(ctx, ContractTemplate, id);
    if (!template || !ctx.canActForBrand(template.brandId)) throw notFound('ContractTemplate', id);
    return template;
  }

  async list(ctx: RequestContext, args: ContractTemplatesArgs): Promise<Connection<ContractTemplate>> {
    ctx.requireBrand(args.brandId);
    const qb = ctx.dataSource
      .getRepository(ContractTemplate)
      .createQueryBuilder('t')
      .where('t.brand_id = :brandId', { brandId: args.brandId });
    return newestFirstPage(qb, args);
  }
}
