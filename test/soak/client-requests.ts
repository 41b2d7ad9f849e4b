// The connector's REST traffic as the connector itself sends and receives it (its `fetch` option):
// when each request left, and when each 429 / 418 came back with what Retry-After. From that the
// soak knows exactly whether a request was sent while the client had been told to wait, without
// guessing from arrival times (in one busy process a request can reach the server long after it left).

interface Sent {
  readonly at: number
  readonly request: string
  readonly clientOrderId: string | null
  status?: number
  answeredAt?: number
}

interface LimitAnswer {
  readonly status: number
  readonly request: string
  readonly receivedAt: number
  /** Until when the answer told the client to send nothing. */
  readonly waitUntil: number
}

export class ClientRequests {
  readonly sent: Sent[] = []
  readonly limitAnswers: LimitAnswer[] = []

  /** A fetch that records, then calls the platform's. */
  readonly fetch: typeof fetch = async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init)
    const description = `${request.method} ${new URL(request.url).pathname}`
    const url = new URL(request.url)
    const params = request.method === 'GET' || request.body === null ? url.searchParams : new URLSearchParams(`${url.search.slice(1)}&${await request.clone().text()}`)
    const clientOrderId = params.get('newClientOrderId') ?? params.get('origClientOrderId')
    const sent: Sent = { at: Date.now(), request: description, clientOrderId }
    this.sent.push(sent)
    const response = await fetch(request)
    sent.status = response.status
    sent.answeredAt = Date.now()
    if (response.status === 429 || response.status === 418) {
      const receivedAt = Date.now()
      const seconds = Number(response.headers.get('retry-after') ?? '0')
      this.limitAnswers.push({ status: response.status, request: description, receivedAt, waitUntil: receivedAt + (Number.isFinite(seconds) ? seconds * 1000 : 0) })
    }
    return response
  }

  /** Requests the connector sent after it had read a 429/418 and before its Retry-After had passed. */
  sentWhileToldToWait(): string[] {
    const found: string[] = []
    for (const answer of this.limitAnswers) {
      for (const sent of this.sent) {
        if (sent.at > answer.receivedAt && sent.at < answer.waitUntil) {
          found.push(`${sent.request} sent ${sent.at - answer.receivedAt} ms after a ${answer.status} for ${answer.request} said to wait ${answer.waitUntil - answer.receivedAt} ms`)
        }
      }
    }
    return found
  }
}
