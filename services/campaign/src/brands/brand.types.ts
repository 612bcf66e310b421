import { NotBlank } from '@influenceflow/kit';
import { Field, InputType } from 'type-graphql';
import { IsOptional, IsUrl, Length } from 'class-validator';

@InputType()
export class CreateBrandInput {
  @Field()
  @Length(1, 200)
  @NotBlank()
  name: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true })
  websiteUrl?: string;
}
