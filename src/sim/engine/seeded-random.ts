// A tiny deterministic PRNG (mulberry32). The simulator must replay identically under a seed, so
// nothing in the engine may call Math.random; every random choice flows through one of these.

/** A seeded source of pseudo-random numbers; the same seed always yields the same sequence. */
export class SeededRandom {
  private state: number

  /**
   * @example
   * const random = new SeededRandom(42)
   * random.nextFloat() // always the same value for seed 42
   */
  constructor(seed: number) {
    // Fold any number (including fractions and negatives) into a 32-bit unsigned state.
    this.state = Math.trunc(seed) >>> 0
  }

  /** A float in [0, 1). */
  nextFloat(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let mixed = this.state
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1)
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61)
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296
  }

  /** An integer in [min, max], both inclusive. */
  nextInt(min: number, max: number): number {
    return min + Math.floor(this.nextFloat() * (max - min + 1))
  }

  /** True with the given probability. */
  chance(probability: number): boolean {
    return this.nextFloat() < probability
  }

  /** A string of `length` characters from [A-Za-z0-9], like Binance's generated client order ids. */
  nextId(length: number): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
    let id = ''
    for (let index = 0; index < length; index += 1) id += alphabet[this.nextInt(0, alphabet.length - 1)]
    return id
  }

  /** A new generator whose sequence depends on this one's seed but does not disturb it afterwards. */
  fork(): SeededRandom {
    return new SeededRandom(this.nextInt(0, 0xffffffff))
  }
}
