// The spotwire playground: trade by hand on the embedded simulator (default), Binance's testnet,
// Binance public data or through the edge router. It uses spotwire's public API only
// (`spotwire`, `spotwire/binance`), so it doubles as the usage example.
// The data-testids are a contract (DESIGN.md "Playground hooks"): outside checks drive the page by them.
import { AppState } from './src/app-state.ts'
import { mountBalances } from './src/balances.ts'
import { byTestId } from './src/dom.ts'
import { mountEndpointPanel } from './src/endpoint-panel.ts'
import { MARKETS } from './src/endpoints.ts'
import { mountEventLog } from './src/event-log.ts'
import { mountFaultsPanel } from './src/faults-panel.ts'
import { mountFills } from './src/fills.ts'
import { mountMarketView } from './src/market-view.ts'
import { mountOpenOrders } from './src/open-orders.ts'
import { mountOrderTicket } from './src/order-ticket.ts'

const state = new AppState(MARKETS[0])

const eventLog = mountEventLog(state, byTestId('event-log-panel'))
mountMarketView(state, byTestId('market-panel'))
mountOrderTicket(state, byTestId('ticket-panel'))
mountOpenOrders(state, byTestId('orders-panel'))
mountFills(state, byTestId('fills-panel'))
mountBalances(state, byTestId('balances-panel'))
mountFaultsPanel(state, byTestId('faults-panel'))
const endpoints = mountEndpointPanel(state, byTestId('endpoint-panel'), eventLog)

// A page bug (not an exchange fault) is logged in the page and on the console.
state.withSession((session) => session.events.on('error', (error) => console.error('playground:', error)))

await endpoints.connectDefault()
