// The room's WebSocket protocol (DESIGN.md "Edge", `GET /v1/book/:tradingPair/ws`). Every message
// carries `seq`; a viewer sees consecutive numbers from its first message on:
//   { type: 'snapshot', seq, tradingPair, updateId, bids, asks }  replace your book with this
//   { type: 'update', seq, updateId, bids, asks }                  set these levels ("0" removes)
//   { type: 'status', seq, status }                                'stale' | 'syncing': wait for a snapshot
// A viewer's first message is a snapshot (book live) or a status (not yet live); a snapshot follows
// every return to live. The first message takes the room's current `seq` (the number of the last
// message the others got), so each viewer's numbers run on without a hole; a viewer that sees one
// (or any other surprise) sends "snapshot" and gets a fresh one at the current `seq`.
import type { OrderBookStatus } from '../../core/order-book/order-book-view.ts'
import type { FeedEvent } from './book-feed.ts'
import { toWire, type PublishedBook, type WireLevel } from './levels.ts'

export type ViewerMessage =
  | { type: 'snapshot'; seq: number; tradingPair: string; updateId: number; bids: WireLevel[]; asks: WireLevel[] }
  | { type: 'update'; seq: number; updateId: number; bids: WireLevel[]; asks: WireLevel[] }
  | { type: 'status'; seq: number; status: OrderBookStatus }

export function snapshotMessage(seq: number, tradingPair: string, book: PublishedBook): ViewerMessage {
  return { type: 'snapshot', seq, tradingPair, updateId: book.updateId, bids: book.bids.map(toWire), asks: book.asks.map(toWire) }
}

/** A feed event as the message every viewer gets, numbered `seq`. */
export function eventMessage(seq: number, tradingPair: string, event: FeedEvent): ViewerMessage {
  switch (event.type) {
    case 'snapshot':
      return snapshotMessage(seq, tradingPair, event.book)
    case 'update':
      return { type: 'update', seq, updateId: event.updateId, bids: event.bids, asks: event.asks }
    case 'status':
      return { type: 'status', seq, status: event.status }
  }
}
