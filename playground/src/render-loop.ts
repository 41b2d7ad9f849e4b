// One requestAnimationFrame loop for every panel, each throttled to its own rate: the book can
// change 10+ times a second per pair, but a ladder redrawn more than ~10 times a second is only
// flicker and wasted layout work.

interface Job {
  readonly everyMs: number
  readonly draw: (now: number) => void
  last: number
}

const jobs: Job[] = []
let running = false

/**
 * Calls `draw` at most once per `everyMs` (on animation frames, so never while the tab is hidden).
 *
 * @example
 * every(100, () => ladder.draw())
 */
export function every(everyMs: number, draw: (now: number) => void): void {
  jobs.push({ everyMs, draw, last: 0 })
  if (!running) {
    running = true
    requestAnimationFrame(frame)
  }
}

function frame(now: number): void {
  for (const job of jobs) {
    if (now - job.last < job.everyMs) continue
    job.last = now
    try {
      job.draw(now)
    } catch (error) {
      console.error('playground: a panel failed to draw', error) // a page bug, not an exchange fault
    }
  }
  requestAnimationFrame(frame)
}
