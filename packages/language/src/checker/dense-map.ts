/**
 * A Map from small non-negative integers (expression ids, which a parse
 * numbers densely from 0) backed by an array: the checker writes one entry
 * per expression, and on a 10,000-rule ruleset a hash map's growth showed up
 * in profiles. It behaves as a Map for readers (get, has, iteration in key order).
 */
export class DenseMap<V> implements Map<number, V> {
  private readonly slots: Array<V | undefined> = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(key: number): V | undefined {
    return key >= 0 ? this.slots[key] : undefined;
  }

  has(key: number): boolean {
    return key >= 0 && this.slots[key] !== undefined;
  }

  set(key: number, value: V): this {
    // Negative ids (recovery placeholders) are not recorded.
    if (key < 0 || !Number.isInteger(key)) return this;
    if (this.slots[key] === undefined) this.count++;
    this.slots[key] = value;
    return this;
  }

  delete(key: number): boolean {
    if (!this.has(key)) return false;
    this.slots[key] = undefined;
    this.count--;
    return true;
  }

  clear(): void {
    this.slots.length = 0;
    this.count = 0;
  }

  forEach(callback: (value: V, key: number, map: Map<number, V>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) callback.call(thisArg, v, k, this);
  }

  *entries(): MapIterator<[number, V]> {
    for (let i = 0; i < this.slots.length; i++) {
      const v = this.slots[i];
      if (v !== undefined) yield [i, v];
    }
  }

  *keys(): MapIterator<number> {
    for (const [k] of this.entries()) yield k;
  }

  *values(): MapIterator<V> {
    for (const [, v] of this.entries()) yield v;
  }

  [Symbol.iterator](): MapIterator<[number, V]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'DenseMap';
  }
}
