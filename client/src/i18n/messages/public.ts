/** The public card page behind a QR code, for people without an account. */
export const publicEn = {
  'public.metAt': 'Met at {event}',
  'public.save': 'Save contact',
  'public.joinBack': 'Join this event to exchange back',
  'public.joinHint': 'Free, in under a minute. Your card goes to them when you scan back.',
  'public.expiredTitle': 'This code has expired',
  'public.invalidTitle': 'This code does not work',
  'public.expiredLead': 'Codes on screen change every two minutes. Ask for a fresh one.',
  'public.loadFailed': 'This card could not be loaded',
  'public.aboutApp': 'What is Coopetition?',
} as const;

export const publicFr: Record<keyof typeof publicEn, string> = {
  'public.metAt': 'Rencontré à {event}',
  'public.save': 'Enregistrer le contact',
  'public.joinBack': 'Rejoindre l’événement pour échanger en retour',
  'public.joinHint':
    'Gratuit, en moins d’une minute. Votre carte lui parvient quand vous scannez en retour.',
  'public.expiredTitle': 'Ce code a expiré',
  'public.invalidTitle': 'Ce code ne fonctionne pas',
  'public.expiredLead':
    'Les codes affichés changent toutes les deux minutes. Demandez-en un nouveau.',
  'public.loadFailed': 'Impossible de charger cette carte',
  'public.aboutApp': 'Qu’est-ce que Coopetition ?',
};
