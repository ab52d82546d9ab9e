/**
 * All UI strings. Each area keeps its own English and French in `messages/<area>.ts`
 * (French typed against English, so a missing translation fails the type check);
 * this file merges them.
 */
import { coreEn, coreFr } from './messages/core';
import { offlineEn, offlineFr } from './messages/offline';
import { scanEn, scanFr } from './messages/scan';

export const en = { ...coreEn, ...scanEn, ...offlineEn };

export type MessageKey = keyof typeof en;

export const fr: Record<MessageKey, string> = { ...coreFr, ...scanFr, ...offlineFr };
