import { useState } from 'react';
import type { TeamInviteResponse } from '../../../../shared/teams';
import { useI18n } from '../../i18n/i18n';
import { teamsApi } from './teamsApi';
import { errorMessageKey } from './useLoad';

/** "ABCDEFGHJKMN" → "ABCD-EFGH-JKMN": easier to read out at a stand. */
export function formatInviteCode(code: string): string {
  return (code.match(/.{1,4}/g) ?? [code]).join('-');
}

/** Owners issue an invite (a new one revokes the previous) and share its code or link. */
export function InvitePanel({ teamId }: { teamId: string }) {
  const { t, formatDateTime } = useI18n();
  const [invite, setInvite] = useState<TeamInviteResponse | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  const issue = async () => {
    setBusy(true);
    setMessage(null);
    try {
      setInvite(await teamsApi.invite(teamId));
    } catch (err) {
      setMessage(t(errorMessageKey(err)));
    } finally {
      setBusy(false);
    }
  };

  const share = async () => {
    if (!invite) return;
    try {
      if (navigator.share) {
        await navigator.share({ title: t('teams.invite.shareTitle'), url: invite.url });
        return;
      }
      await navigator.clipboard.writeText(invite.url);
      setMessage(t('teams.invite.copied'));
    } catch {
      // Share sheet dismissed or clipboard refused: the link stays visible to copy by hand.
    }
  };

  return (
    <div className="panel invite-panel">
      <h2>{t('teams.invite.title')}</h2>
      <p className="hint">{t('teams.invite.lead')}</p>
      {invite && (
        <>
          <p className="invite-code" aria-label={t('teams.invite.code')}>
            {formatInviteCode(invite.code)}
          </p>
          <p className="invite-url">
            <a href={invite.url}>{invite.url}</a>
          </p>
          <p className="hint">
            {t('teams.invite.expires', { date: formatDateTime(invite.expiresAt) })}
          </p>
        </>
      )}
      <div className="row-actions">
        <button
          type="button"
          className="button button-primary"
          onClick={() => void issue()}
          disabled={busy}
        >
          {t(invite ? 'teams.invite.rotate' : 'teams.invite.create')}
        </button>
        {invite && (
          <button type="button" className="button button-ghost" onClick={() => void share()}>
            {t('teams.invite.share')}
          </button>
        )}
      </div>
      <p className="hint" role="status">
        {message}
      </p>
    </div>
  );
}
