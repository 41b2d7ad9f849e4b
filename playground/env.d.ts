declare module 'virtual:loopback-urls' {
  export const rest: string
  export const ws: string
}
