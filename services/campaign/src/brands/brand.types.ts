import { Field, InputType } from 'type-graphql';
import { IsOptional, IsUrl, Length } from 'class-validator';

@InputType()
export class CreateBrandInput {
  @Field()
  @Length(1, 200)
  name: string;

  @Field({ nullable: true })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true })
  websiteUrl?: string;
}
