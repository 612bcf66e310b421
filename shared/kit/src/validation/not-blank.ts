import { ValidateBy, ValidationOptions } from 'class-validator';

/** Whitespace, and characters that show nothing (zero-width spaces and joiners, other format characters). */
const INVISIBLE = /[\s\p{Cf}\p{Zs}]/gu;
/** Bidirectional controls: they make a name read other than it is ("\u202Eevil" shows as "live"). */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;

/** Visible text, without bidirectional controls (a name, a title). */
export function isVisibleText(value: string): boolean {
  return value.replace(INVISIBLE, '').length > 0 && !BIDI_CONTROL.test(value);
}

/**
 * A text field that must show something: services trim names before storing them, and "   " would pass
 * `@Length(1, …)` only to meet the table's CHECK as an empty string; a name of zero-width spaces would be
 * stored and show nothing, one with a right-to-left override would show something else.
 */
export function NotBlank(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'notBlank',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || isVisibleText(value),
        defaultMessage: () => 'must hold visible text (not only spaces or invisible characters), without bidirectional controls',
      },
    },
    options,
  );
}
