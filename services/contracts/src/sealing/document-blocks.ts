/**
 * The rendered contract's text as blocks a PDF lays out: the templates write Markdown-ish plain text
 * (`#` headings, paragraphs separated by blank lines, `-` or `*` list items). Nothing else of Markdown is
 * interpreted: `**`, links and the like stay as they were written, so the PDF shows the signed text as is.
 */
export type DocumentBlock =
  { kind: 'heading'; level: 1 | 2 | 3; text: string } | { kind: 'paragraph'; text: string } | { kind: 'bullet'; text: string };

/**
 * Characters a PDF page cannot show and nobody means to sign: C0/C1 controls (NUL included) except the
 * line breaks and tabs the parser reads, and the Unicode non-characters. Removed, never rendered as holes.
 */
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/g;

/** The text without unprintable characters, tabs as spaces, and one kind of line break. */
export function printableText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/\t/g, '    ').replace(UNPRINTABLE, '');
}

/** A line of the certificate page (a name, a user agent): one line, unprintables removed. */
export function printableLine(text: string): string {
  return printableText(text).replace(/\s+/g, ' ').trim();
}

/** Splits the document text into headings, paragraphs (wrapped lines joined) and list items. */
export function documentBlocks(documentText: string): DocumentBlock[] {
  const blocks: DocumentBlock[] = [];
  let paragraph: string[] = [];
  let bullet: string[] | null = null;
  const flush = () => {
    if (paragraph.length > 0) blocks.push({ kind: 'paragraph', text: paragraph.join(' ') });
    if (bullet) blocks.push({ kind: 'bullet', text: bullet.join(' ') });
    paragraph = [];
    bullet = null;
  };
  for (const raw of printableText(documentText).split('\n')) {
    const line = raw.trim();
    if (line === '') {
      flush();
      continue;
    }
    const heading = /^(#{1,6})(?:\s+(.*))?$/.exec(line);
    if (heading) {
      flush();
      const level = Math.min(heading[1].length, 3) as 1 | 2 | 3;
      const text = (heading[2] ?? '').replace(/(^|\s+)#+$/, '').trim();
      if (text) blocks.push({ kind: 'heading', level, text });
      continue;
    }
    const item = /^[-*•]\s+(.*)$/.exec(line);
    if (item) {
      flush();
      bullet = [item[1].trim()];
      continue;
    }
    // A line after a list item that is not blank continues the item (wrapped source text).
    if (bullet) bullet.push(line);
    else paragraph.push(line);
  }
  flush();
  return blocks;
}
