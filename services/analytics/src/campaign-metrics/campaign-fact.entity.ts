import { Column, Entity, PrimaryColumn } from 'typeorm';
import { CampaignStatus } from '@influenceflow/vocabulary';

/**
 * Analytics' copy of a campaign, kept current from `campaign.*` events (no service reads another's
 * database). Roll-ups and goal progress are computed against it.
 */
@Entity({ name: 'campaign_facts' })
export class CampaignFact {
  @PrimaryColumn({ name: 'campaign_id', type: 'uuid' }) campaignId: string;
  @Column({ name: 'brand_id', type: 'uuid' }) brandId: string;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'text' }) status: CampaignStatus;
  @Column({ name: 'goal_type', type: 'text' }) goalType: string;
  @Column({ name: 'goal_target', type: 'double precision' }) goalTarget: number;
  @Column({ type: 'char', length: 3 }) currency: string;
  /** ISO dates; null in copies made before analytics kept them. */
  @Column({ name: 'starts_on', type: 'date', nullable: true }) startsOn: string | null;
  @Column({ name: 'ends_on', type: 'date', nullable: true }) endsOn: string | null;
  /** Days after a click in which an order is credited to it (set by the brand in analytics; 21 by default). */
  @Column({ name: 'attribution_window_days', type: 'integer', default: 21 }) attributionWindowDays: number;
  @Column({ name: 'launched_at', type: 'timestamptz', nullable: true }) launchedAt: Date | null;
  /** How many status changes analytics has applied: a redelivered event must not count twice. */
  @Column({ name: 'status_changes', type: 'integer', default: 0 }) statusChanges: number;
  /** Time of the last applied event: an older event arriving late does not overwrite newer state. */
  @Column({ name: 'last_event_at', type: 'timestamptz' }) lastEventAt: Date;
}
