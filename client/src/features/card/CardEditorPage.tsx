import { useEffect, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import type { MeResponse } from '../../../../shared/auth';
import type { CardDto, CardResponse, CardVisibility } from '../../../../shared/card';
import { CARD_FIELDS, CardUpdateSchema, DEFAULT_CARD_VISIBILITY } from '../../../../shared/card';
import { apiRequest } from '../../api';
import { PageSkeleton } from '../../app/PageSkeleton';
import { useSession } from '../../app/session';
import { errorMessage, validate, type FieldErrors } from '../../app/validation';
import { useI18n } from '../../i18n/i18n';
import { showToast } from '../toasts/store';
import { CardFields, type CardText } from './CardFields';
import { cacheCard } from './cardCache';
import { CardView } from './CardView';
import { preparePhoto } from './photo';

/** The form's text; a first card starts from the account's name and email. */
function textOf(card: CardDto | null, user: { name: string; email: string }, first: boolean) {
  const text = Object.fromEntries(CARD_FIELDS.map((f) => [f, card?.[f] ?? ''])) as CardText;
  if (!card || first) {
    text.fullName ||= user.name;
    text.email ||= user.email;
  }
  return text;
}

/** `/card`: edit my card with a live preview of what others will receive. */
export function CardEditorPage() {
  const { t } = useI18n();
  const { user } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const welcome = params.has('welcome');
  const [loaded, setLoaded] = useState<'loading' | 'ready' | 'error'>('loading');
  const [values, setValues] = useState<CardText>(() => textOf(null, { name: '', email: '' }, true));
  const [visibility, setVisibility] = useState<CardVisibility>(DEFAULT_CARD_VISIBILITY);
  const [photo, setPhoto] = useState<string | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [photoBusy, setPhotoBusy] = useState(false);
  const [saving, setSaving] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  const load = async () => {
    setLoaded('loading');
    try {
      const me = await apiRequest<MeResponse>('/me');
      setValues(textOf(me.card, me.user, welcome));
      setVisibility({ ...DEFAULT_CARD_VISIBILITY, ...me.card?.visibility });
      setPhoto(me.card?.photo ?? null);
      setLoaded('ready');
    } catch (err) {
      setFormError(errorMessage(err, t));
      setLoaded('error');
    }
  };

  useEffect(() => {
    void load();
    // Load once per visit; `load` only changes with the language.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const onPhoto = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    setPhotoBusy(true);
    setErrors(({ photo: _, ...rest }) => rest);
    try {
      setPhoto(await preparePhoto(file));
    } catch {
      setErrors((prev) => ({ ...prev, photo: t('card.photoFailed') }));
    } finally {
      setPhotoBusy(false);
    }
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setFormError(null);
    const checked = validate(CardUpdateSchema, { ...values, photo, visibility }, t);
    if (!checked.ok) {
      setErrors(checked.errors);
      const first = Object.keys(checked.errors)[0];
      if (first) document.getElementById(`card-${first}`)?.focus();
      return;
    }
    setErrors({});
    setSaving(true);
    try {
      const saved = await apiRequest<CardResponse>('/me/card', {
        method: 'PUT',
        body: checked.data,
      });
      cacheCard(saved.card);
      showToast({ tone: 'success', title: t('card.saved') });
      if (welcome) await navigate('/', { replace: true });
    } catch (err) {
      setFormError(errorMessage(err, t));
    } finally {
      setSaving(false);
    }
  };

  if (loaded === 'loading') return <PageSkeleton rows={4} />;
  if (loaded === 'error') {
    return (
      <section className="page page-centered">
        <h1>{t('card.loadFailed')}</h1>
        <p className="lead">{formError}</p>
        <button type="button" className="button button-primary" onClick={() => void load()}>
          {t('common.retry')}
        </button>
      </section>
    );
  }

  const preview: CardDto = { ...values, photo, visibility, updatedAt: '' };
  return (
    <form className="page card-editor" onSubmit={onSubmit} noValidate>
      <div className="page-header">
        <h1>{welcome ? t('card.welcomeTitle') : t('card.editorTitle')}</h1>
        <p className="hint">
          {welcome ? t('card.welcomeLead', { name: user?.name ?? '' }) : t('card.editorLead')}
        </p>
      </div>
      <section aria-labelledby="preview-heading" className="preview">
        <h2 id="preview-heading" className="section-label">
          {t('card.previewHeading')}
        </h2>
        <CardView card={preview} headingLevel={3} />
      </section>
      <div className="field">
        <div className="field-row">
          <span className="label">{t('card.photo')}</span>
          <label className="switch">
            <input
              type="checkbox"
              role="switch"
              checked={visibility.photo}
              aria-label={t('card.showField', { field: t('card.photo') })}
              onChange={(e) => setVisibility({ ...visibility, photo: e.target.checked })}
            />
            <span aria-hidden="true">{visibility.photo ? t('card.shown') : t('card.hidden')}</span>
          </label>
        </div>
        <div className="photo-actions">
          <button
            type="button"
            className="button button-ghost"
            onClick={() => fileInput.current?.click()}
            disabled={photoBusy}
          >
            {photoBusy
              ? t('card.photoWorking')
              : photo
                ? t('card.photoChange')
                : t('card.photoAdd')}
          </button>
          {photo && (
            <button type="button" className="button button-ghost" onClick={() => setPhoto(null)}>
              {t('card.photoRemove')}
            </button>
          )}
          <input
            ref={fileInput}
            id="card-photo"
            type="file"
            accept="image/*"
            className="visually-hidden"
            tabIndex={-1}
            aria-label={t('card.photoAdd')}
            onChange={(e) => void onPhoto(e)}
          />
        </div>
        <span className="field-hint">{t('card.photoHint')}</span>
        {errors.photo && <span className="field-error">{errors.photo}</span>}
      </div>
      <CardFields
        values={values}
        visibility={visibility}
        errors={errors}
        onChange={(name, value) => {
          setValues((prev) => ({ ...prev, [name]: value }));
          // The message goes once the person starts fixing the field; saving checks again.
          setErrors(({ [name]: _, ...rest }) => rest);
        }}
        onVisibilityChange={(name, shown) => setVisibility((prev) => ({ ...prev, [name]: shown }))}
      />
      {formError && (
        <p className="form-error" role="alert">
          {formError}
        </p>
      )}
      <div className="bottom-actions">
        <button type="submit" className="button button-primary button-large" disabled={saving}>
          {saving ? t('common.saving') : welcome ? t('card.saveAndContinue') : t('card.save')}
        </button>
      </div>
    </form>
  );
}
