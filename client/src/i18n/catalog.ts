/**
 * All UI strings. Each area keeps its own English and French in `messages/<area>.ts`
 * (French typed against English, so a missing translation fails the type check);
 * this file merges them.
 */
import { authEn, authFr } from './messages/auth';
import { cardEn, cardFr } from './messages/card';
import { contactsEn, contactsFr } from './messages/contacts';
import { coreEn, coreFr } from './messages/core';
import { leadsEn, leadsFr } from './messages/leads';
import { offlineEn, offlineFr } from './messages/offline';
import { organizerEn, organizerFr } from './messages/organizer';
import { publicEn, publicFr } from './messages/public';
import { pulseEn, pulseFr } from './messages/pulse';
import { scanEn, scanFr } from './messages/scan';
import { settingsEn, settingsFr } from './messages/settings';
import { teamsEn, teamsFr } from './messages/teams';

export const en = {
  ...coreEn,
  ...authEn,
  ...cardEn,
  ...contactsEn,
  ...settingsEn,
  ...publicEn,
  ...scanEn,
  ...offlineEn,
  ...teamsEn,
  ...leadsEn,
  ...pulseEn,
  ...organizerEn,
};

export type MessageKey = keyof typeof en;

export const fr: Record<MessageKey, string> = {
  ...coreFr,
  ...authFr,
  ...cardFr,
  ...contactsFr,
  ...settingsFr,
  ...publicFr,
  ...scanFr,
  ...offlineFr,
  ...teamsFr,
  ...leadsFr,
  ...pulseFr,
  ...organizerFr,
};
