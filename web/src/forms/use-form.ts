import type { ErrorReason } from "@identity/proto/error-reasons";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { type ApiProblem, problemForForm, toApiProblem } from "../api/api-problem.ts";
import type { FieldErrors } from "./validation.ts";

export type UseFormOptions<V extends Record<string, string>> = {
  initial: V;
  /** The fields in the order they appear: the first invalid one takes the focus. */
  fields: readonly (keyof V & string)[];
  validate: (values: V) => FieldErrors;
  submit: (values: V) => Promise<void>;
  /** Reasons that mean another field of this form than their usual one (see problemForForm). */
  reasonFields?: Partial<Record<ErrorReason, keyof V & string>>;
  /** For a form that appears in place of the button that asked for it: its first field takes the focus. */
  focusOnMount?: boolean;
};

/** Form state shared by every form: values, client checks, the call, and the server's answer placed. */
export function useForm<V extends Record<string, string>>(options: UseFormOptions<V>) {
  const [values, setValues] = useState<V>(options.initial);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState("");
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [pending, setPending] = useState(false);
  const inputs = useRef<Record<string, HTMLElement | null>>({});
  const focusOnMount = options.focusOnMount === true;
  const firstField = options.fields[0];

  useEffect(() => {
    if (focusOnMount && firstField) inputs.current[firstField]?.focus();
  }, [focusOnMount, firstField]);

  function focusFirstInvalid(errors: FieldErrors) {
    const first = options.fields.find((f) => errors[f]);
    if (first) inputs.current[first]?.focus();
  }

  function field(name: keyof V & string) {
    return {
      name,
      value: values[name],
      error: fieldErrors[name],
      onChange: (value: string) => setValues((prev) => ({ ...prev, [name]: value })),
      inputRef: (el: HTMLElement | null) => {
        inputs.current[name] = el;
      },
    };
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (pending) return;
    const errors = options.validate(values);
    setFieldErrors(errors);
    setProblem(null);
    if (Object.keys(errors).length > 0) {
      setFormError("Check the highlighted fields.");
      focusFirstInvalid(errors);
      return;
    }
    setFormError("");
    setPending(true);
    try {
      await options.submit(values);
    } catch (err) {
      const apiProblem = toApiProblem(err);
      const placed = problemForForm(apiProblem, options.fields, options.reasonFields);
      setProblem(apiProblem);
      setFieldErrors(placed.fieldErrors);
      setFormError(placed.formError);
      focusFirstInvalid(placed.fieldErrors);
    } finally {
      setPending(false);
    }
  }

  return {
    values,
    setValues,
    field,
    fieldErrors,
    formError,
    problem,
    pending,
    onSubmit,
  };
}
