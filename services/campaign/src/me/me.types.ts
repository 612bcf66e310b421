import { ROLES, Role } from '@influenceflow/kit';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Brand } from '../brands/brand.entity';
import { Creator } from '../creators/creator.types';

/** The token's roles as GraphQL names them (`brand_member` → BRAND_MEMBER). */
export const RoleValue = Object.fromEntries(ROLES.map((r) => [r.toUpperCase(), r])) as { [K in Role as Uppercase<K>]: K };
registerEnumType(RoleValue, { name: 'Role', description: 'What a caller may do on the platform (docs/security.md, "Who can call what").' });

export enum BrandRole {
  MEMBER = 'brand_member',
  ANALYST = 'analyst',
  ADMIN = 'admin',
}
registerEnumType(BrandRole, {
  name: 'BrandRole',
  description: 'What the caller does for a brand: MEMBER runs its campaigns, ANALYST reads them, ADMIN is a platform admin.',
});

@ObjectType({ description: 'A brand the caller belongs to, and as what.' })
export class BrandMembership {
  @Field(() => Brand) brand: Brand;
  @Field(() => BrandRole) role: BrandRole;
}

@ObjectType({ description: 'The caller: who the token says they are, their brands and their creator profile.' })
export class Me {
  @Field(() => ID, { description: "The token's subject." }) subject: string;
  @Field(() => [RoleValue]) roles: Role[];
  @Field(() => [BrandMembership], { description: "The brands of the token that exist, by name (a brand the token names but that does not exist is left out)." })
  brands: BrandMembership[];
  @Field(() => ID, { nullable: true, description: 'The creator profile the token acts for, if any.' }) creatorId: string | null;
  @Field(() => Creator, {
    nullable: true,
    description: 'That creator profile (null while the creator has not saved one yet, or without a creator id).',
  })
  creator: Creator | null;
}
