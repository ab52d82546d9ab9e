import { useId, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import {
  LEAD_LIMITS,
  LEAD_RATINGS,
  LEAD_TAGS,
  type LeadDetailDto,
  type LeadUpdateInput,
} from '../../../../shared/leads';
import { useI18n } from '../../i18n/i18n';
import { initials } from '../teams/TeamPage';
import { teamsApi } from '../teams/teamsApi';
import { errorMessageKey, useLoad } from '../teams/useLoad';
import { leadsApi } from './leadsApi';
import { RATING_LABEL, TAG_LABEL, TagIcon } from './TagBadge';
import '../teams/teams.css';
import './leads.css';
import './lead-detail.css';

/** `/teams/:teamId/leads/:leadId`: the person, every encounter, the team's notes. */
export function LeadDetailPage() {
  const { teamId = '', leadId = '' } = useParams();
  const { t } = useI18n();
  const lead = useLoad(`${teamId}/${leadId}`, (signal) => leadsApi.get(teamId, leadId, signal));
  const team = useLoad(teamId, (signal) => teamsApi.get(teamId, signal));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const boardHref = `/teams/${encodeURIComponent(teamId)}/leads`;

  const save = async (input: LeadUpdateInput, done?: string) => {
    setSaving(true);
    setError(null);
    try {
      const result = await leadsApi.update(teamId, leadId, input);
      lead.setData(result);
      setStatus(done ?? t('leads.detail.saved'));
      return true;
    } catch (err) {
      setError(t(errorMessageKey(err)));
      return false;
    } finally {
      setSaving(false);
    }
  };

  const data = lead.data?.lead;
  if (!data) {
    return (
      <section className="page">
        <Link to={boardHref} className="back-link">
          ← {t('leads.detail.back')}
        </Link>
        {lead.status === 'error' ? (
          <div className="notice notice-error" role="alert">
            <p>{t(errorMessageKey(lead.error))}</p>
            <button type="button" className="button button-ghost" onClick={lead.reload}>
              {t('teams.retry')}
            </button>
          </div>
        ) : (
          <div aria-busy="true" aria-label={t('leads.loading')}>
            <div className="skeleton skeleton-title" />
            <div className="skeleton skeleton-block" />
            <div className="skeleton skeleton-block" />
          </div>
        )}
      </section>
    );
  }

  return (
    <section className="page lead-detail">
      <Link to={boardHref} className="back-link">
        ← {t('leads.detail.back')}
      </Link>
      <PersonCard lead={data} />
      <LeadControls
        lead={data}
        members={team.data?.team.members ?? []}
        saving={saving}
        save={save}
      />
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      <p className="visually-hidden" role="status">
        {status}
      </p>
      <Encounters lead={data} />
      <Notes lead={data} saving={saving} save={save} />
    </section>
  );
}

function PersonCard({ lead }: { lead: LeadDetailDto }) {
  const { person } = lead;
  const subtitle = [person.title, person.company].filter(Boolean).join(' · ');
  return (
    <article className="person-card">
      <span className="avatar avatar-large" aria-hidden="true">
        {initials(person.fullName)}
      </span>
      <div>
        <h1>{person.fullName}</h1>
        {subtitle && <p className="lead-sub">{subtitle}</p>}
        <ul className="person-links">
          {person.email && (
            <li>
              <a href={`mailto:${person.email}`}>{person.email}</a>
            </li>
          )}
          {person.phone && (
            <li>
              <a href={`tel:${person.phone}`}>{person.phone}</a>
            </li>
          )}
          {person.website && (
            <li>
              <a href={person.website} rel="noopener noreferrer" target="_blank">
                {person.website.replace(/^https:\/\//, '')}
              </a>
            </li>
          )}
          {person.linkedin && (
            <li>
              <a href={person.linkedin} rel="noopener noreferrer" target="_blank">
                LinkedIn
              </a>
            </li>
          )}
        </ul>
      </div>
    </article>
  );
}

type Save = (input: LeadUpdateInput, done?: string) => Promise<boolean>;

function LeadControls(props: {
  lead: LeadDetailDto;
  members: { userId: string; name: string }[];
  saving: boolean;
  save: Save;
}) {
  const { t } = useI18n();
  const { lead, save, saving } = props;
  const assignId = useId();
  return (
    <div className="panel lead-controls">
      <fieldset className="choice-group">
        <legend>{t('leads.detail.tag')}</legend>
        <div className="chip-group">
          {LEAD_TAGS.map((tag) => (
            <button
              key={tag}
              type="button"
              className={`chip chip-${tag}`}
              aria-pressed={lead.tag === tag}
              disabled={saving}
              onClick={() => void save({ tag })}
            >
              <TagIcon tag={tag} size={20} /> {t(TAG_LABEL[tag])}
            </button>
          ))}
        </div>
      </fieldset>
      <fieldset className="choice-group">
        <legend>{t('leads.detail.rating')}</legend>
        <div className="chip-group">
          {LEAD_RATINGS.map((rating) => (
            <button
              key={rating}
              type="button"
              className={`chip rating-${rating}`}
              aria-pressed={lead.rating === rating}
              disabled={saving}
              onClick={() => void save({ rating: lead.rating === rating ? null : rating })}
            >
              {t(RATING_LABEL[rating])}
            </button>
          ))}
        </div>
      </fieldset>
      <div className="control-row">
        <label className="field" htmlFor={assignId}>
          <span>{t('leads.detail.assignee')}</span>
        </label>
        <select
          id={assignId}
          className="select"
          value={lead.assignee?.userId ?? ''}
          disabled={saving}
          onChange={(e) => void save({ assigneeId: e.target.value || null })}
        >
          <option value="">{t('leads.detail.unassigned')}</option>
          {props.members.map((m) => (
            <option key={m.userId} value={m.userId}>
              {m.name}
            </option>
          ))}
        </select>
      </div>
      <label className="switch-row">
        <input
          type="checkbox"
          checked={lead.followedUp}
          disabled={saving}
          onChange={(e) => void save({ followedUp: e.target.checked })}
        />
        <span>{t('leads.detail.followedUp')}</span>
      </label>
    </div>
  );
}

function Encounters({ lead }: { lead: LeadDetailDto }) {
  const { t, formatDateTime } = useI18n();
  return (
    <section className="panel" aria-labelledby="encounters-title">
      <h2 id="encounters-title">
        {t('leads.detail.encounters', { count: lead.encounters.length })}
      </h2>
      <ol className="timeline">
        {lead.encounters.map((e) => (
          <li key={e.handshakeId}>
            <strong>{e.member.name || t('leads.formerMember')}</strong>
            <span className="hint">
              {t('leads.detail.encounterAt', {
                date: formatDateTime(e.at),
                event: e.eventName,
              })}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}

function Notes({ lead, saving, save }: { lead: LeadDetailDto; saving: boolean; save: Save }) {
  const { t, formatDateTime } = useI18n();
  const [text, setText] = useState('');
  const noteId = useId();
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const note = text.trim();
    if (!note) return;
    if (await save({ note }, t('leads.detail.noteAdded'))) setText('');
  };
  return (
    <section className="panel" aria-labelledby="notes-title">
      <h2 id="notes-title">{t('leads.detail.notes')}</h2>
      {lead.notes.length === 0 && <p className="hint">{t('leads.detail.noNotes')}</p>}
      <ol className="notes">
        {lead.notes.map((note, index) => (
          <li key={`${note.at}-${index}`}>
            <p className="note-text">{note.text}</p>
            <p className="hint">
              {note.author.name || t('leads.formerMember')} · {formatDateTime(note.at)}
            </p>
          </li>
        ))}
      </ol>
      <form onSubmit={(e) => void onSubmit(e)} className="note-form">
        <label className="field" htmlFor={noteId}>
          <span>{t('leads.detail.addNote')}</span>
        </label>
        <textarea
          id={noteId}
          className="textarea"
          value={text}
          maxLength={LEAD_LIMITS.note}
          rows={3}
          onChange={(e) => setText(e.target.value.replace(/[\r\n]+/g, ' '))}
          placeholder={t('leads.detail.notePlaceholder')}
        />
        <button type="submit" className="button button-primary" disabled={saving || !text.trim()}>
          {t('leads.detail.saveNote')}
        </button>
      </form>
    </section>
  );
}
