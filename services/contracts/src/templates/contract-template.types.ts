import { ArgsType, Field, ID, InputType } from 'type-graphql';
import { IsOptional, Length } from 'class-validator';
import { ConnectionType, NotBlank, PageArgs } from '@influenceflow/kit';
import { ContractTemplate } from './contract-template.entity';

@InputType()
export class CreateContractTemplateInput {
  @Field(() => ID) brandId: string;

  @Field(() => String)
  @Length(1, 200)
  @NotBlank()
  name: string;

  @Field(() => String, { description: 'Template text with {{variable}} placeholders.' })
  @Length(1, 100_000)
  @NotBlank()
  body: string;
}

@InputType()
export class UpdateContractTemplateInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 200)
  @NotBlank()
  name?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(1, 100_000)
  @NotBlank()
  body?: string;
}

@ArgsType()
export class ContractTemplatesArgs extends PageArgs {
  @Field(() => ID) brandId: string;
}

export const ContractTemplateConnection = ConnectionType(ContractTemplate);
