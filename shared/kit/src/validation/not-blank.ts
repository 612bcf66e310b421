import { ValidateBy, ValidationOptions } from 'class-validator';

/**
 * A text field that must hold something besides whitespace: services trim names before storing them, and
 * "   " would pass `@Length(1, …)` only to meet the table's CHECK as an empty string.
 */
export function NotBlank(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'notBlank',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || value.trim().length > 0,
        defaultMessage: () => 'must not be empty or only whitespace',
      },
    },
    options,
  );
}
