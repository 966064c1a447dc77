export interface PricedLine {
  sku: string;
  quantity: number;
  unitPriceCents: number;
}

const COUPON_PERCENT_OFF: Readonly<Record<string, number>> = { WELCOME10: 10, SPRING25: 25 };
const DEFAULT_VAT_RATE = 0.2;

/** Totals for one basket. Instances are reused through `calculators` below: quotes are hot. */
export class PriceCalculator {
  lines: PricedLine[] = [];
  couponCode: string | undefined = undefined;
  currency = 'EUR';
  vatRate = DEFAULT_VAT_RATE;

  add(line: PricedLine): this {
    this.lines.push(line);
    return this;
  }

  subtotalCents(): number {
    return this.lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0);
  }

  discountCents(): number {
    const percent = this.couponCode ? (COUPON_PERCENT_OFF[this.couponCode] ?? 0) : 0;
    return Math.round((this.subtotalCents() * percent) / 100);
  }

  totalCents(): number {
    const net = this.subtotalCents() - this.discountCents();
    return Math.round(net * (1 + this.vatRate));
  }

  reset(): void {
    this.lines.length = 0;
    this.couponCode = undefined;
    this.currency = 'EUR';
    this.vatRate = DEFAULT_VAT_RATE;
  }
}

export class PriceCalculatorPool {
  private readonly idle: PriceCalculator[] = [];

  acquire(): PriceCalculator {
    return this.idle.pop() ?? new PriceCalculator();
  }

  release(calculator: PriceCalculator): void {
    this.idle.push(calculator);
  }
}

export const calculators = new PriceCalculatorPool();
