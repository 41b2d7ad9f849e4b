// The depth chart: cumulative amount against price, bids left of the mid and asks right, drawn on
// a <canvas> (no DOM node per level, so it stays cheap at any depth).
import type { BookSource } from './session.ts'
import { el } from './dom.ts'

const DEPTH_LEVELS = 100
const BID_COLOR = '#1f9d55'
const ASK_COLOR = '#d64545'

export class DepthChart {
  readonly element: HTMLCanvasElement

  constructor() {
    this.element = el('canvas', { testid: 'depth-chart', class: 'depth-chart', height: 160 })
  }

  draw(book: BookSource): void {
    const canvas = this.element
    const ratio = window.devicePixelRatio || 1
    const width = canvas.clientWidth
    const height = canvas.clientHeight
    if (width === 0 || height === 0) return
    if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio)
    if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio)
    const context = canvas.getContext('2d')
    if (!context) return
    context.setTransform(ratio, 0, 0, ratio, 0, 0)
    context.clearRect(0, 0, width, height)
    const bids = cumulative(book.bids(DEPTH_LEVELS))
    const asks = cumulative(book.asks(DEPTH_LEVELS))
    const lowest = bids.at(-1)?.price
    const highest = asks.at(-1)?.price
    if (lowest === undefined || highest === undefined || highest <= lowest) {
      context.fillStyle = '#888'
      context.fillText('waiting for both sides of the book…', 12, height / 2)
      return
    }
    const most = Math.max(bids.at(-1)?.total ?? 0, asks.at(-1)?.total ?? 0)
    const x = (price: number) => ((price - lowest) / (highest - lowest)) * (width - 2) + 1
    const y = (total: number) => height - 14 - (total / most) * (height - 24)
    plot(context, bids, x, y, BID_COLOR, height - 14)
    plot(context, asks, x, y, ASK_COLOR, height - 14)
    context.fillStyle = '#666'
    context.font = '11px system-ui, sans-serif'
    context.fillText(String(lowest), 2, height - 2)
    const highLabel = String(highest)
    context.fillText(highLabel, width - context.measureText(highLabel).width - 2, height - 2)
  }
}

function cumulative(rows: readonly { readonly price: number; readonly amount: number }[]): { price: number; total: number }[] {
  let total = 0
  return rows.map((row) => ({ price: row.price, total: (total += row.amount) }))
}

/** A step line from the best price outwards, filled down to the axis. */
function plot(
  context: CanvasRenderingContext2D,
  points: readonly { price: number; total: number }[],
  x: (price: number) => number,
  y: (total: number) => number,
  color: string,
  base: number,
): void {
  const first = points[0]
  if (!first) return
  context.beginPath()
  context.moveTo(x(first.price), base)
  let previousTotal = 0
  for (const point of points) {
    context.lineTo(x(point.price), y(previousTotal))
    context.lineTo(x(point.price), y(point.total))
    previousTotal = point.total
  }
  const last = points.at(-1) ?? first
  context.lineTo(x(last.price), base)
  context.closePath()
  context.globalAlpha = 0.2
  context.fillStyle = color
  context.fill()
  context.globalAlpha = 1
  context.strokeStyle = color
  context.lineWidth = 1.5
  context.stroke()
}
