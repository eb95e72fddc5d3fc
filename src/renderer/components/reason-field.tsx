// A typed reason (no-rollback marks, overrides), checked with the contract's own rule.
import { procedures } from '../../shared/contract/index.js';
import { TextField } from './text-field.js';

const reasonSchema = procedures['releases.markNoRollback'].input.shape.reason;

/** Undefined when the reason is acceptable; otherwise the sentence to show. */
export function reasonProblem(value: string): string | undefined {
  const result = reasonSchema.safeParse(value);
  return result.success ? undefined : (result.error.issues[0]?.message ?? 'give a reason');
}

interface ReasonFieldProps {
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly hint?: string;
  /** Show the problem only once the person tried to submit. */
  readonly showProblem: boolean;
  readonly autoFocus?: boolean;
}

export function ReasonField({ label, value, onChange, hint, showProblem, autoFocus }: ReasonFieldProps) {
  const problem = showProblem ? reasonProblem(value) : undefined;
  return (
    <TextField
      label={label}
      value={value}
      onChange={onChange}
      hint={hint}
      problem={problem && `${problem.charAt(0).toUpperCase()}${problem.slice(1)}.`}
      maxLength={500}
      data-autofocus={autoFocus ? true : undefined}
    />
  );
}

/** "Mark no-rollback" checkbox, with the reason it then requires. */
export function NoRollbackFields({
  checked,
  onCheckedChange,
  reason,
  onReasonChange,
  showProblem,
}: {
  checked: boolean;
  onCheckedChange: (checked: boolean) => void;
  reason: string;
  onReasonChange: (value: string) => void;
  showProblem: boolean;
}) {
  return (
    <div className="field no-rollback-fields">
      <label className="checkbox">
        <input type="checkbox" checked={checked} onChange={(e) => onCheckedChange(e.target.checked)} />
        Mark no-rollback
      </label>
      <span className="field-hint">
        For releases nothing should roll back across, such as a backwards-incompatible migration.
      </span>
      {checked ? (
        <ReasonField
          label="No-rollback reason"
          value={reason}
          onChange={onReasonChange}
          showProblem={showProblem}
          hint="Teammates see this when a rollback would cross this release."
        />
      ) : null}
    </div>
  );
}
