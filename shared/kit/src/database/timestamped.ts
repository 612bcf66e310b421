import { Field, ObjectType } from 'type-graphql';
import { CreateDateColumn, UpdateDateColumn } from 'typeorm';

/**
 * `createdAt` / `updatedAt` for an entity that extends it, as `created_at` / `updated_at`
 * `timestamptz(3)` columns. Millisecond precision is deliberate: keyset cursors carry a JS Date, and a
 * microsecond part the cursor cannot hold would make pages skip rows (see `newestFirstPage`).
 */
@ObjectType() // unreachable by itself, so never in a schema; subclasses inherit its fields
export abstract class Timestamped {
  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
