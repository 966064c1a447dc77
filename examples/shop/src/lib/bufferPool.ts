/** Fixed-size scratch buffers, reused across requests instead of allocated per export. */
export class BufferPool {
  private readonly free: Buffer[] = [];

  constructor(private readonly size: number) {}

  acquire(): Buffer {
    return this.free.pop() ?? Buffer.alloc(this.size);
  }

  /** Zeroes the buffer so no request's data reaches the next one. */
  release(buffer: Buffer): void {
    buffer.fill(0);
    this.free.push(buffer);
  }
}
