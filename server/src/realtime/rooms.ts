/** Room names. Sockets are put in rooms by the server only; clients never name one. */
export const userRoom = (userId: string): string => `user:${userId}`;
