import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Diagnostic, DiagnosticSeverity, Parser } from '@asyncapi/parser';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export const CATALOGUE_FILE = join(__dirname, '..', '..', 'docs', 'events.asyncapi.yaml');

/** One event type as the AsyncAPI document describes it: its channel's address and its payload's validator. */
export interface CatalogueMessage {
  type: string;
  channels: string[];
  payload: Record<string, unknown> | undefined;
  validate: ValidateFunction | undefined;
}

export interface Catalogue {
  /** Diagnostics of severity error (a valid document has none). */
  errors: Diagnostic[];
  /** By event type (the message's `name`). */
  messages: Map<string, CatalogueMessage>;
}

/**
 * docs/events.asyncapi.yaml parsed by @asyncapi/parser (refs resolved, the AsyncAPI 3 schema and its rules
 * checked) and each message's payload compiled by ajv 8 with the formats (uuid, date-time, date, uri).
 */
export async function loadCatalogue(): Promise<Catalogue> {
  const { document, diagnostics } = await new Parser().parse(readFileSync(CATALOGUE_FILE, 'utf8'));
  const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
  const messages = new Map<string, CatalogueMessage>();
  if (!document) return { errors, messages };
  // The parser marks every schema with x-parser-* keys; ajv ignores unknown keywords when not strict.
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const channel of document.channels().all()) {
    for (const message of channel.messages().all()) {
      const type = message.name()!;
      const found = messages.get(type) ?? { type, channels: [], payload: undefined, validate: undefined };
      found.channels.push(channel.address()!);
      if (!found.payload && message.hasPayload()) {
        found.payload = message.payload()!.json() as Record<string, unknown>;
        found.validate = ajv.compile(found.payload);
      }
      messages.set(type, found);
    }
  }
  return { errors, messages };
}

/** A validator's errors, short enough to read in a test's failure. */
export function describeErrors(validate: ValidateFunction): string {
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`).join('; ');
}
