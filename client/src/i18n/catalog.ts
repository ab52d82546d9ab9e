/**
 * All UI strings. Each area keeps its own English and French in `messages/<area>.ts`
 * (French typed against English, so a missing translation fails the type check);
 * this file merges them.
 */
import { coreEn, coreFr } from './messages/core';

export const en = { ...coreEn };

export type MessageKey = keyof typeof en;

export const fr: Record<MessageKey, string> = { ...coreFr };
