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
