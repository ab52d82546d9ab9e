import type { RealtimeContactUpdated, RealtimeCooperationMatch } from '../../../../shared/realtime';
import type { RealtimeServer } from '../../realtime/io';

import { userRoom } from '../../realtime/rooms';

/** Tells the owner's other devices; pushed only after the write succeeded. */
export function pushContactUpdated(
  io: RealtimeServer,
  ownerId: string,
  payload: RealtimeContactUpdated,
): void {
  io.to(userRoom(ownerId)).emit('contact:updated', payload);
}

export function pushCooperationMatch(
  io: RealtimeServer,
  userId: string,
  payload: RealtimeCooperationMatch,
): void {
  io.to(userRoom(userId)).emit('match:cooperation', payload);
}
