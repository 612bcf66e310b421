import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { ContractsContext } from '../services';
import { ContractTemplate } from './contract-template.entity';
import {
  ContractTemplateConnection,
  ContractTemplatesArgs,
  CreateContractTemplateInput,
  UpdateContractTemplateInput,
} from './contract-template.types';

@Resolver(() => ContractTemplate)
export class ContractTemplateResolver {
  @Query(() => ContractTemplate)
  contractTemplate(@Arg('id', () => ID) id: string, @Ctx() ctx: ContractsContext): Promise<ContractTemplate> {
    return ctx.services.templates.get(ctx, id);
  }

  @Query(() => ContractTemplateConnection, { description: "A brand's contract templates, newest first." })
  contractTemplates(@Args() args: ContractTemplatesArgs, @Ctx() ctx: ContractsContext) {
    return ctx.services.templates.list(ctx, args);
  }

  @Mutation(() => ContractTemplate)
  createContractTemplate(
    @Arg('input', () => CreateContractTemplateInput) input: CreateContractTemplateInput,
    @Ctx() ctx: ContractsContext,
  ): Promise<ContractTemplate> {
    return ctx.services.templates.create(ctx, input);
  }

  @Mutation(() => ContractTemplate, { description: 'Changes a template; its version goes up by one.' })
  updateContractTemplate(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateContractTemplateInput) input: UpdateContractTemplateInput,
    @Ctx() ctx: ContractsContext,
  ): Promise<ContractTemplate> {
    return ctx.services.templates.update(ctx, id, input);
  }
}
