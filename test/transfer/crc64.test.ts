/**
 * The engine's CRC-64/XZ against the catalogue check value and two published implementations it
 * does not share code with (tos-crc64-js, the TOS SDK's; crc64-ecma182.js), over random lengths,
 * buffer offsets (aligned and not) and ways of cutting the input into updates.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { Crc64, crc64 } from '../../src/transfer/crc64';

const { crc64: tosCrc64 } = require('tos-crc64-js') as { crc64(buf: Buffer, prev?: string): string };
const { crc64: ecma182 } = require('crc64-ecma182.js') as { crc64(buf: Buffer, prev?: string): string };

test('the catalogue check value of CRC-64/XZ, and the empty input', () => {
  expect(crc64(Buffer.from('123456789'))).toBe(BigInt('0x995DC9BBDF1939FA').toString());
  expect(crc64(Buffer.alloc(0))).toBe('0');
});

test('equals tos-crc64-js and crc64-ecma182.js for every length, offset and cut', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 5000 }),
      fc.integer({ min: 0, max: 7 }),
      fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 6 }),
      (length, offset, cuts) => {
        const data = randomBytes(length + offset).subarray(offset);
        const expected = tosCrc64(Buffer.from(data));
        expect(ecma182(Buffer.from(data), '0')).toBe(expected);
        expect(crc64(data)).toBe(expected);
        const running = new Crc64();
        let at = 0;
        for (const c of [...cuts.map((x) => x % (length + 1))].sort((a, b) => a - b)) {
          running.update(data.subarray(at, c));
          at = c;
        }
        running.update(data.subarray(at));
        expect(running.digest()).toBe(expected);
      },
    ),
    { numRuns: 400 },
  );
});

test('a multi-megabyte buffer (the word loop at length) and all-ones bytes (sign bits everywhere)', () => {
  const big = randomBytes(3 * 1024 * 1024 + 5);
  expect(crc64(big)).toBe(tosCrc64(big));
  const ones = Buffer.alloc(1027, 0xff);
  expect(crc64(ones)).toBe(tosCrc64(ones));
});
