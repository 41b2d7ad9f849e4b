// Handing one message to many viewers without letting any of them hold up the others.

/** The part of a WebSocket the fan-out uses; `bufferedAmount` only where the runtime has it. */
export interface ViewerSocket {
  send(text: string): void
  close(code?: number, reason?: string): void
  readonly bufferedAmount?: number
}

/** How a viewer too far behind is dropped: 1013 is "try again later". */
export const SLOW_VIEWER_CLOSE = { code: 1013, reason: 'Viewer too slow; try again later.' } as const

/**
 * Sends `text` to every socket, awaiting none. A socket with more than `maxBufferedBytes` queued
 * is closed with SLOW_VIEWER_CLOSE instead; a socket that throws (closing, closed) is skipped.
 * Returns how many were dropped as too slow. workerd's server-side sockets have no
 * `bufferedAmount`: there every send is queued by the runtime and only a close drops a viewer.
 *
 * @example
 * fanOut(ctx.getWebSockets(), JSON.stringify(message), 1 << 20)
 */
export function fanOut(sockets: Iterable<ViewerSocket>, text: string, maxBufferedBytes: number): number {
  let dropped = 0
  for (const socket of sockets) {
    try {
      const buffered = socket.bufferedAmount
      if (typeof buffered === 'number' && buffered > maxBufferedBytes) {
        dropped++
        socket.close(SLOW_VIEWER_CLOSE.code, SLOW_VIEWER_CLOSE.reason)
      } else {
        socket.send(text)
      }
    } catch {
      // Closing or closed: the room's webSocketClose / webSocketError tidy up.
    }
  }
  return dropped
}
