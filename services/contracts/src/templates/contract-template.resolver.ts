import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '@influenceflow/kit';
import { ContractTemplate } from './contract-template.entity';
import { ContractTemplateService } from './contract-template.service';
import {
  ContractTemplateConnection,
  ContractTemplatesArgs,
  CreateContractTemplateInput,
  UpdateContractTemplateInput,
} from './contract-template.types';

const templates = new ContractTemplateService();

@Resolver(() => ContractTemplate)
export class ContractTemplateResolver {
  @Query(() => ContractTemplate)
  contractTemplate(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<ContractTemplate> {
    return templates.get(ctx, id);
  }

  @Query(() => ContractTemplateConnection, { description: "A brand's contract templates, newest first." })
  contractTemplates(@Args() args: ContractTemplatesArgs, @Ctx() ctx: RequestContext) {
    return templates.list(ctx, args);
  }

  @Mutation(() => ContractTemplate)
  createContractTemplate(
    @Arg('input', () => CreateContractTemplateInput) input: CreateContractTemplateInput,
    @Ctx() ctx: RequestContext,
  ): Promise<ContractTemplate> {
    return templates.create(ctx, input);
  }

  @Mutation(() => ContractTemplate, { description: 'Changes a template; its version goes up by one.' })
  updateContractTemplate(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateContractTemplateInput) input: UpdateContractTemplateInput,
    @Ctx() ctx: RequestContext,
  ): Promise<ContractTemplate> {
    return templates.update(ctx, id, input);
  }
}
