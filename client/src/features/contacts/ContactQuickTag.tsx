import { useEffect, useRef, useState } from 'react';
import type {
  ContactDto,
  ContactRating,
  ContactTag,
  ContactUpdateInput,
} from '../../../../shared/contacts';
import { CONTACT_LIMITS, CONTACT_RATINGS } from '../../../../shared/contacts';
import { errorMessage } from '../../app/validation';
import { useI18n } from '../../i18n/i18n';
import { updateContact } from './contactsApi';
import { TagIcon } from './TagIcon';
import { RATING_WORD, TAG_WORD } from './tags';

interface Props {
  contact: ContactDto;
  onChange?: (contact: ContactDto) => void;
  /** The contact screen also shows the follow-up; right after a scan it would be noise. */
  showFollowUp?: boolean;
}

const TAGS: Exclude<ContactTag, 'none'>[] = ['cooperation', 'competition'];

/** `<input type="date">` value (local day) for an ISO time, and back (noon, so no zone flips the day). */
function toDateInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
function fromDateInput(value: string): string | null {
  if (!value) return null;
  return new Date(`${value}T12:00:00`).toISOString();
}

/**
 * One-tap Co-operation / Competition, a rating and a note. Changes show at once and are
 * saved behind the scenes; a failed save puts the old value back and says why.
 */
export function ContactQuickTag({ contact, onChange, showFollowUp = false }: Props) {
  const { t } = useI18n();
  const [current, setCurrent] = useState(contact);
  const [note, setNote] = useState(contact.note);
  const [noteState, setNoteState] = useState<'idle' | 'saving' | 'saved'>('idle');
  const [error, setError] = useState<string | null>(null);
  const noteTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const savedNote = useRef(contact.note);

  // A push from another device (or the list refetching) brings a newer copy.
  useEffect(() => {
    setCurrent(contact);
  }, [contact]);

  const save = async (update: ContactUpdateInput, optimistic: Partial<ContactDto>) => {
    const before = current;
    setCurrent({ ...current, ...optimistic });
    setError(null);
    try {
      const next = await updateContact(current.id, update);
      setCurrent(next);
      onChange?.(next);
      return true;
    } catch (err) {
      setCurrent(before);
      setError(errorMessage(err, t));
      return false;
    }
  };

  const setTag = (tag: ContactTag) => {
    const next = current.tag === tag ? 'none' : tag;
    void save({ tag: next }, { tag: next });
  };

  const setRating = (rating: ContactRating) => {
    const next = current.rating === rating ? null : rating;
    void save({ rating: next }, { rating: next });
  };

  const saveNote = async (value: string) => {
    clearTimeout(noteTimer.current);
    if (value === savedNote.current) return;
    setNoteState('saving');
    const ok = await save({ note: value }, { note: value });
    if (ok) savedNote.current = value;
    setNoteState(ok ? 'saved' : 'idle');
  };

  useEffect(() => () => clearTimeout(noteTimer.current), []);

  const followUp = current.followUp ?? { done: false, dueAt: null };
  const noteId = `note-${current.id}`;

  return (
    <div className="quick-tag">
      <div className="tag-buttons" role="group" aria-label={t('contacts.tagLabel')}>
        {TAGS.map((tag) => (
          <button
            key={tag}
            type="button"
            className={`tag-button tag-button-${tag}`}
            aria-pressed={current.tag === tag}
            onClick={() => setTag(tag)}
          >
            <TagIcon tag={tag} size={24} />
            <span>{t(TAG_WORD[tag])}</span>
          </button>
        ))}
      </div>
      <div className="rating-buttons" role="group" aria-label={t('contacts.ratingLabel')}>
        <span className="section-label" aria-hidden="true">
          {t('contacts.ratingLabel')}
        </span>
        <div className="segmented">
          {CONTACT_RATINGS.map((rating) => (
            <button
              key={rating}
              type="button"
              aria-pressed={current.rating === rating}
              onClick={() => setRating(rating)}
            >
              {t(RATING_WORD[rating])}
            </button>
          ))}
        </div>
      </div>
      <div className="field">
        <div className="field-row">
          <label htmlFor={noteId}>{t('contacts.note')}</label>
          <span className="field-status" aria-live="polite">
            {noteState === 'saving'
              ? t('common.saving')
              : noteState === 'saved'
                ? t('common.saved')
                : ''}
          </span>
        </div>
        <textarea
          id={noteId}
          rows={3}
          maxLength={CONTACT_LIMITS.note}
          value={note}
          placeholder={t('contacts.notePlaceholder')}
          onChange={(e) => {
            const value = e.target.value;
            setNote(value);
            setNoteState('idle');
            clearTimeout(noteTimer.current);
            noteTimer.current = setTimeout(() => void saveNote(value), 1_200);
          }}
          onBlur={() => void saveNote(note)}
        />
      </div>
      {showFollowUp && (
        <fieldset className="follow-up">
          <legend className="section-label">{t('contacts.followUp')}</legend>
          <label className="check">
            <input
              type="checkbox"
              checked={followUp.done}
              onChange={(e) => {
                const next = { done: e.target.checked, dueAt: followUp.dueAt };
                void save({ followUp: next }, { followUp: next });
              }}
            />
            <span>{t('contacts.followUpDone')}</span>
          </label>
          <label className="field">
            <span>{t('contacts.followUpDue')}</span>
            <input
              type="date"
              value={toDateInput(followUp.dueAt)}
              onChange={(e) => {
                const next = { done: followUp.done, dueAt: fromDateInput(e.target.value) };
                void save({ followUp: next }, { followUp: next });
              }}
            />
          </label>
        </fieldset>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
