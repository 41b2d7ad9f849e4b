// Reads a request body without ever holding more than the allowed size: a declared
// Content-Length above it is refused unread, and a stream is cancelled as soon as it passes it.

/**
 * The body as UTF-8 text, or undefined when it is larger than `maxBytes`.
 *
 * @example
 * const text = await readBoundedBody(request, 16 * 1024)
 * if (text === undefined) return jsonError(413, 'BODY_TOO_LARGE', '…')
 */
export async function readBoundedBody(request: Request, maxBytes: number): Promise<string | undefined> {
  const declared = request.headers.get('content-length')
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > maxBytes) return undefined
  if (request.body === null) return ''
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    const chunk = value instanceof Uint8Array ? value : new Uint8Array(value as ArrayBuffer)
    size += chunk.byteLength
    if (size > maxBytes) {
      await reader.cancel()
      return undefined
    }
    chunks.push(chunk)
  }
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return new TextDecoder().decode(bytes)
}
