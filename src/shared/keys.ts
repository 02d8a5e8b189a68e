/**
 * Object keys assembled from a prefix and a name: the mistakes that produce a valid but wrong
 * key (a prefix glued to the name, an empty `//` segment) are not errors, so they are warned
 * about, always showing the key that will be signed.
 */
import type { Provider } from '../core/types';
import { quote } from './values';

export interface KeyNames {
  /** How the front end calls the prefix (`key-prefix`), if it has one. */
  prefix?: string;
  /** How it calls the key (`key`, `<key>`). */
  key: string;
}

export interface AssembledKey {
  key: string;
  warnings: string[];
}

/** `prefix + key`, with a warning for each way the result is probably not what was meant. */
export function assembleKey(prefix: string, key: string, provider: Provider, names: KeyNames): AssembledKey {
  const full = prefix + key;
  const warnings: string[] = [];
  if (prefix !== '' && key !== '' && !prefix.endsWith('/') && !key.startsWith('/')) {
    warnings.push(
      `${names.prefix ?? 'the prefix'} ${quote(prefix)} does not end in "/", so it is glued to the name: the key is ${quote(full)}. End ${names.prefix ?? 'the prefix'} with "/" if it is a folder`,
    );
  }
  // COS reads one leading "/" as the root (the key "/a" is "a"); S3 and TOS keep it in the key.
  const body = provider === 'cos' && /^\/(?!\/)/.test(full) ? full.slice(1) : full;
  if (body.startsWith('/')) {
    warnings.push(
      `the key ${quote(full)} starts with "/", which ${provider} keeps as part of the object name (the URL path starts with "//"); remove the leading "/"${prefix ? ` from ${names.key} or ${names.prefix ?? 'the prefix'}` : ''} unless such an object really exists`,
    );
  } else if (body.includes('//')) {
    const where =
      prefix.endsWith('/') && key.startsWith('/')
        ? `${names.prefix ?? 'the prefix'} ends in "/" and ${names.key} starts with "/"`
        : 'it has an empty path segment';
    warnings.push(
      `the key ${quote(full)} contains "//" (${where}); an object of that exact name is meant only if it was uploaded with it`,
    );
  }
  return { key: full, warnings };
}
