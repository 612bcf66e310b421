import { documentBlocks, printableLine, printableText } from './document-blocks';

describe('documentBlocks', () => {
  it('reads headings, paragraphs (wrapped lines joined) and list items', () => {
    const text = [
      '# Influencer agreement',
      '',
      'Between Acme and',
      'Zoë Müller.',
      '',
      '## Deliverables ##',
      '- One reel',
      '* Two stories, each',
      '  with a link',
      '',
      '#### Deep heading',
      'After.',
    ].join('\r\n');
    expect(documentBlocks(text)).toEqual([
      { kind: 'heading', level: 1, text: 'Influencer agreement' },
      { kind: 'paragraph', text: 'Between Acme and Zoë Müller.' },
      { kind: 'heading', level: 2, text: 'Deliverables' },
      { kind: 'bullet', text: 'One reel' },
      { kind: 'bullet', text: 'Two stories, each with a link' },
      { kind: 'heading', level: 3, text: 'Deep heading' },
      { kind: 'paragraph', text: 'After.' },
    ]);
  });

  it('keeps what is not a heading or an item as text, Markdown marks included', () => {
    expect(documentBlocks('#hashtag is not a heading\n**bold** stays\n-not an item')).toEqual([
      { kind: 'paragraph', text: '#hashtag is not a heading **bold** stays -not an item' },
    ]);
  });

  it('drops control characters (NUL included) and empty headings, and reads nothing from blank text', () => {
    expect(documentBlocks('#   \n\nA\u0000B\u0007C\u001b[31m\tD\uFFFE')).toEqual([{ kind: 'paragraph', text: 'ABC[31m    D' }]);
    expect(documentBlocks('')).toEqual([]);
    expect(documentBlocks('\n \n\t\n')).toEqual([]);
  });
});

describe('printable text', () => {
  it('keeps Unicode letters and punctuation, drops controls', () => {
    expect(printableText('Łódź — “quoted”\u0000\r\nnext')).toBe('Łódź — “quoted”\nnext');
    expect(printableLine('  Mozilla/5.0\n(X11)\u0000  ')).toBe('Mozilla/5.0 (X11)');
  });
});
