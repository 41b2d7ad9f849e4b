// The fake transport every simulator suite hands its socket handlers: it records each frame sent and
// each close (and each drop, the `dropSockets` fault), and hands back the frames not read yet.

export class RecordingSocket<Frame = Record<string, unknown>> {
  readonly sent: string[] = []
  readonly closes: { code: number | undefined; reason: string | undefined }[] = []
  drops = 0
  private read = 0

  send(text: string): void {
    this.sent.push(text)
  }

  close(code?: number, reason?: string): void {
    this.closes.push({ code, reason })
  }

  drop(): void {
    this.drops += 1
  }

  /** Frames sent since the last call, parsed. */
  take(): Frame[] {
    const fresh = this.sent.slice(this.read).map((text) => JSON.parse(text) as Frame)
    this.read = this.sent.length
    return fresh
  }
}
