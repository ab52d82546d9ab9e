import VCard from 'vcard-creator';
import { PHOTO_DATA_URL_PREFIX, type VisibleCardDto } from '../../../../shared/card';
import type { ContactTag } from '../../../../shared/contacts';
import { TAG_EXPORT_LABELS } from '../../../../shared/exports';
import { stripControl, stripControlKeepLines } from './sanitize';

export interface VCardExtras {
  /** Stable id so re-importing updates the same phone contact. */
  uid?: string;
  tag?: ContactTag;
  /** The owner's private note about the contact. */
  note?: string;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * vCard N needs family and given names; a card only has the name as typed. Taking the
 * last word as family name suits most names at our events, and FN keeps the exact name.
 */
export function splitName(fullName: string): { givenName: string; familyName: string } {
  const words = fullName.trim().split(/\s+/);
  if (words.length < 2) return { givenName: fullName.trim(), familyName: '' };
  return { familyName: words[words.length - 1] ?? '', givenName: words.slice(0, -1).join(' ') };
}

/** Only plain absolute https/http URLs go into URL lines (vcard-creator does not escape them). */
function safeUrl(value: string | undefined): string | undefined {
  const cleaned = stripControl(value);
  if (!cleaned) return undefined;
  try {
    const url = new URL(cleaned);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Digits and a leading + only, whatever was stored. */
function safePhone(value: string | undefined): string {
  const cleaned = stripControl(value).replace(/[^\d+]/g, '');
  return cleaned.startsWith('+')
    ? `+${cleaned.slice(1).replace(/\+/g, '')}`
    : cleaned.replace(/\+/g, '');
}

/** An email address reduced to characters that cannot break a vCard line or parameter. */
function safeEmail(value: string | undefined): string {
  const cleaned = stripControl(value).trim();
  return /^[^\s;,:"<>\\]+@[^\s;,:"<>\\]+$/.test(cleaned) ? cleaned : '';
}

/** Builds the NOTE: my note first, then what the card says about the person. */
function noteOf(card: VisibleCardDto, note: string | undefined): string {
  const parts = [stripControlKeepLines(note).trim()];
  if (card.bio) parts.push(stripControl(card.bio));
  if (card.offering) parts.push(`Offering: ${stripControl(card.offering)}`);
  if (card.seeking) parts.push(`Seeking: ${stripControl(card.seeking)}`);
  return parts.filter(Boolean).join('\n\n');
}

/**
 * One vCard 3.0 for a card as someone else sees it: UTF-8 text escaped by vcard-creator,
 * email/phone/URL values (which it does not escape) reduced to safe characters here.
 */
export function cardToVCard(card: VisibleCardDto, extras: VCardExtras = {}): string {
  const vcard = new VCard();
  const fullName = stripControl(card.fullName).trim() || 'Unknown';
  vcard.addFullName(fullName);
  vcard.addName(splitName(fullName));
  if (card.company) vcard.addCompany({ name: stripControl(card.company) });
  if (card.title) vcard.addJobtitle(stripControl(card.title));
  const email = safeEmail(card.email);
  if (email) vcard.addEmail({ address: email, type: ['internet', 'work'] });
  const phone = safePhone(card.phone);
  if (phone) vcard.addPhoneNumber({ number: phone, type: ['cell'] });
  const website = safeUrl(card.website);
  if (website) vcard.addUrl({ url: website, type: ['work'] });
  const linkedin = safeUrl(card.linkedin);
  if (linkedin) vcard.addSocial({ url: linkedin, type: 'linkedin' });
  if (card.photo?.startsWith(PHOTO_DATA_URL_PREFIX)) {
    const data = card.photo.slice(PHOTO_DATA_URL_PREFIX.length);
    if (BASE64.test(data)) vcard.addPhoto({ image: data, mime: 'JPEG' });
  }
  const label = extras.tag ? TAG_EXPORT_LABELS[extras.tag] : '';
  if (label) vcard.addCategories([label]);
  const note = noteOf(card, extras.note);
  if (note) vcard.addNote(note);
  if (extras.uid && /^[A-Za-z0-9:._-]+$/.test(extras.uid)) vcard.addUid(extras.uid);
  return vcard.toString();
}
