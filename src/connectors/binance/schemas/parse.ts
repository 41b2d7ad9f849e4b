// The one way a Binance payload enters the connector (DESIGN.md rule 3): through its valibot schema,
// or as a PayloadValidationError carrying the redacted payload and where it came from.
import * as v from 'valibot'
import { PayloadValidationError } from '../../../core/errors.ts'

/** Issues named in an error's details; the rest are counted. */
const LISTED_ISSUES = 5

/**
 * Validates a wire payload and returns the schema's output, or throws `PayloadValidationError`
 * with the raw payload (redacted) and a list of what was wrong.
 *
 * @example
 * const { serverTime } = parsePayload(TimeResponseSchema, await rest.request(...), 'GET /api/v3/time')
 */
export function parsePayload<const Schema extends v.GenericSchema>(
  schema: Schema,
  raw: unknown,
  source: string,
): v.InferOutput<Schema> {
  const result = v.safeParse(schema, raw)
  if (result.success) return result.output
  throw new PayloadValidationError(source, raw, { details: describeIssues(result.issues) })
}

/**
 * One line per issue: where it is and what was expected. What was *received* is left out on
 * purpose: a value can be a secret the redactor does not know by shape (so a custom schema's
 * message, which is used as is, must not quote its input either).
 */
function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  const lines = issues.slice(0, LISTED_ISSUES).map((issue) => {
    const where = v.getDotPath(issue) ?? '(root)'
    // A custom schema's own message says what it expected (ours never quote the value received).
    if (issue.type === 'custom') return `${where}: ${issue.message}`
    return `${where}: expected ${issue.expected ?? issue.kind}`
  })
  if (issues.length > LISTED_ISSUES) lines.push(`…and ${issues.length - LISTED_ISSUES} more`)
  return lines.join('; ')
}
