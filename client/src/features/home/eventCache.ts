/** The current event's details, kept on the phone so its name shows offline. */
export const EVENT_CACHE_KEY = 'coopetition.currentEvent';
