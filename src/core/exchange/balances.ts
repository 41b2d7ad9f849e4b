// The account's balances: total (free + locked) and available (free) per asset. Polling replaces
// them all (an asset the exchange no longer lists is dropped); the user stream updates single assets.
import { type Big, ZERO } from '../decimal.ts'
import { InvalidInputError } from '../errors.ts'

/** One asset's balance. `total` includes what open orders lock; `available` is what is free. */
export interface AccountBalance {
  readonly asset: string
  readonly total: Big
  readonly available: Big
}

export class Balances {
  readonly #byAsset = new Map<string, AccountBalance>()
  #loaded = false

  /** True once a full balance list has been applied (an empty account counts). */
  get isLoaded(): boolean {
    return this.#loaded
  }

  /** Every asset's balance, by asset. */
  get all(): ReadonlyMap<string, AccountBalance> {
    return this.#byAsset
  }

  total(asset: string): Big {
    return this.#byAsset.get(asset)?.total ?? ZERO
  }

  available(asset: string): Big {
    return this.#byAsset.get(asset)?.available ?? ZERO
  }

  /** Replaces every balance with a full list from the exchange; assets not in it are removed. */
  replaceAll(balances: readonly AccountBalance[]): void {
    const next = new Map<string, AccountBalance>()
    for (const balance of balances) next.set(balance.asset, checked(balance))
    this.#byAsset.clear()
    for (const [asset, balance] of next) this.#byAsset.set(asset, balance)
    this.#loaded = true
  }

  /** Sets one asset's balance (a user-stream update). */
  set(balance: AccountBalance): void {
    this.#byAsset.set(balance.asset, checked(balance))
  }

  remove(asset: string): void {
    this.#byAsset.delete(asset)
  }
}

function checked(balance: AccountBalance): AccountBalance {
  if (typeof balance.asset !== 'string' || balance.asset === '') throw new InvalidInputError('a balance needs an asset name')
  if (balance.total.lt(balance.available)) {
    throw new InvalidInputError(
      `${balance.asset}: the total balance ${balance.total.toFixed()} is below the available ${balance.available.toFixed()}`,
    )
  }
  return balance
}
