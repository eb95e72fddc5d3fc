// A dialog's footer: a way out, and the one action that submits it, which says so while it runs.
interface DialogButtonsProps {
  readonly onCancel: () => void;
  readonly cancelLabel?: string;
  readonly label: string;
  readonly busyLabel: string;
  readonly busy: boolean;
  readonly disabled?: boolean;
  /** For actions that stop or replace what runs now. */
  readonly danger?: boolean;
  readonly autoFocus?: boolean;
}

export function DialogButtons({
  onCancel,
  cancelLabel = 'Cancel',
  label,
  busyLabel,
  busy,
  disabled = false,
  danger = false,
  autoFocus = false,
}: DialogButtonsProps) {
  return (
    <>
      <button type="button" className="btn" onClick={onCancel}>
        {cancelLabel}
      </button>
      <button
        type="submit"
        className={danger ? 'btn btn-danger' : 'btn btn-primary'}
        disabled={disabled || busy}
        data-autofocus={autoFocus ? true : undefined}
      >
        {busy ? busyLabel : label}
      </button>
    </>
  );
}
