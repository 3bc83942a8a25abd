// A labelled input with its hint and its error (from the form's own check or the server's `fieldErrors`), tied
// together for screen readers: the shoppers' app and the staff console use it for every field.

/** One labelled input with its error (from the form's own check or the server's `fieldErrors`) beside it. */
export function Field(props: {
  id: string;
  label: string;
  value: string;
  error?: string;
  type?: string;
  autocomplete?: string;
  inputMode?: "decimal" | "numeric" | "tel" | "email" | "text";
  hint?: string;
  onInput: (value: string) => void;
}) {
  const errorId = `${props.id}-error`;
  const hintId = `${props.id}-hint`;
  const described = [props.hint ? hintId : "", props.error ? errorId : ""].filter(Boolean).join(" ");
  return (
    <>
      <label for={props.id}>{props.label}</label>
      {props.hint && (
        <p id={hintId} class="hint">
          {props.hint}
        </p>
      )}
      <input
        id={props.id}
        type={props.type ?? "text"}
        autocomplete={props.autocomplete}
        inputMode={props.inputMode}
        value={props.value}
        aria-invalid={!!props.error}
        aria-describedby={described || undefined}
        onInput={(e) => props.onInput((e.target as HTMLInputElement).value)}
      />
      {props.error && (
        <p id={errorId} class="error">
          {props.error}
        </p>
      )}
    </>
  );
}
