/**
 * A cell a spreadsheet would not run: text starting with = + - @ (or a tab / carriage return, which some
 * spreadsheets skip before them) gets a leading apostrophe (OWASP's "CSV injection" advice). Every CSV
 * file we hand out passes its text cells through it; amounts and numbers we print ourselves do not need it.
 */
export function safeCell(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
