/** Room names. Sockets are put in rooms by the server only; clients never name one. */
export const userRoom = (userId: string): string => `user:${userId}`;
/** A team's members (joined on connect and when they join; left when they leave). */
export const teamRoom = (teamId: string): string => `team:${teamId}`;
