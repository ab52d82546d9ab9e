/** Offline banner, scan outbox and the reasons a scan can be refused. */
export const offlineEn = {
  'offline.offline': 'You are offline.',
  'offline.pendingOne': '1 scan saved on this phone — will sync.',
  'offline.pendingMany': '{count} scans saved on this phone — will sync.',
  'offline.syncNow': 'Sync now',
  'offline.failed': 'A scan could not be saved.',
  'offline.failedNamed': 'Scan of {name} could not be saved.',
  'offline.dismiss': 'Dismiss',
  'scanError.codeInvalid': 'This code is not valid. Ask them to show their code again.',
  'scanError.codeExpired': 'This code has expired. Ask them to show a fresh one.',
  'scanError.wrongEvent': 'This code belongs to another event.',
  'scanError.self': 'That is your own code.',
  'scanError.clock': 'Your phone’s clock looks wrong. Check the date and time, then scan again.',
  'scanError.tooOld': 'This scan waited more than a day to sync and was not accepted.',
  'scanError.eventNotFound': 'You are no longer a member of this event.',
  'scanError.generic': 'The server refused this scan. Try scanning again.',
} as const;

export const offlineFr: Record<keyof typeof offlineEn, string> = {
  'offline.offline': 'Vous êtes hors ligne.',
  'offline.pendingOne': '1 scan enregistré sur ce téléphone — sera synchronisé.',
  'offline.pendingMany': '{count} scans enregistrés sur ce téléphone — seront synchronisés.',
  'offline.syncNow': 'Synchroniser',
  'offline.failed': 'Un scan n’a pas pu être enregistré.',
  'offline.failedNamed': 'Le scan de {name} n’a pas pu être enregistré.',
  'offline.dismiss': 'Fermer',
  'scanError.codeInvalid': 'Ce code n’est pas valide. Demandez-lui de montrer à nouveau son code.',
  'scanError.codeExpired': 'Ce code a expiré. Demandez-lui d’en afficher un nouveau.',
  'scanError.wrongEvent': 'Ce code appartient à un autre événement.',
  'scanError.self': 'C’est votre propre code.',
  'scanError.clock':
    'L’horloge de votre téléphone semble fausse. Vérifiez la date et l’heure, puis scannez à nouveau.',
  'scanError.tooOld':
    'Ce scan a attendu plus d’un jour avant d’être synchronisé et n’a pas été accepté.',
  'scanError.eventNotFound': 'Vous n’êtes plus membre de cet événement.',
  'scanError.generic': 'Le serveur a refusé ce scan. Essayez de scanner à nouveau.',
};
