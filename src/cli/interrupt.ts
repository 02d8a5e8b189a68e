/**
 * Ctrl-C (or SIGTERM) during `upload` and `put`. Dying at once would leave open multipart uploads
 * behind (their parts are billed until a lifecycle rule removes them), so the first signal stops
 * the run instead: no new file or part starts, requests in flight are cancelled, open multipart
 * uploads are aborted. Once the run has settled, the process dies of that same signal, as it would
 * have at once (exit status 130 for Ctrl-C). A second signal quits at once.
 */

import type { Io } from './io';
import type { ProgressOutput } from './progress-output';

/** What is listened to for signals; the process by default (tests pass a stand-in). */
export interface Signals {
  on(signal: NodeJS.Signals, f: () => void): unknown;
  removeListener(signal: NodeJS.Signals, f: () => void): unknown;
  kill(pid: number, signal: NodeJS.Signals): unknown;
  pid: number;
}

export interface InterruptOptions {
  /** At the first signal, before the run is told to stop (erase the bar, say what happens). */
  onInterrupt(signal: NodeJS.Signals): void;
  /** The run's failure once it has stopped (which files were stored), just before dying. */
  onStopped(error: unknown): void;
  signals?: Signals;
}

const HANDLED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

export async function interruptible<T>(run: (signal: AbortSignal) => Promise<T>, o: InterruptOptions): Promise<T> {
  const signals = o.signals ?? process;
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const handlers = new Map<NodeJS.Signals, () => void>();
  const stopListening = () => {
    for (const [sig, h] of handlers) signals.removeListener(sig, h);
    handlers.clear();
  };
  for (const sig of HANDLED) {
    const h = () => {
      if (received) {
        stopListening();
        signals.kill(signals.pid, sig);
        return;
      }
      received = sig;
      o.onInterrupt(sig);
      controller.abort();
    };
    handlers.set(sig, h);
    signals.on(sig, h);
  }
  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    outcome = { ok: true, value: await run(controller.signal) };
  } catch (error) {
    outcome = { ok: false, error };
  }
  stopListening();
  if (!received) {
    if (outcome.ok) return outcome.value;
    throw outcome.error;
  }
  // Asked to stop: no result is printed, even when the last file finished meanwhile.
  if (!outcome.ok) o.onStopped(outcome.error);
  signals.kill(signals.pid, received);
  return new Promise<T>(() => undefined); // the signal ends the process
}

/** The first signal's message, after erasing the bar. */
export function stopping(progress: ProgressOutput, io: Io): void {
  progress.finish(false);
  io.note('interrupted: stopping; open multipart uploads are aborted (press Ctrl-C again to quit at once)');
}
