/** The TCP side of the store: one Connection per socket, requests handled strictly in order. */
import net from 'node:net';
import type { Document } from 'bson';
import type { Durability, JournalRecord } from '../journal/types';
import { awaitChangeStream } from './change-streams/stream';
import { helloReply } from './commands/admin';
import type { CommandContext } from './commands/context';
import { runCommand } from './commands/dispatch';
import { cursorIdOf, optionalBatchSize } from './commands/find';
import type { CursorRegistry } from './cursors';
import type { Engine } from './engine/engine';
import { isPlainObject } from './engine/values';
import { ErrorCodes } from './errors';
import { FrameReader } from './wire/frames';
import {
  type CommandMessage,
  encodeMsg,
  encodeReply,
  type LegacyQuery,
  parseRequest,
} from './wire/messages';

export type LogFn = (msg: string, meta?: Record<string, unknown>) => void;

export interface StoreServerOptions {
  engine: Engine;
  cursors: CursorRegistry;
  durability?: Durability;
  onLog: LogFn;
  /** Told after each journaled write, so the owner can schedule compaction. */
  onAppended?: (records: JournalRecord[]) => void;
}

export class StoreServer {
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private nextConnectionId = 1;
  private requestId = 1;
  /** Set once a journal append failed; from then on every command is refused. */
  private journalFailed = false;

  constructor(private readonly options: StoreServerOptions) {
    this.server = net.createServer((socket) => this.accept(socket));
    this.server.on('error', (error) =>
      options.onLog('store server error', { error: error.message }),
    );
  }

  /**
   * Listens on a TCP address, or on a Unix socket `path` (resolves to 0 then): a socket
   * file is reachable only by those who may open its directory, where any local account
   * can connect to a loopback port.
   */
  listen(target: { host: string; port: number } | { path: string }): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      const listening = () => {
        this.server.off('error', reject);
        const address = this.server.address();
        resolve(typeof address === 'object' && address ? address.port : 0);
      };
      if ('path' in target) this.server.listen(target.path, listening);
      else this.server.listen(target.port, target.host, listening);
    });
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private accept(socket: net.Socket): void {
    socket.setNoDelay(true);
    this.sockets.add(socket);
    const connectionId = this.nextConnectionId++;
    const reader = new FrameReader();
    // Frames waiting their turn; `head` avoids re-indexing the array on every frame.
    let pending: Buffer[] = [];
    let head = 0;
    let busy = false;
    const fail = (reason: string, error: unknown): void => {
      this.options.onLog(`closing connection ${connectionId}: ${reason}`, {
        error: error instanceof Error ? error.message : String(error),
      });
      pending = [];
      head = 0;
      socket.destroy();
    };
    const drain = (): void => {
      while (!busy && head < pending.length && !socket.destroyed) {
        const frame = pending[head++] as Buffer;
        if (head === pending.length) {
          pending = [];
          head = 0;
        }
        let result: Promise<void> | undefined;
        try {
          result = this.handle(frame, socket, connectionId);
        } catch (error) {
          fail('malformed message', error);
          return;
        }
        if (result) {
          busy = true;
          result.then(
            () => {
              busy = false;
              drain();
            },
            (error: unknown) => fail('request failed', error),
          );
        }
      }
    };
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const frame of reader.push(chunk)) pending.push(frame);
      } catch (error) {
        fail('malformed frame', error);
        return;
      }
      drain();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.sockets.delete(socket));
  }

  /** Handles one frame; returns a promise only when the reply waits for the journal. */
  private handle(
    frame: Buffer,
    socket: net.Socket,
    connectionId: number,
  ): Promise<void> | undefined {
    const request = parseRequest(frame);
    if (request.kind === 'query') {
      socket.write(
        encodeReply(this.requestId++, request.requestId, this.legacyQuery(request, connectionId)),
      );
      return undefined;
    }
    return this.command(request, socket, connectionId);
  }

  private legacyQuery(request: LegacyQuery, connectionId: number): Document {
    const name = Object.keys(request.query)[0]?.toLowerCase();
    if (request.collection.endsWith('.$cmd') && (name === 'ismaster' || name === 'hello')) {
      return helloReply(connectionId, true);
    }
    return {
      ok: 0,
      errmsg: `Unsupported OP_QUERY command: ${name ?? ''}`,
      code: ErrorCodes.UnsupportedOpQueryCommand,
      codeName: 'UnsupportedOpQueryCommand',
    };
  }

  private send(request: CommandMessage, socket: net.Socket, doc: Document): void {
    if (request.moreToCome || socket.destroyed) return;
    socket.write(encodeMsg(this.requestId++, request.requestId, doc));
  }

  private command(
    request: CommandMessage,
    socket: net.Socket,
    connectionId: number,
  ): Promise<void> | undefined {
    const { command } = request;
    const db = command.$db;
    const ctx: CommandContext = {
      engine: this.options.engine,
      cursors: this.options.cursors,
      db: typeof db === 'string' ? db : 'admin',
      records: [],
      connectionId,
    };
    if (this.journalFailed) {
      // Memory may now hold a change the journal lacks; like mongod, stop serving rather
      // than acknowledge anything that could vanish on restart.
      this.send(request, socket, {
        ok: 0,
        errmsg: 'the store stopped after a journal write failed; restart it',
        code: ErrorCodes.InternalError,
        codeName: 'InternalError',
      });
      return undefined;
    }
    const waiting = awaitChangeStream(command, ctx, {
      cursorId: cursorIdOf,
      batchSize: optionalBatchSize,
    });
    if (waiting) return waiting.then((reply) => this.send(request, socket, reply));
    const reply = runCommand(command, ctx);
    const { durability } = this.options;
    const { changes } = this.options.engine;
    if (ctx.records.length === 0 || !durability) {
      // In memory a change is committed once applied; change streams may show it now.
      if (ctx.records.length > 0) changes.commit();
      this.send(request, socket, reply);
      return undefined;
    }
    const mark = changes.mark();
    const writeConcern: unknown = command.writeConcern;
    const j = isPlainObject(writeConcern) && writeConcern.j === true;
    const records = ctx.records;
    // The append is issued synchronously after the change, so the journal order is the
    // order changes were applied in.
    return durability.append(records, { j }).then(
      () => {
        changes.commit(mark);
        this.options.onAppended?.(records);
        this.send(request, socket, reply);
      },
      (error: unknown) => {
        this.journalFailed = true;
        this.options.onLog('journal append failed', {
          error: error instanceof Error ? error.message : String(error),
        });
        this.send(request, socket, {
          ok: 0,
          errmsg: 'journal write failed',
          code: ErrorCodes.InternalError,
          codeName: 'InternalError',
        });
      },
    );
  }
}
