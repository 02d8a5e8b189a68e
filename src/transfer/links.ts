/**
 * The link check: every download link handed out is fetched once with `Range: bytes=0-0`
 * (206, or 200 from a server that ignores ranges), so each link in the output was seen working.
 */
import { call, CallContext } from './request';
import { Semaphore } from './semaphore';

export interface Link {
  key: string;
  url: string;
  /** Stored size; an empty object answers a range request with 416 or 200. */
  size?: number;
}

/** Resolves when all links answer; rejects with an Error naming the first key that does not. */
export async function checkLinks(ctx: CallContext, links: Link[], concurrency = 4): Promise<void> {
  const slots = new Semaphore(Math.max(1, concurrency));
  const failures: string[] = [];
  await Promise.all(
    links.map((l) =>
      slots.with(async () => {
        try {
          await call(
            { ...ctx, sign: (method) => ({ url: l.url, method, headers: {} }) },
            {
              what: 'the link check (GET bytes=0-0)',
              method: 'GET',
              key: l.key,
              sign: {},
              headers: { Range: 'bytes=0-0' },
              accept: (s) => s === 416 && l.size === 0,
            },
          );
        } catch (e) {
          failures.push(`${l.key}: ${(e as Error).message}`);
        }
      }),
    ),
  );
  if (failures.length)
    throw new Error(
      `the link check failed for ${failures.length} of ${links.length} links: ${failures.slice(0, 3).join('; ')}`,
    );
}
