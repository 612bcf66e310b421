/** The API's message beside the field it names (extensions.field), announced when it appears. */
export function FieldError({ id, message }: { id: string; message?: string }) {
  return (
    <span id={id} className="field-error" role={message ? 'alert' : undefined}>
      {message ?? ''}
    </span>
  );
}

/** What names no field of the form, above it. */
export function FormErrors({ messages }: { messages: string[] }) {
  if (!messages.length) return null;
  return (
    <div role="alert" className="error-box">
      {messages.map((m) => (
        <p key={m}>{m}</p>
      ))}
    </div>
  );
}

/** A table that may scroll sideways on a phone: a focusable, named region, so the keyboard can scroll it. */
export function TableWrap({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}

/** A form field's error wiring: aria-invalid and aria-describedby on the control, the message beside it. */
export function fieldWiring(errors: Record<string, string>, field: string, prefix = 'e') {
  const message = errors[field];
  const id = `${prefix}-${field.replace(/\./g, '-')}`;
  return {
    props: { 'aria-invalid': message ? true : undefined, 'aria-describedby': id, 'data-field': field },
    error: <FieldError id={id} message={message} />,
  };
}

/** The first field at fault gets the focus (its control carries data-field), so a keyboard user lands on it. */
export function focusFirstError(form: HTMLElement | null, order: readonly string[], fields: Record<string, string>) {
  const first = order.find((k) => fields[k]);
  if (first) form?.querySelector<HTMLElement>(`[data-field="${first}"]`)?.focus();
}

/** A mutation's progress: a role=status line beside its button. */
export function Saving({ label }: { label: string }) {
  return (
    <span role="status" className="saving">
      <progress aria-label={label} /> {label}
    </span>
  );
}
