import type { Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../../shared/realtime';
import type { Logger } from '../../logger';
import type { RealtimeServer, SocketData } from '../../realtime/io';
import { teamRoom, userRoom } from '../../realtime/rooms';
import { teamIdsOf } from './teams.service';

type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, never, SocketData>;

/**
 * Puts each socket in the rooms of the teams its user belongs to, so team pushes
 * (`lead:updated`) reach current members only. The teams are read while the connection is
 * accepted and joined as it opens, before `session:ready` reaches the client. Membership
 * changes move the user's sockets with {@link joinTeamRoom} / {@link leaveTeamRoom}.
 */
export function registerTeamRooms(io: RealtimeServer, logger: Logger): void {
  const teamsAtConnect = new WeakMap<AppSocket, string[]>();
  io.use((socket, next) => {
    const { userId } = socket.data;
    if (typeof userId !== 'string') return next();
    teamIdsOf(userId).then(
      (teamIds) => {
        teamsAtConnect.set(socket, teamIds);
        next();
      },
      (err: unknown) => {
        // Pushes are a speed-up: without them the board still loads over REST.
        logger.warn({ err, userId }, 'could not read team rooms');
        next();
      },
    );
  });
  io.on('connection', (socket) => {
    const teamIds = teamsAtConnect.get(socket) ?? [];
    teamsAtConnect.delete(socket);
    if (teamIds.length > 0) void socket.join(teamIds.map(teamRoom));
    syncTeamRooms(socket, teamIds).catch((err: unknown) => {
      logger.warn({ err, userId: socket.data.userId }, 'could not check team rooms');
    });
  });
}

/**
 * A membership change that landed between reading the teams and joining their rooms moved
 * the user's sockets before this one was among them: read again and catch up.
 */
async function syncTeamRooms(socket: AppSocket, joined: string[]): Promise<void> {
  const current = await teamIdsOf(socket.data.userId);
  const stillIn = new Set(current);
  for (const teamId of joined) if (!stillIn.has(teamId)) await socket.leave(teamRoom(teamId));
  const added = current.filter((teamId) => !joined.includes(teamId));
  // A socket that closed meanwhile must not be added back to rooms (it would stay there).
  if (added.length > 0 && socket.connected) await socket.join(added.map(teamRoom));
}

/** After the user joined (or created) a team: their open sockets join its room. */
export function joinTeamRoom(io: RealtimeServer, userId: string, teamId: string): void {
  io.in(userRoom(userId)).socketsJoin(teamRoom(teamId));
}

/** After the user left or was removed: their sockets stop receiving the team's pushes. */
export function leaveTeamRoom(io: RealtimeServer, userId: string, teamId: string): void {
  io.in(userRoom(userId)).socketsLeave(teamRoom(teamId));
}
