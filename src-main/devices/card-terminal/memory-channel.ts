import type { ByteChannel } from './link';

/**
 * Two connected in-memory byte channels (a null-modem cable in a process): the real driver on one
 * end, the real simulator on the other, the same ZVT bytes as on a pty. For benchmarks and the
 * transport-contract test; fault tests use a socat pty pair.
 */
export function memoryChannelPair(): [ByteChannel, ByteChannel] {
  const make = () => ({
    open: true,
    data: [] as ((b: Uint8Array) => void)[],
    close: [] as ((e: Error | null) => void)[],
  });
  const a = make();
  const b = make();
  const end = (self: typeof a, peer: typeof a): ByteChannel => ({
    get isOpen() {
      return self.open;
    },
    write: async (bytes) => {
      if (!self.open) throw new Error('channel closed');
      const copy = Uint8Array.from(bytes);
      setImmediate(() => {
        if (peer.open) for (const l of peer.data) l(copy);
      });
    },
    onData: (l) => self.data.push(l),
    onClose: (l) => self.close.push(l),
    close: async () => {
      for (const s of [self, peer]) {
        if (!s.open) continue;
        s.open = false;
        for (const l of s.close) l(null);
      }
    },
  });
  return [end(a, b), end(b, a)];
}
