/**
 * interruptible(): the first Ctrl-C/SIGTERM asks the run to stop (AbortSignal) and, once it has
 * stopped, reports its failure and re-raises the same signal; a second one re-raises at once;
 * without a signal the run's result or error passes through and no listener is left.
 */
import { EventEmitter } from 'node:events';
import { interruptible } from '../../src/cli/interrupt';

class FakeSignals extends EventEmitter {
  pid = 4242;
  killed: Array<[number, string]> = [];
  kill(pid: number, sig: string) {
    this.killed.push([pid, sig]);
  }
  listening() {
    return this.listenerCount('SIGINT') + this.listenerCount('SIGTERM');
  }
}

function options(signals: FakeSignals) {
  const seen: string[] = [];
  return {
    seen,
    o: {
      signals,
      onInterrupt: (sig: string) => seen.push(`interrupt ${sig}`),
      onStopped: (e: unknown) => seen.push(`stopped ${(e as Error).message}`),
    },
  };
}

const tick = () => new Promise((r) => setImmediate(r));

test('no signal: the result and the error pass through; no listener is left', async () => {
  const signals = new FakeSignals();
  const { o, seen } = options(signals);
  await expect(interruptible(async () => 'done', o)).resolves.toBe('done');
  await expect(
    interruptible(async () => {
      throw new Error('refused');
    }, o),
  ).rejects.toThrow('refused');
  expect(signals.listening()).toBe(0);
  expect(seen).toEqual([]);
  expect(signals.killed).toEqual([]);
});

test.each(['SIGINT', 'SIGTERM'])(
  '%s: the run is asked to stop, then the process dies of the same signal',
  async (sig) => {
    const signals = new FakeSignals();
    const { o, seen } = options(signals);
    let settled = false;
    void interruptible(
      (signal) =>
        new Promise((_, reject) =>
          signal.addEventListener('abort', () => setTimeout(() => reject(new Error('x: interrupted')), 20)),
        ),
      o,
    ).finally(() => (settled = true));
    await tick();
    expect(signals.listening()).toBe(2);
    signals.emit(sig);
    expect(seen).toEqual([`interrupt ${sig}`]);
    expect(signals.killed).toEqual([]); // not yet: the run is still stopping
    await new Promise((r) => setTimeout(r, 60));
    expect(seen).toEqual([`interrupt ${sig}`, 'stopped x: interrupted']);
    expect(signals.killed).toEqual([[4242, sig]]);
    expect(signals.listening()).toBe(0);
    expect(settled).toBe(false); // nothing is printed after: the signal ends the process
  },
);

test('a second Ctrl-C while stopping quits at once', async () => {
  const signals = new FakeSignals();
  const { o } = options(signals);
  void interruptible(() => new Promise(() => undefined), o);
  await tick();
  signals.emit('SIGINT');
  expect(signals.killed).toEqual([]);
  signals.emit('SIGINT');
  expect(signals.killed).toEqual([[4242, 'SIGINT']]);
  expect(signals.listening()).toBe(0);
});

test('a run that finishes although interrupted prints no result: it still dies of the signal', async () => {
  const signals = new FakeSignals();
  const { o, seen } = options(signals);
  let release: (v: string) => void = () => undefined;
  let settled = false;
  void interruptible(() => new Promise<string>((r) => (release = r)), o).finally(() => (settled = true));
  await tick();
  signals.emit('SIGINT');
  release('done');
  await tick();
  expect(seen).toEqual(['interrupt SIGINT']);
  expect(signals.killed).toEqual([[4242, 'SIGINT']]);
  expect(settled).toBe(false);
});
