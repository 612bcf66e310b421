import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An event a consumer has applied: recorded in the same transaction as its effect, so never applied twice. */
@Entity({ name: 'inbox' })
export class InboxEntry {
  @PrimaryColumn({ type: 'text' }) consumer: string;
  @PrimaryColumn({ name: 'event_id', type: 'uuid' }) eventId: string;
  @Column({ type: 'text' }) type: string;
  @Column({ type: 'text' }) topic: string;
  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' }) receivedAt: Date;
}
