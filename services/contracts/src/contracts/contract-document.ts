import { createHash } from 'node:crypto';
import { DEFAULT_AGREEMENT, DEFAULT_TEMPLATE_VERSION } from '../templates/default-agreement';
import { renderTemplate } from '../templates/template-engine';
import { ContractTerms, templateValues } from './contract-terms';

/** SHA-256 (hex) of a text's exact UTF-8 bytes: what a signer's client computes over the document it was served. */
export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256')
    .update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data)
    .digest('hex');
}

export const SHA256_HEX = /^[0-9a-f]{64}$/;

export interface RenderedDocument {
  document: string;
  documentSha256: string;
  templateVersion: number;
}

/**
 * The document of a contract version: its terms rendered through its template (the brand's, or the
 * default agreement), strictly. Line endings are normalised to \n and the text ends with one newline,
 * so the bytes (and their hash) do not depend on how a template was typed.
 */
export function renderContractDocument(
  terms: ContractTerms,
  contract: { version: number; amendsVersion: number | null; createdOn: string },
  template: { body: string; version: number } | null,
): RenderedDocument {
  const body = template?.body ?? DEFAULT_AGREEMENT;
  const rendered = renderTemplate(body, templateValues(terms, contract))
    .replace(/\r\n?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/\s+$/, '');
  const document = `${rendered}\n`;
  return { document, documentSha256: sha256Hex(document), templateVersion: template?.version ?? DEFAULT_TEMPLATE_VERSION };
}

/** The statement a signer accepts, word for word: it names the version and the document's hash. */
export function consentStatement(contract: { version: number; documentSha256: string }, title: string): string {
  return (
    `I have read version ${contract.version} of "${title}" (SHA-256 ${contract.documentSha256}) and I agree to sign it electronically. ` +
    'I agree that my electronic signature binds me as my handwritten signature would.'
  );
}
