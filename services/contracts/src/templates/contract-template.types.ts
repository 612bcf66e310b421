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

@InputType({ description: 'A partial update: a field left out keeps its value; neither may be cleared (null).' })
export class UpdateContractTemplateInput {
  @Field(() => String, { nullable: true, description: 'Left out: unchanged.' })
  @IsOptional()
  @Length(1, 200)
  @NotBlank()
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'Left out: unchanged; the placeholders are read again.' })
  @IsOptional()
  @Length(1, 100_000)
  @NotBlank()
  body?: string | null;
}

@ArgsType()
export class ContractTemplatesArgs extends PageArgs {
  @Field(() => ID) brandId: string;
}

export const ContractTemplateConnection = ConnectionType(ContractTemplate);
