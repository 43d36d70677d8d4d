import { TextField, type TextFieldProps } from "./text-field.tsx";

type FieldProps = Omit<TextFieldProps, "label">;

/** A new password typed twice, as every form that sets one asks for it (reset, change). */
export function NewPasswordFields({ field }: { field: (name: "new_password" | "confirm_password") => FieldProps }) {
  return (
    <>
      <TextField
        {...field("new_password")}
        label="New password"
        type="password"
        hint="At least 8 characters."
        autoComplete="new-password"
        required
      />
      <TextField {...field("confirm_password")} label="New password again" type="password" autoComplete="new-password" required />
    </>
  );
}
