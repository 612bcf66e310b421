import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { ContractsContext } from '../services';
import { ContractTemplate } from './contract-template.entity';
import { DEFAULT_AGREEMENT, DEFAULT_TEMPLATE_NAME, DEFAULT_TEMPLATE_VERSION } from './default-agreement';
import { checkTemplate, TEMPLATE_LISTS, TEMPLATE_VARIABLES } from './template-engine';
import {
  DefaultContractTemplate,
  TemplateVariable,
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

  @Query(() => [TemplateVariable], { description: 'Every variable a contract template may use.' })
  contractTemplateVariables(): TemplateVariable[] {
    return [
      ...Object.entries(TEMPLATE_VARIABLES).map(([name, description]) => ({ name, description })),
      ...Object.entries(TEMPLATE_LISTS).flatMap(([list, fields]) => [
        { name: list, description: `a list: walk it with {{#each ${list}}}…{{/each}}` },
        ...Object.entries(fields).map(([field, description]) => ({ name: `${list}.${field}`, description })),
      ]),
    ];
  }

  @Query(() => DefaultContractTemplate, { description: 'The default influencer agreement (a starting point for templates of your own).' })
  defaultContractTemplate(): DefaultContractTemplate {
    return {
      name: DEFAULT_TEMPLATE_NAME,
      version: DEFAULT_TEMPLATE_VERSION,
      body: DEFAULT_AGREEMENT,
      variables: checkTemplate(DEFAULT_AGREEMENT),
    };
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
