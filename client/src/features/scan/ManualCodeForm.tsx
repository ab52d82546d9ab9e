import { useId, useState, type FormEvent } from 'react';
import {
  normalizeShortCode,
  SHORT_CODE_LENGTH,
  SHORT_CODE_PATTERN,
} from '../../../../shared/exchange';
import { useI18n } from '../../i18n/i18n';

/** Typing the 6-character code shown under someone's QR, for when the camera cannot help. */
export function ManualCodeForm({ onSubmit }: { onSubmit: (code: string) => void }) {
  const { t } = useI18n();
  const id = useId();
  const [value, setValue] = useState('');
  const [invalid, setInvalid] = useState(false);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const code = normalizeShortCode(value);
    if (!SHORT_CODE_PATTERN.test(code)) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    setValue('');
    onSubmit(code);
  };

  return (
    <form className="manual-code" onSubmit={submit} noValidate>
      <label className="field" htmlFor={id}>
        <span>{t('scan.manualLabel')}</span>
      </label>
      <input
        id={id}
        className="manual-code-input"
        value={value}
        onChange={(e) => {
          setValue(e.target.value);
          setInvalid(false);
        }}
        inputMode="text"
        autoCapitalize="characters"
        autoComplete="off"
        autoCorrect="off"
        spellCheck={false}
        enterKeyHint="go"
        maxLength={SHORT_CODE_LENGTH + 2}
        aria-invalid={invalid}
        aria-describedby={`${id}-hint`}
        placeholder="······"
      />
      <p
        id={`${id}-hint`}
        className={invalid ? 'field-error' : 'hint'}
        role={invalid ? 'alert' : undefined}
      >
        {invalid ? t('scan.manualInvalid') : t('scan.manualHint')}
      </p>
      <button type="submit" className="button button-primary button-large">
        {t('scan.manualSubmit')}
      </button>
    </form>
  );
}
