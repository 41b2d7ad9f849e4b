// Tiny DOM helpers: the playground is vanilla TypeScript, so these keep element building short.

type Attributes = Record<string, string | number | boolean | undefined>

/**
 * Creates an element with attributes (`testid` becomes `data-testid`, `class` the class list) and
 * children (strings become text nodes).
 *
 * @example
 * el('button', { testid: 'cancel-all', type: 'button' }, 'Cancel all')
 */
export function el<Tag extends keyof HTMLElementTagNameMap>(
  tag: Tag,
  attributes: Attributes = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[Tag] {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue
    const attribute = name === 'testid' ? 'data-testid' : name
    element.setAttribute(attribute, value === true ? '' : String(value))
  }
  element.append(...children)
  return element
}

/** The element with this `data-testid` inside `root`; throws when the page's markup lacks it (a bug). */
export function byTestId<T extends HTMLElement = HTMLElement>(testid: string, root: ParentNode = document): T {
  const element = root.querySelector<T>(`[data-testid="${testid}"]`)
  if (!element) throw new Error(`the page has no [data-testid="${testid}"]`)
  return element
}

/** A short local time with milliseconds (event log, fills, trades). */
export function clockTime(epochMs: number): string {
  const date = new Date(epochMs)
  const pad = (value: number, width = 2) => String(value).padStart(width, '0')
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`
}
