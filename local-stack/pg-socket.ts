// LOCAL-ONLY: the sockets postgres.js opens for the RPC endpoint: node:net, with each burst of writes sent as one.
// Why: postgres.js writes a chunk past 1 KiB at once and the rest a turn of the event loop later, and Deno's node:net
// (2.8, 2.9) holds a write issued while another is in flight until the socket next reads. A pipelined transaction
// whose settings pass 1 KiB (every webhook RPC: its headers) then sent its call and commit only after PostgreSQL had
// answered the settings: two round trips where one is meant (scripts/bench counts them on the wire).
import { Buffer } from "node:buffer";
import net from "node:net";

/** What postgres.js passes to its `socket` option (its parsed connection options). */
interface ConnectOptions {
  host: string[];
  port: number[];
  /** A Unix socket (`?host=/var/run/postgresql`). */
  path?: string;
}

/**
 * postgres.js' `socket` option: the connection it would open itself (its Unix socket, else the first host), still
 * connecting when returned, so its own error, close and connect-timeout handling see the same events as without it.
 */
export function openPgSocket(options: ConnectOptions): net.Socket {
  const socket = options.path ? net.connect(options.path) : net.connect(options.port[0], options.host[0]);
  return coalesceWrites(socket);
}

// postgres.js schedules its own deferred write with setImmediate while it builds a pipeline; flushing one immediate
// later than that sends the whole burst in one write.
function coalesceWrites(socket: net.Socket): net.Socket {
  const write = socket.write.bind(socket) as (data: Uint8Array, callback?: (error?: Error) => void) => boolean;
  const end = socket.end.bind(socket) as (data?: Uint8Array) => net.Socket;
  let burst: Uint8Array[] = [];
  const flush = () => {
    if (burst.length === 0 || socket.destroyed) return void (burst = []);
    const data = burst.length === 1 ? burst[0] : Buffer.concat(burst);
    burst = [];
    write(data);
  };
  socket.write = ((data: Uint8Array, callback?: (error?: Error) => void) => {
    if (typeof callback === "function") { // COPY streams wait for their callback: no delay for them
      flush();
      return write(data, callback);
    }
    if (burst.length === 0) setImmediate(() => setImmediate(flush));
    burst.push(data);
    return true;
  }) as typeof socket.write;
  socket.end = ((data?: Uint8Array) => {
    flush();
    return end(data);
  }) as typeof socket.end;
  return socket;
}
