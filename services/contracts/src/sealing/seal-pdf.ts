import { createHash, webcrypto, type KeyObject } from 'node:crypto';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { SignPdf } from '@signpdf/signpdf';
import { Signer, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { transliterate } from 'transliteration';
import { printableLine } from './document-blocks';
import type { SealingIdentity } from './sealing-identity';

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  /** ESS signing-certificate-v2 (RFC 5035): binds the signature to the certificate, as PAdES requires. */
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
};

/** Room for the CMS signature in the PDF (bytes): the certificate chain of a commercial CA fits. */
const SIGNATURE_LENGTH = 16_384;

export interface SealMeta {
  reason: string;
  location?: string;
  name?: string;
  /** The signing time written into the signature dictionary (/M); default now. */
  signingTime?: Date;
  contactInfo?: string;
}

/**
 * Seals a PDF: adds an (invisible) signature field by an incremental update and embeds a CMS signature
 * over the whole file but the signature itself, as PAdES baseline B: SubFilter ETSI.CAdES.detached,
 * SHA-256, the signer's certificate bound by the ESS signing-certificate-v2 attribute, the signing time,
 * reason, location and name in the signature dictionary. Any PDF reader shows it signed and unchanged
 * (poppler: `pdfsig file.pdf`); one changed byte of the signed range makes the signature invalid.
 */
export async function sealPdf(pdf: Buffer, identity: SealingIdentity, meta: SealMeta): Promise<Buffer> {
  const signingTime = meta.signingTime ?? new Date();
  const withPlaceholder = plainAddPlaceholder({
    pdfBuffer: pdf,
    reason: dictionaryText(meta.reason),
    contactInfo: dictionaryText(meta.contactInfo ?? ''),
    name: dictionaryText(meta.name ?? identity.subject),
    location: dictionaryText(meta.location ?? ''),
    signingTime,
    signatureLength: SIGNATURE_LENGTH,
    subFilter: SUBFILTER_ETSI_CADES_DETACHED,
    appName: 'InfluenceFlow',
  });
  return new SignPdf().sign(withPlaceholder, new CadesSigner(identity), signingTime);
}

/**
 * A text of the signature dictionary (reason, name, location) in printable ASCII, transliterated
 * ("Zoë Müller — Łódź" → "Zoe Muller -- Lodz"), one line, at most 300 characters: @signpdf writes other
 * characters as UTF-8 where PDF wants UTF-16, which readers would show garbled. Parentheses and
 * backslashes are escaped by @signpdf.
 */
export function dictionaryText(text: string): string {
  const ascii = transliterate(printableLine(text))
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return ascii.length > 300 ? `${ascii.slice(0, 297)}...` : ascii;
}

/** A detached CAdES-BES signature (CMS SignedData without content) for @signpdf, made with PKI.js. */
class CadesSigner extends Signer {
  constructor(private readonly identity: SealingIdentity) {
    super();
  }

  override async sign(signedBytes: Buffer): Promise<Buffer> {
    const certificate = pkijs.Certificate.fromBER(this.identity.certificate);
    const chain = this.identity.chain.map((der) => pkijs.Certificate.fromBER(der));
    const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest();
    const attribute = (type: string, value: asn1js.AsnType) => new pkijs.Attribute({ type, values: [value] });
    const essCertIdV2 = new asn1js.Sequence({
      value: [
        // hashAlgorithm: SHA-256, the default, is left out (DER).
        new asn1js.OctetString({ valueHex: sha256(this.identity.certificate) }),
        new asn1js.Sequence({
          value: [
            new pkijs.GeneralNames({ names: [new pkijs.GeneralName({ type: 4, value: certificate.issuer })] }).toSchema(),
            new asn1js.Integer({ valueHex: certificate.serialNumber.valueBlock.valueHexView }),
          ],
        }),
      ],
    });
    const signedData = new pkijs.SignedData({
      version: 1,
      encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
      certificates: [certificate, ...chain],
      signerInfos: [
        new pkijs.SignerInfo({
          version: 1,
          sid: new pkijs.IssuerAndSerialNumber({ issuer: certificate.issuer, serialNumber: certificate.serialNumber }),
          signedAttrs: new pkijs.SignedAndUnsignedAttributes({
            type: 0,
            attributes: [
              attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: OID.data })),
              attribute(OID.messageDigest, new asn1js.OctetString({ valueHex: sha256(signedBytes) })),
              attribute(OID.signingCertificateV2, new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] })),
            ],
          }),
        }),
      ],
    });
    await signedData.sign(await webCryptoKey(this.identity.privateKey), 0, 'SHA-256');
    const contentInfo = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) });
    return Buffer.from(contentInfo.toSchema().toBER(false));
  }
}

/** The key as Web Crypto wants it for PKI.js: RSASSA-PKCS1-v1_5 or ECDSA, SHA-256. */
async function webCryptoKey(key: KeyObject): Promise<webcrypto.CryptoKey> {
  const pkcs8 = key.export({ format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType === 'ec') {
    const curve = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' }[String(key.asymmetricKeyDetails?.namedCurve)];
    if (!curve) throw new TypeError(`the sealing key's curve ${String(key.asymmetricKeyDetails?.namedCurve)} is not P-256, P-384 or P-521`);
    return webcrypto.subtle.importKey('pkcs8', pkcs8, { name: 'ECDSA', namedCurve: curve }, false, ['sign']);
  }
  return webcrypto.subtle.importKey('pkcs8', pkcs8, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
}
