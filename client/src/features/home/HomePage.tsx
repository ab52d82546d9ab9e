import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useI18n } from '../../i18n/i18n';
import { TagIcon } from '../contacts/TagIcon';

/** The start screen for someone who is not signed in yet. */
export function HomePage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [code, setCode] = useState('');

  const onJoin = (e: FormEvent) => {
    e.preventDefault();
    const joinCode = code.trim().toUpperCase();
    if (joinCode) void navigate(`/join/${encodeURIComponent(joinCode)}`);
  };

  return (
    <section className="page home">
      <div className="hero">
        <h1>{t('home.title')}</h1>
        <p className="lead">{t('home.lead')}</p>
        <ul
          className="tag-legend"
          aria-label={`${t('home.cooperation')} / ${t('home.competition')}`}
        >
          <li className="tag tag-cooperation">
            <TagIcon tag="cooperation" /> {t('home.cooperation')}
          </li>
          <li className="tag tag-competition">
            <TagIcon tag="competition" /> {t('home.competition')}
          </li>
        </ul>
        <p className="hint">{t('home.private')}</p>
      </div>
      <form className="bottom-actions" onSubmit={onJoin}>
        <label className="field">
          <span>{t('home.joinLabel')}</span>
          <input
            value={code}
            onChange={(e) => setCode(e.target.value)}
            placeholder={t('home.joinPlaceholder')}
            autoCapitalize="characters"
            autoComplete="off"
            maxLength={12}
          />
        </label>
        <button type="submit" className="button button-primary button-large">
          {t('home.join')}
        </button>
        <Link to="/login" className="button button-ghost">
          {t('home.signIn')}
        </Link>
      </form>
    </section>
  );
}
