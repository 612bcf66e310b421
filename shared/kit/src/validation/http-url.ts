import { badInput } from '../errors/app-error';

/** An absolute http(s) URL of at most 2,000 characters, normalised; anything else is BAD_USER_INPUT on `field`. */
export function parseHttpUrl(value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw badInput(field, 'must be an absolute http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badInput(field, 'must be an absolute http(s) URL');
  const text = url.toString();
  if (text.length > 2000) throw badInput(field, 'must be at most 2,000 characters');
  return text;
}
