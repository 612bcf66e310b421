import type { Express, RequestHandler } from 'express';
import { ErrorCode, fileBody, IDENTITY_HEADER, SubgraphRuntime, verifyGatewayCall, verifyGatewayUpload } from '@influenceflow/kit';
import type { AnalyticsContext, AnalyticsServices } from '../services';
import { CSV_LIMITS } from './csv-import';
import { importOrdersFile, importRefundsFile } from './csv-intake';
import { fail, failWith, signedContext } from './file-route';

/** Where files are uploaded to (the gateway forwards `POST /imports/…` here, signed for the caller and the bytes). */
export const IMPORTS_PATH = '/imports';

type Intake = (ctx: AnalyticsContext, brandId: string, csv: string, maxCharacters: number) => Promise<unknown>;
const IMPORTS: Record<string, Intake> = { 'orders.csv': importOrdersFile, 'refunds.csv': importRefundsFile };

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * `POST /imports/orders.csv?brandId=…` (and `refunds.csv`): a CSV file as the request body, up to 5 MiB,
 * for files above what a GraphQL string holds. The gateway signs the caller's identity for this URL and
 * these very bytes (kit `signGatewayUpload`); the file is then taken in exactly as `importOrdersCsv` takes
 * it (csv-intake.ts): all rows or none, a row sent again a duplicate, so sending a file twice is harmless.
 */
export function mountCsvUploads(app: Express, services: AnalyticsServices, runtime: SubgraphRuntime): void {
  // the signature's form, time and HMAC before a byte of the body is read (as /graphql); its body digest after
  const signedCall: RequestHandler = (req, res, next) => {
    const check = verifyGatewayCall(
      req.header(IDENTITY_HEADER),
      { method: 'POST', subgraph: 'analytics' },
      runtime.config.gatewaySigningSecret,
    );
    if (!check.ok) return fail(res, 401, ErrorCode.UNAUTHENTICATED, `Subgraphs accept requests only from the gateway (${check.reason})`);
    next();
  };
  app.post(`${IMPORTS_PATH}/:file`, signedCall, fileBody(CSV_LIMITS.uploadBytes, 'The file is over 5 MiB: split it'), async (req, res) => {
    const body = req.body as Buffer;
    const check = verifyGatewayUpload(
      req.header(IDENTITY_HEADER),
      { subgraph: 'analytics', pathAndQuery: req.originalUrl, body },
      runtime.config.gatewaySigningSecret,
    );
    const ctx = signedContext(req, res, check, services, runtime);
    if (!ctx) return;
    const file = String(req.params.file);
    const intake = Object.hasOwn(IMPORTS, file) ? IMPORTS[file] : undefined;
    if (!intake)
      return fail(
        res,
        404,
        ErrorCode.NOT_FOUND,
        `Upload to ${Object.keys(IMPORTS)
          .map((f) => `${IMPORTS_PATH}/${f}`)
          .join(' or ')}`,
      );
    const brandId = req.query.brandId;
    if (typeof brandId !== 'string') return fail(res, 400, ErrorCode.BAD_USER_INPUT, 'brandId must be a UUID', 'brandId');
    const type = (req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'text/csv') return fail(res, 415, ErrorCode.BAD_REQUEST, 'Send the file as Content-Type: text/csv (UTF-8)');
    let csv: string;
    try {
      csv = UTF8.decode(body);
    } catch {
      return fail(res, 400, ErrorCode.BAD_USER_INPUT, 'must be UTF-8 text (save it as "CSV UTF-8")', 'csv');
    }
    try {
      const outcome = await intake(ctx, brandId, csv, CSV_LIMITS.uploadBytes);
      res.status(200).setHeader('cache-control', 'no-store').json(outcome);
    } catch (err) {
      failWith(res, ctx, err, 'import');
    }
  });
}
