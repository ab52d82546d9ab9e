import type { FieldErrors } from './validation';

/** The id of a field's error message in form `form`, for `aria-describedby`. */
const errorId = (form: string, name: string) => `${form}-${name}-error`;

/** `aria-invalid` and `aria-describedby` for a field's input while it has an error. */
export function invalidProps(form: string, errors: FieldErrors, name: string) {
  return errors[name]
    ? { 'aria-invalid': true as const, 'aria-describedby': errorId(form, name) }
    : undefined;
}

/** A field's error message, which {@link invalidProps} points the input at; or nothing. */
export function FieldError(props: { form: string; name: string; errors: FieldErrors }) {
  const message = props.errors[props.name];
  if (!message) return null;
  return (
    <span className="field-error" id={errorId(props.form, props.name)}>
      {message}
    </span>
  );
}
