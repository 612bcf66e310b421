import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { CloudEvent } from './envelope';

/** An event written in the same transaction as the change it reports, waiting for the relay. */
@Entity({ name: 'outbox' })
export class OutboxEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' }) seq: string;
  @Column({ type: 'uuid', unique: true }) id: string;
  @Column({ type: 'text' }) topic: string;
  @Column({ type: 'text' }) key: string;
  @Column({ type: 'text' }) type: string;
  @Column({ type: 'jsonb' }) envelope: CloudEvent;
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' }) createdAt: Date;
  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true }) sentAt: Date | null;
  @Column({ type: 'integer', default: 0 }) attempts: number;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError: string | null;
}
