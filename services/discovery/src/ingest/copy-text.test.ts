import { copyJson, copyNumber, copyNumberArray, copyRow, copyText, copyTextArray } from './copy-text';

describe('COPY text format', () => {
  it('escapes backslash, tab, newline and carriage return, and writes NULL as \\N', () => {
    expect(copyText('plain')).toBe('plain');
    expect(copyText('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyText(null)).toBe('\\N');
    expect(copyText('\\N')).toBe('\\\\N');
  });

  it('writes arrays as literals, quoting what needs it', () => {
    expect(copyTextArray(['food', 'travel'])).toBe('{food,travel}');
    expect(copyTextArray([])).toBe('{}');
    expect(copyTextArray(['a b', 'c,d', 'q"x', 'NULL', '', 'b\\s'])).toBe('{"a b","c,d","q\\\\"x","NULL","","b\\\\\\\\s"}');
    expect(copyNumberArray([0.1, 2, 0])).toBe('{0.1,2,0}');
    expect(copyNumberArray(null)).toBe('\\N');
  });

  it('writes numbers and JSON', () => {
    expect(copyNumber(1.5)).toBe('1.5');
    expect(copyNumber(null)).toBe('\\N');
    expect(() => copyNumber(Number.NaN)).toThrow(RangeError);
    expect(copyJson({ a: 'say "hi"\n' })).toBe('{"a":"say \\\\"hi\\\\"\\\\n"}');
    expect(copyRow(['1', '\\N'])).toBe('1\t\\N\n');
  });
});
