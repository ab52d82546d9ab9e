import type { MessageKey } from './en';

/** Chaînes françaises. */
export const fr: Record<MessageKey, string> = {
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
