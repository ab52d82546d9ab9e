import type { RealtimeLeadUpdated } from '../../../../shared/realtime';
import type { RealtimeServer } from '../../realtime/io';
import { teamRoom } from '../../realtime/rooms';

/** Tells the team's open boards a lead was created or met again (after the write). */
export function notifyLeadUpdated(io: RealtimeServer, payload: RealtimeLeadUpdated): void {
  io.to(teamRoom(payload.teamId)).emit('lead:updated', payload);
}
