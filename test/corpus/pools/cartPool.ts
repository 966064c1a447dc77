// Pools of scratch objects for the cart pricing engine.

/** A working copy of a cart while prices and promotions are applied. */
export class CartDraft {
  customerId = '';
  currency = 'EUR';
  couponCode: string | null = null;
  readonly lines: { sku: string; quantity: number; unitCents: number }[] = [];
  readonly adjustments = new Map<string, number>();

  total(): number {
    let sum = 0;
    for (const l of this.lines) sum += l.quantity * l.unitCents;
    for (const a of this.adjustments.values()) sum += a;
    return sum;
  }
}

/** Keeps drafts around between requests. Does not clean them: callers must. */
export class CartDraftPool {
  private readonly spare: CartDraft[] = [];

  obtain(): CartDraft {
    const draft = this.spare.pop();
    if (draft) return draft;
    return new CartDraft();
  }

  recycle(draft: CartDraft): void {
    this.spare.push(draft);
  }
}

/** Lookup tables for promotion matching; cleared by the pool itself on give-back. */
export class LookupPool {
  private readonly tables: Map<string, number>[] = [];

  borrow(): Map<string, number> {
    return this.tables.shift() ?? new Map<string, number>();
  }

  giveBack(table: Map<string, number>): void {
    table.clear();
    this.tables.push(table);
  }
}

export const drafts = new CartDraftPool();
export const lookups = new LookupPool();
