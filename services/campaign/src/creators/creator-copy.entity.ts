import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Timestamped } from '@influenceflow/kit';

/** What campaign knows of a creator, copied from discovery's creator.created and creator.profile-updated: enough to invite (by id or handle) and to name codes. */
@Entity({ name: 'creators' })
export class CreatorCopy extends Timestamped {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  handle: string;

  @Column({ name: 'display_name', type: 'text' })
  displayName: string;

  /** The time of the discovery event this row holds (creator.created or creator.profile-updated). */
  @Column({ name: 'profile_changed_at', type: 'timestamptz', precision: 3 })
  profileChangedAt: Date;
}
