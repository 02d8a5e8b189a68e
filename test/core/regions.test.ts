/** Issue 13.6: unknown or misspelled COS regions sign, with a "did you mean" warning. */
import { COS_REGIONS, cosRegionWarning, presign, PresignInput } from '../../src';
import { verify } from '../helpers/oracle';

const clock = { now: () => Date.UTC(2026, 10, 23, 12) };
const cos: PresignInput = {
  secretId: 'AKIDregion',
  secretKey: 'REGIONsecret0123456789',
  bucket: 'examplebucket-1250000000',
  key: 'a.txt',
};

function sign(region: string, extra: Partial<PresignInput> = {}) {
  const r = presign({ ...cos, region, ...extra }, clock);
  expect(verify('cos', { url: r.url, method: r.method, headers: r.headers }, cos.secretKey).ok).toBe(true);
  return r;
}

describe('COS region warnings', () => {
  test.each([
    ['ap-guangzhuo', 'ap-guangzhou'],
    ['ap-guangzou', 'ap-guangzhou'],
    ['ap-shangai', 'ap-shanghai'],
    ['ap-bejing', 'ap-beijing'],
    ['ap-singpore', 'ap-singapore'],
    ['eu-frankfrut', 'eu-frankfurt'],
    ['na-siliconvally', 'na-siliconvalley'],
    ['ap-hongkog', 'ap-hongkong'],
    ['cn-sout', 'cn-south'],
    ['sgp', 'sg'],
  ])('a misspelled region %s signs, warning "did you mean %s?"', (region, guess) => {
    const r = sign(region);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toContain(`did you mean ${guess}?`);
    expect(new URL(r.url).host).toBe(`examplebucket-1250000000.cos.${region}.myqcloud.com`);
  });

  test.each(['us-east-1', 'eu-west-1', 'ap-northeast-1', 'cn-north-1', 'us-gov-west-1'])(
    'an AWS region %s suggests provider s3',
    (region) => {
      const [w] = sign(region).warnings;
      expect(w).toMatch(/looks like an AWS region: set provider "s3"/);
    },
  );

  test.each(['cn-beijing', 'cn-shanghai', 'cn-guangzhou'])(
    'a TOS region %s suggests provider tos and a COS region',
    (region) => {
      const [w] = sign(region).warnings;
      expect(w).toMatch(/Volcengine TOS region: set provider "tos"/);
      expect(w).toMatch(/ap-(beijing|shanghai|guangzhou)/);
    },
  );

  test('known regions, old-style regions (sg included) and aliases sign without a warning, on the right hosts', () => {
    for (const region of COS_REGIONS) expect(sign(region).warnings).toEqual([]);
    for (const region of ['cn-north', 'cn-south', 'cn-south-2', 'cn-east', 'cn-southwest', 'sg']) {
      const r = sign(region);
      expect(r.warnings).toEqual([]);
      expect(new URL(r.url).host).toBe(`examplebucket-1250000000.${region}.myqcloud.com`);
    }
    expect(new URL(sign('sg').url).host).toBe('examplebucket-1250000000.sg.myqcloud.com');
    expect(new URL(sign('cosgz').url).host).toBe('examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com');
  });

  test('an unrelated name gets the list, and a region that does not build the host gets no warning', () => {
    expect(cosRegionWarning('zz-nowhere-42')).toMatch(/known regions: ap-beijing-1, /);
    expect(sign('ap-guangzhuo', { domain: 'cdn.example.com' }).warnings).toEqual([]);
    expect(sign('ap-guangzhuo', { accelerate: true }).warnings).toEqual([]);
    expect(cosRegionWarning('ap-guangzhou')).toBeUndefined();
  });
});
