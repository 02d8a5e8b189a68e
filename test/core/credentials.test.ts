import { credentialsFromEnv } from '../../src';

describe('credentialsFromEnv', () => {
  test('takes a whole family, never mixing id and key across tools', () => {
    const env = { TENCENTCLOUD_SECRET_ID: 'id1', COS_SECRET_KEY: 'key2', COS_SECRET_ID: 'id2' };
    expect(credentialsFromEnv(env, 'cos')).toEqual({ secretId: 'id2', secretKey: 'key2', source: 'COS_SECRET_ID/COS_SECRET_KEY' });
  });

  test('reads the token under the names credential tools use', () => {
    const base = { TENCENTCLOUD_SECRET_ID: 'id', TENCENTCLOUD_SECRET_KEY: 'key' };
    for (const name of ['TENCENTCLOUD_SESSION_TOKEN', 'TENCENTCLOUD_SECURITY_TOKEN', 'TENCENTCLOUD_TOKEN']) {
      const c = credentialsFromEnv({ ...base, [name]: 'tok' }, 'cos');
      expect(c).toMatchObject({ securityToken: 'tok', source: `TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY/${name}` });
    }
    expect(credentialsFromEnv({ ...base, TENCENTCLOUD_TOKEN: 'b', TENCENTCLOUD_SESSION_TOKEN: 'a' }, 'cos')?.securityToken).toBe('a');
  });

  test('per provider, and undefined when nothing is complete', () => {
    expect(credentialsFromEnv({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_SESSION_TOKEN: 't' }, 's3')?.securityToken).toBe('t');
    expect(credentialsFromEnv({ TOS_ACCESS_KEY: 'a', TOS_SECRET_KEY: 'b' }, 'tos')?.secretId).toBe('a');
    expect(credentialsFromEnv({ AWS_ACCESS_KEY_ID: 'a' }, 's3')).toBeUndefined();
    expect(credentialsFromEnv({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' }, 'cos')).toBeUndefined();
  });
});
