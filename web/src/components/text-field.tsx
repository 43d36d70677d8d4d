import { type ChangeEvent, type Ref, useId } from "react";

export type TextFieldProps = {
  /** The proto field name; server field violations are matched on it. */
  name: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: string;
  type?: "text" | "email" | "password" | "search" | "url";
  autoComplete?: string;
  inputMode?: "text" | "numeric" | "email" | "url" | "search";
  required?: boolean;
  multiline?: boolean;
  inputRef?: Ref<HTMLInputElement & HTMLTextAreaElement>;
};

/** A labelled input whose hint and error are announced with it (aria-describedby, aria-invalid). */
export function TextField(props: TextFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [props.hint ? hintId : "", props.error ? errorId : ""].filter(Boolean).join(" ");
  const common = {
    id,
    name: props.name,
    value: props.value,
    required: props.required,
    "aria-invalid": props.error ? true : undefined,
    "aria-describedby": describedBy || undefined,
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => props.onChange(e.target.value),
    ref: props.inputRef,
  };
  return (
    <div className={`field${props.error ? " field--invalid" : ""}`}>
      <label htmlFor={id}>
        {props.label}
        {props.required ? null : <span className="field__optional"> (optional)</span>}
      </label>
      {props.multiline ? (
        <textarea {...common} rows={4} />
      ) : (
        <input
          {...common}
          type={props.type ?? "text"}
          autoComplete={props.autoComplete}
          inputMode={props.inputMode}
          spellCheck={props.type === "text" ? undefined : false}
        />
      )}
      {props.hint ? (
        <p id={hintId} className="field__hint">
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p id={errorId} className="field__error">
          {props.error}
        </p>
      ) : null}
    </div>
  );
}
