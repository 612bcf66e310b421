import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';

/** The platform's sealing key and its X.509 certificate (and the chain up to its root, when configured). */
export interface SealingIdentity {
  privateKey: KeyObject;
  /** The sealing certificate, DER. */
  certificate: Buffer;
  /** The certificates between it and a root (DER), as the PKCS#12 file held them; empty for the development one. */
  chain: Buffer[];
  /** The certificate's subject, e.g. "CN=InfluenceFlow development seal,O=InfluenceFlow". */
  subject: string;
  /** 'configured': from CONTRACTS_SEAL_P12; 'development': the self-signed one made on this machine. */
  source: 'configured' | 'development';
}

export interface SealingConfig {
  /** CONTRACTS_SEAL_P12: a PKCS#12 (.p12/.pfx) file with the sealing key and certificate (+ chain). */
  p12Path?: string;
  /** CONTRACTS_SEAL_P12_PASSPHRASE. */
  p12Passphrase?: string;
  /** CONTRACTS_SEAL_DEV_DIR: where the development certificate is made once and found again. */
  developmentDir: string;
}

export const DEVELOPMENT_SEAL_SUBJECT = 'InfluenceFlow development seal';
export const DEVELOPMENT_SEAL_FILE = 'development-seal.p12';

/** The sealing identity could not be loaded: names the file and what is wrong, never the passphrase. */
export class SealingIdentityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealingIdentityError';
  }
}

/**
 * The configured PKCS#12 file when `p12Path` is set (checked: readable, passphrase right, one key with
 * its certificate, the certificate valid now); otherwise the development certificate in `developmentDir`,
 * made there (self-signed, RSA 2048, ten years) the first time and read again on every later start.
 */
export async function loadSealingIdentity(config: SealingConfig, now: Date = new Date()): Promise<SealingIdentity> {
  if (config.p12Path) {
    let file: Buffer;
    try {
      file = readFileSync(config.p12Path);
    } catch (err) {
      throw new SealingIdentityError(
        `CONTRACTS_SEAL_P12: cannot read ${config.p12Path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
    const identity = identityFromP12(file, config.p12Passphrase ?? '', 'configured', `CONTRACTS_SEAL_P12 (${config.p12Path})`);
    const cert = new X509Certificate(identity.certificate);
    if (new Date(cert.validFrom) > now || new Date(cert.validTo) < now) {
      throw new SealingIdentityError(
        `CONTRACTS_SEAL_P12 (${config.p12Path}): the certificate "${identity.subject}" is valid from ${cert.validFrom} to ${cert.validTo}, not now`,
      );
    }
    return identity;
  }
  return developmentIdentity(config.developmentDir, now);
}

function developmentIdentity(dir: string, now: Date): SealingIdentity {
  const path = join(dir, DEVELOPMENT_SEAL_FILE);
  const read = (): SealingIdentity | null => {
    let file: Buffer;
    try {
      file = readFileSync(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new SealingIdentityError(`cannot read the development seal ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    return identityFromP12(file, '', 'development', `the development seal ${path}`);
  };
  const existing = read();
  if (existing) return existing;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Written aside, then linked into place: a process starting at the same time never reads half a file,
  // and when two make one at once, the first link wins and both use it.
  const aside = join(dir, `.${DEVELOPMENT_SEAL_FILE}.${process.pid}.${randomBytes(4).toString('hex')}`);
  try {
    writeFileSync(aside, createDevelopmentP12(now), { flag: 'wx', mode: 0o600 });
    linkSync(aside, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new SealingIdentityError(`cannot write the development seal ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  } finally {
    rmSync(aside, { force: true });
  }
  return read()!;
}

/** A self-signed RSA 2048 certificate "InfluenceFlow development seal" in a PKCS#12 without a passphrase. */
export function createDevelopmentP12(now: Date = new Date(), passphrase = ''): Buffer {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ format: 'pem', type: 'pkcs1' }).toString()) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  // A positive serial of 16 random bytes (RFC 5280: at most 20 octets).
  cert.serialNumber = '01' + randomBytes(15).toString('hex');
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now.getTime() + 10 * 365 * 86_400_000);
  const name = [
    { name: 'commonName', value: DEVELOPMENT_SEAL_SUBJECT },
    { name: 'organizationName', value: 'InfluenceFlow' },
  ];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(key, forge.md.sha256.create());
  const p12 = forge.pkcs12.toPkcs12Asn1(key, [cert], passphrase, { algorithm: '3des', friendlyName: DEVELOPMENT_SEAL_SUBJECT });
  return Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary');
}

/** The key and the certificate that matches it (plus the other certificates, as the chain) of a PKCS#12. */
export function identityFromP12(file: Buffer, passphrase: string, source: SealingIdentity['source'], what: string): SealingIdentity {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(file.toString('binary'))), false, passphrase);
  } catch {
    throw new SealingIdentityError(`${what}: not a PKCS#12 file, or the passphrase (CONTRACTS_SEAL_P12_PASSPHRASE) is wrong`);
  }
  // forge parses RSA keys and certificates itself and leaves the others (EC) as ASN.1: both become DER.
  const der = (asn1: forge.asn1.Asn1) => Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
  const keys: KeyObject[] = [];
  for (const bagType of [forge.pki.oids.pkcs8ShroudedKeyBag, forge.pki.oids.keyBag]) {
    for (const bag of p12.getBags({ bagType })[bagType] ?? []) {
      const info = bag.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)) : bag.asn1;
      if (info) keys.push(createPrivateKey({ key: der(info), format: 'der', type: 'pkcs8' }));
    }
  }
  const certificates = (p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? []).flatMap((bag): Buffer[] =>
    bag.cert ? [der(forge.pki.certificateToAsn1(bag.cert))] : bag.asn1 ? [der(bag.asn1)] : [],
  );
  if (keys.length !== 1) throw new SealingIdentityError(`${what}: holds ${keys.length} private keys, expected exactly one`);
  const privateKey = keys[0];
  const spki = (k: KeyObject) => k.export({ format: 'der', type: 'spki' });
  const own = spki(createPublicKey(privateKey));
  const mine = certificates.find((c) => spki(new X509Certificate(c).publicKey).equals(own));
  if (!mine) throw new SealingIdentityError(`${what}: no certificate matches its private key`);
  const keyType = privateKey.asymmetricKeyType;
  if (keyType !== 'rsa' && keyType !== 'ec')
    throw new SealingIdentityError(`${what}: the key is ${keyType}; RSA or EC (P-256/P-384/P-521) can seal`);
  return {
    privateKey,
    certificate: mine,
    chain: certificates.filter((c) => c !== mine),
    subject: new X509Certificate(mine).subject.split('\n').reverse().join(','),
    source,
  };
}
