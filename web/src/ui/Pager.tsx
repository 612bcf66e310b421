/** Previous / next page of a Relay connection (the cursors of the pages before are the caller's). */
export function Pager(props: { label: string; hasPrevious: boolean; hasNext: boolean; onPrevious(): void; onNext(): void; page: number }) {
  if (!props.hasPrevious && !props.hasNext) return null;
  return (
    <nav className="pager" aria-label={props.label}>
      <button type="button" className="secondary" disabled={!props.hasPrevious} onClick={props.onPrevious}>
        ← Previous page
      </button>
      <span aria-live="polite">Page {props.page}</span>
      <button type="button" className="secondary" disabled={!props.hasNext} onClick={props.onNext}>
        Next page →
      </button>
    </nav>
  );
}
