import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useI18n } from '../../i18n/i18n';

/** Type an event code; `/join/<code>` does the rest. */
export function JoinCodeForm({ large = false }: { large?: boolean }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [code, setCode] = useState('');
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const joinCode = code.replace(/[\s-]/g, '').toUpperCase();
    if (joinCode) void navigate(`/join/${encodeURIComponent(joinCode)}`);
  };
  return (
    <form className="join-form" onSubmit={onSubmit}>
      <label className="field">
        <span>{t('home.joinLabel')}</span>
        <input
          value={code}
          onChange={(e) => setCode(e.target.value)}
          placeholder={t('home.joinPlaceholder')}
          autoCapitalize="characters"
          autoComplete="off"
          spellCheck={false}
          maxLength={12}
        />
      </label>
      <button type="submit" className={`button button-primary${large ? ' button-large' : ''}`}>
        {t('home.join')}
      </button>
    </form>
  );
}
