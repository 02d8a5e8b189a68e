/**
 * Scope safety: no input can make a URL sign another bucket, host or operation than the one
 * asked for. Every refusal must be a PresignError naming the right field, and must not echo
 * the secret key or the session token (expectRefused checks both, for every case below).
 */
import { presign, PresignInput, Provider } from '../../src';
import { splitUrl, verify } from '../helpers/oracle';
import { expectRefused } from '../helpers/refusal';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const clock = { now: () => NOW };
const SECRET = 'SCOPEsecretKEY/+=0123456789abcdefghij';
const TOKEN = 'SCOPEtoken+/=ABCDEFGHIJ0123456789&q-signature=0==';

const BASE: Record<Provider, PresignInput> = {
  cos: {
    provider: 'cos',
    secretId: 'AKIDscope',
    secretKey: SECRET,
    securityToken: TOKEN,
    bucket: 'examplebucket-1250000000',
    region: 'ap-guangzhou',
    key: 'docs/report.pdf',
  },
  tos: {
    provider: 'tos',
    secretId: 'AKLTscope',
    secretKey: SECRET,
    securityToken: TOKEN,
    bucket: 'examplebucket',
    region: 'cn-beijing',
    key: 'docs/report.pdf',
  },
  s3: {
    provider: 's3',
    secretId: 'AKIASCOPE',
    secretKey: SECRET,
    securityToken: TOKEN,
    bucket: 'examplebucket',
    region: 'us-east-1',
    key: 'docs/report.pdf',
  },
};
const HOST: Record<Provider, string> = {
  cos: 'examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com',
  tos: 'examplebucket.tos-cn-beijing.volces.com',
  s3: 'examplebucket.s3.us-east-1.amazonaws.com',
};
const AUTH_PARAMS: Record<Provider, string[]> = {
  cos: [
    'q-signature',
    'Q-Signature',
    'q-sign-algorithm',
    'q-ak',
    'Q-AK',
    'q-sign-time',
    'q-key-time',
    'q-header-list',
    'q-url-param-list',
  ],
  tos: [
    'X-Tos-Signature',
    'x-tos-signature',
    'X-Tos-Credential',
    'X-Tos-Algorithm',
    'X-Tos-Date',
    'X-TOS-EXPIRES',
    'X-Tos-SignedHeaders',
    'X-Tos-Security-Token',
    'X-Tos-Content-Sha256',
  ],
  s3: [
    'X-Amz-Signature',
    'x-amz-signature',
    'x-amz-credential',
    'X-Amz-Algorithm',
    'X-Amz-Date',
    'X-AMZ-EXPIRES',
    'X-Amz-SignedHeaders',
    'X-Amz-Security-Token',
  ],
};
const PROVIDERS = ['cos', 'tos', 's3'] as const;

function signed(input: PresignInput) {
  const r = presign(input, clock);
  const p = input.provider!;
  const req = { url: r.url, method: r.method, headers: r.headers };
  expect(verify(p, req, SECRET)).toMatchObject({ ok: true });
  expect(r.url).not.toContain(SECRET);
  return { ...r, u: splitUrl(r.url), whatwg: new URL(r.url) };
}

const authority = (url: string) => splitUrl(url).authority;

describe.each(PROVIDERS)('%s: bucket names cannot reach another host or path', (p) => {
  const hostile: Record<Provider, string[]> = {
    cos: [
      'evil.com/x?-1250000000',
      'evil.com#-1250000000',
      'a@evil.com-1250000000',
      'evil.com:443-1250000000',
      'a.b-1250000000',
      '..-1250000000',
      'examplebucket-1250000000.evil.com',
      'examplebucket-1250000000/',
      'Examplebucket-1250000000',
      'examplebucket',
      ' examplebucket-1250000000',
      'x-1250000000\r\nHost: evil.com',
      'x%2F-1250000000',
      'examplebucket-1250000000?',
      '-1250000000',
    ],
    tos: [
      'evil.com/x',
      'a?b',
      'a#b',
      'a@b',
      'evil:80',
      '..',
      'a.b',
      'bucket.evil.com',
      '127.0.0.1',
      'UPPER',
      'ab',
      'a'.repeat(64),
      'a b',
      'a\r\nb',
      '-ab',
      'ab-',
    ],
    s3: [
      'evil.com/x',
      'a?b',
      'a#b',
      'a@b',
      'evil:80',
      '..',
      'a..b',
      '.bucket',
      'bucket.',
      '192.168.1.1',
      '10.0.0.1',
      'a.-b',
      'a-.b',
      'UPPER',
      'ab',
      'a b',
      'a\r\nb',
      'a'.repeat(64),
    ],
  };
  test.each(hostile[p].map((b) => [JSON.stringify(b), b]))('bucket %s is refused', (_s, bucket) => {
    expectRefused({ ...BASE[p], bucket }, 'bucket', clock);
  });

  if (p === 's3') {
    test('dotted or domain-like S3 bucket names go path-style: the host stays the endpoint', () => {
      for (const bucket of ['evil.com', 'bucket.with.dots', 'www.example.org']) {
        const r = signed({ ...BASE.s3, bucket });
        expect(r.whatwg.host).toBe('s3.us-east-1.amazonaws.com');
        expect(r.u.path).toBe(`/${bucket}/docs/report.pdf`);
      }
    });
    test('an IP endpoint addresses the bucket in the path, never in the host', () => {
      const r = signed({ ...BASE.s3, endpoint: 'http://10.0.0.5:9000' });
      expect(authority(r.url)).toBe('10.0.0.5:9000');
      expect(r.u.path).toBe('/examplebucket/docs/report.pdf');
    });
  }
});

describe.each(PROVIDERS)('%s: region, domain and endpoint cannot inject a host, path, query or user', (p) => {
  const regions = [
    'ap-guangzhou.evil.com',
    'ap-guangzhou/x',
    'ap-guangzhou?x=1',
    'ap-guangzhou#f',
    'a@evil.com',
    'ap guangzhou',
    'ap-guangzhou\r\nHost: evil.com',
    'AP-GUANGZHOU',
    ':443',
    '-x',
    'x-',
    'ap-guangzhou%2F',
    'évil',
  ];
  test.each(regions.map((r) => [JSON.stringify(r), r]))('region %s is refused', (_s, region) => {
    expectRefused({ ...BASE[p], region }, 'region', clock);
  });

  const field = p === 'cos' ? 'domain' : 'endpoint';
  const endpoints = [
    'cdn.example.com/path',
    'cdn.example.com?x=1',
    'cdn.example.com#f',
    'user@cdn.example.com',
    'user:pw@cdn.example.com',
    'https://user@cdn.example.com',
    'evil.com#@cdn.example.com',
    'evil.com?@cdn.example.com',
    ' cdn.example.com',
    'cdn.example.com ',
    'cdn.example.com\r\nX-Evil: 1',
    'cdn example.com',
    'cdn.example.com:99999',
    'cdn.example.com:0',
    'cdn.example.com:abc',
    'ftp://cdn.example.com',
    'javascript:alert(1)',
    '//cdn.example.com',
    'cdn.example.com\\evil.com',
    'cdn.example.com%2F',
    '[::1',
    'cdn_example.com',
    'https://cdn.example.com:443/x',
    'https://cdn.example.com/..',
    'http://',
    '.',
    'cdn..example.com',
    // hosts WHATWG URL would rewrite or refuse (security round 2, 10.8)
    '127.1',
    '0x7f.0.0.1',
    '010.0.0.1',
    '0177.0.0.1',
    '2130706433',
    'cdn.123',
    'cdn.0x1f',
    '[:::::]',
    '[1::2::3]',
    '[::1::]',
    '[12345::]',
  ];
  test.each(endpoints.map((e) => [JSON.stringify(e), e]))(`${field} %s is refused`, (_s, value) => {
    const input: PresignInput = { ...BASE[p], [field]: value, ...(p === 'tos' ? { isCustomDomain: true } : {}) };
    expectRefused(input, field, clock);
  });

  test(`an accepted ${field} is the URL's host exactly (lower-cased, default port dropped)`, () => {
    const extra = p === 'tos' ? { isCustomDomain: true } : p === 's3' ? { forcePathStyle: true } : {};
    expect(authority(signed({ ...BASE[p], [field]: 'https://CDN.Example.com:8443', ...extra }).url)).toBe(
      'cdn.example.com:8443',
    );
    expect(authority(signed({ ...BASE[p], [field]: 'https://CDN.Example.com:443', ...extra }).url)).toBe(
      'cdn.example.com',
    );
  });

  test(`every accepted ${field} spelling gives a URL whose host is what WHATWG URL makes of it`, () => {
    const extra = p === 'tos' ? { isCustomDomain: true } : p === 's3' ? { forcePathStyle: true } : {};
    const spellings = [
      'cdn.example.com:00443',
      'http://cdn.example.com:080',
      'https://CDN.example.com:08443',
      '[0:0::1]',
      'http://[::FFFF:1.2.3.4]:09000',
      '[2001:DB8:0:0:0:0:0:1]',
      '192.168.0.1:0443',
      'http://10.0.0.1:080',
    ];
    for (const value of spellings) {
      const r = signed({ ...BASE[p], [field]: value, ...extra });
      expect(authority(r.url)).toBe(new URL(r.url).host);
    }
  });

  test(`a ${field} naming another bucket's provider host is refused`, () => {
    const other = {
      cos: 'other-1250000000.cos.ap-guangzhou.myqcloud.com',
      tos: 'other.tos-cn-beijing.volces.com',
      s3: undefined,
    }[p];
    if (other === undefined) return; // S3 endpoints name a service, not a bucket's host
    for (const value of [other, other.toUpperCase(), `https://${other}:443`]) {
      expectRefused({ ...BASE[p], [field]: value, ...(p === 'tos' ? { isCustomDomain: true } : {}) }, field, clock);
    }
  });

  test('scheme is https or http, nothing else', () => {
    for (const scheme of ['javascript', 'ftp', 'HTTPS', 'https://', 'file'])
      expectRefused({ ...BASE[p], scheme: scheme as 'https' }, 'scheme', clock);
  });
});

describe.each(PROVIDERS)('%s: Host headers', (p) => {
  test.each([
    ['another bucket', `other-${HOST[p]}`],
    ['another host', 'evil.example.com'],
    ['the same host with a port', `${HOST[p]}:443`],
    ['a suffix trick', `${HOST[p]}.evil.com`],
    ['a CRLF', `${HOST[p]}\r\nX-Evil: 1`],
  ])('naming %s is refused', (_what, value) => {
    expectRefused({ ...BASE[p], headers: { Host: value } }, 'headers', clock);
  });

  test('the same host in another case is accepted and the URL host stays the one asked', () => {
    const r = signed({ ...BASE[p], headers: { HOST: HOST[p].toUpperCase() } });
    expect(authority(r.url)).toBe(HOST[p]);
    expect(r.headers).toEqual({});
  });

  test('two Host headers differing by case are refused', () => {
    expectRefused({ ...BASE[p], headers: { Host: HOST[p], host: HOST[p] } }, 'headers', clock);
  });
});

describe.each(PROVIDERS)('%s: keys cannot address the bucket or leave the path', (p) => {
  const rootKeys = ['/', '.', '..', '//', './', '/./', 'a/..', 'a/b/../..', '../..', './/..'];
  test.each(rootKeys.map((k) => [JSON.stringify(k), k]))(
    'key %s simplifies to the bucket root and is refused',
    (_s, key) => {
      expectRefused({ ...BASE[p], key }, 'key', clock);
    },
  );

  test('with keySimplifyCheck: false a root key is signed on purpose (or refused for a dot segment clients would drop)', () => {
    const r = signed({ ...BASE[p], key: '/', keySimplifyCheck: false });
    expect(r.u.path).toBe(p === 'cos' ? '/' : '//');
    expectRefused({ ...BASE[p], key: '..', keySimplifyCheck: false }, 'key', clock);
  });

  test.each([
    ['a?acl'],
    ['a#frag'],
    ['x?X-Amz-Signature=0&q-signature=0'],
    ['?uploads'],
    ['a?b#c'],
    ['%3Facl'],
    ['a/../../other-bucket/x'],
  ])('key %s stays inside the path, encoded', (key) => {
    if (key.includes('..')) {
      // TOS and S3 refuse dot segments (clients would drop them). COS writes "./" as ".%2F", so
      // they stay literal characters of one object key, and the bucket is in the host anyway.
      if (p !== 'cos') {
        expectRefused({ ...BASE[p], key }, 'key', clock);
      } else {
        const r = signed({ ...BASE[p], key });
        expect(r.whatwg.pathname).toBe(r.u.path);
        expect(decodeURIComponent(r.u.path)).toBe(`/${key}`);
        expect(authority(r.url)).toBe(HOST.cos);
      }
      return;
    }
    const r = signed({ ...BASE[p], key });
    expect(decodeURIComponent(r.whatwg.pathname)).toBe(`/${key}`);
    expect(r.whatwg.hash).toBe('');
    const names = [...r.whatwg.searchParams.keys()].map((n) => n.toLowerCase());
    expect(names).not.toContain('acl');
    expect(names).not.toContain('uploads');
    expect(names.filter((n) => n === 'q-signature' || n === 'x-amz-signature' || n === 'x-tos-signature').length).toBe(
      1,
    );
  });

  test('an ACL or multipart sub-resource is signed only when asked for as a param', () => {
    const plain = signed({ ...BASE[p], key: 'photo.jpg?acl' });
    expect(plain.whatwg.searchParams.has('acl')).toBe(false);
    const asked = signed({ ...BASE[p], key: 'photo.jpg', method: 'PUT', params: { acl: '' } });
    expect(asked.whatwg.searchParams.get('acl')).toBe('');
  });
});

describe.each(PROVIDERS)('%s: params and the token cannot inject or shadow auth parameters', (p) => {
  test.each(AUTH_PARAMS[p].map((n) => [n]))('a param named %s is refused', (name) => {
    expectRefused({ ...BASE[p], params: { [name]: '0' } }, 'params', clock);
  });

  if (p === 'cos') {
    test('x-cos-security-token as a param next to securityToken is refused', () => {
      expectRefused({ ...BASE.cos, params: { 'X-Cos-Security-Token': 'other' } }, 'params', clock);
    });
    test("another provider's auth names are ordinary signed params on COS", () => {
      const r = signed({ ...BASE.cos, params: { 'X-Amz-Signature': '0' } });
      expect(r.whatwg.searchParams.get('X-Amz-Signature')).toBe('0');
    });
  }

  test('names and values carrying & = + # are encoded: exactly the asked params come back', () => {
    const params = {
      'a&b=c': 'd&e=f',
      x: `1&${p === 'cos' ? 'q-signature' : p === 'tos' ? 'X-Tos-Signature' : 'X-Amz-Signature'}=0`,
      'y#z': 'a+b c/=',
      'response-content-disposition': "attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf",
    };
    const r = signed({ ...BASE[p], params });
    const got = new Map<string, string[]>();
    for (const [n, v] of r.whatwg.searchParams) got.set(n, [...(got.get(n) ?? []), v]);
    for (const [n, v] of Object.entries(params)) expect(got.get(n)).toEqual([v]);
    expect(got.has('b')).toBe(false);
    expect(got.has('e')).toBe(false);
    const sigName = { cos: 'q-signature', tos: 'X-Tos-Signature', s3: 'X-Amz-Signature' }[p];
    expect(got.get(sigName)).toHaveLength(1);
    expect(got.get(sigName)![0]).toMatch(/^[0-9a-f]{40,64}$/);
  });

  test('a token full of + / = & stays one parameter, byte for byte', () => {
    const r = signed(BASE[p]);
    const name = { cos: 'x-cos-security-token', tos: 'X-Tos-Security-Token', s3: 'X-Amz-Security-Token' }[p];
    expect(r.whatwg.searchParams.getAll(name)).toEqual([TOKEN]);
    expect(
      r.whatwg.searchParams.getAll('q-signature').length +
        r.whatwg.searchParams.getAll('X-Amz-Signature').length +
        r.whatwg.searchParams.getAll('X-Tos-Signature').length,
    ).toBe(1);
  });

  test('case-colliding param names are refused', () => {
    expectRefused({ ...BASE[p], params: { versionId: '1', VersionId: '2' } }, 'params', clock);
  });
});

describe.each(PROVIDERS)('%s: headers', (p) => {
  test.each([
    ['CRLF', 'text/plain\r\nX-Evil: 1'],
    ['LF', 'a\nb'],
    ['CR', 'a\rb'],
    ['NUL', 'a\0b'],
    ['DEL', 'a\x7fb'],
  ])('a value with %s is refused', (_what, value) => {
    const name = p === 'tos' ? 'x-tos-meta-a' : 'x-cos-meta-a';
    expectRefused({ ...BASE[p], headers: { [p === 's3' ? 'Content-Type' : name]: value } }, 'headers', clock);
  });

  test.each([['a b'], ['a:b'], ['a\r\nb'], [''], ['é'], ['x-cos-meta-a\n'], ['(x)']])(
    'header name %j is refused',
    (name) => {
      expectRefused({ ...BASE[p], headers: { [name]: 'v' } }, 'headers', clock);
    },
  );

  test('case-colliding header names are refused', () => {
    expectRefused({ ...BASE[p], headers: { 'Content-Type': 'a', 'content-type': 'b' } }, 'headers', clock);
  });
});

describe('operation and host binding', () => {
  test.each(PROVIDERS.map((p) => [p]))(
    '%s: the method is validated and pinned: a GET URL does not verify as PUT or DELETE',
    (p) => {
      for (const method of ['GET /evil HTTP/1.1', 'GET\r\n', 'PATCH', 'get ', 'TRACE', 'CONNECT', '']) {
        expectRefused({ ...BASE[p], method: method as 'GET' }, 'method', clock);
      }
      const r = signed({ ...BASE[p], method: 'get' });
      expect(r.method).toBe('GET');
      for (const other of ['PUT', 'DELETE', 'HEAD', 'POST'])
        expect(verify(p, { url: r.url, method: other, headers: {} }, SECRET).ok).toBe(false);
    },
  );

  test.each(PROVIDERS.map((p) => [p]))(
    '%s: the host is signed: the same URL sent to another host does not verify',
    (p) => {
      const r = signed(BASE[p]);
      const moved = r.url.replace(HOST[p], `other-${HOST[p]}`);
      expect(verify(p, { url: moved, method: 'GET', headers: {} }, SECRET).ok).toBe(false);
    },
  );

  test('COS signHost: false leaves the host unsigned, with a warning; TOS and S3 refuse it', () => {
    const r = presign({ ...BASE.cos, signHost: false }, clock);
    expect(r.warnings.join('\n')).toMatch(/signHost is false/);
    expect(new URL(r.url).searchParams.get('q-header-list')).toBe('');
    // ...which is exactly why it is dangerous: the URL now verifies for any host
    expect(
      verify('cos', { url: r.url.replace(HOST.cos, 'evil.example.com'), method: 'GET', headers: {} }, SECRET).ok,
    ).toBe(true);
    expect(presign(BASE.cos, clock).warnings).toEqual([]);
    for (const p of ['tos', 's3'] as const) expectRefused({ ...BASE[p], signHost: false }, 'signHost', clock);
  });

  test.each(PROVIDERS.map((p) => [p]))('%s: the URL never outlives credentialExpiresAt', (p) => {
    for (const inSec of [1, 59, 3600, 86400 * 40]) {
      const cred = NOW / 1000 + inSec;
      const r = presign({ ...BASE[p], expires: p === 's3' ? 604800 : 2592000, credentialExpiresAt: cred }, clock);
      expect(r.expiresAt.getTime()).toBeLessThanOrEqual(cred * 1000);
    }
    expectRefused({ ...BASE[p], credentialExpiresAt: NOW / 1000 - 1 }, 'credentialExpiresAt', clock);
  });
});
