/** Shell and home screen strings. */
export const coreEn = {
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

export const coreFr: Record<keyof typeof coreEn, string> = {
  'app.name': 'Coopetition',
  'app.tagline':
    'Échangez vos cartes en un scan. Sachez avec qui vous associer — et qui surveiller.',
  'nav.skipToContent': 'Aller au contenu',
  'lang.label': 'Langue',
  'home.title': 'Rencontrer, scanner, relancer',
  'home.lead':
    'Montrez votre code, scannez le leur et classez chaque contact en piste de coopération ou de compétition.',
  'home.joinLabel': 'Code de l’événement',
  'home.joinPlaceholder': 'ex. TECH24',
  'home.join': 'Rejoindre l’événement',
  'home.signIn': 'J’ai déjà un compte',
  'home.cooperation': 'Coopération',
  'home.competition': 'Compétition',
  'home.private':
    'Vos étiquettes restent privées. Personne ne sait que vous l’avez classé en compétition.',
  'notFound.title': 'Cette page n’existe pas',
  'notFound.back': 'Retour à l’accueil',
  'error.network': 'Pas de connexion. Vérifiez le wifi et réessayez.',
  'error.generic': 'Une erreur est survenue. Réessayez.',
};
