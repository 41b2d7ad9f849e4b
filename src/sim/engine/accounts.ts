// Balances per account and asset, split into free and locked as Binance's account endpoint reports
// them. Orders lock what they may spend, cancels and expiries unlock, and fills settle from locked
// into the counter-asset's free amount minus commission. Every change is recorded so the engine
// can publish one outboundAccountPosition-like event per account per command.
import Big from 'big.js'
import { REJECTIONS, RejectedError } from './rejections.ts'

export interface AssetBalance {
  readonly asset: string
  readonly free: Big
  readonly locked: Big
}

interface MutableBalance {
  free: Big
  locked: Big
}

const ZERO = new Big(0)

export class AccountLedger {
  private readonly accounts = new Map<string, Map<string, MutableBalance>>()
  /** account → assets changed since the last `takeChanges()`, in first-change order. */
  private readonly changed = new Map<string, Set<string>>()

  /** Opens an account (or tops up an existing one) with free balances. */
  deposit(accountId: string, balances: Readonly<Record<string, Big | string>>): void {
    for (const [asset, amount] of Object.entries(balances)) {
      const balance = this.balanceOf(accountId, asset)
      balance.free = balance.free.plus(amount)
      this.markChanged(accountId, asset)
    }
  }

  hasAccount(accountId: string): boolean {
    return this.accounts.has(accountId)
  }

  accountIds(): string[] {
    return [...this.accounts.keys()]
  }

  /** Every asset the account has held, sorted by asset name. */
  balances(accountId: string): AssetBalance[] {
    const assets = this.accounts.get(accountId)
    if (!assets) return []
    return [...assets.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([asset, balance]) => ({ asset, free: balance.free, locked: balance.locked }))
  }

  balance(accountId: string, asset: string): AssetBalance {
    const balance = this.accounts.get(accountId)?.get(asset)
    return { asset, free: balance?.free ?? ZERO, locked: balance?.locked ?? ZERO }
  }

  /** Moves `amount` from free to locked, or throws -2010 insufficient balance. */
  lock(accountId: string, asset: string, amount: Big): void {
    const balance = this.balanceOf(accountId, asset)
    if (balance.free.lt(amount)) throw new RejectedError(REJECTIONS.insufficientBalance)
    if (amount.eq(0)) return
    balance.free = balance.free.minus(amount)
    balance.locked = balance.locked.plus(amount)
    this.markChanged(accountId, asset)
  }

  /** Moves `amount` from locked back to free (cancel, expiry, or a fill better than the limit). */
  unlock(accountId: string, asset: string, amount: Big): void {
    if (amount.eq(0)) return
    const balance = this.balanceOf(accountId, asset)
    balance.locked = balance.locked.minus(amount)
    balance.free = balance.free.plus(amount)
    this.markChanged(accountId, asset)
  }

  /** Spends `amount` out of locked: it leaves this account (to the counterparty). */
  spendLocked(accountId: string, asset: string, amount: Big): void {
    const balance = this.balanceOf(accountId, asset)
    balance.locked = balance.locked.minus(amount)
    this.markChanged(accountId, asset)
  }

  /** Credits `amount` to free. */
  credit(accountId: string, asset: string, amount: Big): void {
    const balance = this.balanceOf(accountId, asset)
    balance.free = balance.free.plus(amount)
    this.markChanged(accountId, asset)
  }

  /** Sum of free + locked of an asset over every account (ground truth for conservation checks). */
  totalOf(asset: string): Big {
    let total = new Big(0)
    for (const assets of this.accounts.values()) {
      const balance = assets.get(asset)
      if (balance) total = total.plus(balance.free).plus(balance.locked)
    }
    return total
  }

  /** The balances changed since the last call, per account; clears the record. */
  takeChanges(): Map<string, AssetBalance[]> {
    const changes = new Map<string, AssetBalance[]>()
    for (const [accountId, assets] of this.changed) {
      changes.set(accountId, [...assets].map((asset) => this.balance(accountId, asset)))
    }
    this.changed.clear()
    return changes
  }

  private balanceOf(accountId: string, asset: string): MutableBalance {
    let assets = this.accounts.get(accountId)
    if (!assets) {
      assets = new Map()
      this.accounts.set(accountId, assets)
    }
    let balance = assets.get(asset)
    if (!balance) {
      balance = { free: ZERO, locked: ZERO }
      assets.set(asset, balance)
    }
    return balance
  }

  private markChanged(accountId: string, asset: string): void {
    let assets = this.changed.get(accountId)
    if (!assets) {
      assets = new Set()
      this.changed.set(accountId, assets)
    }
    assets.add(asset)
  }
}
