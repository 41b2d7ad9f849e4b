// The endpoint selector and its fields. Connecting stops the previous session first. Keys typed
// here go to the exchange (or edge client) and to the key store only: inputs are cleared after
// connecting and stored keys are never written back into the page.
import type { AppState } from './app-state.ts'
import { el } from './dom.ts'
import {
  createSession,
  ENDPOINT_LABELS,
  type EndpointConfig,
  type EndpointKind,
  fetchMountedSimulator,
  keyStore,
  parseSimulatorInfo,
  type SimulatorInfo,
} from './endpoints.ts'
import type { EventLog } from './event-log.ts'

export interface EndpointPanel {
  /** Connects to the default endpoint: the mounted simulator, when there is one. */
  connectDefault(): Promise<void>
}

export function mountEndpointPanel(state: AppState, root: HTMLElement, eventLog: EventLog): EndpointPanel {
  const kinds = Object.keys(ENDPOINT_LABELS) as EndpointKind[]
  const select = el('select', { testid: 'endpoint-select' }, ...kinds.map((kind) => el('option', { value: kind }, ENDPOINT_LABELS[kind])))
  const status = el('span', { testid: 'endpoint-status', class: 'note' }, 'not connected')
  const connect = el('button', { testid: 'endpoint-connect', type: 'submit' }, 'Connect')

  const simConfig = el('textarea', { testid: 'sim-config', rows: 2, placeholder: '{"rest":"http://127.0.0.1:…/api","ws":"ws://127.0.0.1:…","wsApi":…,"apiKey":…,"apiSecret":…}' })
  const testnetKey = el('input', { testid: 'testnet-api-key', type: 'password', autocomplete: 'off', placeholder: 'API key' })
  const testnetSecret = el('input', { testid: 'testnet-api-secret', type: 'password', autocomplete: 'off', placeholder: 'API secret' })
  const testnetRemember = el('input', { testid: 'testnet-remember', type: 'checkbox' })
  const edgeUrl = el('input', { testid: 'edge-base-url', type: 'url', placeholder: 'http://127.0.0.1:8787' })
  const edgeId = el('input', { testid: 'edge-client-id', autocomplete: 'off', placeholder: 'client id' })
  const edgeSecret = el('input', { testid: 'edge-client-secret', type: 'password', autocomplete: 'off', placeholder: 'client secret' })
  const edgeRemember = el('input', { testid: 'edge-remember', type: 'checkbox' })
  const forget = el('button', { testid: 'keys-forget', type: 'button' }, 'Forget keys')

  const fields: Record<EndpointKind, HTMLElement> = {
    simulator: el(
      'div',
      { class: 'endpoint-fields' },
      el('p', { class: 'note', testid: 'sim-note' }, 'Uses the simulator `npm run dev` mounts at /sim.'),
      el('label', { class: 'wide', hidden: true, testid: 'sim-config-label' }, 'No simulator on this host (static build?). Run `npm run sim` and paste its first line: ', simConfig),
    ),
    testnet: el(
      'div',
      { class: 'endpoint-fields' },
      testnetKey,
      testnetSecret,
      el('label', {}, testnetRemember, ' remember for this tab (sessionStorage)'),
      el('p', { class: 'note' }, 'Keys stay in this page’s memory (or this tab’s sessionStorage if ticked); they are never logged or shown again. Get testnet keys at testnet.binance.vision.'),
    ),
    public: el('div', { class: 'endpoint-fields' }, el('p', { class: 'note' }, 'Books and trades from binance.com’s public API, no keys: trading is disabled.')),
    edge: el(
      'div',
      { class: 'endpoint-fields' },
      edgeUrl,
      edgeId,
      edgeSecret,
      el('label', {}, edgeRemember, ' remember for this tab'),
      el('p', { class: 'note' }, 'Orders go to the router’s /v1/orders signed with this client secret; the Binance secret stays in the router.'),
    ),
  }
  // A form, so Enter in a key field connects (and the browser knows the password fields' context).
  const form = el('form', { class: 'endpoint-form', autocomplete: 'off' }, el('div', { class: 'endpoint-row' }, el('label', {}, 'Endpoint ', select), connect, forget, status), ...Object.values(fields))
  root.append(form)

  let mountedSimulator: SimulatorInfo | undefined
  const showFields = () => {
    const kind = select.value as EndpointKind
    for (const [name, element] of Object.entries(fields)) element.hidden = name !== kind
    forget.hidden = !(kind === 'testnet' || kind === 'edge') || keyStore.load(kind) === undefined
    const stored = kind === 'testnet' || kind === 'edge' ? keyStore.load(kind) : undefined
    if (stored) status.textContent = `keys ${keyStore.isRememberedForTab(kind) ? 'remembered for this tab' : 'in memory'}; Connect to use them`
  }
  select.addEventListener('change', showFields)
  forget.addEventListener('click', () => {
    const kind = select.value as EndpointKind
    keyStore.forget(kind)
    eventLog.add({ level: 'info', source: 'page', text: `${kind} keys forgotten` })
    showFields()
  })

  /** The config for the chosen endpoint from the fields (or the key store), or a reason it is incomplete. */
  const configFor = (kind: EndpointKind): EndpointConfig | string => {
    switch (kind) {
      case 'simulator': {
        if (mountedSimulator) return { kind, info: mountedSimulator }
        if (simConfig.value.trim() === '') return 'paste the JSON line `npm run sim` prints'
        try {
          return { kind, info: parseSimulatorInfo(simConfig.value) }
        } catch (error) {
          return error instanceof Error ? error.message : String(error)
        }
      }
      case 'testnet': {
        const typed = testnetKey.value.trim() && testnetSecret.value.trim() ? { apiKey: testnetKey.value.trim(), apiSecret: testnetSecret.value.trim() } : undefined
        if (typed) keyStore.save('testnet', typed, testnetRemember.checked)
        const keys = typed ?? keyStore.load('testnet')
        if (!keys?.['apiKey'] || !keys['apiSecret']) return 'enter a testnet API key and secret'
        return { kind, apiKey: keys['apiKey'], apiSecret: keys['apiSecret'] }
      }
      case 'public':
        return { kind }
      case 'edge': {
        const typed =
          edgeUrl.value.trim() && edgeId.value.trim() && edgeSecret.value
            ? { baseUrl: edgeUrl.value.trim(), clientId: edgeId.value.trim(), clientSecret: edgeSecret.value }
            : undefined
        if (typed) keyStore.save('edge', typed, edgeRemember.checked)
        const keys = typed ?? keyStore.load('edge')
        if (!keys?.['baseUrl'] || !keys['clientId'] || !keys['clientSecret']) return 'enter the router URL, a client id and its secret'
        try {
          new URL(keys['baseUrl'])
        } catch {
          return `"${keys['baseUrl']}" is not a URL`
        }
        return { kind, baseUrl: keys['baseUrl'], clientId: keys['clientId'], clientSecret: keys['clientSecret'] }
      }
    }
  }

  let connecting = 0
  const connectTo = async (kind: EndpointKind) => {
    const config = configFor(kind)
    // Secrets leave the inputs as soon as they are read (the key store keeps them if asked).
    testnetSecret.value = ''
    edgeSecret.value = ''
    if (typeof config === 'string') {
      status.textContent = config
      return
    }
    const attempt = ++connecting
    const previous = state.session
    state.setSession(undefined)
    await previous?.stop().catch(() => undefined)
    const session = createSession(config)
    state.setSession(session)
    status.textContent = `connecting to ${session.label}…`
    try {
      await session.start()
      if (attempt === connecting) status.textContent = `connected: ${session.label}`
    } catch (error) {
      if (attempt !== connecting) return // replaced meanwhile; its stop() rejects start()
      const message = error instanceof Error ? error.message : String(error)
      status.textContent = `could not start ${session.label}: ${message}`
      session.events.emit('log', { level: 'warn', source: 'page', text: `start failed: ${message}` })
    }
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    void connectTo(select.value as EndpointKind)
  })

  showFields()
  return {
    async connectDefault() {
      mountedSimulator = await fetchMountedSimulator()
      const simNote = root.querySelector<HTMLElement>('[data-testid="sim-note"]')
      const simLabel = root.querySelector<HTMLElement>('[data-testid="sim-config-label"]')
      if (simNote) simNote.hidden = mountedSimulator === undefined
      if (simLabel) simLabel.hidden = mountedSimulator !== undefined
      if (mountedSimulator) await connectTo('simulator')
      else status.textContent = 'no simulator mounted here: paste `npm run sim` output, or pick Binance public data'
    },
  }
}
