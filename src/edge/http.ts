// JSON answers of the edge API. Errors are `{ error: { code, message, exchangeCode? } }` (DESIGN.md).

export function jsonError(status: number, code: string, message: string, extra: { exchangeCode?: number; headers?: Record<string, string> } = {}): Response {
  const body = { error: { code, message, ...(extra.exchangeCode === undefined ? {} : { exchangeCode: extra.exchangeCode }) } }
  return Response.json(body, { status, ...(extra.headers ? { headers: extra.headers } : {}) })
}
