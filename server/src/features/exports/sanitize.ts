// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_EXCEPT_LF = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * Removes every control character. Input validation already refuses them; exports strip
 * them again because one CR/LF in a vCard value would start a new property.
 */
export function stripControl(value: string | undefined | null): string {
  return (value ?? '').replace(CONTROL, '');
}

/** As {@link stripControl} but keeps line breaks (normalised to LF) for multi-line notes. */
export function stripControlKeepLines(value: string | undefined | null): string {
  return (value ?? '').replace(/\r\n?/g, '\n').replace(CONTROL_EXCEPT_LF, '');
}
