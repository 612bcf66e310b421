import type { ApolloServer } from '@apollo/server';
import type { Express } from 'express';
import { isUuid } from '@influenceflow/kit';
import type { GatewayContext } from './context';
import { ContextOf, failDownload, signedInCaller } from './downloads';

/** A creator's yearly statement as a file: `GET /statements/2026.csv` or `.pdf` (admins add `?creatorId=<uuid>`). */
export const STATEMENTS_PATH = '/statements';

const FILE = /^(\d{4})\.(csv|pdf)$/;
const STATUS: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, BAD_USER_INPUT: 400, NOT_FOUND: 404 };

export const STATEMENT_FILE_QUERY = `query StatementFile($year: Int!, $creatorId: ID, $csv: Boolean!, $pdf: Boolean!) {
  creatorStatement(year: $year, creatorId: $creatorId) { csv @include(if: $csv) pdfBase64 @include(if: $pdf) }
}`;

/**
 * The statement download (docs/payments.md, "Files"): the caller's bearer token is verified as for
 * /graphql, and the gateway runs the `creatorStatement` query for them through the supergraph, so the
 * payments service decides who reads what exactly as it does for GraphQL; the file is its answer, decoded.
 */
export function mountStatementDownloads(app: Express, apollo: ApolloServer<GatewayContext>, contextOf: ContextOf): void {
  app.get(`${STATEMENTS_PATH}/:file`, async (req, res) => {
    const match = FILE.exec(String(req.params.file));
    if (!match) return failDownload(res, 404, 'NOT_FOUND', 'Ask for /statements/<year>.csv or /statements/<year>.pdf');
    const creatorId = req.query.creatorId;
    if (creatorId !== undefined && !isUuid(creatorId))
      return failDownload(res, 400, 'BAD_USER_INPUT', 'creatorId must be a UUID', 'creatorId');
    const context = await signedInCaller(req, res, contextOf);
    if (!context) return;
    const [, year, kind] = match;
    const response = await apollo.executeOperation<{ creatorStatement: { csv?: string; pdfBase64?: string } }>(
      {
        query: STATEMENT_FILE_QUERY,
        variables: { year: Number(year), creatorId: creatorId ?? null, csv: kind === 'csv', pdf: kind === 'pdf' },
      },
      { contextValue: context },
    );
    const result = response.body.kind === 'single' ? response.body.singleResult : null;
    const statement = result?.data?.creatorStatement;
    if (!statement || result?.errors?.length) {
      const error = result?.errors?.[0];
      const code = String(error?.extensions?.code ?? 'INTERNAL');
      const status = STATUS[code] ?? 502;
      return failDownload(
        res,
        status,
        status === 502 ? 'UPSTREAM_FAILED' : code,
        status === 502 ? 'The statement could not be made' : String(error?.message),
        status === 502 ? undefined : error?.extensions?.field,
      );
    }
    res.setHeader('cache-control', 'private, no-store');
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('content-disposition', `attachment; filename="statement-${year}.${kind}"`);
    if (kind === 'csv') res.type('text/csv; charset=utf-8').send(statement.csv ?? '');
    else res.type('application/pdf').send(Buffer.from(statement.pdfBase64 ?? '', 'base64'));
  });
}
