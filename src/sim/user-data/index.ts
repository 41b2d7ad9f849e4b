// The test account's user data events, shared by the WS API and the listen-key streams.
export { UserDataTranslator, executionReport, followTestAccount, outboundAccountPosition } from './user-data-events.ts'
