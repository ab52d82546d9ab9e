import { useState, type FormEvent } from 'react';
import type { AuthResponse } from '../../../../shared/auth';
import { LoginSchema, RegisterSchema } from '../../../../shared/auth';
import { apiRequest } from '../../api';
import { errorMessage, validate, type FieldErrors } from '../../app/validation';
import { useSession } from '../../app/session';
import { useI18n } from '../../i18n/i18n';
import { FieldError, invalidProps } from '../../app/FieldError';

export type AuthMode = 'register' | 'login';

interface Props {
  initialMode: AuthMode;
  /** Runs after the account is ready (join the event, then go on). */
  onSignedIn: () => Promise<void> | void;
  submitLabel?: (mode: AuthMode) => string;
}

/** Sign up or sign in on one screen; the switch keeps what was typed. */
export function AuthForm({ initialMode, onSignedIn, submitLabel }: Props) {
  const { t, locale } = useI18n();
  const { signIn } = useSession();
  const [mode, setMode] = useState<AuthMode>(initialMode);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setFormError(null);
    const checked =
      mode === 'register'
        ? validate(RegisterSchema, { name, email, password, locale }, t)
        : validate(LoginSchema, { email, password }, t);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const result = await apiRequest<AuthResponse>(`/auth/${mode}`, {
        method: 'POST',
        body: checked.data,
        anonymous: true,
      });
      signIn(result);
      await onSignedIn();
    } catch (err) {
      setFormError(errorMessage(err, t));
      setBusy(false);
    }
  };

  const field = (key: string) => invalidProps('auth', errors, key);

  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <div className="segmented" role="group" aria-label={t('auth.modeLabel')}>
        <button
          type="button"
          aria-pressed={mode === 'register'}
          onClick={() => setMode('register')}
        >
          {t('auth.newHere')}
        </button>
        <button type="button" aria-pressed={mode === 'login'} onClick={() => setMode('login')}>
          {t('auth.haveAccount')}
        </button>
      </div>
      {mode === 'register' && (
        <label className="field">
          <span>{t('auth.name')}</span>
          <input
            name="name"
            autoComplete="name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            {...field('name')}
          />
          <FieldError form="auth" name="name" errors={errors} />
        </label>
      )}
      <label className="field">
        <span>{t('auth.email')}</span>
        <input
          name="email"
          type="email"
          inputMode="email"
          autoComplete="email"
          autoCapitalize="none"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          {...field('email')}
        />
        <FieldError form="auth" name="email" errors={errors} />
      </label>
      <label className="field">
        <span>{t('auth.password')}</span>
        <input
          name="password"
          type="password"
          autoComplete={mode === 'register' ? 'new-password' : 'current-password'}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          {...field('password')}
        />
        {errors.password ? (
          <FieldError form="auth" name="password" errors={errors} />
        ) : (
          mode === 'register' && <span className="field-hint">{t('auth.passwordHint')}</span>
        )}
      </label>
      {formError && (
        <p className="form-error" role="alert">
          {formError}
        </p>
      )}
      <div className="bottom-actions">
        <button type="submit" className="button button-primary button-large" disabled={busy}>
          {busy
            ? t('common.working')
            : (submitLabel?.(mode) ??
              (mode === 'register' ? t('auth.createAccount') : t('auth.signIn')))}
        </button>
      </div>
    </form>
  );
}
