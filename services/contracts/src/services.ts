import type { RequestContext, SubgraphRuntime } from '@influenceflow/kit';
import { AuditTrail } from './audit/audit-trail';
import {
  CertificateError,
  certificateInputError,
  certificateSettings,
  issueCertificate,
  SigningKeys,
  verifyCertificate,
} from './certificates';
import { ContractService } from './contracts/contract.service';
import type { AuditLog, Certificates, PdfSealer } from './contracts/seams';
import { loadSealingIdentity, renderContractPdf, sealingSettings, sealPdf, type SealingIdentity } from './sealing';
import { ContractTemplateService } from './templates/contract-template.service';
import { VerificationService } from './verification/verification.service';

/** What the contracts subgraph is made of, built once per process (`contractsServices`). */
export interface ContractsServices {
  templates: ContractTemplateService;
  contracts: ContractService;
  verification: VerificationService;
  audit: AuditLog;
  certificates: Certificates & { keys: () => SigningKeys };
  pdf: PdfSealer;
}

/** The request context of contracts's resolvers: `ctx.services` are the ones below. */
export type ContractsContext = RequestContext<ContractsServices>;

/** Where the platform's public routes are: PUBLIC_BASE_URL, else the service's own address once it listens. */
function publicBase(runtime: SubgraphRuntime): string {
  return (runtime.config.publicBaseUrl ?? runtime.publicBaseUrl ?? 'http://127.0.0.1').replace(/\/+$/, '');
}

/**
 * The certificates of completion, with the platform's keys (certificates/): created on first use, so
 * the issuer (`iss`) is the public address the service ends up with.
 */
function certificatesOf(runtime: SubgraphRuntime): ContractsServices['certificates'] {
  const settings = certificateSettings();
  let keys: SigningKeys | null = null;
  const keysOf = () =>
    (keys ??= new SigningKeys(runtime.dataSource, { configuredKey: settings.configuredKey, issuer: publicBase(runtime) }));
  return {
    keys: keysOf,
    issue: (claims) => issueCertificate(keysOf(), claims),
    jwks: () => keysOf().jwks(),
    verify: async (jws, field = 'certificate') => {
      try {
        // The signature with a published key (its kid) is what matters; the issuer is not checked against
        // the current public address, which may have changed since a certificate was issued.
        return await verifyCertificate(jws, await keysOf().jwks());
      } catch (err) {
        if (err instanceof CertificateError) throw certificateInputError(err, field);
        throw err;
      }
    },
  };
}

/** The sealed PDF (sealing/): rendered, then sealed with the platform's certificate, loaded once. */
function pdfSealerOf(): PdfSealer {
  const config = sealingSettings();
  let identity: Promise<SealingIdentity> | null = null;
  return {
    async sealedPdf(input) {
      identity ??= loadSealingIdentity(config).catch((err: unknown) => {
        identity = null;
        throw err;
      });
      const pdf = await renderContractPdf(input);
      return sealPdf(pdf, await identity, {
        reason: `Executed contract: ${input.title}`,
        name: 'InfluenceFlow',
        location: 'InfluenceFlow platform',
      });
    },
  };
}

/** The one place contracts's parts are made, with what each needs. */
export function contractsServices(runtime: SubgraphRuntime): ContractsServices {
  const audit = new AuditTrail(runtime.dataSource);
  const certificates = certificatesOf(runtime);
  const pdf = pdfSealerOf();
  return {
    templates: new ContractTemplateService(),
    contracts: new ContractService(audit, certificates, pdf, () => publicBase(runtime)),
    verification: new VerificationService(runtime.dataSource, certificates, runtime.logger.child({ component: 'verification' })),
    audit,
    certificates,
    pdf,
  };
}
