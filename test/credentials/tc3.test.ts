/**
 * TC3-HMAC-SHA256 against the documented example (Tencent Cloud signature v3 page, CVM
 * DescribeInstances) and against tencentcloud-sdk-nodejs-common's own signer.
 */
import fc from 'fast-check';
import { tc3Sign } from '../../src/core/tc3';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const SdkSign = require('tencentcloud-sdk-nodejs-common/tencentcloud/common/sign').default;

describe('tc3Sign', () => {
  test('the documented example: hashed payload, canonical request and signature', () => {
    const payload = '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}';
    const s = tc3Sign({
      secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE',
      secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE',
      service: 'cvm',
      host: 'cvm.tencentcloudapi.com',
      timestamp: 1551113065,
      payload,
      contentType: 'application/json; charset=utf-8',
    });
    expect(s.canonicalRequest.split('\n').pop()).toBe(
      '35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064',
    );
    expect(s.stringToSign).toBe(
      'TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031',
    );
    expect(s.signature).toBe('72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168');
    expect(s.authorization).toBe(
      'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168',
    );
  });

  test('equals the SDK signer (Sign.sign3) over random bodies, keys, times and hosts', () => {
    fc.assert(
      fc.property(
        fc.record({
          secretId: fc.stringMatching(/^[A-Za-z0-9]{1,40}$/),
          secretKey: fc.string({ minLength: 1, maxLength: 48 }),
          timestamp: fc.integer({ min: 0, max: 4102444800 }),
          body: fc.jsonValue(),
          service: fc.constantFrom('sts', 'cvm', 'cam'),
          host: fc.constantFrom('sts.tencentcloudapi.com', 'sts.intl.tencentcloudapi.com', '127.0.0.1'),
        }),
        (c) => {
          const payload = JSON.stringify({ v: c.body });
          const ours = tc3Sign({
            secretId: c.secretId,
            secretKey: c.secretKey,
            service: c.service,
            host: c.host,
            timestamp: c.timestamp,
            payload,
          });
          const sdk = SdkSign.sign3({
            method: 'POST',
            url: `https://${c.host}/`,
            payload: Buffer.from(payload),
            timestamp: c.timestamp,
            service: c.service,
            secretId: c.secretId,
            secretKey: c.secretKey,
            headers: { 'Content-Type': 'application/json' },
          });
          expect(ours.authorization).toBe(sdk);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('any change to key, time, body or host changes the signature', () => {
    const base = {
      secretId: 'AKID',
      secretKey: 'k',
      service: 'sts',
      host: 'sts.tencentcloudapi.com',
      timestamp: 1700000000,
      payload: '{}',
    };
    const sig = tc3Sign(base).signature;
    for (const change of [
      { secretKey: 'k2' },
      { timestamp: 1700000001 },
      { payload: '{ }' },
      { host: 'sts.intl.tencentcloudapi.com' },
      { service: 'cvm' },
    ]) {
      expect(tc3Sign({ ...base, ...change }).signature).not.toBe(sig);
    }
  });
});
