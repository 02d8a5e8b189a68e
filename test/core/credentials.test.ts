import { credentialEnvHint, credentialsFromEnv, otherProviderCredentials } from '../../src';

describe('credentialsFromEnv', () => {
  test('takes a whole family, never mixing id and key across tools', () => {
    const env = { TENCENTCLOUD_SECRET_ID: 'id1', COS_SECRET_KEY: 'key2', COS_SECRET_ID: 'id2' };
    expect(credentialsFromEnv(env, 'cos')).toEqual({
      secretId: 'id2',
      secretKey: 'key2',
      source: 'COS_SECRET_ID/COS_SECRET_KEY',
    });
  });

  test('reads the token under the names credential tools use', () => {
    const base = { TENCENTCLOUD_SECRET_ID: 'id', TENCENTCLOUD_SECRET_KEY: 'key' };
    for (const name of ['TENCENTCLOUD_SESSION_TOKEN', 'TENCENTCLOUD_SECURITY_TOKEN', 'TENCENTCLOUD_TOKEN']) {
      const c = credentialsFromEnv({ ...base, [name]: 'tok' }, 'cos');
      expect(c).toMatchObject({
        securityToken: 'tok',
        source: `TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY/${name}`,
      });
    }
    expect(
      credentialsFromEnv({ ...base, TENCENTCLOUD_TOKEN: 'b', TENCENTCLOUD_SESSION_TOKEN: 'a' }, 'cos')?.securityToken,
    ).toBe('a');
  });

  test('per provider, and undefined when nothing is complete', () => {
    expect(
      credentialsFromEnv({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_SESSION_TOKEN: 't' }, 's3')
        ?.securityToken,
    ).toBe('t');
    expect(credentialsFromEnv({ TOS_ACCESS_KEY: 'a', TOS_SECRET_KEY: 'b' }, 'tos')?.secretId).toBe('a');
    expect(credentialsFromEnv({ AWS_ACCESS_KEY_ID: 'a' }, 's3')).toBeUndefined();
    expect(credentialsFromEnv({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' }, 'cos')).toBeUndefined();
  });
});

describe('credentialEnvHint: credentials for the wrong provider (issue 13.9)', () => {
  const AWS = { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'awsSECRETvalue123' };
  const TOS = { TOS_ACCESS_KEY: 'AKLTEXAMPLE', TOS_SECRET_KEY: 'tosSECRETvalue123' };

  test('provider cos with only AWS_* set says so and suggests provider s3; values are never named', () => {
    const hint = credentialEnvHint('cos', AWS);
    expect(hint).toMatch(/^TENCENTCLOUD_SECRET_ID \+ TENCENTCLOUD_SECRET_KEY, or COS_SECRET_ID \+ COS_SECRET_KEY/);
    expect(hint).toMatch(/only AWS_ACCESS_KEY_ID \+ AWS_SECRET_ACCESS_KEY \(S3 credentials\) is set/);
    expect(hint).toMatch(/set provider to "s3"/);
    for (const value of Object.values(AWS)) expect(hint).not.toContain(value);
  });

  test('TOS variables suggest tos; both sets suggest both; s3 with only COS variables suggests cos', () => {
    expect(credentialEnvHint('cos', TOS)).toMatch(
      /TOS_ACCESS_KEY \+ TOS_SECRET_KEY \(Volcengine TOS credentials\) is set.*set provider to "tos"/,
    );
    expect(credentialEnvHint('cos', { ...AWS, ...TOS })).toMatch(/are set.*set provider to "tos" or "s3"/);
    expect(credentialEnvHint('s3', { TENCENTCLOUD_SECRET_ID: 'a', TENCENTCLOUD_SECRET_KEY: 'b' })).toMatch(
      /set provider to "cos"/,
    );
    expect(otherProviderCredentials(AWS, 'cos')).toEqual([
      { provider: 's3', variables: 'AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY' },
    ]);
  });

  test('no suggestion when the provider has its own credentials, when another set is incomplete, or without env', () => {
    expect(credentialEnvHint('cos', { ...AWS, COS_SECRET_ID: 'a', COS_SECRET_KEY: 'b' })).not.toMatch(/only/);
    expect(credentialEnvHint('cos', { AWS_ACCESS_KEY_ID: 'a' })).not.toMatch(/only/);
    expect(credentialEnvHint('cos')).toBe(
      'TENCENTCLOUD_SECRET_ID + TENCENTCLOUD_SECRET_KEY, or COS_SECRET_ID + COS_SECRET_KEY',
    );
  });
});
