export { renderContractPdf, type CertificatePage, type ContractPdfInput, type PdfPageSize } from './contract-pdf';
export { sealPdf, type SealMeta } from './seal-pdf';
export {
  loadSealingIdentity,
  createDevelopmentP12,
  identityFromP12,
  SealingIdentityError,
  DEVELOPMENT_SEAL_SUBJECT,
  type SealingConfig,
  type SealingIdentity,
} from './sealing-identity';
export { sealingSettings } from './seal-settings';
