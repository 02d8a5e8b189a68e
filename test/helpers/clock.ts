/**
 * Freezes the global clock (`Date.now()` and `new Date()`) for the duration of a synchronous
 * call, so SDKs that read the time themselves (cos-nodejs-sdk-v5 getObjectUrl, the TOS JS SDK)
 * sign at a chosen instant. Dates built from arguments behave as usual.
 */
export function withFrozenClock<T>(ms: number, fn: () => T): T {
  const RealDate = Date;
  const Frozen: DateConstructor = new Proxy(RealDate, {
    construct(target, args, newTarget): object {
      return Reflect.construct(target, args.length ? args : [ms], newTarget === Frozen ? target : newTarget);
    },
    get(target, prop, receiver) {
      return prop === 'now' ? () => ms : Reflect.get(target, prop, receiver);
    },
  });
  globalThis.Date = Frozen;
  try {
    return fn();
  } finally {
    globalThis.Date = RealDate;
  }
}
