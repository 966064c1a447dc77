// Reusable byte buffers and row batches for CSV and image work, to keep GC pressure down.
// Fixed-size byte buffers:
// `release` does not clear: whoever writes into a buffer must clean it before giving it back.
export class BufferPool {
  private readonly free: Buffer[] = [];

  constructor(
    private readonly size: number,
    private readonly max = 64,
  ) {}

  acquire(): Buffer {
    return this.free.pop() ?? Buffer.alloc(this.size);
  }

  release(buf: Buffer): void {
    if (this.free.length < this.max) this.free.push(buf);
  }

  get available(): number {
    return this.free.length;
  }
}

export const chunkBuffers = new BufferPool(64 * 1024);
export const smallBuffers = new BufferPool(4 * 1024, 256);

// Row batches for streaming exports. This pool cleans on give-back.
export interface RowBatch {
  rows: string[];
  bytes: number;
  reset(): void;
}

function newBatch(): RowBatch {
  return {
    rows: [],
    bytes: 0,
    reset() {
      this.rows.length = 0;
      this.bytes = 0;
    },
  };
}

export class RowBatchPool {
  private readonly idle: RowBatch[] = [];

  get(): RowBatch {
    return this.idle.pop() ?? newBatch();
  }

  put(batch: RowBatch): void {
    batch.reset();
    this.idle.push(batch);
  }
}

export const rowBatches = new RowBatchPool();
