import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
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

  @Field(() => String, {
    description: 'Handlebars text using only the documented variables (contractTemplateVariables), e.g. {{brand.name}}.',
  })
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

@ObjectType({ description: 'A variable contract templates may use.' })
export class TemplateVariable {
  @Field({
    description: 'As written in a template: `brand.name`; list fields as `deliverables.dueOn` (inside {{#each deliverables}}: `dueOn`).',
  })
  name: string;
  @Field() description: string;
}

@ObjectType({ description: 'The agreement every contract uses unless its brand chooses a template of its own.' })
export class DefaultContractTemplate {
  @Field() name: string;
  @Field(() => Int) version: number;
  @Field() body: string;
  @Field(() => [String]) variables: string[];
}
