import type { CardField, CardVisibility, CardVisibilityField } from '../../../../shared/card';
import { CARD_LIMITS } from '../../../../shared/card';
import type { FieldErrors } from '../../app/validation';
import type { MessageKey } from '../../i18n/catalog';
import { useI18n } from '../../i18n/i18n';

export type CardText = Record<CardField, string>;

interface FieldSpec {
  name: CardField;
  label: MessageKey;
  type?: 'email' | 'tel' | 'url';
  autoComplete?: string;
  multiline?: boolean;
  placeholder?: MessageKey;
}

export const FIELD_SPECS: FieldSpec[] = [
  { name: 'fullName', label: 'card.fullName', autoComplete: 'name' },
  { name: 'title', label: 'card.title', autoComplete: 'organization-title' },
  { name: 'company', label: 'card.company', autoComplete: 'organization' },
  { name: 'email', label: 'card.email', type: 'email', autoComplete: 'email' },
  { name: 'phone', label: 'card.phone', type: 'tel', autoComplete: 'tel' },
  { name: 'website', label: 'card.website', type: 'url', placeholder: 'card.websitePlaceholder' },
  {
    name: 'linkedin',
    label: 'card.linkedin',
    type: 'url',
    placeholder: 'card.linkedinPlaceholder',
  },
  { name: 'bio', label: 'card.bio', multiline: true },
  { name: 'offering', label: 'card.offering', multiline: true },
  { name: 'seeking', label: 'card.seeking', multiline: true },
];

interface Props {
  values: CardText;
  visibility: CardVisibility;
  errors: FieldErrors;
  onChange: (name: CardField, value: string) => void;
  onVisibilityChange: (name: CardVisibilityField, shown: boolean) => void;
}

/** The card's text fields, each with its own "shown on my card" switch. */
export function CardFields({ values, visibility, errors, onChange, onVisibilityChange }: Props) {
  const { t } = useI18n();
  return (
    <>
      {FIELD_SPECS.map((spec) => {
        const id = `card-${spec.name}`;
        const error = errors[spec.name];
        const toggleable = spec.name !== 'fullName';
        const shown = toggleable ? visibility[spec.name as CardVisibilityField] : true;
        const common = {
          id,
          name: spec.name,
          value: values[spec.name],
          maxLength: CARD_LIMITS[spec.name] + 20,
          'aria-invalid': error ? true : undefined,
          'aria-describedby': error ? `${id}-error` : undefined,
          placeholder: spec.placeholder ? t(spec.placeholder) : undefined,
        };
        return (
          <div key={spec.name} className={shown ? 'field' : 'field field-hidden'}>
            <div className="field-row">
              <label htmlFor={id}>{t(spec.label)}</label>
              {toggleable && (
                <label className="switch">
                  <input
                    type="checkbox"
                    role="switch"
                    checked={shown}
                    aria-label={t('card.showField', { field: t(spec.label) })}
                    onChange={(e) =>
                      onVisibilityChange(spec.name as CardVisibilityField, e.target.checked)
                    }
                  />
                  <span aria-hidden="true">{shown ? t('card.shown') : t('card.hidden')}</span>
                </label>
              )}
            </div>
            {spec.multiline ? (
              <textarea
                rows={3}
                {...common}
                onChange={(e) => onChange(spec.name, e.target.value)}
              />
            ) : (
              <input
                type={spec.type ?? 'text'}
                inputMode={spec.type === 'url' ? 'url' : undefined}
                autoComplete={spec.autoComplete ?? 'off'}
                autoCapitalize={spec.type ? 'none' : undefined}
                {...common}
                onChange={(e) => onChange(spec.name, e.target.value)}
              />
            )}
            {error && (
              <span className="field-error" id={`${id}-error`}>
                {error}
              </span>
            )}
          </div>
        );
      })}
    </>
  );
}
