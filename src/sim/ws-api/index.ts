// The simulator's WebSocket API (`/ws-api/v3`) as a runtime-neutral socket handler.
export { WS_API_PATH, createWsApiHandler, type WsApiConnection, type WsApiHandler, type WsApiHandlerOptions } from './ws-api-handler.ts'
export type { UserDataEnvelope, WsApiSocket } from './ws-api-session.ts'
export { wsApiSignaturePayload } from './ws-api-signing.ts'
export { UserDataTranslator, executionReport, outboundAccountPosition } from '../user-data/index.ts'
