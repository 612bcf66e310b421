import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Timestamped } from '@influenceflow/kit';

/** What campaign knows of a creator, copied from discovery's creator.created: enough to invite and to name codes. */
@Entity({ name: 'creators' })
export class CreatorCopy extends Timestamped {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  handle: string;

  @Column({ name: 'display_name', type: 'text' })
  displayName: string;
}
