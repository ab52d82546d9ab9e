/** English strings. Every key here must exist in fr.ts (the type enforces it). */
export const en = {
  'app.name': 'Coopetition',
  'app.tagline': 'Swap cards in one scan. Know who to partner with — and who to watch.',
  'nav.skipToContent': 'Skip to content',
  'lang.label': 'Language',
  'home.title': 'Meet, scan, follow up',
  'home.lead':
    'Show your code, scan theirs, and tag every contact as a co-operation or a competition lead.',
  'home.joinLabel': 'Event code',
  'home.joinPlaceholder': 'e.g. TECH24',
  'home.join': 'Join the event',
  'home.signIn': 'I already have an account',
  'home.cooperation': 'Co-operation',
  'home.competition': 'Competition',
  'home.private': 'Your tags stay private. Nobody learns that you marked them competition.',
  'notFound.title': 'This page does not exist',
  'notFound.back': 'Back to the start',
  'error.network': 'No connection. Check the wifi and try again.',
  'error.generic': 'Something went wrong. Try again.',
} as const;

export type MessageKey = keyof typeof en;
