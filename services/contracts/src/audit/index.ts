export * from './audit-chain';
export { AuditTrail } from './audit-trail';
export { AuditEntry, AuditHead } from './audit-entry.entity';
