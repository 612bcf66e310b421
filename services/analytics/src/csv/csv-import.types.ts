import { REASONS_DESCRIPTION } from '../orders/attribution';
import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'What became of one row of an uploaded orders file.' })
export class CsvOrderRow {
  @Field(() => Int, { description: 'The row as a spreadsheet numbers it (the header is row 1).' }) row: number;
  @Field(() => String) externalId: string;
  @Field(() => ID) orderId: string;
  @Field(() => Boolean, { description: 'The same order was handed in before (by file or API): nothing changed.' }) duplicate: boolean;
  @Field(() => ID, { nullable: true, description: 'The partnership credited; null: kept as unattributed.' }) partnershipId: string | null;
  @Field(() => String, {
    description: REASONS_DESCRIPTION,
  })
  reason: string;
}

@ObjectType({ description: 'An orders file, recorded in full (a file with any refused row records nothing).' })
export class CsvOrdersImport {
  @Field(() => Int, { description: 'Rows recorded now.' }) recorded: number;
  @Field(() => Int, { description: 'Rows that were orders recorded before.' }) duplicates: number;
  @Field(() => Int, { description: 'Rows recorded now and credited to a partnership.' }) attributed: number;
  @Field(() => [CsvOrderRow]) rows: CsvOrderRow[];
}

@ObjectType({ description: 'What became of one row of an uploaded refunds file.' })
export class CsvRefundRow {
  @Field(() => Int) row: number;
  @Field(() => String) externalId: string;
  @Field(() => ID) refundId: string;
  @Field(() => Boolean) duplicate: boolean;
}

@ObjectType({ description: 'A refunds file, recorded in full or not at all.' })
export class CsvRefundsImport {
  @Field(() => Int) recorded: number;
  @Field(() => Int) duplicates: number;
  @Field(() => [CsvRefundRow]) rows: CsvRefundRow[];
}
