// Reads Binance's own examples from the shared reference (../shared from the repository root).
// A missing directory or file throws, so a suite built on them fails instead of passing empty.
import { readdirSync, readFileSync } from 'node:fs'

export const BINANCE_REFERENCE = new URL('../../../../shared/reference/binance/', import.meta.url)

/** The parsed JSON of `reference/binance/<path>`. */
export function readReference(path: string): unknown {
  return JSON.parse(readFileSync(new URL(path, BINANCE_REFERENCE), 'utf8')) as unknown
}

/** The strict-JSON example files (`*.json`, not `*.annotated.jsonc`) of a reference folder. */
export function listReferenceJson(folder: string): string[] {
  return readdirSync(new URL(`${folder}/`, BINANCE_REFERENCE))
    .filter((name) => name.endsWith('.json'))
    .sort()
}

/** Every `"status": "…"` value written in a reference file (annotated ones included). */
export function statusValuesIn(path: string): string[] {
  const text = readFileSync(new URL(path, BINANCE_REFERENCE), 'utf8')
  return [...text.matchAll(/"status"\s*:\s*"([A-Z_]+)"/g)].map((match) => match[1] ?? '')
}
